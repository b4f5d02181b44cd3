/** auto-acknowledge: opens the work order, promises a reply by the SLA configuration and sends the receipt. */
import { createWorkOrder, findWorkOrder } from '../../db/workOrders';
import { autoAcknowledgeWorker } from '../../workers/auto-acknowledge';
import { usePlatform } from '../support/platformHarness';
import { deliveredTwice, deploySingleTask, runToCompletion, runToIncident } from './serviceTaskRun';

const HOUR = 3600_000;
const twice = deliveredTwice(autoAcknowledgeWorker, 'auto-acknowledge-twice');
const suite = usePlatform({ workers: [autoAcknowledgeWorker, twice] });

beforeAll(async () => {
  await deploySingleTask(suite.zbc, 'acknowledge', 'auto-acknowledge');
  await deploySingleTask(suite.zbc, 'acknowledge-twice', 'auto-acknowledge-twice');
});

const complaint = { channel: 'phone', category: '网络质量', serviceLine: 'mobile', kind: 'complaint', description: '信号差' };

it('an urgent complaint of a VIP: order opened at the province, reply due in half the urgent limit, SMS receipt', async () => {
  const vip = await suite.knex('customers').where({ vip: true, city_code: 'sz' }).orderBy('id').first();
  const { output } = await runToCompletion(suite, 'acknowledge', { ...complaint, customerId: vip.id, urgency: 'urgent' });
  const order = (await findWorkOrder(suite.knex, String(output.workOrderId)))!;
  expect(order).toMatchObject({ state: 'acknowledged', center_code: 'gd', customer_id: vip.id, channel: 'phone', category: '网络质量', urgency: 'urgent', kind: 'complaint' });
  expect(order.number).toMatch(/^GD-\d{8}-\d{6}$/);
  // complaint.deadline.urgent (24 h) × complaint.vip_factor (50 %).
  expect(Date.parse(String(output.replyDueAt)) - order.created_at.getTime()).toBe(12 * HOUR);
  expect(order.sla_deadline?.toISOString()).toBe(output.replyDueAt);

  const [sms] = await suite.knex('outbox').where({ work_order_id: order.id, channel: 'sms' });
  expect(sms.recipient).toBe(vip.phone);
  expect(sms.body).toContain(`工单号 ${order.number}`);
  expect(sms.body).toContain('投诉');
});

it('a request by mail from a sender we do not know: normal limit, the receipt by mail only', async () => {
  const { output } = await runToCompletion(suite, 'acknowledge', { channel: 'email', customerEmail: 'zhao.lei@example.com', category: 'repair', content: '宽带断网' });
  const order = (await findWorkOrder(suite.knex, String(output.workOrderId)))!;
  expect(order).toMatchObject({ center_code: 'gd', customer_id: null, description: '宽带断网', category: 'repair' });
  expect(Date.parse(String(output.replyDueAt)) - order.created_at.getTime()).toBe(48 * HOUR);
  const [mail] = (await suite.caughtMail()).filter((m) => m.rcptTo.includes('zhao.lei@example.com'));
  expect(mail.subject).toBe(`您的来件已受理（工单 ${order.number}）`);
  expect(await suite.knex('outbox').where({ work_order_id: order.id, channel: 'sms' })).toHaveLength(0);
});

it('a request that came with its work order keeps it', async () => {
  const customer = await suite.knex('customers').where({ vip: false }).orderBy('id').first();
  const open = await createWorkOrder(suite.knex, { ...complaint, channel: 'phone', customerId: customer.id, state: 'registered', centerCode: 'gd', idempotencyKey: 'ack-existing', actor: 'test', now: suite.now() });
  const { output } = await runToCompletion(suite, 'acknowledge', { ...complaint, customerId: customer.id, workOrderId: open.number });
  expect(output.workOrderId).toBe(open.number);
  expect((await findWorkOrder(suite.knex, open.number))!.state).toBe('acknowledged');
});

it('bad input is an incident naming the field', async () => {
  expect(await runToIncident(suite, 'acknowledge', { ...complaint, phoneNumber: '13000000000', urgency: 'asap' })).toMatch(/invalid input variables: urgency/);
  expect(await runToIncident(suite, 'acknowledge', { phoneNumber: '13000000000', category: 'x' })).toContain('channel');
});

it('a job delivered twice opens one work order and sends one receipt', async () => {
  const { output } = await runToCompletion(suite, 'acknowledge-twice', { ...complaint, phoneNumber: '13099990000', customerName: '测试' });
  expect(twice.runs()).toBeGreaterThanOrEqual(2);
  const order = (await findWorkOrder(suite.knex, String(output.workOrderId)))!;
  expect(await suite.knex('work_orders').where({ process_instance_key: order.process_instance_key })).toHaveLength(1);
  expect(await suite.knex('outbox').where({ recipient: '13099990000' })).toHaveLength(1);
});
