/** archive: closes the work order once; a request closed at first contact is recorded straight into the archive. */
import { createWorkOrder, findWorkOrder, workOrderEvents } from '../../db/workOrders';
import { archiveWorker } from '../../workers/archive';
import { deployProcess, message } from '../support/bpmn';
import { usePlatform } from '../support/platformHarness';
import { waitForCompletion } from '../support/records';
import { deliveredTwice, deploySingleTask, runToCompletion, runToIncident } from './serviceTaskRun';

const twice = deliveredTwice(archiveWorker, 'archive-twice');
const suite = usePlatform({ workers: [archiveWorker, twice] });
let customer: { id: number; city_code: string };
let orders = 0;

beforeAll(async () => {
  await deploySingleTask(suite.zbc, 'archive-one', 'archive');
  await deploySingleTask(suite.zbc, 'archive-twice', 'archive-twice');
  // Stands in for complaint: archive reports a complaint that came from the national center back to it.
  await deploySingleTask(suite.zbc, 'complaint', 'archive');
  await deployProcess(
    suite.zbc,
    'national-waits',
    `<bpmn:startEvent id="start" /><bpmn:receiveTask id="wait" messageRef="result" /><bpmn:endEvent id="end" />
     <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" /><bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />`,
    message('result', 'complaint-national-result', '=workOrderId'),
  );
  customer = await suite.knex('customers').where({ city_code: 'fs' }).orderBy('id').first();
});

async function openOrder() {
  const order = await createWorkOrder(suite.knex, {
    channel: 'phone', category: '网络质量', state: 'replied', customerId: customer.id, centerCode: 'gd',
    idempotencyKey: `archive-test-${++orders}`, actor: 'test', now: suite.now(),
  });
  return order.number;
}

it('archives the work order: state, archived_at and one event', async () => {
  const number = await openOrder();
  await runToCompletion(suite, 'archive-one', { workOrderId: number });
  const order = (await findWorkOrder(suite.knex, number))!;
  expect(order.state).toBe('archived');
  expect(order.archived_at).toBeInstanceOf(Date);
  expect((await workOrderEvents(suite.knex, order.id)).map((e) => e.action)).toEqual(['created', 'archived']);
});

it('a request resolved at first contact gets a work order opened straight into the archive, at the provincial center', async () => {
  const { output } = await runToCompletion(suite, 'archive-one', {
    customerId: customer.id, channel: 'phone', category: '服务态度', serviceLine: 'mobile', kind: 'complaint', description: '当场解释清楚',
  });
  const order = (await findWorkOrder(suite.knex, String(output.workOrderId)))!;
  expect(order).toMatchObject({ state: 'archived', center_code: 'gd', customer_id: customer.id, category: '服务态度', kind: 'complaint', channel: 'phone' });
  expect(order.archived_at).toBeInstanceOf(Date);
});

it('reports a complaint the national center dispatched back to it by work-order number', async () => {
  const number = await openOrder();
  const national = await suite.zbc.createProcessInstance({ bpmnProcessId: 'national-waits', variables: { workOrderId: number } });
  await runToCompletion(suite, 'complaint', { workOrderId: number, origin: 'national', replyText: '已新增基站' });
  const records = await waitForCompletion(suite.engine, national.processInstanceKey);
  const result = records.find((r) => r.valueType === 'VARIABLE' && r.value.name === 'provinceResult');
  expect(result?.value.value).toBe(JSON.stringify('已新增基站'));
});

it('bad input and an unknown work order are incidents naming them', async () => {
  expect(await runToIncident(suite, 'archive-one', { workOrderId: 42 })).toMatch(/archive: invalid input variables: workOrderId/);
  expect(await runToIncident(suite, 'archive-one', { workOrderId: 'GD-20990101-999999' })).toContain('No work order numbered "GD-20990101-999999"');
  expect(await runToIncident(suite, 'archive-one', { customerId: customer.id })).toContain('channel');
});

it('a job delivered twice archives once', async () => {
  const number = await openOrder();
  await runToCompletion(suite, 'archive-twice', { workOrderId: number });
  expect(twice.runs()).toBeGreaterThanOrEqual(2);
  const order = (await findWorkOrder(suite.knex, number))!;
  expect((await workOrderEvents(suite.knex, order.id)).filter((e) => e.action === 'archived')).toHaveLength(1);
});
