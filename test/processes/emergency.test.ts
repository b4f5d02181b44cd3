/**
 * emergency (规范 4.5) with the real workers: the reported line is suspended at once, the customer told, the back
 * office follows up and the line is resumed on request. A suspension held up by a provisioning outage past the
 * limit from the SLA configuration is chased (催办) without being stopped.
 */
import { minutesAsDuration, slaValue } from '../../db/slaConfig';
import { startInstance } from '../support/bpmn';
import { usePlatform } from '../support/platformHarness';
import { and, element, inInstance, ofType, trail, waitForCompletion, waitForRecords } from '../support/records';
import { groupMailbox } from '../../workers/staffMail';
import { complete, deployModels } from './drive';

const suite = usePlatform();
const MINUTE = 60_000;
let suspendLimitMinutes: number;

beforeAll(async () => {
  await deployModels(suite.zbc, 'emergency');
  suspendLimitMinutes = await slaValue(suite.knex, 'emergency.suspend');
});

/** The mobile number of the `skip`-th demo customer, and the statuses of its lines. */
async function reportedLine(skip: number) {
  const customer = await suite.knex('customers').orderBy('id').offset(skip).first('id', 'phone');
  return { ...customer, statuses: async () => [...new Set((await suite.knex('subscriptions').where({ number: customer.phone })).map((s) => s.status))] };
}

const report = (phoneNumber: string, extra: Record<string, unknown> = {}) =>
  startInstance(suite.zbc, 'emergency', { phoneNumber, emergencyType: 'lost', channel: 'phone', slaEmergencySuspend: minutesAsDuration(suspendLimitMinutes), ...extra });

it('suspends the line at once, tells the customer, follows up and resumes the line when the customer asks', async () => {
  const line = await reportedLine(0);
  const key = await report(line.phone);
  const followUp = await complete(suite.zbc, key, 'follow-up', { identityVerified: true, cardReplaced: true, resumeRequested: true }, undefined);
  expect(followUp.customHeaders['io.camunda.zeebe:formKey']).toBe('emergency-follow-up');
  // The follow-up form shows what the suspension reported.
  expect((followUp.variables as { suspendedAt?: string }).suspendedAt).toEqual(expect.any(String));
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('line-resumed:ELEMENT_COMPLETED');
  expect(steps).not.toContain('suspend-overdue:ELEMENT_ACTIVATED');
  expect(await line.statuses()).toEqual(['active']);

  const sms = await suite.knex('outbox').where({ channel: 'sms', recipient: line.phone });
  expect(sms.map((row) => row.body)).toEqual([`【中国联通】您的号码 ${line.phone} 已按您的要求紧急停机。补卡或复机请携带有效证件到营业厅办理，或拨打 10010。`]);
});

it('a suspension held up past the limit by a provisioning outage is chased, goes through once the system is back; without a request the line stays suspended', async () => {
  const line = await reportedLine(1);
  const key = await report(line.phone, { provisioningFault: '开通系统维护中' });
  const failed = and(inInstance(key), ofType('JOB', 'FAILED'));
  await waitForRecords(suite.engine, key, failed);
  expect(await line.statuses()).toEqual(['active']);

  await suite.advanceClock(suspendLimitMinutes * MINUTE + 1000);
  await waitForRecords(suite.engine, key, element('suspend-overdue-reminded', 'ELEMENT_COMPLETED'));
  const [reminder] = await suite.knex('outbox').where({ recipient: groupMailbox('backoffice') }).where('subject', 'like', `%${line.phone}%`);
  expect(reminder.subject).toBe(`【催办】号码 ${line.phone} 紧急停机超时`);

  // The system is back: the next retry after the back-off suspends the line.
  await waitForRecords(suite.engine, key, failed, { count: 2 });
  await suite.zbc.setVariables({ elementInstanceKey: key, variables: { provisioningFault: null }, local: false });
  await suite.advanceClock(5_000);
  await complete(suite.zbc, key, 'follow-up', { identityVerified: true, resumeRequested: false });
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('suspend-line:ELEMENT_COMPLETED');
  expect(steps).toContain('kept-suspended:ELEMENT_COMPLETED');
  expect(await line.statuses()).toEqual(['suspended']);
});

it('a number that is not ours ends the request', async () => {
  const key = await report('19900000000');
  expect(trail(await waitForCompletion(suite.engine, key))).toContain('number-unknown:ELEMENT_COMPLETED');
});
