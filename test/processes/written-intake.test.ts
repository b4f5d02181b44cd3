/**
 * written-intake (规范 7.9): an e-mail (message from the mail listener) or a fax or letter the backoffice registers
 * is acknowledged through auto-reply, classified by the backoffice, handled in its business flow and answered in
 * the channel it came by.
 */
import type { JSONDoc } from 'zeebe-node';
import { startInstance } from '../support/bpmn';
import { useTestEngine } from '../support/engineHarness';
import { and, processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { complete, deployModels, dueDateOf, throwFrom } from './drive';

const suite = useTestEngine();
const stream = recordStream(suite);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

beforeAll(async () => {
  await deployModels(suite.zbc, 'written-intake', 'auto-reply', 'consultation', 'complaint', 'city-complaint', 'service-order', 'bill-inquiry');
});

const customer = { phoneNumber: '13800000006', customerEmail: 'wang.fang@example.com', slaConsultationExpert: 'PT24H' };
let mails = 0;

/** The mail listener publishes a received e-mail; resolves with the instance it started. */
async function emailArrives(content: string, extra: JSONDoc = {}): Promise<string> {
  const mailId = `mail-${Date.now()}-${++mails}`;
  await suite.zbc.publishMessage({
    name: 'written-email-received',
    correlationKey: mailId,
    variables: { mailId, channel: 'email', subject: '来信', content, ...customer, ...extra },
    timeToLive: 0,
  });
  const [set] = await stream.waitFor((r) => r.valueType === 'VARIABLE' && r.value.name === 'mailId' && r.value.value === JSON.stringify(mailId), {
    description: `the instance of ${mailId}`,
  });
  return String(set.processInstanceKey);
}

/** The backoffice registers a fax or letter; resolves with the instance. */
async function documentRegistered(channel: 'fax' | 'letter', content: string, extra: JSONDoc = {}): Promise<string> {
  const key = await startInstance(suite.zbc, 'written-intake', { slaWrittenRegister: 'PT4H' });
  await complete(suite.zbc, key, 'register', { channel, subject: '来函', content, ...customer, ...extra });
  return key;
}

async function calledBy(parent: string, processId: string): Promise<string> {
  const [child] = await stream.waitFor(and(processActivated(processId), (r) => r.value.parentProcessInstanceKey === parent), {
    description: `the ${processId} started by instance ${parent}`,
  });
  return child.key;
}

/** auto-reply classifies automatically and acknowledges; the backoffice then confirms the category. */
async function acknowledgedAndClassified(key: string, category: string) {
  const autoReply = await calledBy(key, 'auto-reply');
  await complete(suite.zbc, autoReply, 'classify', { category: 'unknown', needsPerson: false }, 'classify');
  const replyDueAt = new Date((await stream.engineNow()) + 48 * HOUR).toISOString();
  await complete(suite.zbc, autoReply, 'acknowledge', { workOrderId: `XH-${key}`, replyDueAt }, 'auto-acknowledge');
  const classify = await complete(suite.zbc, key, 'classify', { category });
  return { classify, replyDueAt };
}

/** Completes the reply and checks the instance ended answered, in `channel`, after `callActivity` when given. */
async function repliedIn(key: string, channel: string, callActivity?: string) {
  const reply = await complete(suite.zbc, key, 'reply-customer', {}, 'notify-customer');
  expect(reply.variables).toMatchObject({ channel, workOrderId: `XH-${key}` });
  expect(reply.customHeaders.template).toBe('written-reply');
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('replied:ELEMENT_COMPLETED');
  if (callActivity !== undefined) expect(steps).toContain(`${callActivity}:ELEMENT_COMPLETED`);
  return steps;
}

it('an e-mail is acknowledged, classified by the backoffice before the reply is due, and answered by e-mail', async () => {
  const key = await emailArrives('感谢营业厅的耐心服务。');
  const { classify, replyDueAt } = await acknowledgedAndClassified(key, 'praise');
  expect(classify.customHeaders['io.camunda.zeebe:formKey']).toBe('written-intake-classify');
  expect(JSON.parse(String(classify.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['backoffice']);
  expect(dueDateOf(classify)).toBe(Date.parse(replyDueAt));
  const steps = await repliedIn(key, 'email');
  expect(steps).not.toContain('register:ELEMENT_ACTIVATED');
  expect(steps).not.toContain('call-consultation:ELEMENT_ACTIVATED');
});

it('a fax is registered by the backoffice within its time limit, answered in the consultation flow and by fax', async () => {
  const before = Date.now();
  const key = await startInstance(suite.zbc, 'written-intake', { slaWrittenRegister: 'PT4H' });
  const register = await complete(suite.zbc, key, 'register', { channel: 'fax', subject: '来函', content: '如何办理国际漫游？', ...customer });
  expect(register.customHeaders['io.camunda.zeebe:formKey']).toBe('written-intake-register');
  expect(JSON.parse(String(register.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['backoffice']);
  expect(dueDateOf(register)).toBeGreaterThanOrEqual(before + 4 * HOUR);
  expect(dueDateOf(register)).toBeLessThanOrEqual(Date.now() + 4 * HOUR);

  await acknowledgedAndClassified(key, 'consultation');
  const child = await calledBy(key, 'consultation');
  const answer = await complete(suite.zbc, child, 'agent-answer', { answered: true, answerText: '可在网上营业厅开通国际漫游。' });
  expect(answer.variables).toMatchObject({ channel: 'fax', content: '如何办理国际漫游？' });
  await complete(suite.zbc, child, 'reply-customer', {}, 'notify-customer');
  await complete(suite.zbc, child, 'archive', {}, 'archive');
  await repliedIn(key, 'fax', 'call-consultation');
});

it('a letter of complaint starts the complaint flow with the letter as its description and is answered by letter', async () => {
  const key = await documentRegistered('letter', '营业员态度恶劣');
  await acknowledgedAndClassified(key, 'complaint');
  const child = await calledBy(key, 'complaint');
  const register = await complete(suite.zbc, child, 'register', { resolvedOnSpot: true });
  expect(register.variables).toMatchObject({ description: '营业员态度恶劣', phoneNumber: customer.phoneNumber });
  await complete(suite.zbc, child, 'archive-resolved', {}, 'archive');
  await repliedIn(key, 'letter', 'call-complaint');
});

it('a service order by e-mail goes to service-order (here refused by the credit check)', async () => {
  const orderDueAt = new Date((await stream.engineNow()) + 24 * HOUR).toISOString();
  const key = await emailArrives('申请办理停机保号', { orderDueAt });
  await acknowledgedAndClassified(key, 'service-order');
  const child = await calledBy(key, 'service-order');
  await complete(suite.zbc, child, 'register', { serviceLine: 'mobile', orderType: 'suspend' });
  await throwFrom(suite.zbc, child, 'credit-check', 'credit-check', 'CREDIT_REFUSED');
  await complete(suite.zbc, child, 'notify-refused', {}, 'notify-customer');
  await repliedIn(key, 'email', 'call-service-order');
});

it('a bill inquiry by e-mail gets the itemised bill by e-mail', async () => {
  const key = await emailArrives('请发送十月详单', { billMonth: '2026-10', serviceLine: '移动' });
  await acknowledgedAndClassified(key, 'bill-inquiry');
  const child = await calledBy(key, 'bill-inquiry');
  await complete(suite.zbc, child, 'bill-lookup', { bill: { month: '2026-10', total: 58, items: [] } }, 'bill-lookup');
  const send = await complete(suite.zbc, child, 'send-bill', {}, 'send-bill');
  expect(send.variables).toMatchObject({ customerEmail: customer.customerEmail });
  await repliedIn(key, 'email', 'call-bill-inquiry');
});
