/**
 * complaint (规范 7.4 with 8.1 and 6.2): registered by the agent, resolved on the spot or acknowledged and dispatched to
 * the city center (city-complaint), reviewed by the province back office, answered, called back and archived.
 */
import { startInstance } from '../support/bpmn';
import { useTestEngine } from '../support/engineHarness';
import { and, processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { complete, deployModels, dueDateOf } from './drive';

const suite = useTestEngine();
const stream = recordStream(suite);
const HOUR = 3600_000;

beforeAll(() => deployModels(suite.zbc, 'city-complaint', 'complaint'));

const registration = {
  resolvedOnSpot: false,
  customerId: 'C-GZ-0001',
  phoneNumber: '13800000001',
  serviceLine: 'mobile',
  category: '网络质量',
  urgency: 'normal',
  kind: 'complaint',
  description: '家中室内信号差，通话经常中断。',
};

async function registered(variables: Record<string, unknown> = registration) {
  const key = await startInstance(suite.zbc, 'complaint', { channel: 'phone', slaCallbackRetry: 'PT2H' });
  const register = await complete(suite.zbc, key, 'register', variables);
  expect(register.customHeaders['io.camunda.zeebe:formKey']).toBe('complaint-register');
  return key;
}

/** What auto-acknowledge and dispatch-to-city hand back, with limits computed from engine time as the SLA config would. */
async function acknowledgeAndDispatch(key: string, cityCode = 'gz') {
  const now = await stream.engineNow();
  const replyDueAt = new Date(now + 48 * HOUR).toISOString();
  await complete(suite.zbc, key, 'acknowledge', { workOrderId: 'TS-20261125-0001', replyDueAt }, 'auto-acknowledge');
  await dispatchTo(key, cityCode);
  return replyDueAt;
}

async function dispatchTo(key: string, cityCode: string) {
  const now = await stream.engineNow();
  await complete(
    suite.zbc,
    key,
    'dispatch',
    { cityCode, slaCitySign: 'PT2H', cityRemindAt: new Date(now + 27 * HOUR).toISOString(), cityReplyDueAt: new Date(now + 36 * HOUR).toISOString() },
    'dispatch-to-city',
  );
}

/** The key of the n-th (1-based) city-complaint instance the complaint started. */
async function cityRound(key: string, n: number): Promise<string> {
  const started = await stream.waitFor(and(processActivated('city-complaint'), (r) => r.value.parentProcessInstanceKey === key), {
    count: n,
    description: `city round ${n} of complaint ${key}`,
  });
  return started[n - 1].key;
}

async function cityReplies(key: string, round: number, expectedGroup = 'city-gz') {
  const city = await cityRound(key, round);
  const sign = await complete(suite.zbc, city, 'sign-for');
  expect(JSON.parse(String(sign.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual([expectedGroup]);
  await complete(suite.zbc, city, 'handle', { cityOutcome: 'replied', cause: '室内覆盖弱', resolution: '已加装室分', replyText: '已为您所在小区加装室内分布系统。' });
}

async function answerCustomer(key: string) {
  const reply = await complete(suite.zbc, key, 'reply-customer', { notified: true }, 'notify-customer');
  expect(reply.customHeaders.template).toBe('complaint-reply');
}

const callBack = (key: string, result: Record<string, unknown>) => complete(suite.zbc, key, 'callback', result);

it('resolved on the spot: archived at once, nothing dispatched', async () => {
  const key = await registered({ ...registration, resolvedOnSpot: true });
  await complete(suite.zbc, key, 'archive-resolved', {}, 'archive');
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('resolved-on-spot:ELEMENT_COMPLETED');
  expect(steps).not.toContain('acknowledge:ELEMENT_ACTIVATED');
});

it('dispatched to the city, approved, answered, called back satisfied and archived', async () => {
  const key = await registered();
  const replyDueAt = await acknowledgeAndDispatch(key);
  await cityReplies(key, 1);

  const review = await complete(suite.zbc, key, 'review', { reviewApproved: true });
  expect(JSON.parse(String(review.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['backoffice']);
  expect(dueDateOf(review)).toBe(Date.parse(replyDueAt));
  // The city's reply comes back from the called process for the review form to show.
  expect(review.variables).toMatchObject({ cityOutcome: 'replied', resolution: '已加装室分' });

  await answerCustomer(key);
  const callback = await callBack(key, { reached: true, satisfaction: '满意' });
  expect(JSON.parse(String(callback.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['outbound-agent']);
  await complete(suite.zbc, key, 'archive', {}, 'archive');
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('complaint-closed:ELEMENT_COMPLETED');
  expect(steps).not.toContain('escalate-national:ELEMENT_ACTIVATED');
});

it('misrouted to the wrong city, re-dispatched; the review returns the reply once; the customer is unreachable three times', async () => {
  const key = await registered();
  await acknowledgeAndDispatch(key, 'sz');
  const wrongCity = await cityRound(key, 1);
  await complete(suite.zbc, wrongCity, 'sign-for');
  await complete(suite.zbc, wrongCity, 'handle', { cityOutcome: 'misrouted', returnReason: '号码归属广州' });

  const redispatch = await complete(suite.zbc, key, 'redispatch', { cityCode: 'gz' });
  expect(redispatch.customHeaders['io.camunda.zeebe:formKey']).toBe('complaint-redispatch');
  await dispatchTo(key, 'gz');
  await cityReplies(key, 2);
  await complete(suite.zbc, key, 'review', { reviewApproved: false, returnReason: '未说明补偿方案' });
  await cityReplies(key, 3);
  await complete(suite.zbc, key, 'review', { reviewApproved: true });
  await answerCustomer(key);

  for (let attempt = 1; attempt <= 3; attempt++) {
    await callBack(key, { reached: false });
    if (attempt < 3) await suite.engine.advanceClock(2 * HOUR + 60_000);
  }
  await complete(suite.zbc, key, 'archive', {}, 'archive');
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps.filter((s) => s === 'retry-wait:ELEMENT_COMPLETED')).toHaveLength(2);
  expect(steps).toContain('flow-attempts-exhausted:SEQUENCE_FLOW_TAKEN');
});

it('dissatisfied: reopened once, dissatisfied again escalates to the national center', async () => {
  const key = await registered();
  await acknowledgeAndDispatch(key);
  await cityReplies(key, 1);
  await complete(suite.zbc, key, 'review', { reviewApproved: true });
  await answerCustomer(key);
  await callBack(key, { reached: true, satisfaction: '不满意' });

  await dispatchTo(key, 'gz');
  await cityReplies(key, 2);
  await complete(suite.zbc, key, 'review', { reviewApproved: true });
  await answerCustomer(key);
  await callBack(key, { reached: true, satisfaction: '不满意' });
  await complete(suite.zbc, key, 'escalate-national', { nationalWorkOrderId: 'QG-0001' }, 'escalate-to-national');
  await complete(suite.zbc, key, 'archive', {}, 'archive');
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps.filter((s) => s === 'flow-reopen:SEQUENCE_FLOW_TAKEN')).toHaveLength(1);
  expect(steps).toContain('escalate-national:ELEMENT_COMPLETED');
});
