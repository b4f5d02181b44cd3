/**
 * complaint (规范 7.4 with 8.1 and 6.2): registered by the agent, resolved on the spot or acknowledged and dispatched to
 * the city center (city-complaint), reviewed by the province back office, answered, called back and archived. The
 * service tasks are done by the real workers; the tests complete the human steps as the forms would and check the
 * work order, the outbox and the mail.
 */
import { findWorkOrder, workOrderEvents, type WorkOrder } from '../../db/workOrders';
import { slaValue } from '../../db/slaConfig';
import { startInstance } from '../support/bpmn';
import { waitFor } from '../support/engineHarness';
import { usePlatform } from '../support/platformHarness';
import { and, processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { complete, deployModels, dueDateOf } from './drive';

const suite = usePlatform();
const stream = recordStream(suite);

interface Customer { id: number; name: string; phone: string; email: string }
let customer: Customer;

beforeAll(async () => {
  await deployModels(suite.zbc, 'city-complaint', 'complaint', 'complaint-national');
  customer = await suite.knex('customers').where({ city_code: 'gz', vip: false }).whereNotNull('email').orderBy('id').first();
});

const registration = () => ({
  resolvedOnSpot: false,
  customerId: customer.id,
  phoneNumber: customer.phone,
  serviceLine: 'mobile',
  category: '网络质量',
  urgency: 'normal',
  kind: 'complaint',
  description: '家中室内信号差，通话经常中断。',
});

async function registered(variables: Record<string, unknown> = registration()) {
  const slaCallbackRetry = `PT${await slaValue(suite.knex, 'callback.retry_interval')}M`;
  const key = await startInstance(suite.zbc, 'complaint', { channel: 'phone', slaCallbackRetry });
  const register = await complete(suite.zbc, key, 'register', variables);
  expect(register.customHeaders['io.camunda.zeebe:formKey']).toBe('complaint-register');
  return key;
}

/** The work order the instance runs under (opened by auto-acknowledge, or by archive for a first-contact close). */
async function workOrderOf(key: string): Promise<WorkOrder> {
  const row = await suite.knex('work_orders').where({ process_instance_key: key }).first();
  return (await findWorkOrder(suite.knex, row.number))!;
}

const actionsOf = async (order: WorkOrder) => (await workOrderEvents(suite.knex, order.id)).map((e) => e.action);

/** The key of the n-th (1-based) city-complaint instance the complaint started. */
async function cityRound(key: string, n: number): Promise<string> {
  // Acknowledging and dispatching send mail first, which takes a while on a busy machine.
  const started = await waitFor(
    async () => {
      const rounds = await stream.where(and(processActivated('city-complaint'), (r) => r.value.parentProcessInstanceKey === key));
      return rounds.length >= n ? rounds : undefined;
    },
    { timeoutMs: 20_000, description: `city round ${n} of complaint ${key}` },
  );
  return started[n - 1].key;
}

async function cityReplies(key: string, round: number, expectedGroup = 'city-gz') {
  const city = await cityRound(key, round);
  const sign = await complete(suite.zbc, city, 'sign-for', { signedBy: `${expectedGroup}-handler` });
  expect(JSON.parse(String(sign.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual([expectedGroup]);
  await complete(suite.zbc, city, 'handle', { cityOutcome: 'replied', cause: '室内覆盖弱', resolution: '已加装室分', replyText: `第 ${round} 次回单：已加装室内分布系统。` });
}

const callBack = (key: string, result: Record<string, unknown>) => complete(suite.zbc, key, 'callback', result);

const smsTo = (phone: string, order: WorkOrder) => suite.knex('outbox').where({ recipient: phone, channel: 'sms', work_order_id: order.id }).orderBy('id');

it('resolved on the spot: archived at once as a first-contact work order, nothing dispatched', async () => {
  const key = await registered({ ...registration(), resolvedOnSpot: true });
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('resolved-on-spot:ELEMENT_COMPLETED');
  expect(steps).not.toContain('acknowledge:ELEMENT_ACTIVATED');
  const order = await workOrderOf(key);
  expect(order).toMatchObject({ state: 'archived', center_code: 'gd', customer_id: customer.id, category: '网络质量' });
  expect(await actionsOf(order)).toEqual(['created', 'archived']);
  expect(await suite.knex('outbox').where({ work_order_id: order.id })).toHaveLength(0);
});

it('acknowledged, dispatched to the city of the number, approved, answered, called back satisfied and archived', async () => {
  const key = await registered();
  await cityReplies(key, 1);
  const order = await workOrderOf(key);
  expect(order).toMatchObject({ state: 'dispatched', center_code: 'gz', urgency: 'normal' });
  const [dispatchMail] = (await suite.caughtMail()).filter((m) => m.rcptTo.includes('city-gz@service.example.cn') && m.subject.includes(order.number));
  expect(dispatchMail.subject).toContain('【派单】');

  const review = await complete(suite.zbc, key, 'review', { reviewApproved: true });
  expect(JSON.parse(String(review.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['backoffice']);
  // Due by the reply time auto-acknowledge promised: 48 h for a normal complaint (SLA configuration).
  const replyDueAt = String((review.variables as { replyDueAt: string }).replyDueAt);
  expect(dueDateOf(review)).toBe(Date.parse(replyDueAt));
  expect(Date.parse(replyDueAt) - order.created_at.getTime()).toBe((await slaValue(suite.knex, 'complaint.deadline.normal')) * 60_000);
  expect(review.variables).toMatchObject({ cityOutcome: 'replied', resolution: '已加装室分', workOrderId: order.number });

  const callback = await callBack(key, { reached: true, satisfaction: '满意' });
  expect(JSON.parse(String(callback.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['outbound-agent']);
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('complaint-closed:ELEMENT_COMPLETED');
  expect(steps).not.toContain('escalate-national:ELEMENT_ACTIVATED');

  const archived = await workOrderOf(key);
  expect(archived.state).toBe('archived');
  expect(archived.archived_at).toBeInstanceOf(Date);
  expect(await actionsOf(archived)).toEqual(['created', 'dispatched', 'archived']);
  // The receipt with the number, then the answer with the city's reply text.
  const sms = await smsTo(customer.phone, archived);
  expect(sms.map((row) => row.body)).toEqual([expect.stringContaining(`工单号 ${order.number}`), expect.stringContaining('第 1 次回单')]);
  const mails = (await suite.caughtMail()).filter((m) => m.rcptTo.includes(customer.email.toLowerCase()) && m.subject.includes(order.number));
  expect(mails.map((m) => m.subject).sort()).toEqual([`您的投诉处理结果（工单 ${order.number}）`, `您的来件已受理（工单 ${order.number}）`]);
});

it('misrouted (退单) and re-dispatched; the review returns the reply once; the customer is unreachable three times', async () => {
  const key = await registered();
  const wrongCity = await cityRound(key, 1);
  await complete(suite.zbc, wrongCity, 'sign-for');
  await complete(suite.zbc, wrongCity, 'handle', { cityOutcome: 'misrouted', returnReason: '客户实际在佛山使用' });

  const redispatch = await complete(suite.zbc, key, 'redispatch', { cityCode: 'fs' });
  expect(redispatch.customHeaders['io.camunda.zeebe:formKey']).toBe('complaint-redispatch');
  await cityReplies(key, 2, 'city-fs');
  expect((await workOrderOf(key)).center_code).toBe('fs');
  await complete(suite.zbc, key, 'review', { reviewApproved: false, returnReason: '未说明补偿方案' });
  await cityReplies(key, 3, 'city-fs');
  await complete(suite.zbc, key, 'review', { reviewApproved: true });

  const retryMs = (await slaValue(suite.knex, 'callback.retry_interval')) * 60_000;
  for (let attempt = 1; attempt <= 3; attempt++) {
    await callBack(key, { reached: false });
    if (attempt < 3) await suite.advanceClock(retryMs + 60_000);
  }
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps.filter((s) => s === 'retry-wait:ELEMENT_COMPLETED')).toHaveLength(2);
  expect(steps).toContain('flow-attempts-exhausted:SEQUENCE_FLOW_TAKEN');

  const order = await workOrderOf(key);
  expect(order.state).toBe('archived');
  const events = await workOrderEvents(suite.knex, order.id);
  expect(events.filter((e) => e.action === 'dispatched').map((e) => e.note)).toEqual(['派至广州市客户服务中心', '派至佛山市客户服务中心']);
  // The answer quotes the reply the review approved.
  const [answer] = (await smsTo(customer.phone, order)).slice(-1);
  expect(answer.body).toContain('第 3 次回单');
});

it('dissatisfied: reopened once, dissatisfied again escalates to the national center', async () => {
  const key = await registered();
  await cityReplies(key, 1);
  await complete(suite.zbc, key, 'review', { reviewApproved: true });
  await callBack(key, { reached: true, satisfaction: '不满意' });

  await cityReplies(key, 2);
  await complete(suite.zbc, key, 'review', { reviewApproved: true });
  await callBack(key, { reached: true, satisfaction: '不满意' });
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps.filter((s) => s === 'flow-reopen:SEQUENCE_FLOW_TAKEN')).toHaveLength(1);
  expect(steps).toContain('escalate-national:ELEMENT_COMPLETED');

  const order = await workOrderOf(key);
  expect(await actionsOf(order)).toEqual(['created', 'dispatched', 'dispatched', 'escalated', 'archived']);
  const [national] = await stream.waitFor(processActivated('complaint-national'), { description: 'the complaint-national instance' });
  const register = await complete(suite.zbc, national.key, 'register', {});
  expect(register.variables).toMatchObject({ workOrderId: order.number, provinceCode: 'gd', customerPhone: customer.phone, category: '网络质量' });
});
