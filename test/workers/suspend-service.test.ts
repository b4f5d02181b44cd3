/**
 * suspend-service and resume-service (停机/复机): a dunned account with all its lines, or the lines of one number in
 * an emergency; logged on the work order; an unknown number is CUSTOMER_NOT_FOUND; both are idempotent.
 */
import { createWorkOrder, workOrderEvents } from '../../db/workOrders';
import { resumeServiceWorker } from '../../workers/resume-service';
import { suspendServiceWorker } from '../../workers/suspend-service';
import { chain, deployProcess, serviceTask, startInstance } from '../support/bpmn';
import { usePlatform } from '../support/platformHarness';
import { trail, waitForCompletion } from '../support/records';
import { deliveredTwice, deploySingleTask, runToCompletion, runToIncident } from './serviceTaskRun';

const twice = deliveredTwice(suspendServiceWorker, 'suspend-service-twice');
const suite = usePlatform({ workers: [suspendServiceWorker, resumeServiceWorker, twice] });

beforeAll(async () => {
  await deploySingleTask(suite.zbc, 'suspend-arrears', 'suspend-service', { reason: 'arrears' });
  await deploySingleTask(suite.zbc, 'suspend-twice', 'suspend-service-twice', { reason: 'arrears' });
  await deploySingleTask(suite.zbc, 'suspend-no-reason', 'suspend-service');
  await deploySingleTask(suite.zbc, 'resume', 'resume-service');
  await deployProcess(
    suite.zbc,
    'suspend-emergency',
    `<bpmn:startEvent id="start" />
${serviceTask('suspend', 'suspend-service', { retries: 1, extensions: '<zeebe:taskHeaders><zeebe:header key="reason" value="emergency" /></zeebe:taskHeaders>' })}
<bpmn:boundaryEvent id="unknown" attachedToRef="suspend"><bpmn:errorEventDefinition errorRef="not-found" /></bpmn:boundaryEvent>
<bpmn:endEvent id="suspended" /><bpmn:endEvent id="number-unknown" />
${chain('start', 'suspend', 'suspended')}
${chain('unknown', 'number-unknown')}`,
    '<bpmn:error id="not-found" errorCode="CUSTOMER_NOT_FOUND" />',
  );
});

/** An active account with at least two lines, none of them shared with another account. */
async function accountWithLines(skip = 0): Promise<{ accountId: number; numbers: string[] }> {
  const row = await suite.knex('subscriptions as s').join('accounts as a', 'a.id', 's.account_id').where('a.status', 'active')
    .groupBy('a.id').havingRaw('count(distinct s.number) >= 2').orderBy('a.id').offset(skip).first('a.id');
  const numbers = (await suite.knex('subscriptions').where({ account_id: row.id }).distinct('number').orderBy('number')).map((r) => r.number);
  return { accountId: row.id, numbers };
}

const statuses = async (accountId: number) => ({
  account: (await suite.knex('accounts').where({ id: accountId }).first()).status,
  lines: [...new Set((await suite.knex('subscriptions').where({ account_id: accountId })).map((s) => s.status))],
});

it('suspends a dunned account and all its lines, logs it on the dunning work order, and resumes them all', async () => {
  const { accountId, numbers } = await accountWithLines();
  const order = await createWorkOrder(suite.knex, { channel: 'sms', category: '话费催缴', state: 'dunning', centerCode: 'gd', idempotencyKey: 'suspend-test', actor: 'test', now: new Date() });
  const account = { accountId, workOrderId: order.number, customerName: '不读取的字段' };
  const suspended = await runToCompletion(suite, 'suspend-arrears', { account });
  expect(suspended.output.suspendedLines).toEqual(numbers);
  expect(await statuses(accountId)).toEqual({ account: 'suspended', lines: ['suspended'] });

  const resumed = await runToCompletion(suite, 'resume', { account });
  expect(resumed.output.resumedLines).toEqual(numbers);
  expect(await statuses(accountId)).toEqual({ account: 'active', lines: ['active'] });
  const events = await workOrderEvents(suite.knex, order.id);
  expect(events.map((e) => [e.action, e.note])).toEqual([
    ['created', null],
    ['suspended', `停机（欠费）：${numbers.join('、')}`],
    ['resumed', `复机：${numbers.join('、')}`],
  ]);
  expect((await suite.knex('work_orders').where({ id: order.id }).first()).state).toBe('resumed');
});

it('in an emergency suspends only the lines of the reported number, and resumes them on request', async () => {
  const { accountId, numbers } = await accountWithLines(1);
  const [reported, other] = numbers;
  const emergency = await runToCompletion(suite, 'suspend-emergency', { phoneNumber: reported });
  expect(emergency.output.suspendedLines).toEqual([reported]);
  const byNumber = async (number: string) => (await suite.knex('subscriptions').where({ account_id: accountId, number })).map((s) => s.status);
  expect(new Set(await byNumber(reported))).toEqual(new Set(['suspended']));
  expect(new Set(await byNumber(other))).toEqual(new Set(['active']));
  expect((await suite.knex('accounts').where({ id: accountId }).first()).status).toBe('active');

  await runToCompletion(suite, 'resume', { phoneNumber: reported });
  expect(new Set(await byNumber(reported))).toEqual(new Set(['active']));
});

it('an unknown number is CUSTOMER_NOT_FOUND; missing variables or reason are incidents that say so', async () => {
  const key = await startInstance(suite.zbc, 'suspend-emergency', { phoneNumber: '19900000000' });
  expect(trail(await waitForCompletion(suite.engine, key))).toContain('number-unknown:ELEMENT_COMPLETED');
  expect(await runToIncident(suite, 'suspend-arrears', { phoneNumber: '19900000000' })).toBe('suspend-service: account: a suspension for arrears needs the dunned account');
  expect(await runToIncident(suite, 'suspend-arrears', { account: { accountId: 'ACC-1' } })).toMatch(/suspend-service: invalid input variables: account.accountId/);
  expect(await runToIncident(suite, 'suspend-no-reason', { phoneNumber: '19900000000' })).toBe('suspend-service: header reason must be arrears or emergency, got undefined');
  expect(await runToIncident(suite, 'resume', {})).toBe('resume-service: account or phoneNumber: nothing says which lines to resume');
});

it('a suspension delivered twice logs one event', async () => {
  const { accountId } = await accountWithLines(2);
  const order = await createWorkOrder(suite.knex, { channel: 'sms', category: '话费催缴', state: 'dunning', centerCode: 'gd', idempotencyKey: 'suspend-twice-test', actor: 'test', now: new Date() });
  await runToCompletion(suite, 'suspend-twice', { account: { accountId, workOrderId: order.number } });
  expect(twice.runs()).toBeGreaterThanOrEqual(2);
  expect(await statuses(accountId)).toEqual({ account: 'suspended', lines: ['suspended'] });
  expect((await workOrderEvents(suite.knex, order.id)).map((e) => e.action)).toEqual(['created', 'suspended']);
});
