/** escalate-to-national: starts complaint-national for the work order, once, and marks the order escalated. */
import { createWorkOrder, findWorkOrder, workOrderEvents } from '../../db/workOrders';
import { escalateToNationalWorker } from '../../workers/escalate-to-national';
import { deployModels } from '../processes/drive';
import { usePlatform } from '../support/platformHarness';
import { processActivated, recordStream } from '../support/records';
import { deliveredTwice, deploySingleTask, runToCompletion, runToIncident } from './serviceTaskRun';

const twice = deliveredTwice(escalateToNationalWorker, 'escalate-to-national-twice');
const suite = usePlatform({ workers: [escalateToNationalWorker, twice] });
const stream = recordStream(suite);
let orders = 0;
let customer: { id: number; phone: string };

beforeAll(async () => {
  await deployModels(suite.zbc, 'complaint-national');
  await deploySingleTask(suite.zbc, 'escalate', 'escalate-to-national');
  await deploySingleTask(suite.zbc, 'escalate-twice', 'escalate-to-national-twice');
  customer = await suite.knex('customers').where({ city_code: 'gz', vip: false }).orderBy('id').first();
});

async function openOrder() {
  const order = await createWorkOrder(suite.knex, { channel: 'phone', category: '网络质量', state: 'replied', customerId: customer.id, centerCode: 'gz', idempotencyKey: `escalate-test-${++orders}`, actor: 'test', now: suite.now() });
  return order.number;
}

async function nationalInstancesOf(workOrderId: string) {
  const national = (await stream.where(processActivated('complaint-national'))).map((r) => r.key);
  const withOrder = await stream.where((r) => r.valueType === 'VARIABLE' && r.value.name === 'workOrderId' && r.value.value === JSON.stringify(workOrderId));
  return national.filter((key) => withOrder.some((r) => String(r.processInstanceKey) === key));
}

it('starts complaint-national with the work order and what the national agent needs, SLA from the configuration', async () => {
  const number = await openOrder();
  const { output } = await runToCompletion(suite, 'escalate', { workOrderId: number, customerId: customer.id, phoneNumber: customer.phone, category: '网络质量', description: '两次不满意' });
  const nationalKey = String(output.nationalProcessInstanceKey);
  expect(await nationalInstancesOf(number)).toEqual([nationalKey]);
  const variables = Object.fromEntries((await suite.engine.recordsOf(nationalKey)).filter((r) => r.valueType === 'VARIABLE').map((r) => [r.value.name, JSON.parse(String(r.value.value))]));
  expect(variables).toMatchObject({ workOrderId: number, provinceCode: 'gd', customerPhone: customer.phone, category: '网络质量', slaNationalProvince: 'PT2880M' });

  const order = (await findWorkOrder(suite.knex, number))!;
  expect(order.state).toBe('escalated');
  expect((await workOrderEvents(suite.knex, order.id)).at(-1)?.note).toContain(`complaint-national ${nationalKey}`);
});

it('bad input is an incident naming the field', async () => {
  expect(await runToIncident(suite, 'escalate', { customerId: customer.id })).toMatch(/invalid input variables: workOrderId/);
});

it('a job delivered twice starts one national instance', async () => {
  const number = await openOrder();
  await runToCompletion(suite, 'escalate-twice', { workOrderId: number, customerId: customer.id });
  expect(twice.runs()).toBeGreaterThanOrEqual(2);
  expect(await nationalInstancesOf(number)).toHaveLength(1);
});
