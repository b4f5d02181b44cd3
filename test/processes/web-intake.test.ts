/**
 * web-intake (规范 7.8): a portal request from a verified phone number is checked against the customers,
 * acknowledged through auto-reply (work-order number by which the customer tracks it), then routed by the
 * category auto-reply found to its business flow.
 */
import { startInstance } from '../support/bpmn';
import { useTestEngine } from '../support/engineHarness';
import { and, processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { complete, deployModels, throwFrom } from './drive';

const suite = useTestEngine();
const stream = recordStream(suite);
const HOUR = 3600_000;

beforeAll(async () => {
  await deployModels(suite.zbc, 'web-intake', 'auto-reply', 'consultation', 'complaint', 'city-complaint', 'service-order', 'bill-inquiry');
});

const portalRequest = {
  phoneNumber: '13800000005',
  customerEmail: 'zhang.wei@example.com',
  subject: '网站留言',
  content: '请问如何办理宽带提速？',
  slaConsultationExpert: 'PT24H',
};

/** Child instance of `processId` started by instance `parent`. */
async function calledBy(parent: string, processId: string): Promise<string> {
  const [child] = await stream.waitFor(and(processActivated(processId), (r) => r.value.parentProcessInstanceKey === parent), {
    description: `the ${processId} started by instance ${parent}`,
  });
  return child.key;
}

/** Submits a portal request, identifies the customer and lets auto-reply classify it as `category` and acknowledge it. */
async function acknowledgedAs(category: string, request: Record<string, unknown> = {}) {
  const key = await startInstance(suite.zbc, 'web-intake', { ...portalRequest, ...request });
  const identify = await complete(suite.zbc, key, 'identify-customer', { customerId: 'C-GZ-0005', cityCode: 'gz', vip: false }, 'identify-customer');
  expect(identify.variables).toMatchObject({ phoneNumber: portalRequest.phoneNumber });

  const autoReply = await calledBy(key, 'auto-reply');
  const classify = await complete(suite.zbc, autoReply, 'classify', { category, needsPerson: false }, 'classify');
  expect(classify.variables).toMatchObject({ channel: 'web', customerId: 'C-GZ-0005' });
  const workOrderId = `WEB-20261125-${category}`;
  const replyDueAt = new Date((await stream.engineNow()) + 48 * HOUR).toISOString();
  await complete(suite.zbc, autoReply, 'acknowledge', { workOrderId, replyDueAt }, 'auto-acknowledge');
  return { key, workOrderId };
}

async function handled(key: string, callActivity: string) {
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain(`${callActivity}:ELEMENT_COMPLETED`);
  expect(steps).toContain('request-handled:ELEMENT_COMPLETED');
}

it('a number that is not a customer of ours is refused before anything is acknowledged', async () => {
  const key = await startInstance(suite.zbc, 'web-intake', portalRequest);
  await throwFrom(suite.zbc, key, 'identify-customer', 'identify-customer', 'CUSTOMER_NOT_FOUND');
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('not-a-customer:ELEMENT_COMPLETED');
  expect(steps).not.toContain('call-auto-reply:ELEMENT_ACTIVATED');
});

it('a request with no business flow (praise) ends with the acknowledgement', async () => {
  const { key } = await acknowledgedAs('praise', { content: '感谢营业厅的耐心服务。' });
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('closed-by-acknowledgement:ELEMENT_COMPLETED');
  expect(steps).not.toContain('call-consultation:ELEMENT_ACTIVATED');
});

it('a consultation is answered in the consultation flow, under the work-order number the customer was given', async () => {
  const { key, workOrderId } = await acknowledgedAs('consultation');
  const child = await calledBy(key, 'consultation');
  const answer = await complete(suite.zbc, child, 'agent-answer', { answered: true, answerText: '可在网上营业厅办理宽带提速。' });
  expect(answer.variables).toMatchObject({ workOrderId, channel: 'web', content: portalRequest.content });
  await complete(suite.zbc, child, 'reply-customer', {}, 'notify-customer');
  await complete(suite.zbc, child, 'archive', {}, 'archive');
  await handled(key, 'call-consultation');
});

it('a complaint starts the complaint flow with the message as its description', async () => {
  const { key } = await acknowledgedAs('complaint', { content: '营业员态度恶劣' });
  const child = await calledBy(key, 'complaint');
  const register = await complete(suite.zbc, child, 'register', { resolvedOnSpot: true });
  expect(register.variables).toMatchObject({ description: '营业员态度恶劣', phoneNumber: portalRequest.phoneNumber });
  await complete(suite.zbc, child, 'archive-resolved', {}, 'archive');
  await handled(key, 'call-complaint');
});

it('a service order goes to service-order (here refused by the credit check)', async () => {
  const orderDueAt = new Date((await stream.engineNow()) + 24 * HOUR).toISOString();
  const { key } = await acknowledgedAs('service-order', { content: '申请办理停机保号', orderDueAt });
  const child = await calledBy(key, 'service-order');
  const register = await complete(suite.zbc, child, 'register', { serviceLine: 'mobile', orderType: 'suspend' });
  expect(register.variables).toMatchObject({ content: '申请办理停机保号', customerId: 'C-GZ-0005' });
  await throwFrom(suite.zbc, child, 'credit-check', 'credit-check', 'CREDIT_REFUSED');
  await complete(suite.zbc, child, 'notify-refused', {}, 'notify-customer');
  await handled(key, 'call-service-order');
});

it('a bill inquiry from the portal is answered by e-mailing the bill', async () => {
  const { key } = await acknowledgedAs('bill-inquiry', { billMonth: '2026-10', serviceLine: '移动' });
  const child = await calledBy(key, 'bill-inquiry');
  const lookup = await complete(suite.zbc, child, 'bill-lookup', { bill: { month: '2026-10', total: 58, items: [] } }, 'bill-lookup');
  expect(lookup.variables).toMatchObject({ channel: 'email', customerEmail: portalRequest.customerEmail });
  await complete(suite.zbc, child, 'send-bill', {}, 'send-bill');
  await handled(key, 'call-bill-inquiry');
});
