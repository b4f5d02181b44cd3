/**
 * manual-acceptance (规范 7.7) with the real workers on the demo data: the agent's call record closes the call, or
 * routes it by request type to its business flow, whose automated steps leave work orders, notices and line
 * changes behind.
 */
import { startInstance } from '../support/bpmn';
import { usePlatform } from '../support/platformHarness';
import { and, processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { billedMonths, seededBill, seededCustomer, type SeededCustomer } from '../workers/bill-lookup.seed';
import { complete, deployModels, dueDateOf } from './drive';

const suite = usePlatform();
const stream = recordStream(suite);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

beforeAll(() => deployModels(suite.zbc, 'manual-acceptance', 'consultation', 'complaint', 'city-complaint', 'service-order', 'bill-inquiry', 'emergency'));

const ordinaryCustomer = () => seededCustomer(suite.knex, (q) => q.where({ 'c.vip': false, 'c.credit_class': 'A' }).whereNotNull('c.email'));

/** The call as phone-intake hands it over: the caller as identify-customer found them, the starter's time limits. */
async function answerCall(customer: SeededCustomer) {
  return startInstance(suite.zbc, 'manual-acceptance', {
    phoneNumber: customer.phone,
    customerId: customer.id,
    customerName: customer.name,
    cityCode: customer.city_code,
    vip: customer.vip,
    channel: 'phone',
    origin: 'province',
    slaCallWrapUp: 'PT5M',
    slaConsultationExpert: 'PT24H',
    slaEmergencySuspend: 'PT10M',
    orderDueAt: new Date((await stream.engineNow()) + 24 * HOUR).toISOString(),
  });
}

/** Completes the call record and resolves with the child instance the request type started. */
async function routeTo(customer: SeededCustomer, requestType: string, processId: string, record: Record<string, unknown> = {}) {
  const key = await answerCall(customer);
  await complete(suite.zbc, key, 'call-record', { sensitive: false, resolvedOnCall: false, requestType, summary: `来电：${requestType}`, ...record });
  const [child] = await stream.waitFor(and(processActivated(processId), (r) => r.value.parentProcessInstanceKey === key), {
    description: `the ${processId} started by instance ${key}`,
  });
  return { key, child: child.key };
}

async function handled(key: string) {
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('request-handled:ELEMENT_COMPLETED');
  return steps;
}

const workOrderOf = (processInstanceKey: string) => suite.knex('work_orders').where({ process_instance_key: processInstanceKey }).first();
const smsTo = (phone: string) => suite.knex('outbox').where({ channel: 'sms', recipient: phone }).orderBy('id').pluck('body');

it('the call record is an agent task due within the wrap-up time; a call resolved on the spot ends as answered', async () => {
  const key = await answerCall(await ordinaryCustomer());
  const before = Date.now();
  const record = await complete(suite.zbc, key, 'call-record', { sensitive: false, resolvedOnCall: true, requestType: 'consultation', summary: '查询营业厅地址' });
  expect(record.customHeaders['io.camunda.zeebe:formKey']).toBe('manual-acceptance-record');
  expect(JSON.parse(String(record.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['agent']);
  expect(dueDateOf(record)).toBeGreaterThan(before + 4 * MINUTE);
  expect(dueDateOf(record)).toBeLessThanOrEqual(Date.now() + 5 * MINUTE);

  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('answered-on-call:ELEMENT_COMPLETED');
  expect(steps).not.toContain('request-type-gateway:ELEMENT_ACTIVATED');
});

it('a sensitive request without a verified service password is refused; a verified one goes on', async () => {
  const customer = await ordinaryCustomer();
  const refused = await answerCall(customer);
  await complete(suite.zbc, refused, 'call-record', { sensitive: true, passwordVerified: false, resolvedOnCall: true, requestType: 'service-order' });
  const refusedSteps = trail(await waitForCompletion(suite.engine, refused));
  expect(refusedSteps).toContain('verification-failed:ELEMENT_COMPLETED');
  expect(refusedSteps).not.toContain('resolved-gateway:ELEMENT_ACTIVATED');

  const verified = await answerCall(customer);
  await complete(suite.zbc, verified, 'call-record', { sensitive: true, passwordVerified: true, resolvedOnCall: true, requestType: 'service-order' });
  expect(trail(await waitForCompletion(suite.engine, verified))).toContain('answered-on-call:ELEMENT_COMPLETED');
});

it('a consultation is answered in the consultation flow: the answer goes to the caller and the work order is archived', async () => {
  const customer = await seededCustomer(suite.knex, (q) => q.where('c.city_code', 'fs'));
  const { key, child } = await routeTo(customer, 'consultation', 'consultation');
  await complete(suite.zbc, child, 'agent-answer', { answered: true, answerText: '5G 套餐可在网上营业厅办理。' });
  expect(await handled(key)).toContain('call-consultation:ELEMENT_COMPLETED');
  expect((await smsTo(customer.phone)).some((body) => body.includes('5G 套餐可在网上营业厅办理。'))).toBe(true);
  expect(await workOrderOf(child)).toMatchObject({ state: 'archived', channel: 'phone', customer_id: customer.id });
});

it('a complaint starts the complaint flow with the call summary as its description, closed on the spot into the archive', async () => {
  const customer = await seededCustomer(suite.knex, (q) => q.where('c.city_code', 'sz'));
  const { key, child } = await routeTo(customer, 'complaint', 'complaint', { summary: '营业员态度恶劣' });
  const register = await complete(suite.zbc, child, 'register', { resolvedOnSpot: true, category: '服务态度' });
  expect(register.variables).toMatchObject({ description: '营业员态度恶劣', phoneNumber: customer.phone, customerId: customer.id });
  expect(await handled(key)).toContain('call-complaint:ELEMENT_COMPLETED');
  expect(await workOrderOf(child)).toMatchObject({ state: 'archived', category: '服务态度', description: '营业员态度恶劣', channel: 'phone' });
});

it('a service order starts service-order, where a customer of credit class D is refused and told so', async () => {
  const customer = await seededCustomer(suite.knex, (q) => q.where('c.credit_class', 'D'));
  const { key, child } = await routeTo(customer, 'service-order', 'service-order', { sensitive: true, passwordVerified: true, summary: '新开宽带' });
  const register = await complete(suite.zbc, child, 'register', { serviceLine: 'internet', orderType: 'new' });
  expect(register.variables).toMatchObject({ requestType: 'service-order', summary: '新开宽带', customerId: customer.id });
  const steps = await handled(key);
  expect(steps).toContain('call-service-order:ELEMENT_COMPLETED');
  expect(trail(await waitForCompletion(suite.engine, child))).toContain('order-refused:ELEMENT_COMPLETED');
  expect(await workOrderOf(child)).toMatchObject({ state: 'refused', customer_id: customer.id });
  expect((await smsTo(customer.phone)).some((body) => body.includes('很抱歉，您申请的业务未能受理：信用等级为 D 级'))).toBe(true);
});

it('a bill inquiry shows the seeded bill on the agent screen', async () => {
  const customer = await ordinaryCustomer();
  const [month] = await billedMonths(suite.knex, customer.id);
  const bill = await seededBill(suite.knex, customer.id, month);
  const { key, child } = await routeTo(customer, 'bill-inquiry', 'bill-inquiry', { billMonth: month });
  const review = await complete(suite.zbc, child, 'agent-review', { disputed: false });
  expect(review.variables).toMatchObject({ channel: 'agent', billMonth: month, bill: { totalFen: bill.totalFen, status: bill.status } });
  expect(await handled(key)).toContain('call-bill-inquiry:ELEMENT_COMPLETED');
});

it('an emergency suspends the caller’s line through the emergency flow and tells them', async () => {
  const customer = await seededCustomer(suite.knex, (q) => q.where('c.city_code', 'gz').where('c.credit_class', 'B'));
  const { key, child } = await routeTo(customer, 'emergency', 'emergency', { emergencyType: 'lost' });
  await complete(suite.zbc, child, 'follow-up', { identityVerified: true, resumeRequested: false });
  const steps = await handled(key);
  expect(steps).toContain('call-emergency:ELEMENT_COMPLETED');
  expect(steps).not.toContain('call-consultation:ELEMENT_ACTIVATED');
  expect(trail(await waitForCompletion(suite.engine, child))).toContain('kept-suspended:ELEMENT_COMPLETED');
  const lineStates = await suite.knex('subscriptions').where({ number: customer.phone }).pluck('status');
  expect(lineStates.length).toBeGreaterThan(0);
  expect(new Set(lineStates)).toEqual(new Set(['suspended']));
  expect((await smsTo(customer.phone)).some((body) => body.includes(`您的号码 ${customer.phone} 已按您的要求紧急停机`))).toBe(true);
});
