/** phone-intake (规范 7.1 / 7.2): a CTI call is identified, then served by IVR self-service, an agent, or the night voicemail. */
import type { JSONDoc } from 'zeebe-node';
import { useTestEngine } from '../support/engineHarness';
import { and, processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { complete, deployModels, dueDateOf, takeJob } from './drive';

const suite = useTestEngine();
const stream = recordStream(suite);
const HOUR = 60 * 60_000;
const IDENTIFY = 'identify-customer';
const customer = { customerId: 'C-1001', vip: true, cityCode: 'gz', serviceLines: ['移动', '互联网'] };

beforeAll(() => deployModels(suite.zbc, 'phone-intake', 'manual-acceptance', 'bill-inquiry'));

let calls = 0;

/** Publishes the CTI message of a new call and resolves with the key of the instance it started. */
async function callArrives(ivrChoice: string, extra: JSONDoc = {}): Promise<string> {
  const callId = `call-${Date.now()}-${++calls}`;
  await suite.zbc.publishMessage({
    name: 'phone-call-arrived',
    correlationKey: callId,
    variables: { callId, callerNumber: '13800000004', ivrChoice, slaCallWrapUp: 'PT5M', ...extra },
    timeToLive: 0,
  });
  const [callIdSet] = await stream.waitFor((r) => r.valueType === 'VARIABLE' && r.value.name === 'callId' && r.value.value === JSON.stringify(callId), {
    description: `the instance of ${callId}`,
  });
  return String(callIdSet.processInstanceKey);
}

/** identify-customer finds no customer: the worker throws CUSTOMER_NOT_FOUND with the service-hours routing. */
async function customerNotFound(key: string, variables: JSONDoc) {
  const job = await takeJob(suite.zbc, key, IDENTIFY, IDENTIFY);
  await suite.zbc.throwError({ jobKey: job.key, errorCode: 'CUSTOMER_NOT_FOUND', errorMessage: 'test: unknown caller', variables });
}

async function childOf(key: string, processId: string): Promise<string> {
  const [child] = await stream.waitFor(and(processActivated(processId), (r) => r.value.parentProcessInstanceKey === key), {
    description: `the ${processId} started by instance ${key}`,
  });
  return child.key;
}

it('IVR self-service bill inquiry: the bill is announced to the caller', async () => {
  const key = await callArrives('bill-inquiry', { billMonth: '2026-10', serviceLine: '移动' });
  await complete(suite.zbc, key, IDENTIFY, { ...customer, nightRoute: false }, IDENTIFY);
  const inquiry = await childOf(key, 'bill-inquiry');
  const lookup = await complete(suite.zbc, inquiry, 'bill-lookup', { bill: { month: '2026-10', total: 58, items: [] } }, 'bill-lookup');
  expect(lookup.variables).toMatchObject({ channel: 'ivr', phoneNumber: '13800000004', customerId: 'C-1001' });
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('self-service-done:ELEMENT_COMPLETED');
  expect(steps).not.toContain('call-manual-acceptance:ELEMENT_ACTIVATED');
});

it('any other IVR choice goes to an agent, with what identify-customer found', async () => {
  const key = await callArrives('agent');
  await complete(suite.zbc, key, IDENTIFY, { ...customer, nightRoute: false }, IDENTIFY);
  const acceptance = await childOf(key, 'manual-acceptance');
  const record = await complete(suite.zbc, acceptance, 'call-record', { sensitive: false, resolvedOnCall: true, requestType: 'consultation' });
  expect(record.variables).toMatchObject({ phoneNumber: '13800000004', channel: 'phone', vip: true, cityCode: 'gz' });
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('manual-acceptance-done:ELEMENT_COMPLETED');
  expect(steps).not.toContain('voicemail:ELEMENT_ACTIVATED');
});

it('an unknown caller is served as such, even when choosing self-service', async () => {
  const key = await callArrives('bill-inquiry');
  await customerNotFound(key, { nightRoute: false });
  const acceptance = await childOf(key, 'manual-acceptance');
  // The bill inquiry needs a customer, so an unknown caller is not routed to it by ivrChoice alone.
  const record = await complete(suite.zbc, acceptance, 'call-record', { sensitive: false, resolvedOnCall: true, requestType: 'consultation' });
  expect(record.variables).toMatchObject({ unknownCaller: true, phoneNumber: '13800000004' });
  expect(trail(await waitForCompletion(suite.engine, key))).toContain('manual-acceptance-done:ELEMENT_COMPLETED');
});

it('outside service hours the caller leaves a voicemail for the duty agent, known or not', async () => {
  const known = await callArrives('agent');
  await complete(suite.zbc, known, IDENTIFY, { ...customer, nightRoute: true, slaVoicemailCallback: 'PT12H' }, IDENTIFY);
  const before = Date.now();
  const voicemail = await complete(suite.zbc, known, 'voicemail', { calledBack: true });
  expect(voicemail.customHeaders['io.camunda.zeebe:formKey']).toBe('phone-intake-voicemail');
  expect(JSON.parse(String(voicemail.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['agent']);
  expect(dueDateOf(voicemail)).toBeGreaterThan(before + 11 * HOUR);
  expect(dueDateOf(voicemail)).toBeLessThanOrEqual(Date.now() + 12 * HOUR);
  const steps = trail(await waitForCompletion(suite.engine, known));
  expect(steps).toContain('voicemail-handled:ELEMENT_COMPLETED');
  expect(steps).not.toContain('ivr-choice-gateway:ELEMENT_ACTIVATED');

  const unknown = await callArrives('agent');
  await customerNotFound(unknown, { nightRoute: true, slaVoicemailCallback: 'PT12H' });
  const unknownVoicemail = await complete(suite.zbc, unknown, 'voicemail', { calledBack: false });
  expect(unknownVoicemail.variables).toMatchObject({ unknownCaller: true });
  expect(trail(await waitForCompletion(suite.engine, unknown))).toContain('voicemail-handled:ELEMENT_COMPLETED');
});
