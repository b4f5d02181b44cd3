/** notify-customer: the notice the template header names, by SMS into the outbox and by mail, once per job. */
import { createWorkOrder } from '../../db/workOrders';
import { notifyCustomerWorker } from '../../workers/notify-customer';
import { usePlatform } from '../support/platformHarness';
import { deliveredTwice, deploySingleTask, runToCompletion, runToIncident } from './serviceTaskRun';

const twice = deliveredTwice(notifyCustomerWorker, 'notify-customer-twice');
const suite = usePlatform({ workers: [notifyCustomerWorker, twice] });

interface Customer { id: number; name: string; phone: string; email: string | null }
let customer: Customer;
let workOrderNumber: string;

beforeAll(async () => {
  await deploySingleTask(suite.zbc, 'complaint-reply', 'notify-customer', { template: 'complaint-reply' });
  await deploySingleTask(suite.zbc, 'consultation-reply', 'notify-customer', { template: 'consultation-reply' });
  await deploySingleTask(suite.zbc, 'bad-template', 'notify-customer', { template: 'no-such-template' });
  await deploySingleTask(suite.zbc, 'reply-twice', 'notify-customer-twice', { template: 'complaint-reply' });
  customer = await suite.knex('customers').whereNotNull('email').where({ city_code: 'gz', vip: false }).orderBy('id').first();
  const order = await createWorkOrder(suite.knex, {
    channel: 'phone', category: '网络质量', state: 'dispatched', customerId: customer.id, centerCode: 'gd',
    idempotencyKey: 'notify-customer-test', actor: 'test', now: new Date(),
  });
  workOrderNumber = order.number;
});

it('answers a phone complaint of a known customer by SMS (pending for the gateway) and by mail (sent)', async () => {
  const replyText = '已为您所在小区加装室内分布系统 <室分>。';
  const { output } = await runToCompletion(suite, 'complaint-reply', { customerId: customer.id, channel: 'phone', workOrderId: workOrderNumber, replyText });
  expect(output).toEqual({ notifiedBy: ['sms', 'email'] });

  const rows = await suite.knex('outbox').where({ work_order_id: (await suite.knex('work_orders').where({ number: workOrderNumber }).first()).id });
  const sms = rows.find((row) => row.channel === 'sms');
  const mail = rows.find((row) => row.channel === 'email');
  expect(sms).toMatchObject({ recipient: customer.phone, status: 'pending' });
  expect(sms.body).toContain(replyText);
  expect(sms.body).toContain(workOrderNumber);
  expect(mail).toMatchObject({ recipient: customer.email, status: 'sent', subject: `您的投诉处理结果（工单 ${workOrderNumber}）` });

  const caught = (await suite.caughtMail()).find((m) => m.subject === mail.subject);
  expect(caught?.rcptTo).toEqual([customer.email!.toLowerCase()]);
  expect(caught?.htmlBody).toContain(`尊敬的${customer.name}`);
  // Customer text is escaped in the mail, not in the SMS.
  expect(caught?.htmlBody).toContain('&lt;室分&gt;');
});

it('answers a request that came by e-mail by mail only, to the address it came from', async () => {
  const { output } = await runToCompletion(suite, 'consultation-reply', {
    channel: 'email', customerEmail: 'li.ming@example.com', customerName: '李明', answerText: '国际漫游可在网上营业厅开通。',
  });
  expect(output).toEqual({ notifiedBy: ['email'] });
  const [caught] = (await suite.caughtMail()).filter((m) => m.rcptTo.includes('li.ming@example.com'));
  expect(caught.subject).toBe('您的咨询答复');
  expect(caught.htmlBody).toContain('国际漫游可在网上营业厅开通。');
  expect(await suite.knex('outbox').where({ recipient: 'li.ming@example.com', channel: 'sms' })).toHaveLength(0);
});

it('invalid variables, a missing text and an unknown template are incidents that name the problem', async () => {
  expect(await runToIncident(suite, 'complaint-reply', { customerId: 'C-GZ-0001', channel: 'phone', workOrderId: workOrderNumber, replyText: 'x' })).toMatch(
    /notify-customer: invalid input variables: customerId/,
  );
  expect(await runToIncident(suite, 'complaint-reply', { customerId: customer.id, channel: 'phone', workOrderId: workOrderNumber })).toContain('replyText');
  expect(await runToIncident(suite, 'consultation-reply', { channel: 'sms', customerEmail: 'a@example.com', answerText: '答复' })).toContain('no phone number');
  expect(await runToIncident(suite, 'bad-template', { customerId: customer.id })).toContain('header template must be one of');
});

it('a job delivered twice sends one SMS and one mail', async () => {
  const mailsBefore = (await suite.caughtMail()).length;
  await runToCompletion(suite, 'reply-twice', { customerId: customer.id, channel: 'web', workOrderId: workOrderNumber, replyText: '重复投递测试' });
  expect(twice.runs()).toBeGreaterThanOrEqual(2);
  const rows = await suite.knex('outbox').where('body', 'like', '%重复投递测试%').orWhere('subject', 'like', '%重复投递测试%');
  expect(rows.map((row) => row.channel).sort()).toEqual(['email', 'sms']);
  expect((await suite.caughtMail()).length).toBe(mailsBefore + 1);
});
