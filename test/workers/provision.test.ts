/**
 * provision (4.4): the simulated provisioning system applies the order to the customer's lines and the work order
 * logs it; wrong orders are incidents naming the field, an outage is a technical failure, and a job delivered twice
 * opens one line.
 */
import { createWorkOrder, workOrderEvents } from '../../db/workOrders';
import { provisionWorker } from '../../workers/provision';
import { usePlatform } from '../support/platformHarness';
import { ofType } from '../support/records';
import { deliveredTwice, deploySingleTask, runToCompletion, runToIncident } from './serviceTaskRun';

const twice = deliveredTwice(provisionWorker, 'provision-twice');
const suite = usePlatform({ workers: [provisionWorker, twice] });

let customerId: number;
let accountId: number;

beforeAll(async () => {
  await deploySingleTask(suite.zbc, 'provision-probe', 'provision');
  await deploySingleTask(suite.zbc, 'provision-twice-probe', 'provision-twice');
  // A customer with exactly one mobile line and no internet line.
  const row = await suite.knex('customers as c').join('accounts as a', 'a.customer_id', 'c.id')
    .whereNotExists(suite.knex('subscriptions as s').whereRaw('s.account_id = a.id').where('s.service_line', 'internet'))
    .orderBy('c.id').first('c.id as customerId', 'a.id as accountId');
  ({ customerId, accountId } = row);
});

const newWorkOrder = () =>
  createWorkOrder(suite.knex, {
    channel: 'phone', category: '业务受理', state: 'provisioning', customerId, centerCode: 'gd',
    idempotencyKey: `provision-test:${Math.random()}`, actor: 'test', now: new Date(),
  });

async function order(variables: Record<string, unknown>, processId = 'provision-probe') {
  const workOrder = await newWorkOrder();
  const run = await runToCompletion(suite, processId, { customerId, workOrderId: workOrder.number, ...variables });
  return { ...run, workOrder };
}

const line = (serviceLine: string, number: string) => suite.knex('subscriptions').where({ service_line: serviceLine, number }).first();

it('opens a new line on the customer account, with the line default plan, and logs it on the work order', async () => {
  const { output, workOrder } = await order({ serviceLine: 'internet', orderType: 'new', lineNumber: 'GZKD80000001' });
  expect(output).toMatchObject({ lineNumber: 'GZKD80000001', plan: '宽带 100M 包月' });
  expect(await line('internet', 'GZKD80000001')).toMatchObject({ account_id: accountId, plan: '宽带 100M 包月', status: 'active' });
  const after = await suite.knex('work_orders').where({ id: workOrder.id }).first();
  expect(after.state).toBe('provisioned');
  expect((await workOrderEvents(suite.knex, workOrder.id)).map((e) => e.action)).toEqual(['created', 'provisioned']);
});

it('a new line the order names no number for gets one from the range of its service line, the same for the same order', async () => {
  const { output, workOrder } = await order({ serviceLine: 'paging', orderType: 'new' });
  expect(output.lineNumber).toBe(`1862${String(workOrder.id).padStart(7, '0')}`);
  expect(await line('paging', String(output.lineNumber))).toMatchObject({ account_id: accountId, plan: '数字寻呼', status: 'active' });
});

it('changes the plan of, suspends and cancels the line the order names', async () => {
  await order({ serviceLine: 'internet', orderType: 'change-plan', plan: '宽带 1000M 包月' });
  expect(await line('internet', 'GZKD80000001')).toMatchObject({ plan: '宽带 1000M 包月', status: 'active' });
  await order({ serviceLine: 'internet', orderType: 'suspend', lineNumber: 'GZKD80000001' });
  expect((await line('internet', 'GZKD80000001')).status).toBe('suspended');
  await order({ serviceLine: 'internet', orderType: 'cancel' });
  expect((await line('internet', 'GZKD80000001')).status).toBe('cancelled');
});

it('a wrong order is an incident naming the field; an outage is retried and then an incident', async () => {
  const taken = await suite.knex('subscriptions').whereNot('account_id', accountId).where('service_line', 'mobile').first('number');
  const incident = async (variables: Record<string, unknown>) => runToIncident(suite, 'provision-probe', { customerId, workOrderId: (await newWorkOrder()).number, ...variables });
  expect(await incident({ serviceLine: 'mobile', orderType: 'new', lineNumber: taken.number })).toBe(`provision: lineNumber: ${taken.number} is already in use on another account`);
  expect(await incident({ serviceLine: 'internet', orderType: 'suspend', lineNumber: '0000' })).toBe(`provision: lineNumber: customer ${customerId} has no internet line 0000 to suspend`);
  expect(await incident({ serviceLine: 'mobile', orderType: 'change-plan', plan: '无限流量 1 元' })).toMatch(/^provision: plan: "无限流量 1 元" is not a mobile plan/);
  expect(await incident({ serviceLine: 'satellite', orderType: 'new' })).toMatch(/provision: invalid input variables: serviceLine/);
  expect(await incident({ serviceLine: 'mobile', orderType: 'resume', provisioningFault: '开通系统维护中' })).toBe('provision: provisioning system unavailable: 开通系统维护中');
  expect(await runToIncident(suite, 'provision-probe', { customerId, workOrderId: 'GD-19990101-000001', serviceLine: 'mobile', orderType: 'resume' })).toBe('provision: workOrderId: no work order numbered GD-19990101-000001');
});

it('a job delivered twice opens the line once and logs it once', async () => {
  const { key, workOrder } = await order({ serviceLine: 'local', orderType: 'new', lineNumber: '020-88990011', plan: '市话基本套餐' }, 'provision-twice-probe');
  expect(twice.runs()).toBeGreaterThanOrEqual(2);
  expect(await suite.knex('subscriptions').where({ service_line: 'local', number: '020-88990011' })).toHaveLength(1);
  expect((await workOrderEvents(suite.knex, workOrder.id)).map((e) => e.action)).toEqual(['created', 'provisioned']);
  const completions = (await suite.engine.recordsOf(key)).filter(ofType('JOB', 'COMPLETED'));
  expect(completions).toHaveLength(1);
});
