/**
 * web-intake (规范 7.8) with the real workers on the demo data: a portal request from a verified phone number is
 * checked against the customers, classified and acknowledged through auto-reply (work order and receipt), then
 * routed by category to its business flow, which works on the same work order.
 */
import { startInstance } from '../support/bpmn';
import { usePlatform } from '../support/platformHarness';
import { and, processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { billedMonths, seededBill, seededCustomer, yuan, type SeededCustomer } from '../workers/bill-lookup.seed';
import { complete, deployModels } from './drive';

const suite = usePlatform();
const stream = recordStream(suite);
const MINUTE = 60_000;
const PORTAL_EMAIL = 'portal.user@example.com';

beforeAll(async () => {
  await deployModels(suite.zbc, 'web-intake', 'auto-reply', 'integrated-processing', 'consultation', 'complaint', 'city-complaint', 'service-order', 'bill-inquiry');
});

/** What the portal starts the flow with: the verified number and the form, nothing else (identify-customer adds the time limits). */
async function portalRequest(phoneNumber: string, content: string, extra: Record<string, unknown> = {}) {
  return startInstance(suite.zbc, 'web-intake', { phoneNumber, customerEmail: PORTAL_EMAIL, subject: '网站留言', content, ...extra });
}

const slaMinutes = async (key: string) => Number((await suite.knex('sla_config').where({ key }).first('value')).value);

async function calledBy(parent: string, processId: string): Promise<string> {
  const [child] = await stream.waitFor(and(processActivated(processId), (r) => r.value.parentProcessInstanceKey === parent), {
    description: `the ${processId} started by instance ${parent}`,
  });
  return child.key;
}

/** The work order auto-reply opened for the request (the number the customer tracks it by). */
async function acknowledgedOrder(key: string) {
  const autoReply = await calledBy(key, 'auto-reply');
  await waitForCompletion(suite.engine, autoReply);
  return suite.knex('work_orders').where({ process_instance_key: autoReply }).first();
}

async function handled(key: string, callActivity: string) {
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain(`${callActivity}:ELEMENT_COMPLETED`);
  expect(steps).toContain('request-handled:ELEMENT_COMPLETED');
}

const customerIn = (city: string): Promise<SeededCustomer> => seededCustomer(suite.knex, (q) => q.where({ 'c.city_code': city, 'c.vip': false, 'c.credit_class': 'A' }));

it('a number that is not a customer of ours is refused before anything is acknowledged', async () => {
  const key = await portalRequest('10000000000', '请问如何办理宽带提速？');
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('not-a-customer:ELEMENT_COMPLETED');
  expect(steps).not.toContain('call-auto-reply:ELEMENT_ACTIVATED');
});

it('praise has no business flow: the receipt with the work-order number closes it', async () => {
  const customer = await customerIn('gz');
  const key = await portalRequest(customer.phone, '感谢营业厅的耐心服务。');
  const order = await acknowledgedOrder(key);
  expect(order).toMatchObject({ channel: 'web', category: 'praise', state: 'acknowledged', customer_id: customer.id });
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('closed-by-acknowledgement:ELEMENT_COMPLETED');
  expect(steps).not.toContain('call-consultation:ELEMENT_ACTIVATED');
  const receipts = (await suite.caughtMail()).filter((mail) => mail.subject === `您的来件已受理（工单 ${order.number}）`);
  expect(receipts.flatMap((mail) => mail.rcptTo)).toEqual([customer.email ?? PORTAL_EMAIL]);
});

it('a consultation is answered in the consultation flow under the work-order number the customer was given', async () => {
  const customer = await customerIn('sz');
  const key = await portalRequest(customer.phone, '请问如何办理宽带提速？');
  const order = await acknowledgedOrder(key);
  expect(order).toMatchObject({ category: 'consultation', customer_id: customer.id });
  const child = await calledBy(key, 'consultation');
  const answer = await complete(suite.zbc, child, 'agent-answer', { answered: true, answerText: '可在网上营业厅办理宽带提速。' });
  expect(answer.variables).toMatchObject({
    workOrderId: order.number,
    channel: 'web',
    content: '请问如何办理宽带提速？',
    slaConsultationExpert: `PT${await slaMinutes('consultation.deadline')}M`,
  });
  await handled(key, 'call-consultation');
  expect(await suite.knex('work_orders').where({ number: order.number }).first()).toMatchObject({ state: 'archived' });
  const answers = await suite.knex('outbox').where({ recipient: customer.phone, channel: 'sms' }).pluck('body');
  expect(answers.some((body: string) => body.includes('可在网上营业厅办理宽带提速。'))).toBe(true);
});

it('a complaint starts the complaint flow with the message as its description, on the acknowledged work order', async () => {
  const customer = await customerIn('fs');
  const key = await portalRequest(customer.phone, '营业员态度恶劣');
  const order = await acknowledgedOrder(key);
  expect(order).toMatchObject({ category: 'complaint', description: '营业员态度恶劣' });
  const child = await calledBy(key, 'complaint');
  const register = await complete(suite.zbc, child, 'register', { resolvedOnSpot: true });
  expect(register.variables).toMatchObject({ description: '营业员态度恶劣', phoneNumber: customer.phone, workOrderId: order.number });
  await handled(key, 'call-complaint');
  expect(await suite.knex('work_orders').where({ number: order.number }).first()).toMatchObject({ state: 'archived' });
});

it('a service order goes to service-order, where a customer of credit class D is refused', async () => {
  const customer = await seededCustomer(suite.knex, (q) => q.where('c.credit_class', 'D').where('c.city_code', 'gz'));
  const requested = suite.now().getTime();
  const key = await portalRequest(customer.phone, '申请开通国际漫游');
  const order = await acknowledgedOrder(key);
  const child = await calledBy(key, 'service-order');
  const register = await complete(suite.zbc, child, 'register', { serviceLine: 'mobile', orderType: 'change-plan' });
  expect(register.variables).toMatchObject({ content: '申请开通国际漫游', customerId: customer.id, category: 'service-order' });
  const orderDue = Date.parse(String(register.variables.orderDueAt)) - (await slaMinutes('service_order.deadline')) * MINUTE;
  expect(orderDue).toBeGreaterThanOrEqual(requested);
  expect(orderDue).toBeLessThanOrEqual(suite.now().getTime());
  await handled(key, 'call-service-order');
  expect(trail(await waitForCompletion(suite.engine, child))).toContain('order-refused:ELEMENT_COMPLETED');
  expect(await suite.knex('work_orders').where({ number: order.number }).first()).toMatchObject({ state: 'refused' });
});

it('a bill inquiry from the portal is answered by e-mailing the itemised bill to the address given', async () => {
  const customer = await customerIn('gz');
  const months = await billedMonths(suite.knex, customer.id);
  const month = months[months.length - 3];
  const bill = await seededBill(suite.knex, customer.id, month);
  const key = await portalRequest(customer.phone, '请发送详单', { billMonth: month, customerEmail: 'bill.reader@example.com' });
  await handled(key, 'call-bill-inquiry');
  const [mail] = (await suite.caughtMail()).filter((m) => m.rcptTo.includes('bill.reader@example.com') && m.subject.includes('话费账单'));
  expect(mail.subject).toBe(`中国联通 ${month} 话费账单`);
  for (const item of bill.items) expect(mail.htmlBody).toContain(item.name);
  expect(mail.htmlBody).toContain(`${yuan(bill.totalFen)} 元`);
});
