/**
 * credit-check (4.8): orders that extend credit are refused for credit class D or arrears (CREDIT_REFUSED, caught
 * by the model), suspensions and cancellations pass; the order's work order is opened here when the flow has none.
 */
import { beijingDate } from '../../db/seed/billing';
import { createWorkOrder, workOrderEvents } from '../../db/workOrders';
import { creditCheckWorker } from '../../workers/credit-check';
import { chain, deployProcess, serviceTask, startInstance } from '../support/bpmn';
import { usePlatform } from '../support/platformHarness';
import { ofType, trail, waitForCompletion } from '../support/records';
import { deliveredTwice, runToIncident } from './serviceTaskRun';

const twice = deliveredTwice(creditCheckWorker, 'credit-check-twice');
const suite = usePlatform({ workers: [creditCheckWorker, twice] });

/** start -> credit check (job type `type`) -> passed, with the model's CREDIT_REFUSED boundary -> refused. */
function deployCheck(processId: string, type: string) {
  return deployProcess(
    suite.zbc,
    processId,
    `<bpmn:startEvent id="start" />
${serviceTask('check', type, { retries: 1 })}
<bpmn:boundaryEvent id="refused-error" attachedToRef="check"><bpmn:errorEventDefinition errorRef="credit-refused" /></bpmn:boundaryEvent>
<bpmn:endEvent id="passed" /><bpmn:endEvent id="refused" />
${chain('start', 'check', 'passed')}
${chain('refused-error', 'refused')}`,
    '<bpmn:error id="credit-refused" errorCode="CREDIT_REFUSED" />',
  );
}

beforeAll(async () => {
  await deployCheck('credit-probe', 'credit-check');
  await deployCheck('credit-probe-twice', 'credit-check-twice');
});

const unpaidPastDue = (knex: typeof suite.knex) =>
  knex('bills').where('status', 'unpaid').where('due_date', '<', beijingDate(new Date()).day).select('account_id');

/** A customer of the demo data by credit class, with or without arrears. */
async function customerWith(creditClass: string, inArrears: boolean): Promise<{ id: number }> {
  const query = suite.knex('customers as c').join('accounts as a', 'a.customer_id', 'c.id').where('c.credit_class', creditClass).orderBy('c.id').first('c.id');
  return inArrears ? query.whereIn('a.id', unpaidPastDue(suite.knex)) : query.whereNotIn('a.id', unpaidPastDue(suite.knex));
}

async function check(variables: Record<string, unknown>, processId = 'credit-probe') {
  const key = await startInstance(suite.zbc, processId, { channel: 'phone', serviceLine: 'mobile', ...variables });
  const records = await waitForCompletion(suite.engine, key);
  const variable = (name: string) => {
    const record = records.filter(ofType('VARIABLE')).reverse().find((r) => r.value.name === name);
    return record === undefined ? undefined : JSON.parse(String(record.value.value));
  };
  return { key, steps: trail(records), variable };
}

it('a customer in good standing passes; the new order gets a work order at the provincial center', async () => {
  const customer = await customerWith('B', false);
  const orderDueAt = new Date(Date.now() + 24 * 3600_000).toISOString();
  const { key, steps, variable } = await check({ customerId: customer.id, orderType: 'new', serviceLine: 'internet', orderDueAt });
  expect(steps).toContain('passed:ELEMENT_COMPLETED');
  expect([variable('creditClass'), variable('arrearsFen')]).toEqual(['B', 0]);
  const order = await suite.knex('work_orders').where({ number: variable('workOrderId') }).first();
  expect(order).toMatchObject({ customer_id: customer.id, channel: 'phone', category: '业务受理', service_line: 'internet', kind: 'new', state: 'provisioning', center_code: 'gd', process_instance_key: key });
  expect(new Date(order.sla_deadline).toISOString()).toBe(orderDueAt);
  expect((await workOrderEvents(suite.knex, order.id)).map((e) => e.action)).toEqual(['created', 'credit-checked']);
});

it('arrears refuse a new line, with the amount owed in 元, and the work order is marked refused', async () => {
  const customer = await customerWith('C', true);
  const { steps, variable } = await check({ customerId: customer.id, orderType: 'new' });
  expect(steps).toContain('refused:ELEMENT_COMPLETED');
  const owed = await suite.knex('bills as b').join('accounts as a', 'a.id', 'b.account_id').where({ 'a.customer_id': customer.id, 'b.status': 'unpaid' })
    .where('b.due_date', '<', beijingDate(new Date()).day).sum({ fen: 'b.total_fen' }).first();
  const fen = Number(owed!.fen);
  expect(variable('arrearsFen')).toBe(fen);
  expect(variable('refusalReason')).toBe(`账户欠费 ${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')} 元`);
  const order = await suite.knex('work_orders').where({ number: variable('workOrderId') }).first();
  expect(order.state).toBe('refused');
});

it('credit class D refuses a plan change but not a cancellation', async () => {
  const customer = await customerWith('D', true);
  const changePlan = await check({ customerId: customer.id, orderType: 'change-plan' });
  expect(changePlan.steps).toContain('refused:ELEMENT_COMPLETED');
  expect(changePlan.variable('refusalReason')).toBe('信用等级为 D 级');
  const cancel = await check({ customerId: customer.id, orderType: 'cancel' });
  expect(cancel.steps).toContain('passed:ELEMENT_COMPLETED');
});

it('an order that came with a work order is checked on that order', async () => {
  const customer = await customerWith('A', false);
  const existing = await createWorkOrder(suite.knex, {
    channel: 'web', category: '业务受理', state: 'accepted', customerId: customer.id, centerCode: 'gd', idempotencyKey: 'credit-check-test', actor: 'test', now: new Date(),
  });
  const { variable } = await check({ customerId: customer.id, orderType: 'new', workOrderId: existing.number });
  expect(variable('workOrderId')).toBe(existing.number);
  expect((await workOrderEvents(suite.knex, existing.id)).map((e) => e.action)).toEqual(['created', 'credit-checked']);
});

it('bad variables are incidents naming the field', async () => {
  expect(await runToIncident(suite, 'credit-probe', { channel: 'phone', serviceLine: 'mobile', customerId: 'C-GZ-0001', orderType: 'new' })).toMatch(/credit-check: invalid input variables: customerId/);
  expect(await runToIncident(suite, 'credit-probe', { channel: 'phone', serviceLine: 'mobile', customerId: 1, orderType: 'upgrade' })).toMatch(/invalid input variables: orderType/);
  expect(await runToIncident(suite, 'credit-probe', { channel: 'phone', serviceLine: 'mobile', customerId: 999_999, orderType: 'new' })).toMatch(/customerId: 999999 names no customer/);
});

it('a job delivered twice opens one work order and logs one check', async () => {
  const customer = await customerWith('A', false);
  const { key } = await check({ customerId: customer.id, orderType: 'change-plan' }, 'credit-probe-twice');
  expect(twice.runs()).toBeGreaterThanOrEqual(2);
  const orders = await suite.knex('work_orders').where({ process_instance_key: key });
  expect(orders).toHaveLength(1);
  expect((await workOrderEvents(suite.knex, orders[0].id)).map((e) => e.action)).toEqual(['created', 'credit-checked']);
});
