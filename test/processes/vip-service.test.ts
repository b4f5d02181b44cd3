/**
 * vip-service (规范 4.6.7) with the real workers: every month the VIP accounts are found and each one is revisited by
 * a VIP manager, all in parallel, within the revisit time limit from the SLA configuration.
 */
import type { Job } from 'zeebe-node';
import { USER_TASK_JOB_TYPE } from '../../processes/catalogue';
import type { VipAccount } from '../../workers/find-vip-accounts';
import { usePlatform } from '../support/platformHarness';
import { waitFor } from '../support/engineHarness';
import { and, element, inInstance, ofType, processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { deployModels, dueDateOf } from './drive';

const suite = usePlatform();
const stream = recordStream(suite);
const DAY = 24 * 3600_000;
const MONTH = 32 * DAY;

beforeAll(() => deployModels(suite.zbc, 'vip-service'));

/** Moves the clocks a month on and resolves with the instance the monthly timer started. */
async function monthlyRun(): Promise<string> {
  const mark = await stream.mark();
  await suite.advanceClock(MONTH);
  const [run] = await stream.waitFor(processActivated('vip-service'), { fromPosition: mark, description: 'the monthly VIP revisit run' });
  return run.key;
}

/** Activates the open revisit tasks of the instance until there are `count`. */
async function revisitTasks(key: string, count: number): Promise<Job[]> {
  const tasks: Job[] = [];
  await waitFor(
    async () => {
      const jobs = await suite.zbc.activateJobs({ type: USER_TASK_JOB_TYPE, worker: 'vip-test', timeout: DAY, maxJobsToActivate: 100, requestTimeout: 1000 });
      tasks.push(...jobs.filter((job) => job.processInstanceKey === key && job.elementId === 'revisit'));
      return tasks.length >= count;
    },
    { timeoutMs: 10_000, description: `${count} revisit tasks` },
  );
  return tasks;
}

it('each VIP account gets its own revisit task for the VIP managers, due within the revisit limit', async () => {
  // The tasks are made once the clock has moved a month on, possibly before monthlyRun() returns.
  const before = (await suite.engine.engineTime()) + MONTH;
  const key = await monthlyRun();
  const expected: { accountId: number; customerName: string }[] = await suite.knex('accounts as a').join('customers as c', 'c.id', 'a.customer_id')
    .where('c.vip', true).orderBy('a.id').select('a.id as accountId', 'c.name as customerName');
  expect(expected.length).toBeGreaterThan(5);
  const limitMinutes = (await suite.knex('sla_config').where({ key: 'vip.revisit' }).first()).value;

  const tasks = await revisitTasks(key, expected.length);
  const accounts = tasks.map((task) => (task.variables as { account: VipAccount }).account);
  expect(accounts.map((a) => [a.accountId, a.customerName]).sort(([a], [b]) => Number(a) - Number(b))).toEqual(expected.map((e) => [e.accountId, e.customerName]));
  for (const task of tasks) {
    expect(task.customHeaders['io.camunda.zeebe:formKey']).toBe('vip-service-revisit');
    expect(JSON.parse(String(task.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['vip-manager']);
    expect(dueDateOf(task)).toBeGreaterThanOrEqual(before + limitMinutes * 60_000);
    expect(dueDateOf(task)).toBeLessThanOrEqual((await suite.engine.engineTime()) + limitMinutes * 60_000);
  }
  // All are open at once: the managers revisit in parallel, and the run ends with the last of them.
  for (const task of tasks.slice(1)) await suite.zbc.completeJob({ jobKey: task.key, variables: { reached: true, satisfaction: '满意' } });
  await waitFor(async () => (await stream.where(and(inInstance(key), element('revisit', 'ELEMENT_COMPLETED')))).length >= tasks.length - 1, { description: 'all revisits but one' });
  expect(trail(await stream.where(inInstance(key)))).not.toContain('all-revisited:ELEMENT_COMPLETED');
  await suite.zbc.completeJob({ jobKey: tasks[0].key, variables: { reached: true, satisfaction: '基本满意' } });
  expect(trail(await waitForCompletion(suite.engine, key))).toContain('all-revisited:ELEMENT_COMPLETED');
});

it('a month with no VIP accounts ends without any revisit task', async () => {
  await suite.knex('customers').update({ vip: false });
  const key = await monthlyRun();
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('all-revisited:ELEMENT_COMPLETED');
  expect(await stream.where(and(inInstance(key), ofType('JOB'), (r) => r.value.elementId === 'revisit'))).toEqual([]);
});
