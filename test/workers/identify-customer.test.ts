/**
 * identify-customer through the engine: a caller found by a line number or contact number, an unknown number as
 * CUSTOMER_NOT_FOUND with the night routing, the night route from the configured service hours, the request's time
 * limits from the SLA configuration either way, one call record per phone call (also for a job delivered twice),
 * bad input and a missing configuration as incidents.
 */
import { chain, deployProcess, ioMapping, runToEnd, serviceTask, startInstance } from '../support/bpmn';
import { usePlatform } from '../support/platformHarness';
import { ofType, waitForCompletion, waitForRecords } from '../support/records';
import { identifyCustomerWorker } from '../../workers/identify-customer';
import { useServiceHours } from './identify-customer.serviceHours';
import { deliveredTwice, deploySingleTask } from './serviceTaskRun';

const twice = deliveredTwice(identifyCustomerWorker, 'identify-customer-twice');
const suite = usePlatform({ workers: [identifyCustomerWorker, twice] });
const serviceHours = useServiceHours(suite);
const MINUTE = 60_000;
const SLA_VARIABLES = ['slaVoicemailCallback', 'slaCallWrapUp', 'slaWrittenRegister', 'slaConsultationExpert', 'slaCallbackRetry', 'slaEmergencySuspend', 'orderDueAt'];

beforeAll(async () => {
  await deploySingleTask(suite.zbc, 'identify-twice', 'identify-customer-twice');
  await deployProcess(
    suite.zbc,
    'identify-probe',
    `<bpmn:startEvent id="start" />
${serviceTask('identify', 'identify-customer', { retries: 1 })}
<bpmn:boundaryEvent id="not-found" attachedToRef="identify">
  <bpmn:extensionElements>${ioMapping({ outputs: [['=true', 'unknownCaller'], ['=nightRoute', 'nightRoute'], ...SLA_VARIABLES.map((name): [string, string] => [`=${name}`, name])] })}</bpmn:extensionElements>
  <bpmn:errorEventDefinition errorRef="not-found-error" />
</bpmn:boundaryEvent>
<bpmn:endEvent id="end" /><bpmn:endEvent id="unknown" />
${chain('start', 'identify', 'end')}
${chain('not-found', 'unknown')}`,
    '<bpmn:error id="not-found-error" errorCode="CUSTOMER_NOT_FOUND" />',
  );
});

/** The request's time limits as the configuration gives them, with orderDueAt counted from `from`. */
async function configuredLimits() {
  const minutes = async (key: string) => Number((await suite.knex('sla_config').where({ key }).first('value')).value);
  return {
    fixed: {
      slaVoicemailCallback: `PT${await minutes('voicemail.callback')}M`,
      slaCallWrapUp: `PT${await minutes('call.wrap_up')}M`,
      slaWrittenRegister: `PT${await minutes('written.register')}M`,
      slaConsultationExpert: `PT${await minutes('consultation.deadline')}M`,
      slaCallbackRetry: `PT${await minutes('callback.retry_interval')}M`,
      slaEmergencySuspend: `PT${await minutes('emergency.suspend')}M`,
    },
    orderDueMs: (await minutes('service_order.deadline')) * MINUTE,
  };
}

function expectOrderDue(orderDueAt: unknown, before: number, after: number, orderDueMs: number) {
  expect(Date.parse(String(orderDueAt))).toBeGreaterThanOrEqual(before + orderDueMs);
  expect(Date.parse(String(orderDueAt))).toBeLessThanOrEqual(after + orderDueMs);
}

/** A customer with a fixed line besides the mobile number, to call from the line number. */
async function customerWithFixedLine() {
  return suite
    .knex('subscriptions as s')
    .join('accounts as a', 'a.id', 's.account_id')
    .join('customers as c', 'c.id', 'a.customer_id')
    .where('s.service_line', 'local')
    .orderBy('c.id')
    .first('c.id', 'c.name', 'c.city_code', 'c.vip', 'c.credit_class', 'c.email', 's.number');
}

it('a call from one of the customer’s lines identifies the customer, with lines, city, VIP flag and credit class', async () => {
  await serviceHours.open();
  const customer = await customerWithFixedLine();
  const lines = await suite
    .knex('subscriptions as s')
    .join('accounts as a', 'a.id', 's.account_id')
    .where('a.customer_id', customer.id)
    .whereNot('s.status', 'cancelled')
    .distinct('s.service_line')
    .pluck('s.service_line');
  const { variables } = await runToEnd(suite.zbc, 'identify-probe', { callerNumber: customer.number });
  expect(variables).toMatchObject({
    customerId: customer.id,
    customerName: customer.name,
    cityCode: customer.city_code,
    vip: customer.vip,
    creditClass: customer.credit_class,
    customerEmail: customer.email,
    nightRoute: false,
    slaVoicemailCallback: 'PT720M',
  });
  expect(variables.serviceLines).toEqual([...lines].sort());
  expect(variables.serviceLines).toContain('local');
});

