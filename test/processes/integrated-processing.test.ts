/**
 * integrated-processing (规范 7.13 / 4.11): the back office assigns departments, which handle the work order in
 * parallel (会签); a department may transfer it to another (转派) or return it to the back office (退回); the team
 * lead reviews all opinions and approves (archive) or sends it back for a new assignment.
 */
import type { Job } from 'zeebe-node';
import { createWorkOrder, findWorkOrder, workOrderEvents } from '../../db/workOrders';
import { startInstance } from '../support/bpmn';
import { usePlatform } from '../support/platformHarness';
import { recordStream, trail, waitForCompletion } from '../support/records';
import { complete, deployModels, dueDateOf } from './drive';

const suite = usePlatform();
const stream = recordStream(suite);
const HOUR = 3600_000;
let requests = 0;

beforeAll(() => deployModels(suite.zbc, 'integrated-processing'));

const forDepartment = (department: string) => (job: Job) => (job.variables as { department?: string }).department === department;

/** A request auto-reply acknowledged (its work order open, reply promised in 48 h) that needs a person. */
async function received() {
  const now = await stream.engineNow();
  const replyDueAt = new Date(now + 48 * HOUR);
  const content = '家里宽带从昨晚起无法上网，请尽快派人维修。';
  const order = await createWorkOrder(suite.knex, {
    channel: 'web', category: 'repair', state: 'acknowledged', description: content, centerCode: 'gd', slaDeadline: replyDueAt,
    idempotencyKey: `integrated-processing-test-${++requests}`, actor: 'test', now: new Date(now),
  });
  const key = await startInstance(suite.zbc, 'integrated-processing', { workOrderId: order.number, category: 'repair', content, replyDueAt: replyDueAt.toISOString() });
  return { key, replyDueAt: replyDueAt.toISOString(), workOrderId: order.number };
}

/** The archive worker closed the work order. */
async function expectArchived(workOrderId: string) {
  const order = (await findWorkOrder(suite.knex, workOrderId))!;
  expect(order.state).toBe('archived');
  expect(order.archived_at).toBeInstanceOf(Date);
  expect((await workOrderEvents(suite.knex, order.id)).map((e) => e.action)).toEqual(['created', 'archived']);
}

/** Completes one department's handling task (picked by its department) with its outcome; resolves with the job. */
function handle(key: string, department: string, outcome: Record<string, unknown>) {
  return complete(suite.zbc, key, 'handle-department', outcome, undefined, { match: forDepartment(department) });
}

const groupsOf = (job: Job) => JSON.parse(String(job.customHeaders['io.camunda.zeebe:candidateGroups'])) as unknown;

it('departments co-handle in parallel, a transfer goes to the named department, and the team lead reviews every opinion', async () => {
  const { key, replyDueAt, workOrderId } = await received();
  const assign = await complete(suite.zbc, key, 'assign-departments', { departments: ['city-gz', 'vip-manager'] });
  expect(assign.customHeaders['io.camunda.zeebe:formKey']).toBe('integrated-processing-assign');
  expect(groupsOf(assign)).toEqual(['backoffice']);
  expect(dueDateOf(assign)).toBe(Date.parse(replyDueAt));

  const gz = await handle(key, 'city-gz', { handlingOutcome: 'handled', handlingOpinion: '已派装维上门修复' });
  expect(gz.customHeaders['io.camunda.zeebe:formKey']).toBe('integrated-processing-handle');
  expect(groupsOf(gz)).toEqual(['city-gz']);
  expect(dueDateOf(gz)).toBe(Date.parse(replyDueAt));
  const vip = await handle(key, 'vip-manager', { handlingOutcome: 'transfer', handlingOpinion: '非大客户，转深圳', transferTo: 'city-sz' });
  expect(groupsOf(vip)).toEqual(['vip-manager']);

  const sz = await handle(key, 'city-sz', { handlingOutcome: 'handled', handlingOpinion: '已回访客户' });
  expect(groupsOf(sz)).toEqual(['city-sz']);

  const review = await complete(suite.zbc, key, 'team-lead-review', { reviewApproved: true, resolution: '已修复并回访' });
  expect(review.customHeaders['io.camunda.zeebe:formKey']).toBe('integrated-processing-review');
  expect(groupsOf(review)).toEqual(['team-lead']);
  expect((review.variables as { handlingResults: unknown }).handlingResults).toEqual([
    { department: 'city-gz', outcome: 'handled', opinion: '已派装维上门修复', transferTo: null },
    { department: 'city-sz', outcome: 'handled', opinion: '已回访客户', transferTo: null },
  ]);

  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('transferred:ELEMENT_COMPLETED');
  expect(steps).toContain('closed:ELEMENT_COMPLETED');
  await expectArchived(workOrderId);
});

it('a returned work order and one the team lead sends back both go to the back office for a new assignment', async () => {
  const { key, workOrderId } = await received();
  await complete(suite.zbc, key, 'assign-departments', { departments: ['city-gz'] });
  await handle(key, 'city-gz', { handlingOutcome: 'return', handlingOpinion: '不属本部门' });

  const reassign = await complete(suite.zbc, key, 'assign-departments', { departments: ['city-fs'] });
  expect((reassign.variables as { departmentResults: unknown }).departmentResults).toEqual([
    { department: 'city-gz', outcome: 'return', opinion: '不属本部门', transferTo: null },
  ]);
  await handle(key, 'city-fs', { handlingOutcome: 'handled', handlingOpinion: '处理意见过于简单' });
  await complete(suite.zbc, key, 'team-lead-review', { reviewApproved: false, reviewOpinion: '请补充处理过程' });

  await complete(suite.zbc, key, 'assign-departments', { departments: ['city-fs'] });
  await handle(key, 'city-fs', { handlingOutcome: 'handled', handlingOpinion: '已上门处理并补充过程说明' });
  const review = await complete(suite.zbc, key, 'team-lead-review', { reviewApproved: true });
  // A new assignment starts the opinions afresh: only this round's reach the review.
  expect((review.variables as { handlingResults: unknown }).handlingResults).toEqual([
    { department: 'city-fs', outcome: 'handled', opinion: '已上门处理并补充过程说明', transferTo: null },
  ]);
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps.filter((s) => s === 'assign-departments:ELEMENT_COMPLETED')).toHaveLength(3);
  expect(steps).not.toContain('transferred:ELEMENT_ACTIVATED');
  expect(steps).toContain('closed:ELEMENT_COMPLETED');
  await expectArchived(workOrderId);
});
