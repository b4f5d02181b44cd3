/**
 * complaint-national (规范 6.2): the national center registers a complaint; dispatch-to-province opens the work order
 * at the province and starts the province's complaint (origin national), whose archive step reports the result back
 * by work-order number. A province too slow is chased by the national supervisor while the wait goes on; the national
 * review approves (reply, callback, archive) or dispatches the complaint again.
 */
import type { Job } from 'zeebe-node';
import { slaValue } from '../../db/slaConfig';
import { findWorkOrder, workOrderEvents } from '../../db/workOrders';
import { startInstance } from '../support/bpmn';
import { waitFor } from '../support/engineHarness';
import { usePlatform } from '../support/platformHarness';
import { and, processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { complete, deployModels, takeJob } from './drive';

const suite = usePlatform();
const stream = recordStream(suite);
let customer: { id: number; phone: string; email: string | null };

beforeAll(async () => {
  await deployModels(suite.zbc, 'city-complaint', 'complaint', 'complaint-national');
  customer = await suite.knex('customers').where({ city_code: 'gz', vip: false }).orderBy('id').first();
});

const groupsOf = (job: Job) => JSON.parse(String(job.customHeaders['io.camunda.zeebe:candidateGroups'])) as unknown;

/** Registers a complaint at the national center; dispatch-to-province hands it to 广东. Resolves with key and work order. */
async function dispatched() {
  const slaNationalProvince = `PT${await slaValue(suite.knex, 'complaint.deadline.normal')}M`;
  const key = await startInstance(suite.zbc, 'complaint-national', { origin: 'regulator', slaNationalProvince });
  const register = await complete(suite.zbc, key, 'register', { customerPhone: customer.phone, category: '网络质量', description: '工信部转办：用户反映小区信号长期不佳。' });
  expect(register.customHeaders['io.camunda.zeebe:formKey']).toBe('complaint-national-register');
  expect(groupsOf(register)).toEqual(['national-agent']);
  const [round] = await provinceRounds(key, 1);
  const workOrderId = String(round.workOrderId);
  expect(await findWorkOrder(suite.knex, workOrderId)).toMatchObject({ center_code: 'gd', customer_id: customer.id, state: 'dispatched-province' });
  return { key, workOrderId };
}

/** The province's complaint instances started for the national instance `key` (by its work order), once there are `n`. */
async function provinceRounds(key: string, n: number): Promise<{ key: string; workOrderId: unknown }[]> {
  const national = await waitFor(async () => (await stream.where((r) => r.valueType === 'VARIABLE' && r.value.name === 'workOrderId' && String(r.processInstanceKey) === key))[0], {
    timeoutMs: 20_000,
    description: `the work order of national complaint ${key}`,
  });
  const workOrderValue = national.value.value;
  return waitFor(
    async () => {
      const complaints = (await stream.where(processActivated('complaint'))).map((r) => r.key);
      const withOrder = await stream.where((r) => r.valueType === 'VARIABLE' && r.value.name === 'workOrderId' && r.value.value === workOrderValue);
      const rounds = complaints.filter((c) => withOrder.some((r) => String(r.processInstanceKey) === c));
      return rounds.length >= n ? rounds.map((c) => ({ key: c, workOrderId: JSON.parse(String(workOrderValue)) })) : undefined;
    },
    { timeoutMs: 20_000, description: `province round ${n} of national complaint ${key}` },
  );
}

/** The province's agent settles the complaint at once; its archive step reports `resolution` to the national center. */
async function provinceSettles(complaintKey: string, resolution: string) {
  const register = await complete(suite.zbc, complaintKey, 'register', { resolvedOnSpot: true, resolution });
  expect(register.variables).toMatchObject({ origin: 'national', customerId: customer.id });
  await waitForCompletion(suite.engine, complaintKey);
}

async function repliedCalledBackArchived(key: string, workOrderId: string) {
  const callback = await complete(suite.zbc, key, 'callback', { reached: true, satisfaction: '满意' });
  expect(callback.customHeaders['io.camunda.zeebe:formKey']).toBe('complaint-national-callback');
  const steps = trail(await waitForCompletion(suite.engine, key));
  const order = (await findWorkOrder(suite.knex, workOrderId))!;
  expect(order.state).toBe('archived');
  const [reply] = await suite.knex('outbox').where({ work_order_id: order.id, channel: 'sms' }).andWhere('body', 'like', '%全国客户服务中心%');
  expect(reply.recipient).toBe(customer.phone);
  return { steps, reply, order };
}

it('end to end: the province handles the complaint through its city, reports back, and the nation replies, calls back and archives', async () => {
  const { key, workOrderId } = await dispatched();
  const [province] = await provinceRounds(key, 1);
  await complete(suite.zbc, province.key, 'register', { resolvedOnSpot: false, phoneNumber: customer.phone, urgency: 'normal', kind: 'complaint' });
  const [city] = await waitFor(async () => stream.where(and(processActivated('city-complaint'), (r) => r.value.parentProcessInstanceKey === province.key)).then((c) => c[0] && c), {
    timeoutMs: 20_000,
    description: 'the city round of the province complaint',
  });
  await complete(suite.zbc, city.key, 'sign-for');
  await complete(suite.zbc, city.key, 'handle', { cityOutcome: 'replied', replyText: '已新增基站，信号恢复' });
  await complete(suite.zbc, province.key, 'review', { reviewApproved: true });
  await complete(suite.zbc, province.key, 'callback', { reached: true, satisfaction: '满意' });
  await waitForCompletion(suite.engine, province.key);

  const review = await complete(suite.zbc, key, 'national-review', { reviewApproved: true }, undefined, { timeoutMs: 20_000 });
  expect(review.customHeaders['io.camunda.zeebe:formKey']).toBe('complaint-national-review');
  expect(groupsOf(review)).toEqual(['national-agent']);
  expect(review.variables).toMatchObject({ provinceResult: '已新增基站，信号恢复', workOrderId });

  const { steps, reply, order } = await repliedCalledBackArchived(key, workOrderId);
  expect(reply.body).toContain('已新增基站，信号恢复');
  expect(steps).toContain('closed:ELEMENT_COMPLETED');
  expect(steps).not.toContain('province-overdue:ELEMENT_ACTIVATED');
  const actions = (await workOrderEvents(suite.knex, order.id)).map((e) => e.action);
  expect(actions).toEqual(['created', 'dispatched-to-province', 'acknowledged', 'dispatched', 'archived', 'archived']);
});

it('a slow province is chased by the national supervisor without ending the wait; a rejected result is dispatched again', async () => {
  const { key, workOrderId } = await dispatched();
  await expect(takeJob(suite.zbc, key, 'supervise', undefined, { timeoutMs: 1000 })).rejects.toThrow();
  await suite.advanceClock((await slaValue(suite.knex, 'complaint.deadline.normal')) * 60_000 + 60_000);
  const supervise = await complete(suite.zbc, key, 'supervise', { supervisionNote: '已电话督促广东省中心' });
  expect(supervise.customHeaders['io.camunda.zeebe:formKey']).toBe('complaint-national-supervise');
  expect(groupsOf(supervise)).toEqual(['national-supervisor']);

  const [first] = await provinceRounds(key, 1);
  await provinceSettles(first.key, '已解释');
  await complete(suite.zbc, key, 'national-review', { reviewApproved: false, reviewOpinion: '未解决信号问题' }, undefined, { timeoutMs: 20_000 });
  // Dispatched again: the same work order, a second province round.
  const [, second] = await provinceRounds(key, 2);
  expect(second.workOrderId).toBe(workOrderId);
  await provinceSettles(second.key, '已新增基站，信号恢复');
  const review = await complete(suite.zbc, key, 'national-review', { reviewApproved: true }, undefined, { timeoutMs: 20_000 });
  expect(review.variables).toMatchObject({ provinceResult: '已新增基站，信号恢复' });

  const { steps } = await repliedCalledBackArchived(key, workOrderId);
  expect(steps).toContain('supervised:ELEMENT_COMPLETED');
  expect(steps.filter((s) => s === 'dispatch-province:ELEMENT_COMPLETED')).toHaveLength(2);
  expect(steps).toContain('closed:ELEMENT_COMPLETED');
});
