/**
 * Task removal without records, as on a Camunda 8 cluster: the probe asks the gateway for each open task's job
 * (UpdateJobRetries at unchanged retries) and removes the tasks whose job is gone (NOT_FOUND); completing a task
 * whose job is gone answers TaskGone and removes it as well.
 */
import type { SessionUser } from '../../server/auth/sessionUser';
import { isNotFound, probeOpenTasks, startTaskSourcing, type RunningTaskSourcing } from '../../server/tasks';
import { claimTask, completeTask, TaskGone } from '../../server/tasks/taskStore';
import { deployXml, waitFor } from '../support/engineHarness';
import { usePlatform } from '../support/platformHarness';
import { insertCenters, insertUser, userTaskModel } from './fixtures';

const suite = usePlatform({ workers: [], seed: false });
let sourcing: RunningTaskSourcing;
let handler: SessionUser;

describe('task removal by probing the gateway', () => {
  beforeAll(async () => {
    await insertCenters(suite.knex);
    await deployXml(suite.zbc, 'probe-test.bpmn', userTaskModel('probe-test'));
    handler = await insertUser(suite.knex, { username: 'gz-probe', roles: ['city-handler'], centers: ['gz'] });
    sourcing = await startTaskSourcing({
      knex: suite.knex,
      zbc: suite.zbc,
      mailer: suite.mailer,
      mode: 'probe',
      now: suite.now,
      pollTimeoutMs: 200,
      // The test probes by hand.
      removalIntervalMs: 3_600_000,
      digestIntervalMs: 3_600_000,
      mailIntervalMs: 3_600_000,
    });
  });

  afterAll(async () => {
    await sourcing?.close();
  });

  async function sourcedTask(): Promise<{ instance: string; jobKey: string }> {
    const { processInstanceKey: instance } = await suite.zbc.createProcessInstance({
      bpmnProcessId: 'probe-test',
      variables: { cityCode: 'gz', dueAt: new Date(suite.now().getTime() + 86_400_000).toISOString() },
    });
    const row = await waitFor(() => suite.knex('tasks').where({ process_instance_key: instance }).first(), { description: 'the task' });
    return { instance, jobKey: row.job_key };
  }

  const stateOf = async (jobKey: string) => suite.knex('tasks').where({ job_key: jobKey }).first('state', 'removed_reason');

  it('the gateway answers NOT_FOUND for UpdateJobRetries on the job of a cancelled instance, OK for a live one', async () => {
    const gone = await sourcedTask();
    const live = await sourcedTask();
    await suite.zbc.cancelProcessInstance(gone.instance);
    const error = await suite.zbc.updateJobRetries({ jobKey: gone.jobKey, retries: 3 }).then(() => undefined, (e: unknown) => e);
    expect(isNotFound(error)).toBe(true);
    await expect(suite.zbc.updateJobRetries({ jobKey: live.jobKey, retries: 3 })).resolves.toEqual({});
  });

  it('removes the tasks whose job is gone and leaves the others open', async () => {
    const gone = await sourcedTask();
    const live = await sourcedTask();
    await suite.zbc.cancelProcessInstance(gone.instance);
    // No record reader runs in probe mode: the task is still open until probed.
    expect(await stateOf(gone.jobKey)).toEqual({ state: 'open', removed_reason: null });
    expect(await probeOpenTasks(suite.knex, suite.zbc, suite.now())).toBeGreaterThanOrEqual(1);
    expect(await stateOf(gone.jobKey)).toEqual({ state: 'removed', removed_reason: 'job-not-found' });
    expect(await stateOf(live.jobKey)).toEqual({ state: 'open', removed_reason: null });
  });

  it('completing a task whose job is gone answers TaskGone and removes the task', async () => {
    const gone = await sourcedTask();
    await claimTask(suite.knex, handler, gone.jobKey, suite.now());
    await suite.zbc.cancelProcessInstance(gone.instance);
    await expect(completeTask(suite.knex, suite.zbc, handler, gone.jobKey, {}, suite.now())).rejects.toBeInstanceOf(TaskGone);
    expect(await stateOf(gone.jobKey)).toEqual({ state: 'removed', removed_reason: 'job-not-found' });
  });
});
