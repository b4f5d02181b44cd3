/** emergency (规范 4.5): the line is suspended at once, the customer told, the back office follows up, the line resumed on request. */
import { startInstance } from '../support/bpmn';
import { useTestEngine } from '../support/engineHarness';
import { trail, waitForCompletion } from '../support/records';
import { complete, deployModels, takeJob, throwFrom } from './drive';

const suite = useTestEngine();
const MINUTE = 60_000;

beforeAll(() => deployModels(suite.zbc, 'emergency'));

const report = () =>
  startInstance(suite.zbc, 'emergency', { phoneNumber: '13800000002', emergencyType: 'lost', slaEmergencySuspend: 'PT10M' });

it('suspends, notifies, follows up and resumes the line when the customer asks', async () => {
  const key = await report();
  const suspend = await complete(suite.zbc, key, 'suspend-line', { suspendedAt: new Date().toISOString() }, 'suspend-service');
  expect(suspend.customHeaders.reason).toBe('emergency');
  const notify = await complete(suite.zbc, key, 'notify-suspended', {}, 'notify-customer');
  expect(notify.customHeaders.template).toBe('emergency-suspended');
  const followUp = await complete(suite.zbc, key, 'follow-up', { identityVerified: true, cardReplaced: true, resumeRequested: true });
  expect(followUp.customHeaders['io.camunda.zeebe:formKey']).toBe('emergency-follow-up');
  await complete(suite.zbc, key, 'resume-line', {}, 'resume-service');
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('line-resumed:ELEMENT_COMPLETED');
  expect(steps).not.toContain('suspend-overdue:ELEMENT_ACTIVATED');
});

it('a suspension not done within the limit is chased, without stopping it; without a request the line stays suspended', async () => {
  const key = await report();
  const suspend = await takeJob(suite.zbc, key, 'suspend-line', 'suspend-service');
  await suite.engine.advanceClock(10 * MINUTE + 1000);
  const reminder = await complete(suite.zbc, key, 'suspend-overdue-reminder', {}, 'send-reminder');
  expect(reminder.customHeaders.template).toBe('emergency-suspend-overdue');

  await suite.zbc.completeJob({ jobKey: suspend.key, variables: {} });
  await complete(suite.zbc, key, 'notify-suspended', {}, 'notify-customer');
  await complete(suite.zbc, key, 'follow-up', { identityVerified: true, resumeRequested: false });
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('suspend-overdue-reminded:ELEMENT_COMPLETED');
  expect(steps).toContain('kept-suspended:ELEMENT_COMPLETED');
});

it('an unknown number ends the request', async () => {
  const key = await report();
  await throwFrom(suite.zbc, key, 'suspend-line', 'suspend-service', 'CUSTOMER_NOT_FOUND');
  expect(trail(await waitForCompletion(suite.engine, key))).toContain('number-unknown:ELEMENT_COMPLETED');
});
