/**
 * service-order (规范 7.3/4.4) with the real workers: registered by the agent, credit-checked (a refusal ends the order
 * with a notice), provisioned onto the customer's lines, installed on site by the city installers where the line
 * needs it, completed, called back when sampled, and archived. A provisioning outage retries, becomes an incident,
 * and succeeds once the operator has cleared it, given the job retries and resolved the incident.
 */
import type { Knex } from 'knex';
import { beijingDate } from '../../db/seed/billing';
import { workOrderEvents } from '../../db/workOrders';
import { startInstance } from '../support/bpmn';
import { usePlatform } from '../support/platformHarness';
import { and, inInstance, ofType, recordStream, trail, waitForCompletion, waitForRecords } from '../support/records';
import { complete, deployModels, dueDateOf } from './drive';

const suite = usePlatform();
const stream = recordStream(suite);
const HOUR = 3600_000;

beforeAll(() => deployModels(suite.zbc, 'service-order'));

const groupsOf = (job: { customHeaders: Record<string, unknown> }) => JSON.parse(String(job.customHeaders['io.camunda.zeebe:candidateGroups']));

interface Customer { id: number; phone: string; email: string | null; city_code: string }

const inArrears = (knex: Knex) =>
  knex('bills').where('status', 'unpaid').where('due_date', '<', beijingDate(new Date()).day).select('account_id');

/** A demo customer of a city, in good standing (class A-C, no arrears) or in arrears, optionally holding a line. */
async function customer(city: string, options: { arrears?: boolean; holds?: string; lacks?: string } = {}): Promise<Customer> {
  const query = suite.knex('customers as c').join('accounts as a', 'a.customer_id', 'c.id').where('c.city_code', city).whereNotNull('c.email').orderBy('c.id');
  if (options.arrears) query.whereIn('a.id', inArrears(suite.knex)).whereNot('c.credit_class', 'D');
  else query.whereIn('c.credit_class', ['A', 'B', 'C']).whereNotIn('a.id', inArrears(suite.knex));
  const linesOf = (line: string, count: number) =>
    query.whereRaw("(select count(*) from subscriptions s where s.account_id = a.id and s.service_line = ? and s.status = 'active') = ?", [line, count]);
  if (options.holds) linesOf(options.holds, 1);
  if (options.lacks) linesOf(options.lacks, 0);
  return query.first('c.id', 'c.phone', 'c.email', 'c.city_code');
}

interface Order {
  customer: Customer;
  serviceLine: string;
  orderType: string;
  sampledForCallback: boolean;
  lineNumber?: string;
  plan?: string;
  provisioningFault?: string;
}

/** Starts an order the way the intake does (limit from the SLA configuration, sampling decided) and registers it. */
async function registered(order: Order) {
  const orderDueAt = new Date((await stream.engineNow()) + 24 * HOUR).toISOString();
  const key = await startInstance(suite.zbc, 'service-order', {
    channel: 'phone',
    phoneNumber: order.customer.phone,
    cityCode: order.customer.city_code,
    orderDueAt,
    sampledForCallback: order.sampledForCallback,
    ...(order.provisioningFault ? { provisioningFault: order.provisioningFault } : {}),
  });
  const form: Record<string, unknown> = { customerId: order.customer.id, serviceLine: order.serviceLine, orderType: order.orderType };
  if (order.lineNumber) form.lineNumber = order.lineNumber;
  if (order.plan) form.plan = order.plan;
  const register = await complete(suite.zbc, key, 'register', form);
  expect(register.customHeaders['io.camunda.zeebe:formKey']).toBe('service-order-register');
  expect(groupsOf(register)).toEqual(['agent']);
  return { key, orderDueAt };
}

/** The instance's work order, its state and the actions of its event log. */
async function workOrderOf(key: string) {
  const order = await suite.knex('work_orders').where({ process_instance_key: key }).first();
  return { order, actions: (await workOrderEvents(suite.knex, order.id)).map((e) => e.action) };
}

const outboxOf = (workOrderId: number) => suite.knex('outbox').where({ work_order_id: workOrderId }).orderBy('id');

it('a new internet line is provisioned and installed by the city installers before the customer is told; not sampled, it is archived at once', async () => {
  const gz = await customer('gz', { lacks: 'internet' });
  const { key, orderDueAt } = await registered({ customer: gz, serviceLine: 'internet', orderType: 'new', lineNumber: 'GZKD90000001', sampledForCallback: false });
  const install = await complete(suite.zbc, key, 'install', { appointmentAt: orderDueAt, installed: true });
  expect(install.customHeaders['io.camunda.zeebe:formKey']).toBe('service-order-install');
  expect(groupsOf(install)).toEqual(['city-gz']);
  expect(dueDateOf(install)).toBe(Date.parse(orderDueAt));
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('order-closed:ELEMENT_COMPLETED');
  expect(steps).not.toContain('callback:ELEMENT_ACTIVATED');

  const account = await suite.knex('accounts').where({ customer_id: gz.id }).first();
  expect(await suite.knex('subscriptions').where({ service_line: 'internet', number: 'GZKD90000001' }).first()).toMatchObject({ account_id: account.id, status: 'active' });
  const { order, actions } = await workOrderOf(key);
  expect(order).toMatchObject({ category: '业务受理', kind: 'new', service_line: 'internet', customer_id: gz.id, state: 'archived' });
  expect(new Date(order.sla_deadline).toISOString()).toBe(orderDueAt);
  expect(actions).toEqual(['created', 'credit-checked', 'provisioned', 'archived']);
  const notices = await outboxOf(order.id);
  expect(notices.map((n) => [n.channel, n.recipient])).toEqual([['sms', gz.phone], ['email', gz.email]]);
  expect(notices[0].body).toContain('您申请的业务已办理完成');
  expect((await suite.caughtMail()).some((m) => m.rcptTo.includes(gz.email!.toLowerCase()) && m.subject === '业务办理完成通知')).toBe(true);
});

