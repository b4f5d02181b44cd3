/**
 * outbound-campaign (规范 7.10 / 4.16): every customer on the list is called; an unreachable one is called again after
 * the retry interval, at most three times; the summary gets each customer's outcome.
 */
import type { Job } from 'zeebe-node';
import { startInstance } from '../support/bpmn';
import { useTestEngine } from '../support/engineHarness';
import { recordStream, trail, waitForCompletion } from '../support/records';
import { complete, deployModels, dueDateOf, takeJob } from './drive';

const suite = useTestEngine();
const stream = recordStream(suite);
const HOUR = 3600_000;
const CUSTOMERS = [
  { customerId: 'C-GZ-0101', phoneNumber: '13800000101' },
  { customerId: 'C-GZ-0102', phoneNumber: '13800000102' },
  { customerId: 'C-SZ-0103', phoneNumber: '13800000103' },
];
const [answersAtOnce, neverAnswers, answersSecondTime] = CUSTOMERS.map((c) => c.customerId);

const forCustomer = (customerId: string) => (job: Job) => (job.variables as { customer?: { customerId?: string } }).customer?.customerId === customerId;

beforeAll(() => deployModels(suite.zbc, 'outbound-campaign'));

it('calls every customer, retries the unreachable after the interval at most three times, and summarises the outcomes', async () => {
  const campaignDueAt = new Date((await stream.engineNow()) + 72 * HOUR).toISOString();
  const key = await startInstance(suite.zbc, 'outbound-campaign', {
    campaignType: 'survey',
    customers: CUSTOMERS,
    slaOutboundRetry: 'PT2H',
    campaignDueAt,
  });
  const call = (customerId: string, outcome: Record<string, unknown>) => complete(suite.zbc, key, 'outbound-call', outcome, undefined, { match: forCustomer(customerId) });

  const first = await call(answersAtOnce, { reached: true, callResult: '满意' });
  expect(first.customHeaders['io.camunda.zeebe:formKey']).toBe('outbound-campaign-call');
  expect(JSON.parse(String(first.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['outbound-agent']);
  expect(dueDateOf(first)).toBe(Date.parse(campaignDueAt));
  await call(neverAnswers, { reached: false });
  await call(answersSecondTime, { reached: false });

  // No second call before the retry interval has passed.
  await expect(takeJob(suite.zbc, key, 'outbound-call', undefined, { timeoutMs: 1000, match: forCustomer(neverAnswers) })).rejects.toThrow();
  await suite.engine.advanceClock(2 * HOUR + 60_000);
  await call(neverAnswers, { reached: false });
  await call(answersSecondTime, { reached: true, callResult: '基本满意' });

  await suite.engine.advanceClock(2 * HOUR + 60_000);
  await call(neverAnswers, { reached: false });

  const summary = await complete(suite.zbc, key, 'summarize', { connectRate: 2 / 3 }, 'campaign-summary');
  expect((summary.variables as { callResults: unknown }).callResults).toEqual([
    { customer: CUSTOMERS[0], reached: true, attempts: 1, result: '满意' },
    { customer: CUSTOMERS[1], reached: false, attempts: 3, result: null },
    { customer: CUSTOMERS[2], reached: true, attempts: 2, result: '基本满意' },
  ]);

  const steps = trail(await waitForCompletion(suite.engine, key));
  const count = (step: string) => steps.filter((s) => s === step).length;
  expect([count('customer-reached:ELEMENT_COMPLETED'), count('customer-unreachable:ELEMENT_COMPLETED'), count('call-retry-wait:ELEMENT_COMPLETED')]).toEqual([2, 1, 3]);
  expect(steps).toContain('campaign-done:ELEMENT_COMPLETED');
});
