/**
 * Who may do what with a task, through the real path: tasks sourced from the engine, completions through
 * zeebe-node. A city handler cannot see, claim or complete another city's task (it does not exist for them);
 * auditors read but change nothing; only team leads of the task's center assign, and only to an active member
 * of one of its groups; a task someone else holds cannot be claimed; completing needs a claim first.
 */
import type { SessionUser } from '../../server/auth/sessionUser';
import { startTaskSourcing, type RunningTaskSourcing } from '../../server/tasks';
import {
  assignTask, claimTask, completeTask, getTask, InvalidAssignee, listTasks, TaskConflict, TaskForbidden, TaskGone, TaskNotAssigned, TaskNotFound, throwTaskError, unclaimTask,
} from '../../server/tasks/taskStore';
import { deployXml, waitFor } from '../support/engineHarness';
import { usePlatform } from '../support/platformHarness';
import { waitForCompletion } from '../support/records';
import { insertCenters, insertUser, userTaskModel } from './fixtures';

const suite = usePlatform({ workers: [], seed: false });
let sourcing: RunningTaskSourcing;
const users: Record<'gz1' | 'gz2' | 'sz1' | 'auditor' | 'leadGz' | 'leadSz', SessionUser> = {} as never;

describe('task permissions', () => {
  beforeAll(async () => {
    await insertCenters(suite.knex);
    await deployXml(suite.zbc, 'permission-test.bpmn', userTaskModel('permission-test'));
    users.gz1 = await insertUser(suite.knex, { username: 'gz1', roles: ['city-handler'], centers: ['gz'] });
    users.gz2 = await insertUser(suite.knex, { username: 'gz2', roles: ['city-handler'], centers: ['gz'] });
    users.sz1 = await insertUser(suite.knex, { username: 'sz1', roles: ['city-handler'], centers: ['sz'] });
    users.auditor = await insertUser(suite.knex, { username: 'auditor1', roles: ['auditor'], centers: [] });
    users.leadGz = await insertUser(suite.knex, { username: 'lead-gz', roles: ['team-lead'], centers: ['gz'] });
    users.leadSz = await insertUser(suite.knex, { username: 'lead-sz', roles: ['team-lead'], centers: ['sz'] });
    await insertUser(suite.knex, { username: 'gz-inactive', roles: ['city-handler'], centers: ['gz'], active: false });
    sourcing = await startTaskSourcing({
      knex: suite.knex, zbc: suite.zbc, mailer: suite.mailer, mode: 'records', now: suite.now,
      pollTimeoutMs: 200, removalIntervalMs: 50, digestIntervalMs: 3_600_000, mailIntervalMs: 3_600_000,
    });
  });

  afterAll(async () => {
    await sourcing?.close();
  });

  async function cityTask(cityCode: string): Promise<{ instance: string; jobKey: string }> {
    const { processInstanceKey: instance } = await suite.zbc.createProcessInstance({
      bpmnProcessId: 'permission-test',
      variables: { cityCode, dueAt: new Date(suite.now().getTime() + 86_400_000).toISOString() },
    });
    const row = await waitFor(() => suite.knex('tasks').where({ process_instance_key: instance }).first(), { description: 'the task' });
    return { instance, jobKey: row.job_key };
  }

  const now = () => suite.now();

  it('a city-gz handler cannot see, claim or complete a city-sz task: it is not found for them', async () => {
    const { jobKey, instance } = await cityTask('sz');
    await expect(getTask(suite.knex, users.gz1, jobKey)).rejects.toBeInstanceOf(TaskNotFound);
    await expect(claimTask(suite.knex, users.gz1, jobKey, now())).rejects.toBeInstanceOf(TaskNotFound);
    await expect(completeTask(suite.knex, suite.zbc, users.gz1, jobKey, {}, now())).rejects.toBeInstanceOf(TaskNotFound);
    const lists = await listTasks(suite.knex, users.gz1, { list: 'groups' }, now());
    expect(lists.tasks.map((t) => t.jobKey)).not.toContain(jobKey);
    // The sz handler works it.
    await claimTask(suite.knex, users.sz1, jobKey, now());
    await completeTask(suite.knex, suite.zbc, users.sz1, jobKey, { result: 'done' }, now());
    await waitForCompletion(suite.engine, instance);
  });

  it('a forged task key is not found', async () => {
    for (const forged of ['abc', '1 or 1=1', '99999999999999999999', '2251799813999999']) {
      await expect(getTask(suite.knex, users.gz1, forged)).rejects.toBeInstanceOf(TaskNotFound);
    }
  });

  it('an auditor sees every task but cannot claim, complete or assign it', async () => {
    const { jobKey } = await cityTask('gz');
    await expect(getTask(suite.knex, users.auditor, jobKey)).resolves.toMatchObject({ jobKey });
    await expect(claimTask(suite.knex, users.auditor, jobKey, now())).rejects.toBeInstanceOf(TaskForbidden);
    await expect(assignTask(suite.knex, users.auditor, jobKey, 'gz1', now())).rejects.toBeInstanceOf(TaskForbidden);
    await claimTask(suite.knex, users.gz1, jobKey, now());
    await expect(completeTask(suite.knex, suite.zbc, users.auditor, jobKey, {}, now())).rejects.toBeInstanceOf(TaskForbidden);
    await expect(throwTaskError(suite.knex, suite.zbc, users.auditor, jobKey, 'MISROUTED', 'x', {}, now())).rejects.toBeInstanceOf(TaskForbidden);
    expect(await suite.knex('tasks').where({ job_key: jobKey }).first('state', 'assignee')).toEqual({ state: 'open', assignee: 'gz1' });
  });

  it('claiming a task someone else holds is a conflict; completing needs the claim', async () => {
    const { jobKey } = await cityTask('gz');
    await expect(completeTask(suite.knex, suite.zbc, users.gz1, jobKey, {}, now())).rejects.toBeInstanceOf(TaskNotAssigned);
    await claimTask(suite.knex, users.gz1, jobKey, now());
    await expect(claimTask(suite.knex, users.gz1, jobKey, now())).resolves.toMatchObject({ assignee: 'gz1' });
    await expect(claimTask(suite.knex, users.gz2, jobKey, now())).rejects.toBeInstanceOf(TaskConflict);
    await expect(completeTask(suite.knex, suite.zbc, users.gz2, jobKey, {}, now())).rejects.toBeInstanceOf(TaskConflict);
    await expect(unclaimTask(suite.knex, users.gz2, jobKey, now())).rejects.toBeInstanceOf(TaskForbidden);
    await unclaimTask(suite.knex, users.gz1, jobKey, now());
    await expect(claimTask(suite.knex, users.gz2, jobKey, now())).resolves.toMatchObject({ assignee: 'gz2' });
  });

  it('only a team lead of the task\'s center assigns, and only to an active member of its groups', async () => {
    const { jobKey, instance } = await cityTask('gz');
    await expect(assignTask(suite.knex, users.gz1, jobKey, 'gz2', now())).rejects.toBeInstanceOf(TaskForbidden);
    // Another center's lead does not even see it.
    await expect(assignTask(suite.knex, users.leadSz, jobKey, 'gz2', now())).rejects.toBeInstanceOf(TaskNotFound);
    await expect(assignTask(suite.knex, users.leadGz, jobKey, 'sz1', now())).rejects.toBeInstanceOf(InvalidAssignee);
    await expect(assignTask(suite.knex, users.leadGz, jobKey, 'gz-inactive', now())).rejects.toBeInstanceOf(InvalidAssignee);
    await expect(assignTask(suite.knex, users.leadGz, jobKey, 'nobody', now())).rejects.toBeInstanceOf(InvalidAssignee);
    await expect(assignTask(suite.knex, users.leadGz, jobKey, 'gz2', now())).resolves.toMatchObject({ assignee: 'gz2', assignedBy: 'lead-gz' });
    // The lead can reassign a held task; the former holder then cannot complete it.
    await assignTask(suite.knex, users.leadGz, jobKey, 'gz1', now());
    await expect(completeTask(suite.knex, suite.zbc, users.gz2, jobKey, {}, now())).rejects.toBeInstanceOf(TaskConflict);
    await completeTask(suite.knex, suite.zbc, users.gz1, jobKey, {}, now());
    await waitForCompletion(suite.engine, instance);
    await expect(claimTask(suite.knex, users.gz2, jobKey, now())).rejects.toBeInstanceOf(TaskGone);
    const audit = await suite.knex('audit_log').where({ target: jobKey }).orderBy('id').select('actor', 'action');
    expect(audit).toEqual([
      { actor: 'lead-gz', action: 'task.assign' },
      { actor: 'lead-gz', action: 'task.assign' },
      { actor: 'gz1', action: 'task.complete' },
    ]);
  });
});
