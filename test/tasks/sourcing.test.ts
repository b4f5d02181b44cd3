/**
 * Task sourcing on the embedded engine: user-task jobs become `tasks` rows through zeebe-node, completing one
 * through the store moves the instance on, and a job that disappears (instance cancelled, interrupting timer,
 * completed elsewhere) takes its task out of the inbox, read from the engine's records. A job timed out and
 * activated again keeps its row; restarting sourcing loses nothing and shows nothing twice.
 */
import { createWorkOrder, findWorkOrder, workOrderEvents } from '../../db/workOrders';
import { startTaskSourcing, type RunningTaskSourcing } from '../../server/tasks';
import { claimTask, completeTask, getTask, listTasks, PRIORITY, unclaimTask } from '../../server/tasks/taskStore';
import { deployXml, waitFor } from '../support/engineHarness';
import { usePlatform } from '../support/platformHarness';
import { waitForCompletion } from '../support/records';
import { insertCenters, insertUser, TASK_NAME, userTaskModel } from './fixtures';
import type { SessionUser } from '../../server/auth/sessionUser';

const suite = usePlatform({ workers: [], seed: false });
const JOB_TIMEOUT_MS = 10 * 60_000;
let sourcing: RunningTaskSourcing;
let handler: SessionUser;

function start(): Promise<RunningTaskSourcing> {
  return startTaskSourcing({
    knex: suite.knex,
    zbc: suite.zbc,
    mailer: suite.mailer,
    mode: 'records',
    now: suite.now,
    jobTimeoutMs: JOB_TIMEOUT_MS,
    pollTimeoutMs: 200,
    removalIntervalMs: 50,
    digestIntervalMs: 3_600_000,
    mailIntervalMs: 3_600_000,
  });
}

