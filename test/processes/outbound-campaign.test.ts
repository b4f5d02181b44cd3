/**
 * outbound-campaign (规范 7.10 / 4.16) with the real workers: every customer on the list is called; an unreachable one
 * is called again after the retry interval, at most three times; the summary counts the outcomes and is mailed to the
 * team leads.
 */
import type { Job, JSONDoc } from 'zeebe-node';
import { startInstance } from '../support/bpmn';
import { groupMailbox } from '../../workers/staffMail';
import { usePlatform } from '../support/platformHarness';
import { ofType, recordStream, trail, waitForCompletion } from '../support/records';
import { complete, deployModels, dueDateOf, takeJob } from './drive';

const suite = usePlatform();
const stream = recordStream(suite);
const HOUR = 3600_000;
interface ListedCustomer { customerId: number; customerName: string; phoneNumber: string }
let CUSTOMERS: ListedCustomer[];
let answersAtOnce: number;
let neverAnswers: number;
let answersSecondTime: number;

const forCustomer = (customerId: number) => (job: Job) => (job.variables as { customer?: { customerId?: number } }).customer?.customerId === customerId;

beforeAll(async () => {
  await deployModels(suite.zbc, 'outbound-campaign');
  // The campaign list: three demo customers of 广州, as the campaign starter picks them.
  CUSTOMERS = await suite.knex('customers').where({ city_code: 'gz' }).orderBy('id').limit(3).select('id as customerId', 'name as customerName', 'phone as phoneNumber');
  [answersAtOnce, neverAnswers, answersSecondTime] = CUSTOMERS.map((c) => c.customerId);
});

it('calls every customer, retries the unreachable after the interval at most three times, and summarises the outcomes', async () => {
  const campaignDueAt = new Date((await stream.engineNow()) + 72 * HOUR).toISOString();
  const key = await startInstance(suite.zbc, 'outbound-campaign', {
    campaignType: 'survey',
    customers: CUSTOMERS as unknown as JSONDoc[],
    slaOutboundRetry: 'PT2H',
    campaignDueAt,
  });
  const call = (customerId: number, outcome: Record<string, unknown>) => complete(suite.zbc, key, 'outbound-call', outcome, undefined, { match: forCustomer(customerId) });

  const first = await call(answersAtOnce, { reached: true, callResult: '满意' });
  expect(first.customHeaders['io.camunda.zeebe:formKey']).toBe('outbound-campaign-call');
  expect(JSON.parse(String(first.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['outbound-agent']);
  expect(dueDateOf(first)).toBe(Date.parse(campaignDueAt));
  await call(neverAnswers, { reached: false });
  await call(answersSecondTime, { reached: false });

  // No second call before the retry interval has passed.
  await expect(takeJob(suite.zbc, key, 'outbound-call', undefined, { timeoutMs: 1000, match: forCustomer(neverAnswers) })).rejects.toThrow();
  await suite.advanceClock(2 * HOUR + 60_000);
  await call(neverAnswers, { reached: false });
  await call(answersSecondTime, { reached: true, callResult: '基本满意' });

  await suite.advanceClock(2 * HOUR + 60_000);
  await call(neverAnswers, { reached: false });

  const records = await waitForCompletion(suite.engine, key);
  const summaryJob = records.find((r) => r.valueType === 'JOB' && r.intent === 'COMPLETED' && r.value.elementId === 'summarize');
  expect(summaryJob?.value.variables).toEqual({
    campaignSummary: { total: 3, reached: 2, unreachable: 1, connectRatePercent: 66.7, results: { 满意: 1, 基本满意: 1 } },
  });
  const callResults = records.filter(ofType('VARIABLE')).reverse().find((r) => r.value.name === 'callResults');
  expect(JSON.parse(String(callResults?.value.value))).toEqual([
    { customer: CUSTOMERS[0], reached: true, attempts: 1, result: '满意' },
    { customer: CUSTOMERS[1], reached: false, attempts: 3, result: null },
    { customer: CUSTOMERS[2], reached: true, attempts: 2, result: '基本满意' },
  ]);
  const [mail] = (await suite.caughtMail()).filter((m) => m.rcptTo.includes(groupMailbox('team-lead')));
  expect(mail.subject).toBe('外呼调查任务结果汇总（接通率 66.7%）');
  expect(mail.htmlBody).toContain('名单客户 3 户：接通 2 户，多次外呼未接通 1 户，接通率 66.7%。');

  const steps = trail(records);
  const count = (step: string) => steps.filter((s) => s === step).length;
  expect([count('customer-reached:ELEMENT_COMPLETED'), count('customer-unreachable:ELEMENT_COMPLETED'), count('call-retry-wait:ELEMENT_COMPLETED')]).toEqual([2, 1, 3]);
  expect(steps).toContain('campaign-done:ELEMENT_COMPLETED');
});
