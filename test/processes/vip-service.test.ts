/**
 * vip-service (规范 4.6.7): every month the VIP accounts are found and each one is revisited by a VIP manager,
 * all in parallel, within the revisit time limit from the SLA configuration.
 */
import type { Job } from 'zeebe-node';
import { useTestEngine } from '../support/engineHarness';
import { and, inInstance, ofType, processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { complete, deployModels, dueDateOf, takeJob } from './drive';

const suite = useTestEngine();
const stream = recordStream(suite);
const DAY = 24 * 3600_000;
const MONTH = 32 * DAY;
const VIP_ACCOUNTS = [
  { accountId: 'ACC-GZ-0101', customerName: '广州某物流公司', phoneNumber: '13800000101' },
  { accountId: 'ACC-SZ-0102', customerName: '深圳某科技公司', phoneNumber: '13800000102' },
];

const forAccount = (accountId: string) => (job: Job) => (job.variables as { account?: { accountId?: string } }).account?.accountId === accountId;

beforeAll(() => deployModels(suite.zbc, 'vip-service'));

/** Moves the engine clock a month on and resolves with the instance the monthly timer started. */
async function monthlyRun(): Promise<string> {
  const mark = await stream.mark();
  await suite.engine.advanceClock(MONTH);
  const [run] = await stream.waitFor(processActivated('vip-service'), { fromPosition: mark, description: 'the monthly VIP revisit run' });
  return run.key;
}

it('each VIP account found gets its own revisit task for the VIP managers, due within the revisit limit', async () => {
  const key = await monthlyRun();
  // FEEL now() in the due date reads engine time, which advanceClock moved a month on.
  const before = await suite.engine.engineTime();
  await complete(suite.zbc, key, 'find-vip-accounts', { vipAccounts: VIP_ACCOUNTS, slaVipRevisit: 'P7D' }, 'find-vip-accounts');

  // Both tasks are open at once: the managers revisit in parallel.
  const tasks = [];
  for (const { accountId } of VIP_ACCOUNTS) tasks.push(await takeJob(suite.zbc, key, 'revisit', undefined, { match: forAccount(accountId) }));
  for (const task of tasks) {
    expect(task.customHeaders['io.camunda.zeebe:formKey']).toBe('vip-service-revisit');
    expect(JSON.parse(String(task.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['vip-manager']);
    expect(dueDateOf(task)).toBeGreaterThanOrEqual(before + 7 * DAY);
    expect(dueDateOf(task)).toBeLessThanOrEqual((await suite.engine.engineTime()) + 7 * DAY);
  }
  await suite.zbc.completeJob({ jobKey: tasks[0].key, variables: { reached: true, satisfaction: '满意' } });
  expect(trail(await stream.where(inInstance(key)))).not.toContain('all-revisited:ELEMENT_COMPLETED');
  await suite.zbc.completeJob({ jobKey: tasks[1].key, variables: { reached: true, satisfaction: '基本满意' } });

  expect(trail(await waitForCompletion(suite.engine, key))).toContain('all-revisited:ELEMENT_COMPLETED');
});

it('a month with no VIP accounts ends without any revisit task', async () => {
  const key = await monthlyRun();
  await complete(suite.zbc, key, 'find-vip-accounts', { vipAccounts: [], slaVipRevisit: 'P7D' }, 'find-vip-accounts');
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('all-revisited:ELEMENT_COMPLETED');
  const revisitJobs = await stream.where(and(inInstance(key), ofType('JOB'), (r) => r.value.elementId === 'revisit'));
  expect(revisitJobs).toEqual([]);
});
