/**
 * service-order (规范 7.3/4.4): registered by the agent, credit-checked (a refusal ends the order with a notice),
 * provisioned, installed on site by the city installers where the line needs it, completed, called back when
 * sampled, and archived.
 */
import { startInstance } from '../support/bpmn';
import { useTestEngine } from '../support/engineHarness';
import { and, inInstance, ofType, recordStream, trail, waitForCompletion, waitForRecords } from '../support/records';
import { complete, deployModels, dueDateOf, takeJob, throwFrom } from './drive';

const suite = useTestEngine();
const stream = recordStream(suite);
const HOUR = 3600_000;

beforeAll(() => deployModels(suite.zbc, 'service-order'));

const groupsOf = (job: { customHeaders: Record<string, unknown> }) => JSON.parse(String(job.customHeaders['io.camunda.zeebe:candidateGroups']));

interface Order {
  serviceLine: string;
  orderType: string;
  cityCode: string;
  sampledForCallback: boolean;
}

/** Starts an order the way the intake does (limit from the SLA configuration, sampling decided) and registers it. */
async function registered(order: Order) {
  const orderDueAt = new Date((await stream.engineNow()) + 24 * HOUR).toISOString();
  const key = await startInstance(suite.zbc, 'service-order', {
    channel: 'phone',
    phoneNumber: '13800000003',
    cityCode: order.cityCode,
    orderDueAt,
    sampledForCallback: order.sampledForCallback,
  });
  const register = await complete(suite.zbc, key, 'register', { customerId: 'C-GZ-0003', serviceLine: order.serviceLine, orderType: order.orderType });
  expect(register.customHeaders['io.camunda.zeebe:formKey']).toBe('service-order-register');
  expect(groupsOf(register)).toEqual(['agent']);
  return { key, orderDueAt };
}

async function creditCheckedAndProvisioned(key: string) {
  await complete(suite.zbc, key, 'credit-check', { creditClass: 'B', arrears: 0 }, 'credit-check');
  await complete(suite.zbc, key, 'provision', { provisionedAt: new Date().toISOString() }, 'provision');
}

async function completionNotified(key: string) {
  const notice = await complete(suite.zbc, key, 'notify-completed', {}, 'notify-customer');
  expect(notice.customHeaders.template).toBe('service-order-completed');
}

it('a new internet line is installed by the city installers before the customer is told; not sampled, it is archived at once', async () => {
  const { key, orderDueAt } = await registered({ serviceLine: 'internet', orderType: 'new', cityCode: 'gz', sampledForCallback: false });
  await creditCheckedAndProvisioned(key);
  const install = await complete(suite.zbc, key, 'install', { appointmentAt: orderDueAt, installed: true });
  expect(install.customHeaders['io.camunda.zeebe:formKey']).toBe('service-order-install');
  expect(groupsOf(install)).toEqual(['city-gz']);
  expect(dueDateOf(install)).toBe(Date.parse(orderDueAt));
  await completionNotified(key);
  await complete(suite.zbc, key, 'archive', {}, 'archive');
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('order-closed:ELEMENT_COMPLETED');
  expect(steps).not.toContain('callback:ELEMENT_ACTIVATED');
});

it('a local line moved to a new address is installed too, and a sampled order is called back before archiving', async () => {
  const { key } = await registered({ serviceLine: 'local', orderType: 'transfer', cityCode: 'sz', sampledForCallback: true });
  await creditCheckedAndProvisioned(key);
  const install = await complete(suite.zbc, key, 'install', { installed: true });
  expect(groupsOf(install)).toEqual(['city-sz']);
  await completionNotified(key);
  const callback = await complete(suite.zbc, key, 'callback', { reached: true, satisfaction: '满意' });
  expect(callback.customHeaders['io.camunda.zeebe:formKey']).toBe('service-order-callback');
  expect(groupsOf(callback)).toEqual(['outbound-agent']);
  await complete(suite.zbc, key, 'archive', {}, 'archive');
  expect(trail(await waitForCompletion(suite.engine, key))).toContain('order-closed:ELEMENT_COMPLETED');
});

it.each([
  ['a mobile plan change', { serviceLine: 'mobile', orderType: 'change-plan' }],
  ['cancelling an internet line', { serviceLine: 'internet', orderType: 'cancel' }],
])('%s needs no installation', async (_, kind) => {
  const { key } = await registered({ ...kind, cityCode: 'fs', sampledForCallback: false });
  await creditCheckedAndProvisioned(key);
  await completionNotified(key);
  await complete(suite.zbc, key, 'archive', {}, 'archive');
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('flow-no-installation:SEQUENCE_FLOW_TAKEN');
  expect(steps).not.toContain('install:ELEMENT_ACTIVATED');
});

it('a customer refused by the credit check (credit class, arrears) is told so and nothing is provisioned', async () => {
  const { key } = await registered({ serviceLine: 'mobile', orderType: 'new', cityCode: 'gz', sampledForCallback: true });
  await throwFrom(suite.zbc, key, 'credit-check', 'credit-check', 'CREDIT_REFUSED');
  const notice = await complete(suite.zbc, key, 'notify-refused', {}, 'notify-customer');
  expect(notice.customHeaders.template).toBe('service-order-refused');
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('order-refused:ELEMENT_COMPLETED');
  expect(steps).not.toContain('provision:ELEMENT_ACTIVATED');
});

it('a provisioning failure is retried by the worker and becomes an incident, not a branch of the model', async () => {
  const { key } = await registered({ serviceLine: 'mobile', orderType: 'resume', cityCode: 'gz', sampledForCallback: false });
  await complete(suite.zbc, key, 'credit-check', { creditClass: 'A', arrears: 0 }, 'credit-check');
  const provision = await takeJob(suite.zbc, key, 'provision', 'provision');
  await suite.zbc.failJob({ jobKey: provision.key, retries: 0, errorMessage: 'provisioning system unavailable', retryBackOff: 0 });
  const [incident] = await waitForRecords(suite.engine, key, and(inInstance(key), ofType('INCIDENT', 'CREATED')));
  expect(incident.value.elementId).toBe('provision');
});
