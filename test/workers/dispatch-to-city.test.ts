/** dispatch-to-city: the city of the number, the city's time limits from the SLA configuration, the city mailbox. */
import { createWorkOrder, findWorkOrder, workOrderEvents } from '../../db/workOrders';
import { dispatchToCityWorker } from '../../workers/dispatch-to-city';
import { usePlatform } from '../support/platformHarness';
import { deliveredTwice, deploySingleTask, runToCompletion, runToIncident } from './serviceTaskRun';

const HOUR = 3600_000;
const twice = deliveredTwice(dispatchToCityWorker, 'dispatch-to-city-twice');
const suite = usePlatform({ workers: [dispatchToCityWorker, twice] });
let orders = 0;

beforeAll(async () => {
  await deploySingleTask(suite.zbc, 'dispatch', 'dispatch-to-city');
  await deploySingleTask(suite.zbc, 'dispatch-twice', 'dispatch-to-city-twice');
});

async function openOrder() {
  const order = await createWorkOrder(suite.knex, { channel: 'phone', category: '网络质量', state: 'acknowledged', centerCode: 'gd', idempotencyKey: `dispatch-test-${++orders}`, actor: 'test', now: suite.now() });
  return order.number;
}

const mailsTo = async (address: string) => (await suite.caughtMail()).filter((m) => m.rcptTo.includes(address));

it("goes to the city of the customer's number, with the city's limits from the SLA configuration", async () => {
  const customer = await suite.knex('customers').where({ city_code: 'sz', vip: false }).orderBy('id').first();
  const number = await openOrder();
  const replyDueAt = new Date(suite.now().getTime() + 48 * HOUR).toISOString();
  const { output } = await runToCompletion(suite, 'dispatch', { workOrderId: number, phoneNumber: customer.phone, replyDueAt, description: '信号差' });

  const order = (await findWorkOrder(suite.knex, number))!;
  expect(order).toMatchObject({ state: 'dispatched', center_code: 'sz' });
  const dispatchedAt = order.dispatched_at!.getTime();
  expect(output).toMatchObject({ cityCode: 'sz', slaCitySign: 'PT120M', cityReplyDueAt: replyDueAt });
  // complaint.reminder_at: 75 % of the time left.
  expect(Date.parse(String(output.cityRemindAt)) - dispatchedAt).toBe(Math.round(0.75 * (Date.parse(replyDueAt) - dispatchedAt)));
  expect((await workOrderEvents(suite.knex, order.id)).at(-1)).toMatchObject({ action: 'dispatched', note: '派至深圳市客户服务中心' });
  const [mail] = await mailsTo('city-sz@service.example.cn');
  expect(mail.subject).toContain(`投诉工单 ${number}`);
  expect(mail.htmlBody).toContain('信号差');
});

it("the back office's choice of city wins; a reopened complaint past its reply time gets a fresh limit", async () => {
  const number = await openOrder();
  const { output } = await runToCompletion(suite, 'dispatch', { workOrderId: number, cityCode: 'fs', replyDueAt: '2020-01-01T00:00:00Z', urgency: 'urgent' });
  expect(output.cityCode).toBe('fs');
  const order = (await findWorkOrder(suite.knex, number))!;
  expect(Date.parse(String(output.cityReplyDueAt)) - order.dispatched_at!.getTime()).toBe(24 * HOUR);
});

it('bad input is an incident naming the field', async () => {
  expect(await runToIncident(suite, 'dispatch', { cityCode: 'gz' })).toMatch(/invalid input variables: workOrderId/);
  expect(await runToIncident(suite, 'dispatch', { workOrderId: await openOrder(), cityCode: 'gd' })).toContain('cityCode: "gd" is not a city center');
  expect(await runToIncident(suite, 'dispatch', { workOrderId: await openOrder(), phoneNumber: '19900000000' })).toContain('cityCode');
});

it('a job delivered twice dispatches and mails once', async () => {
  const number = await openOrder();
  await runToCompletion(suite, 'dispatch-twice', { workOrderId: number, cityCode: 'gz' });
  expect(twice.runs()).toBeGreaterThanOrEqual(2);
  const order = (await findWorkOrder(suite.knex, number))!;
  expect((await workOrderEvents(suite.knex, order.id)).filter((e) => e.action === 'dispatched')).toHaveLength(1);
  expect((await mailsTo('city-gz@service.example.cn')).filter((m) => m.subject.includes(number))).toHaveLength(1);
});
