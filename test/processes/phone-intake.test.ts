/**
 * phone-intake (规范 7.1 / 7.2) with the real workers on the demo data, started as the CTI starts it: a message with
 * only the call. identify-customer finds the caller, the route from the configured service hours and the request's
 * time limits from the SLA configuration, and keeps the call record; the call is then served by IVR self-service
 * (the seeded bill announced), an agent (and the business flow the agent routes to), or, outside service hours,
 * the duty agent's voicemail.
 */
import type { JSONDoc } from 'zeebe-node';
import { usePlatform } from '../support/platformHarness';
import { and, ofType, processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { billedMonths, seededBill, seededCustomer } from '../workers/bill-lookup.seed';
import { useServiceHours } from '../workers/identify-customer.serviceHours';
import { complete, deployModels, dueDateOf, takeJob } from './drive';

const suite = usePlatform();
const stream = recordStream(suite);
const serviceHours = useServiceHours(suite);
const MINUTE = 60_000;
const UNKNOWN_NUMBER = '10000000000';

beforeAll(() => deployModels(suite.zbc, 'phone-intake', 'manual-acceptance', 'bill-inquiry', 'consultation'));

let calls = 0;

/** Publishes the CTI message of a new call (nothing but the call) and resolves with the key of the instance it started. */
async function callArrives(callerNumber: string, ivrChoice: string, extra: JSONDoc = {}): Promise<string> {
  const callId = `call-${Date.now()}-${++calls}`;
  await suite.zbc.publishMessage({
    name: 'phone-call-arrived',
    correlationKey: callId,
    variables: { callId, callerNumber, ivrChoice, ...extra },
    timeToLive: 0,
  });
  const [callIdSet] = await stream.waitFor((r) => r.valueType === 'VARIABLE' && r.value.name === 'callId' && r.value.value === JSON.stringify(callId), {
    description: `the instance of ${callId}`,
  });
  return String(callIdSet.processInstanceKey);
}

async function childOf(key: string, processId: string): Promise<string> {
  const [child] = await stream.waitFor(and(processActivated(processId), (r) => r.value.parentProcessInstanceKey === key), {
    description: `the ${processId} started by instance ${key}`,
  });
  return child.key;
}

it('in service hours, IVR self-service announces the caller’s seeded bill', async () => {
  await serviceHours.open();
  const customer = await seededCustomer(suite.knex);
  const [month] = await billedMonths(suite.knex, customer.id);
  const bill = await seededBill(suite.knex, customer.id, month);
  const key = await callArrives(customer.phone, 'bill-inquiry', { billMonth: month });
  const inquiry = await childOf(key, 'bill-inquiry');
  const inquiryRecords = await waitForCompletion(suite.engine, inquiry);
  const announcement = inquiryRecords.filter(ofType('VARIABLE')).find((r) => r.value.name === 'announcement');
  expect(JSON.parse(String(announcement?.value.value))).toBe(`您${month}月份全部业务话费合计${bill.totalFen / 100}元。`);

  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('self-service-done:ELEMENT_COMPLETED');
  expect(steps).not.toContain('call-manual-acceptance:ELEMENT_ACTIVATED');
});

it('any other IVR choice goes to an agent, with what identify-customer found', async () => {
  await serviceHours.open();
  const vip = await seededCustomer(suite.knex, (q) => q.where('c.vip', true));
  const key = await callArrives(vip.phone, 'agent');
  const acceptance = await childOf(key, 'manual-acceptance');
  const record = await complete(suite.zbc, acceptance, 'call-record', { sensitive: false, resolvedOnCall: true, requestType: 'consultation' });
  expect(record.variables).toMatchObject({ phoneNumber: vip.phone, channel: 'phone', customerId: vip.id, customerName: vip.name, vip: true, cityCode: vip.city_code, nightRoute: false });
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('manual-acceptance-done:ELEMENT_COMPLETED');
  expect(steps).not.toContain('voicemail:ELEMENT_ACTIVATED');
});

it('an unknown caller is served by an agent as such, even when choosing self-service', async () => {
  await serviceHours.open();
  const key = await callArrives(UNKNOWN_NUMBER, 'bill-inquiry');
  const acceptance = await childOf(key, 'manual-acceptance');
  // The bill inquiry needs a customer, so an unknown caller is not routed to it by ivrChoice alone.
  const record = await complete(suite.zbc, acceptance, 'call-record', { sensitive: false, resolvedOnCall: true, requestType: 'consultation' });
  expect(record.variables).toMatchObject({ unknownCaller: true, phoneNumber: UNKNOWN_NUMBER });
  expect(trail(await waitForCompletion(suite.engine, key))).toContain('manual-acceptance-done:ELEMENT_COMPLETED');
});

it('outside service hours the caller leaves a voicemail for the duty agent, due within the configured time, known or not', async () => {
  await serviceHours.closed();
  const callbackMinutes = Number((await suite.knex('sla_config').where({ key: 'voicemail.callback' }).first('value')).value);
  const customer = await seededCustomer(suite.knex);
  const known = await callArrives(customer.phone, 'agent');
  const before = suite.now().getTime();
  const voicemail = await complete(suite.zbc, known, 'voicemail', { calledBack: true });
  expect(voicemail.variables).toMatchObject({ customerId: customer.id, nightRoute: true });
  expect(voicemail.customHeaders['io.camunda.zeebe:formKey']).toBe('phone-intake-voicemail');
  expect(JSON.parse(String(voicemail.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['agent']);
  expect(dueDateOf(voicemail)).toBeGreaterThan(before + (callbackMinutes - 1) * MINUTE);
  expect(dueDateOf(voicemail)).toBeLessThanOrEqual(suite.now().getTime() + callbackMinutes * MINUTE);
  const steps = trail(await waitForCompletion(suite.engine, known));
  expect(steps).toContain('voicemail-handled:ELEMENT_COMPLETED');
  expect(steps).not.toContain('ivr-choice-gateway:ELEMENT_ACTIVATED');

  const unknown = await callArrives(UNKNOWN_NUMBER, 'agent');
  const unknownVoicemail = await complete(suite.zbc, unknown, 'voicemail', { calledBack: false });
  expect(unknownVoicemail.variables).toMatchObject({ unknownCaller: true, nightRoute: true, slaVoicemailCallback: `PT${callbackMinutes}M` });
  expect(trail(await waitForCompletion(suite.engine, unknown))).toContain('voicemail-handled:ELEMENT_COMPLETED');
});

const slaMinutes = async (key: string) => Number((await suite.knex('sla_config').where({ key }).first('value')).value);

describe.each([
  ['a known caller', () => seededCustomer(suite.knex).then((customer) => customer.phone)],
  ['an unknown caller', async () => UNKNOWN_NUMBER],
])('%s routed by the agent to a consultation', (_caller, callerNumber) => {
  it('reaches the expert with due dates from the SLA configuration, and the call is on record', async () => {
    await serviceHours.open();
    await suite.knex('sla_config').where({ key: 'consultation.deadline' }).update({ value: 300 });
    const [wrapUp, expertMinutes] = [await slaMinutes('call.wrap_up'), await slaMinutes('consultation.deadline')];
    const number = await callerNumber();
    const callsBefore = await suite.knex('call_records').where({ caller_number: number }).select('id');
    const startedAt = new Date(suite.now().getTime() - 30_000).toISOString();

    const before = suite.now().getTime();
    const key = await callArrives(number, 'agent', { callStartedAt: startedAt, queuedMs: 8_000 });
    const acceptance = await childOf(key, 'manual-acceptance');
    const record = await complete(suite.zbc, acceptance, 'call-record', { sensitive: false, resolvedOnCall: false, requestType: 'consultation', summary: '咨询国际漫游资费' });
    expect(dueDateOf(record)).toBeGreaterThanOrEqual(before + wrapUp * MINUTE);
    expect(dueDateOf(record)).toBeLessThanOrEqual(suite.now().getTime() + wrapUp * MINUTE);

    const consultation = await childOf(acceptance, 'consultation');
    const beforeExpert = suite.now().getTime();
    await complete(suite.zbc, consultation, 'agent-answer', { answered: false });
    const expert = await takeJob(suite.zbc, consultation, 'expert-answer');
    expect(JSON.parse(String(expert.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['backoffice']);
    expect(expert.variables).toMatchObject({ slaConsultationExpert: 'PT300M', phoneNumber: number });
    expect(dueDateOf(expert)).toBeGreaterThanOrEqual(beforeExpert + expertMinutes * MINUTE);
    expect(dueDateOf(expert)).toBeLessThanOrEqual(suite.now().getTime() + expertMinutes * MINUTE);

    const calls = await suite.knex('call_records').where({ caller_number: number }).whereNotIn('id', callsBefore.map((c) => c.id)).select('started_at', 'queued_ms', 'ivr_choice');
    expect(calls).toEqual([{ started_at: new Date(startedAt), queued_ms: 8_000, ivr_choice: 'agent' }]);
  });
});
