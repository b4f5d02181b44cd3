/**
 * written-intake (规范 7.9) with the real workers on the demo data: an e-mail (message from the mail listener) or a
 * fax or letter the backoffice registers is classified and acknowledged through auto-reply (work order, receipt),
 * classified by the backoffice, handled in its business flow and answered in the channel it came by.
 *
 * Unlike phone and web intake, no identify-customer runs here, and a fax or letter starts with the registration
 * task, which is already due by slaWrittenRegister: no worker runs early enough to supply the time limits. So the
 * two starters, both our own server (mail listener, registration page), add requestSlaVariables to what they start
 * with, as these tests do; nothing else is passed besides what the mail or document carries.
 */
import type { Knex } from 'knex';
import type { JSONDoc } from 'zeebe-node';
import { requestSlaVariables } from '../../workers/requestSlaVariables';
import { startInstance } from '../support/bpmn';
import { usePlatform } from '../support/platformHarness';
import { and, processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { billedMonths, seededBill, seededCustomer, yuan, type SeededCustomer } from '../workers/bill-lookup.seed';
import { complete, deployModels, dueDateOf } from './drive';

const suite = usePlatform();
const stream = recordStream(suite);
const MINUTE = 60_000;

beforeAll(async () => {
  await deployModels(suite.zbc, 'written-intake', 'auto-reply', 'integrated-processing', 'consultation', 'complaint', 'city-complaint', 'service-order', 'bill-inquiry');
});

/** A customer with an address on file who writes from it and gives their number. */
const writer = (narrow: (q: Knex.QueryBuilder) => Knex.QueryBuilder = (q) => q) => seededCustomer(suite.knex, (q) => narrow(q.whereNotNull('c.email')));
/** What each starter adds: the request's time limits from the SLA configuration. */
const timeLimits = () => requestSlaVariables(suite.knex, suite.now());
const slaMinutes = async (key: string) => Number((await suite.knex('sla_config').where({ key }).first('value')).value);

let mails = 0;

/** The mail listener publishes a received e-mail; resolves with the instance it started. */
async function emailArrives(customer: SeededCustomer, content: string, extra: JSONDoc = {}): Promise<string> {
  const mailId = `mail-${Date.now()}-${++mails}`;
  await suite.zbc.publishMessage({
    name: 'written-email-received',
    correlationKey: mailId,
    variables: { mailId, channel: 'email', subject: '来信', content, phoneNumber: customer.phone, customerEmail: customer.email!, ...(await timeLimits()), ...extra },
    timeToLive: 0,
  });
  const [set] = await stream.waitFor((r) => r.valueType === 'VARIABLE' && r.value.name === 'mailId' && r.value.value === JSON.stringify(mailId), {
    description: `the instance of ${mailId}`,
  });
  return String(set.processInstanceKey);
}

/** The backoffice registers a fax or letter; resolves with the instance and the register task. */
async function documentRegistered(customer: SeededCustomer, channel: 'fax' | 'letter', content: string) {
  const key = await startInstance(suite.zbc, 'written-intake', { ...(await timeLimits()) });
  const register = await complete(suite.zbc, key, 'register', { channel, subject: '来函', content, phoneNumber: customer.phone, customerEmail: customer.email! });
  return { key, register };
}

async function calledBy(parent: string, processId: string): Promise<string> {
  const [child] = await stream.waitFor(and(processActivated(processId), (r) => r.value.parentProcessInstanceKey === parent), {
    description: `the ${processId} started by instance ${parent}`,
  });
  return child.key;
}

/** auto-reply classifies and acknowledges by itself; the backoffice then confirms the category. Resolves with the work order. */
async function acknowledgedAndClassified(key: string, category: string) {
  const classify = await complete(suite.zbc, key, 'classify', { category });
  const { workOrderId, replyDueAt } = classify.variables as { workOrderId: string; replyDueAt: string };
  expect(dueDateOf(classify)).toBe(Date.parse(replyDueAt));
  const order = await suite.knex('work_orders').where({ number: workOrderId }).first();
  return { classify, order };
}

/** The instance ended answered, with the written reply (quoting the work order) in the outbox for the customer. */
async function repliedIn(key: string, workOrderNumber: string, callActivity?: string) {
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('replied:ELEMENT_COMPLETED');
  if (callActivity !== undefined) expect(steps).toContain(`${callActivity}:ELEMENT_COMPLETED`);
  const replies = await suite.knex('outbox').where({ subject: `您的来函答复（工单 ${workOrderNumber}）` }).select('channel', 'recipient');
  return { steps, replies };
}

it('an e-mail is acknowledged, classified by the backoffice before the reply is due, and answered by e-mail only', async () => {
  const customer = await writer((q) => q.where('c.city_code', 'gz'));
  const key = await emailArrives(customer, '感谢营业厅的耐心服务。');
  const { classify, order } = await acknowledgedAndClassified(key, 'praise');
  expect(classify.customHeaders['io.camunda.zeebe:formKey']).toBe('written-intake-classify');
  expect(JSON.parse(String(classify.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['backoffice']);
  expect(classify.variables).toMatchObject({ category: 'praise' });
  expect(order).toMatchObject({ channel: 'email', category: 'praise', state: 'acknowledged' });

  const { steps, replies } = await repliedIn(key, order.number);
  expect(steps).not.toContain('register:ELEMENT_ACTIVATED');
  expect(steps).not.toContain('call-consultation:ELEMENT_ACTIVATED');
  expect(replies).toEqual([{ channel: 'email', recipient: customer.email }]);
  const received = (await suite.caughtMail()).filter((mail) => mail.rcptTo.includes(customer.email!)).map((mail) => mail.subject);
  expect(received).toEqual(expect.arrayContaining([`您的来件已受理（工单 ${order.number}）`, `您的来函答复（工单 ${order.number}）`]));
});

it('a fax is registered within its time limit, answered in the consultation flow and replied to by SMS and mail', async () => {
  const customer = await writer((q) => q.where('c.city_code', 'sz'));
  const registerMs = (await slaMinutes('written.register')) * MINUTE;
  const before = suite.now().getTime();
  const { key, register } = await documentRegistered(customer, 'fax', '如何办理国际漫游？');
  expect(register.customHeaders['io.camunda.zeebe:formKey']).toBe('written-intake-register');
  expect(dueDateOf(register)).toBeGreaterThanOrEqual(before + registerMs);
  expect(dueDateOf(register)).toBeLessThanOrEqual(suite.now().getTime() + registerMs);

  const { order } = await acknowledgedAndClassified(key, 'consultation');
  expect(order).toMatchObject({ channel: 'fax', category: 'consultation' });
  const child = await calledBy(key, 'consultation');
  const answer = await complete(suite.zbc, child, 'agent-answer', { answered: true, answerText: '可在网上营业厅开通国际漫游。' });
  expect(answer.variables).toMatchObject({ channel: 'fax', content: '如何办理国际漫游？', workOrderId: order.number });
  const { replies } = await repliedIn(key, order.number, 'call-consultation');
  expect(replies).toEqual(expect.arrayContaining([{ channel: 'sms', recipient: customer.phone }, { channel: 'email', recipient: customer.email }]));
  expect(await suite.knex('work_orders').where({ number: order.number }).first()).toMatchObject({ state: 'archived' });
});

it('a letter of complaint starts the complaint flow with the letter as its description and is answered', async () => {
  const customer = await writer((q) => q.where('c.city_code', 'fs'));
  const { key } = await documentRegistered(customer, 'letter', '营业员态度恶劣');
  const { order } = await acknowledgedAndClassified(key, 'complaint');
  const child = await calledBy(key, 'complaint');
  const register = await complete(suite.zbc, child, 'register', { resolvedOnSpot: true });
  expect(register.variables).toMatchObject({ description: '营业员态度恶劣', phoneNumber: customer.phone, workOrderId: order.number });
  const { replies } = await repliedIn(key, order.number, 'call-complaint');
  expect(replies.length).toBeGreaterThan(0);
  expect(await suite.knex('work_orders').where({ number: order.number }).first()).toMatchObject({ state: 'archived', channel: 'letter' });
});

it('a service order by e-mail goes to service-order, where a customer of credit class D is refused', async () => {
  const customer = await writer((q) => q.where('c.credit_class', 'D'));
  const key = await emailArrives(customer, '申请变更套餐');
  const { order } = await acknowledgedAndClassified(key, 'service-order');
  const child = await calledBy(key, 'service-order');
  await complete(suite.zbc, child, 'register', { customerId: customer.id, serviceLine: 'mobile', orderType: 'change-plan' });
  await repliedIn(key, order.number, 'call-service-order');
  expect(trail(await waitForCompletion(suite.engine, child))).toContain('order-refused:ELEMENT_COMPLETED');
  expect(await suite.knex('work_orders').where({ number: order.number }).first()).toMatchObject({ state: 'refused' });
});

it('a bill inquiry by e-mail gets the itemised seeded bill by e-mail', async () => {
  const customer = await writer((q) => q.where('c.city_code', 'gz').where('c.vip', true));
  const [month] = await billedMonths(suite.knex, customer.id);
  const bill = await seededBill(suite.knex, customer.id, month);
  const key = await emailArrives(customer, '请发送详单', { billMonth: month });
  const { order } = await acknowledgedAndClassified(key, 'bill-inquiry');
  expect(order).toMatchObject({ category: 'bill-inquiry' });
  await repliedIn(key, order.number, 'call-bill-inquiry');
  const [mail] = (await suite.caughtMail()).filter((m) => m.rcptTo.includes(customer.email!) && m.subject === `中国联通 ${month} 话费账单`);
  for (const item of bill.items) expect(mail.htmlBody).toMatch(new RegExp(`${item.name}</td>\\s*<td[^>]*>${yuan(item.amountFen)}</td>`));
});