describe('task sourcing', () => {
  beforeAll(async () => {
    await insertCenters(suite.knex);
    await deployXml(suite.zbc, 'sourcing-test.bpmn', userTaskModel('sourcing-test'));
    await deployXml(suite.zbc, 'sourcing-timer.bpmn', userTaskModel('sourcing-timer', { timer: 'PT1H' }));
    handler = await insertUser(suite.knex, { username: 'gz-handler', roles: ['city-handler'], centers: ['gz'] });
    sourcing = await start();
  });

  // Sourcing stops before the platform's engine and clients do.
  afterAll(async () => {
    await sourcing?.close();
  });

  async function startInstance(processId: string, variables: Record<string, unknown> = {}): Promise<string> {
    const { processInstanceKey } = await suite.zbc.createProcessInstance({
      bpmnProcessId: processId,
      variables: { cityCode: 'gz', dueAt: new Date(suite.now().getTime() + 86_400_000).toISOString(), ...variables },
    });
    return processInstanceKey;
  }

  function taskRowOf(processInstanceKey: string) {
    return suite.knex('tasks').where({ process_instance_key: processInstanceKey }).first();
  }

  function sourced(processInstanceKey: string) {
    return waitFor(() => taskRowOf(processInstanceKey), { description: `the task of instance ${processInstanceKey}` });
  }

  function removed(processInstanceKey: string) {
    return waitFor(async () => {
      const row = await taskRowOf(processInstanceKey);
      return row?.state === 'removed' ? row : undefined;
    }, { description: `the task of instance ${processInstanceKey} removed` });
  }

  it('keeps an activated user task with its name, form, groups, dates, priority, work order, customer and center', async () => {
    const dueAt = new Date(suite.now().getTime() + 3 * 86_400_000);
    const customer = { id: 42, phone: '18600000001' };
    const instance = await startInstance('sourcing-test', {
      dueAt: dueAt.toISOString(),
      workOrderId: 'GZ-TEST-1',
      customerId: customer.id,
      phoneNumber: customer.phone,
      urgency: 'urgent',
    });
    const row = await sourced(instance);
    const task = await getTask(suite.knex, handler, row.job_key);
    expect(task).toMatchObject({
      processInstanceKey: instance,
      bpmnProcessId: 'sourcing-test',
      elementId: 'handle',
      // Not in any file of processes/: it can only come from the deployed model.
      name: TASK_NAME,
      formKey: 'city-complaint-handle',
      candidateGroups: ['city-gz'],
      assignee: null,
      priority: PRIORITY.high,
      workOrderNumber: 'GZ-TEST-1',
      customerId: customer.id,
      customerNumber: customer.phone,
      centerCode: 'gz',
      state: 'open',
      claimedAt: null,
    });
    expect(task.processDefinitionKey).toMatch(/^\d+$/);
    expect(new Date(task.dueAt!).getTime()).toBe(dueAt.getTime());
    expect(task.variables).toMatchObject({ cityCode: 'gz', workOrderId: 'GZ-TEST-1' });
  });

  it('a normal task without a priority variable has medium priority; a priority variable wins', async () => {
    const normal = await sourced(await startInstance('sourcing-test'));
    const explicit = await sourced(await startInstance('sourcing-test', { priority: 1, vip: true }));
    expect([normal.priority, explicit.priority]).toEqual([PRIORITY.medium, PRIORITY.low]);
  });

  it('completing through the store completes the job, moves the instance on and logs it on the work order', async () => {
    const order = await createWorkOrder(suite.knex, {
      channel: 'phone', category: 'complaint', state: 'dispatched', centerCode: 'gz', idempotencyKey: 'sourcing-test:order', actor: 'test', now: suite.now(),
    });
    const instance = await startInstance('sourcing-test', { workOrderId: order.number });
    const row = await sourced(instance);
    await claimTask(suite.knex, handler, row.job_key, suite.now());
    const completed = await completeTask(suite.knex, suite.zbc, handler, row.job_key, { handled: true }, suite.now());
    expect(completed).toMatchObject({ state: 'completed', completedBy: 'gz-handler' });
    await waitForCompletion(suite.engine, instance);
    // The record reader sees the COMPLETED record afterwards and must leave the completion as it is.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await taskRowOf(instance)).toMatchObject({ state: 'completed', completed_by: 'gz-handler', removed_reason: null });
    const events = await workOrderEvents(suite.knex, (await findWorkOrder(suite.knex, order.number))!.id);
    expect(events.map((e) => e.action)).toEqual(['created', 'task-claimed', 'task-completed']);
    const audit = await suite.knex('audit_log').where({ target: row.job_key }).orderBy('id').pluck('action');
    expect(audit).toEqual(['task.claim', 'task.complete']);
  });

  it('removes the task of a cancelled instance', async () => {
    const instance = await startInstance('sourcing-test');
    await sourced(instance);
    await suite.zbc.cancelProcessInstance(instance);
    expect(await removed(instance)).toMatchObject({ removed_reason: 'canceled' });
  });

  it('removes a task interrupted by a timer boundary event', async () => {
    const instance = await startInstance('sourcing-timer');
    await sourced(instance);
    await suite.advanceClock(61 * 60_000);
    expect(await removed(instance)).toMatchObject({ removed_reason: 'canceled' });
    await waitForCompletion(suite.engine, instance);
  });

  it('removes a task whose job someone else completed', async () => {
    const instance = await startInstance('sourcing-test');
    const row = await sourced(instance);
    await suite.zbc.completeJob({ jobKey: row.job_key, variables: {} });
    expect(await removed(instance)).toMatchObject({ removed_reason: 'completed-elsewhere' });
  });

  it('keeps one row, with its claim, for a job that timed out and was activated again', async () => {
    const instance = await startInstance('sourcing-test');
    const row = await sourced(instance);
    await claimTask(suite.knex, handler, row.job_key, suite.now());
    await suite.advanceClock(JOB_TIMEOUT_MS + 60_000);
    const timedOut = await waitFor(async () => (await suite.engine.recordsOf(instance)).find((r) => r.valueType === 'JOB' && r.intent === 'TIMED_OUT'), {
      description: 'the job timed out',
    });
    await waitFor(async () => {
      const batches = await suite.engine.records.byPositionRange(timedOut.position, Number.MAX_SAFE_INTEGER, { valueTypes: ['JOB_BATCH'] });
      return batches.some((batch) => (batch.value.jobKeys as string[]).includes(row.job_key));
    }, { description: 'the job activated again' });
    const rows = await suite.knex('tasks').where({ process_instance_key: instance });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ job_key: row.job_key, state: 'open', assignee: 'gz-handler' });
  });

  it('loses nothing and shows nothing twice across a restart of sourcing', async () => {
    const kept = await startInstance('sourcing-test');
    const keptRow = await sourced(kept);
    await sourcing.close();
    // While sourcing is down: one task's instance is cancelled, one new task is created.
    const cancelled = await startInstance('sourcing-test');
    const before = await startInstance('sourcing-test');
    sourcing = await start();
    const cancelledRow = await sourced(cancelled);
    await suite.zbc.cancelProcessInstance(cancelled);
    await sourcing.close();
    const afterRestart = await startInstance('sourcing-test');
    sourcing = await start();
    await sourced(before);
    await sourced(afterRestart);
    expect(await removed(cancelled)).toMatchObject({ job_key: cancelledRow.job_key, removed_reason: 'canceled' });
    expect(await taskRowOf(kept)).toMatchObject({ job_key: keptRow.job_key, state: 'open' });
    const perInstance = await suite.knex('tasks').whereIn('process_instance_key', [kept, cancelled, before, afterRestart]).count({ n: '*' }).groupBy('process_instance_key');
    expect(perInstance.map((r) => Number(r.n))).toEqual([1, 1, 1, 1]);
  });

  it('keeps the per-list counts right through sourcing, claim, unclaim, completion and removal', async () => {
    const counts = async () => (await listTasks(suite.knex, handler, { list: 'groups' }, suite.now())).counts;
    const before = await counts();
    const completed = await startInstance('sourcing-test');
    const cancelled = await startInstance('sourcing-test');
    const completedRow = await sourced(completed);
    await sourced(cancelled);
    expect(await counts()).toEqual({ ...before, groups: before.groups + 2, unassigned: before.unassigned + 2 });
    await claimTask(suite.knex, handler, completedRow.job_key, suite.now());
    expect(await counts()).toEqual({ ...before, mine: before.mine + 1, groups: before.groups + 2, unassigned: before.unassigned + 1 });
    await unclaimTask(suite.knex, handler, completedRow.job_key, suite.now());
    await claimTask(suite.knex, handler, completedRow.job_key, suite.now());
    await completeTask(suite.knex, suite.zbc, handler, completedRow.job_key, {}, suite.now());
    await suite.zbc.cancelProcessInstance(cancelled);
    await removed(cancelled);
    expect(await counts()).toEqual(before);

    // Whatever wrote the tasks in this suite, every open task is counted once, under its groups, center and assignee.
    type Counted = { candidate_groups: string[]; center_code: string; assignee: string | null; open_tasks: string | number };
    const key = (r: Counted) => `${JSON.stringify(r.candidate_groups)} ${r.center_code} ${r.assignee ?? '-'} ${Number(r.open_tasks)}`;
    const counted: Counted[] = await suite.knex('open_task_counts').where('open_tasks', '>', 0).select('candidate_groups', 'center_code', 'assignee', 'open_tasks');
    const recounted: Counted[] = await suite.knex('tasks').where('state', 'open').groupBy('candidate_groups', 'center_code', 'assignee')
      .select('candidate_groups', 'center_code', 'assignee').count<Counted[]>({ open_tasks: '*' });
    expect(recounted.length).toBeGreaterThan(0);
    expect(counted.map(key).sort()).toEqual(recounted.map(key).sort());
  });
});
