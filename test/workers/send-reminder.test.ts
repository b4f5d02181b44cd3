/** send-reminder: mails the group holding the work (and the handler who signed for it) once per job. */
import { createWorkOrder, findWorkOrder, workOrderEvents } from '../../db/workOrders';
import { sendReminderWorker } from '../../workers/send-reminder';
import { usePlatform } from '../support/platformHarness';
import { deliveredTwice, deploySingleTask, runToCompletion, runToIncident } from './serviceTaskRun';

const twice = deliveredTwice(sendReminderWorker, 'send-reminder-twice');
const suite = usePlatform({ workers: [sendReminderWorker, twice] });
let orders = 0;

beforeAll(async () => {
  await deploySingleTask(suite.zbc, 'city-reminder', 'send-reminder', { template: 'city-complaint-reminder' });
  await deploySingleTask(suite.zbc, 'emergency-reminder', 'send-reminder', { template: 'emergency-suspend-overdue' });
  await deploySingleTask(suite.zbc, 'city-reminder-twice', 'send-reminder-twice', { template: 'city-complaint-reminder' });
  await suite.knex('users').insert({ username: 'gz-handler-1', display_name: '广州处理员一', email: 'gz.handler1@service.example.cn', password_hash: 'not-used-here' });
});

async function openOrder() {
  const order = await createWorkOrder(suite.knex, {
    channel: 'phone', category: '网络质量', state: 'dispatched', centerCode: 'gz', idempotencyKey: `reminder-test-${++orders}`, actor: 'test', now: suite.now(),
  });
  return order.number;
}

const mailsTo = async (address: string) => (await suite.caughtMail()).filter((m) => m.rcptTo.includes(address));

it('reminds the city group and the handler who signed for the order, and logs it on the work order', async () => {
  const number = await openOrder();
  const cityReplyDueAt = '2026-11-27T04:00:00Z';
  await runToCompletion(suite, 'city-reminder', { workOrderId: number, cityCode: 'gz', cityReplyDueAt, signedBy: 'gz-handler-1' });

  for (const address of ['city-gz@service.example.cn', 'gz.handler1@service.example.cn']) {
    const [mail] = await mailsTo(address);
    expect(mail.subject).toBe(`【催单】投诉工单 ${number} 将于 2026-11-27 12:00 到期`);
  }
  const order = (await findWorkOrder(suite.knex, number))!;
  const events = await workOrderEvents(suite.knex, order.id);
  expect(events.find((e) => e.action === 'reminded')?.note).toBe('city-gz@service.example.cn, gz.handler1@service.example.cn');
  expect(await suite.knex('outbox').where({ work_order_id: order.id, status: 'sent' })).toHaveLength(2);
});

it('an overdue emergency suspension is chased at the back office', async () => {
  await runToCompletion(suite, 'emergency-reminder', { phoneNumber: '13012345678' });
  const [mail] = await mailsTo('backoffice@service.example.cn');
  expect(mail.subject).toBe('【催办】号码 13012345678 紧急停机超时');
});

it('bad input is an incident naming the field', async () => {
  expect(await runToIncident(suite, 'city-reminder', { workOrderId: 'x', cityCode: 'gz', cityReplyDueAt: 'tomorrow' })).toMatch(/invalid input variables: cityReplyDueAt/);
  expect(await runToIncident(suite, 'city-reminder', { cityReplyDueAt: '2026-11-27T04:00:00Z' })).toContain('cityCode');
});

it('a job delivered twice mails once', async () => {
  const number = await openOrder();
  await runToCompletion(suite, 'city-reminder-twice', { workOrderId: number, cityCode: 'sz', cityReplyDueAt: '2026-11-28T04:00:00Z' });
  expect(twice.runs()).toBeGreaterThanOrEqual(2);
  expect((await mailsTo('city-sz@service.example.cn')).filter((m) => m.subject.includes(number))).toHaveLength(1);
});
