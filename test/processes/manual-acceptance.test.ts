/** manual-acceptance (规范 7.7): the agent's call record closes the call, or routes it by request type to its business flow. */
import { deployProcess, startInstance } from '../support/bpmn';
import { useTestEngine } from '../support/engineHarness';
import { and, processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { complete, deployModels, dueDateOf } from './drive';

const suite = useTestEngine();
const stream = recordStream(suite);
const MINUTE = 60_000;
const STAND_IN_JOB = 'service-order-stand-in';

beforeAll(async () => {
  await deployModels(suite.zbc, 'manual-acceptance', 'consultation', 'complaint', 'city-complaint', 'bill-inquiry', 'emergency');
  // service-order may not be in the catalogue yet: a stand-in with its id shows what the call hands over.
  await deployProcess(
    suite.zbc,
    'service-order',
    `<bpmn:startEvent id="start" /><bpmn:serviceTask id="stand-in"><bpmn:extensionElements><zeebe:taskDefinition type="${STAND_IN_JOB}" /></bpmn:extensionElements></bpmn:serviceTask><bpmn:endEvent id="end" />
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="stand-in" /><bpmn:sequenceFlow id="f2" sourceRef="stand-in" targetRef="end" />`,
  );
});

const answerCall = () =>
  startInstance(suite.zbc, 'manual-acceptance', {
    phoneNumber: '13800000003',
    channel: 'phone',
    origin: 'province',
    slaCallWrapUp: 'PT5M',
    slaConsultationExpert: 'PT24H',
    slaEmergencySuspend: 'PT10M',
  });

/** Completes the call record and resolves with the child instance the request type started. */
async function routeTo(requestType: string, processId: string, record: Record<string, unknown> = {}) {
  const key = await answerCall();
  await complete(suite.zbc, key, 'call-record', { sensitive: false, resolvedOnCall: false, requestType, summary: `来电：${requestType}`, ...record });
  const [child] = await stream.waitFor(and(processActivated(processId), (r) => r.value.parentProcessInstanceKey === key), {
    description: `the ${processId} started by instance ${key}`,
  });
  return { key, child: child.key };
}

async function handled(key: string) {
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('request-handled:ELEMENT_COMPLETED');
  return steps;
}

it('the call record is an agent task due within the wrap-up time; a call resolved on the spot ends as answered', async () => {
  const key = await answerCall();
  const before = Date.now();
  const record = await complete(suite.zbc, key, 'call-record', { sensitive: false, resolvedOnCall: true, requestType: 'consultation', summary: '查询营业厅地址' });
  expect(record.customHeaders['io.camunda.zeebe:formKey']).toBe('manual-acceptance-record');
  expect(JSON.parse(String(record.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['agent']);
  expect(dueDateOf(record)).toBeGreaterThan(before + 4 * MINUTE);
  expect(dueDateOf(record)).toBeLessThanOrEqual(Date.now() + 5 * MINUTE);

  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('answered-on-call:ELEMENT_COMPLETED');
  expect(steps).not.toContain('request-type-gateway:ELEMENT_ACTIVATED');
});

it('a sensitive request without a verified service password is refused; a verified one goes on', async () => {
  const refused = await answerCall();
  await complete(suite.zbc, refused, 'call-record', { sensitive: true, passwordVerified: false, resolvedOnCall: true, requestType: 'service-order' });
  const refusedSteps = trail(await waitForCompletion(suite.engine, refused));
  expect(refusedSteps).toContain('verification-failed:ELEMENT_COMPLETED');
  expect(refusedSteps).not.toContain('resolved-gateway:ELEMENT_ACTIVATED');

  const verified = await answerCall();
  await complete(suite.zbc, verified, 'call-record', { sensitive: true, passwordVerified: true, resolvedOnCall: true, requestType: 'service-order' });
  expect(trail(await waitForCompletion(suite.engine, verified))).toContain('answered-on-call:ELEMENT_COMPLETED');
});

it('a consultation is answered in the consultation flow', async () => {
  const { key, child } = await routeTo('consultation', 'consultation');
  await complete(suite.zbc, child, 'agent-answer', { answered: true, answerText: '5G 套餐可在网上营业厅办理。' });
  await complete(suite.zbc, child, 'reply-customer', {}, 'notify-customer');
  await complete(suite.zbc, child, 'archive', {}, 'archive');
  expect(await handled(key)).toContain('call-consultation:ELEMENT_COMPLETED');
});

it('a complaint starts the complaint flow with the call summary as its description', async () => {
  const { key, child } = await routeTo('complaint', 'complaint', { summary: '营业员态度恶劣' });
  const register = await complete(suite.zbc, child, 'register', { resolvedOnSpot: true });
  expect(register.variables).toMatchObject({ description: '营业员态度恶劣', phoneNumber: '13800000003' });
  await complete(suite.zbc, child, 'archive-resolved', {}, 'archive');
  expect(await handled(key)).toContain('call-complaint:ELEMENT_COMPLETED');
});

it('a service order starts service-order with the call record', async () => {
  const { key, child } = await routeTo('service-order', 'service-order', { sensitive: true, passwordVerified: true, summary: '办理停机保号' });
  const standIn = await complete(suite.zbc, child, 'stand-in', {}, STAND_IN_JOB);
  expect(standIn.variables).toMatchObject({ requestType: 'service-order', summary: '办理停机保号', phoneNumber: '13800000003' });
  expect(await handled(key)).toContain('call-service-order:ELEMENT_COMPLETED');
});

it('a bill inquiry is answered on the agent screen', async () => {
  const { key, child } = await routeTo('bill-inquiry', 'bill-inquiry', { billMonth: '2026-10', serviceLine: '移动' });
  await complete(suite.zbc, child, 'bill-lookup', { bill: { month: '2026-10', total: 58, items: [] } }, 'bill-lookup');
  const review = await complete(suite.zbc, child, 'agent-review', { disputed: false });
  expect(review.variables).toMatchObject({ channel: 'agent' });
  const steps = await handled(key);
  expect(steps).toContain('call-bill-inquiry:ELEMENT_COMPLETED');
});

it('an emergency suspends the line through the emergency flow', async () => {
  const { key, child } = await routeTo('emergency', 'emergency', { emergencyType: 'lost' });
  await complete(suite.zbc, child, 'suspend-line', {}, 'suspend-service');
  await complete(suite.zbc, child, 'notify-suspended', {}, 'notify-customer');
  await complete(suite.zbc, child, 'follow-up', { identityVerified: true, resumeRequested: false });
  const steps = await handled(key);
  expect(steps).toContain('call-emergency:ELEMENT_COMPLETED');
  expect(steps).not.toContain('call-consultation:ELEMENT_ACTIVATED');
});
