/** dispatch-to-province: opens the order at the province, starts the province's complaint with origin national, once. */
import { findWorkOrder, workOrderEvents } from '../../db/workOrders';
import { dispatchToProvinceWorker } from '../../workers/dispatch-to-province';
import { deployModels } from '../processes/drive';
import { usePlatform } from '../support/platformHarness';
import { processActivated, recordStream } from '../support/records';
import { deliveredTwice, deploySingleTask, runToCompletion, runToIncident } from './serviceTaskRun';

const twice = deliveredTwice(dispatchToProvinceWorker, 'dispatch-to-province-twice');
const suite = usePlatform({ workers: [dispatchToProvinceWorker, twice] });
const stream = recordStream(suite);
let customer: { id: number; phone: string };

beforeAll(async () => {
  await deployModels(suite.zbc, 'city-complaint', 'complaint');
  await deploySingleTask(suite.zbc, 'dispatch', 'dispatch-to-province');
  await deploySingleTask(suite.zbc, 'dispatch-twice', 'dispatch-to-province-twice');
  customer = await suite.knex('customers').where({ city_code: 'fs' }).orderBy('id').first();
});

const registration = { origin: 'regulator', category: '网络质量', description: '工信部转办：信号差' };

async function complaintsOf(workOrderId: string) {
  const complaints = (await stream.where(processActivated('complaint'))).map((r) => r.key);
  const withOrder = await stream.where((r) => r.valueType === 'VARIABLE' && r.value.name === 'workOrderId' && r.value.value === JSON.stringify(workOrderId));
  return complaints.filter((key) => withOrder.some((r) => String(r.processInstanceKey) === key));
}

it("opens the order at the customer's province and starts the province's complaint, origin national", async () => {
  const { output } = await runToCompletion(suite, 'dispatch', { ...registration, customerPhone: customer.phone });
  const number = String(output.workOrderId);
  const order = (await findWorkOrder(suite.knex, number))!;
  expect(order).toMatchObject({ center_code: 'gd', state: 'dispatched-province', customer_id: customer.id, channel: 'phone', kind: 'complaint' });
  const [complaint] = await complaintsOf(number);
  const variables = Object.fromEntries((await suite.engine.recordsOf(complaint)).filter((r) => r.valueType === 'VARIABLE').map((r) => [r.value.name, JSON.parse(String(r.value.value))]));
  expect(variables).toMatchObject({ origin: 'national', workOrderId: number, customerId: customer.id, phoneNumber: customer.phone, slaCallbackRetry: 'PT120M' });

  // The national review sends it back: the same order goes to the province again.
  const again = await runToCompletion(suite, 'dispatch', { ...registration, customerPhone: customer.phone, workOrderId: number });
  expect(again.output.workOrderId).toBe(number);
  expect(await complaintsOf(number)).toHaveLength(2);
  expect((await workOrderEvents(suite.knex, order.id)).filter((e) => e.action === 'dispatched-to-province')).toHaveLength(2);
});

it('a province that is not one, or a customer we cannot place, is an incident naming provinceCode', async () => {
  expect(await runToIncident(suite, 'dispatch', { ...registration, provinceCode: 'gz' })).toContain('provinceCode: "gz" is not a provincial center');
  expect(await runToIncident(suite, 'dispatch', { ...registration, customerPhone: '19900000000' })).toContain('provinceCode');
  expect(await runToIncident(suite, 'dispatch', { ...registration, customerId: 'x' })).toMatch(/invalid input variables: customerId/);
});

it('a job delivered twice opens one order and starts one complaint', async () => {
  const { output } = await runToCompletion(suite, 'dispatch-twice', { ...registration, provinceCode: 'gd' });
  expect(twice.runs()).toBeGreaterThanOrEqual(2);
  expect(await complaintsOf(String(output.workOrderId))).toHaveLength(1);
});
