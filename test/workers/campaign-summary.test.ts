/** campaign-summary: the outcomes of an outbound campaign counted, and mailed once to the team leads' mailbox. */
import type { JSONDoc } from 'zeebe-node';
import { campaignSummaryWorker } from '../../workers/campaign-summary';
import { groupMailbox } from '../../workers/staffMail';
import { usePlatform } from '../support/platformHarness';
import { deliveredTwice, deploySingleTask, runToCompletion, runToIncident } from './serviceTaskRun';

const twice = deliveredTwice(campaignSummaryWorker, 'campaign-summary-twice');
const suite = usePlatform({ workers: [campaignSummaryWorker, twice], seed: false });

beforeAll(async () => {
  await deploySingleTask(suite.zbc, 'summary', 'campaign-summary');
  await deploySingleTask(suite.zbc, 'summary-twice', 'campaign-summary-twice');
});

// FEEL hands the worker null for a call never reached, which zeebe-node's JSON type does not spell.
const call = (reached: boolean, attempts: number, result: string | null) => ({ customer: { customerId: attempts }, reached, attempts, result }) as unknown as JSONDoc;
const RESULTS = [call(true, 1, '满意'), call(true, 2, '满意'), call(true, 1, '拒访'), call(false, 3, null), call(true, 1, null)];

it('counts reached, unreachable and the results, and mails the summary to the team leads', async () => {
  const { output } = await runToCompletion(suite, 'summary-twice', { campaignType: 'survey', callResults: RESULTS });
  expect(twice.runs()).toBeGreaterThanOrEqual(2);
  expect(output.campaignSummary).toEqual({ total: 5, reached: 4, unreachable: 1, connectRatePercent: 80, results: { 满意: 2, 拒访: 1, 未记录结果: 1 } });
  const mails = (await suite.caughtMail()).filter((m) => m.rcptTo.includes(groupMailbox('team-lead')));
  expect(mails).toHaveLength(1);
  expect(mails[0].subject).toBe('外呼调查任务结果汇总（接通率 80%）');
  expect(mails[0].htmlBody).toContain('名单客户 5 户：接通 4 户，多次外呼未接通 1 户，接通率 80%。');
  expect(mails[0].htmlBody).toContain('拒访：1 户');
});

it('an empty list is summarised as nothing reached; a bad result list is an incident naming the field', async () => {
  const { output } = await runToCompletion(suite, 'summary', { campaignType: 'revisit', callResults: [] });
  expect(output.campaignSummary).toEqual({ total: 0, reached: 0, unreachable: 0, connectRatePercent: 0, results: {} });
  expect(await runToIncident(suite, 'summary', { campaignType: 'revisit', callResults: [{ reached: 'yes', attempts: 1 }] })).toMatch(
    /campaign-summary: invalid input variables: callResults.0.reached/,
  );
});