it('a portal request by contact number keeps the e-mail address the customer just gave', async () => {
  const vip = await suite.knex('customers').where({ vip: true }).orderBy('id').first('id', 'phone');
  const { variables } = await runToEnd(suite.zbc, 'identify-probe', { phoneNumber: vip.phone, customerEmail: 'new.address@example.com' });
  expect(variables).toMatchObject({ customerId: vip.id, vip: true, customerEmail: 'new.address@example.com' });
});

it('an unknown number is CUSTOMER_NOT_FOUND, still with the night route and the voicemail time limit', async () => {
  await serviceHours.closed();
  const { variables } = await runToEnd(suite.zbc, 'identify-probe', { callerNumber: '10000000000' });
  expect(variables).toMatchObject({ unknownCaller: true, nightRoute: true, slaVoicemailCallback: 'PT720M' });
  expect(variables.customerId).toBeUndefined();
});

it('outside the configured service hours a known caller takes the night route', async () => {
  await serviceHours.closed();
  const customer = await customerWithFixedLine();
  const { variables } = await runToEnd(suite.zbc, 'identify-probe', { callerNumber: customer.number });
  expect(variables).toMatchObject({ customerId: customer.id, nightRoute: true });
});

it('a request without any number is an incident naming the field', async () => {
  const key = await startInstance(suite.zbc, 'identify-probe', { callerNumber: '   ' });
  const [incident] = await waitForRecords(suite.engine, key, ofType('INCIDENT', 'CREATED'));
  expect(incident.value.errorMessage).toMatch(/identify-customer: invalid input variables: callerNumber: /);
});

it('service hours that are not configured are a technical failure, not a guess', async () => {
  const saved = await suite.knex('sla_config').where({ key: 'service_hours.end' }).first();
  await suite.knex('sla_config').where({ key: 'service_hours.end' }).delete();
  try {
    const key = await startInstance(suite.zbc, 'identify-probe', { callerNumber: '10000000000' });
    const [incident] = await waitForRecords(suite.engine, key, ofType('INCIDENT', 'CREATED'));
    expect(incident.value.errorMessage).toMatch(/service_hours\.end/);
  } finally {
    await suite.knex('sla_config').insert(saved);
  }
});

it('hands the request every time limit of the flows intake may reach, from the SLA configuration, known caller or not', async () => {
  await serviceHours.open();
  await suite.knex('sla_config').where({ key: 'consultation.deadline' }).update({ value: 600 });
  const { fixed, orderDueMs } = await configuredLimits();
  expect(fixed.slaConsultationExpert).toBe('PT600M');
  const customer = await customerWithFixedLine();
  const before = suite.now().getTime();
  const known = await runToEnd(suite.zbc, 'identify-probe', { phoneNumber: customer.number });
  const unknown = await runToEnd(suite.zbc, 'identify-probe', { phoneNumber: '10000000000' });
  const after = suite.now().getTime();
  for (const { variables } of [known, unknown]) {
    expect(variables).toMatchObject(fixed);
    expectOrderDue(variables.orderDueAt, before, after, orderDueMs);
  }
  expect(unknown.variables).toMatchObject({ unknownCaller: true });
});

it('keeps a call record per phone call with what the CTI message carries; a portal request is no call', async () => {
  await serviceHours.open();
  const callerNumber = '13900000077';
  const startedAt = new Date(suite.now().getTime() - 40_000).toISOString();
  await runToEnd(suite.zbc, 'identify-probe', { callerNumber, callStartedAt: startedAt, queuedMs: 12_500, ivrChoice: 'agent' });
  await runToEnd(suite.zbc, 'identify-probe', { phoneNumber: callerNumber });
  const records = await suite.knex('call_records').where({ caller_number: callerNumber }).select('started_at', 'queued_ms', 'ivr_choice', 'abandoned');
  expect(records).toEqual([{ started_at: new Date(startedAt), queued_ms: 12_500, ivr_choice: 'agent', abandoned: false }]);
});

it('a call whose job is delivered twice is recorded once', async () => {
  await serviceHours.open();
  const { phone } = await suite.knex('customers').orderBy('id', 'desc').first('phone');
  const calls = async () => (await suite.knex('call_records').where({ caller_number: phone }).select('id')).length;
  const before = await calls();
  const key = await startInstance(suite.zbc, 'identify-twice', { callerNumber: phone, ivrChoice: 'bill-inquiry' });
  await waitForCompletion(suite.engine, key);
  expect(twice.runs()).toBeGreaterThan(1);
  expect(await calls()).toBe(before + 1);
});