it('a local line moved to a new address is installed too, and a sampled order is called back before archiving', async () => {
  const sz = await customer('sz', { holds: 'local' });
  const { key } = await registered({ customer: sz, serviceLine: 'local', orderType: 'transfer', sampledForCallback: true });
  const install = await complete(suite.zbc, key, 'install', { appointmentAt: new Date().toISOString(), installed: true });
  expect(groupsOf(install)).toEqual(['city-sz']);
  const callback = await complete(suite.zbc, key, 'callback', { reached: true, satisfaction: '满意' });
  expect(callback.customHeaders['io.camunda.zeebe:formKey']).toBe('service-order-callback');
  expect(groupsOf(callback)).toEqual(['outbound-agent']);
  expect(trail(await waitForCompletion(suite.engine, key))).toContain('order-closed:ELEMENT_COMPLETED');
  expect((await workOrderOf(key)).order.state).toBe('archived');
});

it.each([
  ['a mobile plan change', { serviceLine: 'mobile', orderType: 'change-plan', plan: '冰激凌 199 元套餐' }],
  ['cancelling an internet line', { serviceLine: 'internet', orderType: 'cancel' }],
])('%s needs no installation and is applied to the line', async (_, kind) => {
  const fs = await customer('fs', { holds: kind.serviceLine });
  const { key } = await registered({ ...kind, customer: fs, sampledForCallback: false });
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('flow-no-installation:SEQUENCE_FLOW_TAKEN');
  expect(steps).not.toContain('install:ELEMENT_ACTIVATED');
  const line = await suite.knex('subscriptions as s').join('accounts as a', 'a.id', 's.account_id').where({ 'a.customer_id': fs.id, 's.service_line': kind.serviceLine }).first('s.plan', 's.status');
  expect(line).toEqual(kind.orderType === 'cancel' ? expect.objectContaining({ status: 'cancelled' }) : { plan: '冰激凌 199 元套餐', status: 'active' });
});

it('a customer in arrears is refused by the credit check, told why, and nothing is provisioned', async () => {
  const debtor = await customer('gz', { arrears: true });
  const { key } = await registered({ customer: debtor, serviceLine: 'mobile', orderType: 'new', lineNumber: '18600000001', sampledForCallback: true });
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('order-refused:ELEMENT_COMPLETED');
  expect(steps).not.toContain('provision:ELEMENT_ACTIVATED');
  expect(await suite.knex('subscriptions').where({ number: '18600000001' })).toEqual([]);
  const { order, actions } = await workOrderOf(key);
  expect([order.state, actions]).toEqual(['refused', ['created', 'credit-refused']]);
  const [sms] = await outboxOf(order.id);
  expect(sms.body).toMatch(/很抱歉，您申请的业务未能受理：账户欠费 \d+\.\d\d 元/);
});

it('a provisioning outage is retried with back-off, becomes an incident, and succeeds after the operator clears it, retries and resolves', async () => {
  const gz = await customer('gz', { holds: 'mobile' });
  const { key } = await registered({ customer: gz, serviceLine: 'mobile', orderType: 'change-plan', plan: '5G 畅爽 59 元套餐', sampledForCallback: false, provisioningFault: '开通系统维护中' });
  const failed = and(inInstance(key), ofType('JOB', 'FAILED'));
  for (const count of [1, 2]) {
    await waitForRecords(suite.engine, key, failed, { count });
    // The worker's back-off runs on the engine clock.
    await suite.advanceClock(5_000);
  }
  const [incident] = await waitForRecords(suite.engine, key, and(inInstance(key), ofType('INCIDENT', 'CREATED')));
  expect([incident.value.elementId, incident.value.errorMessage]).toEqual(['provision', 'provision: provisioning system unavailable: 开通系统维护中']);
  expect((await suite.engine.recordsOf(key)).filter(failed).map((r) => r.value.retries)).toEqual([2, 1, 0]);
  expect((await workOrderOf(key)).order.state).toBe('provisioning');

  await suite.zbc.setVariables({ elementInstanceKey: key, variables: { provisioningFault: null }, local: false });
  await suite.zbc.updateJobRetries({ jobKey: String(incident.value.jobKey), retries: 1 });
  await suite.zbc.resolveIncident({ incidentKey: incident.key });
  expect(trail(await waitForCompletion(suite.engine, key))).toContain('order-closed:ELEMENT_COMPLETED');
  const line = await suite.knex('subscriptions as s').join('accounts as a', 'a.id', 's.account_id').where({ 'a.customer_id': gz.id, 's.service_line': 'mobile' }).first('s.plan');
  expect(line.plan).toBe('5G 畅爽 59 元套餐');
  expect((await workOrderOf(key)).actions).toEqual(['created', 'credit-checked', 'provisioned', 'archived']);
});
