/**
 * campaign-summary (4.16 呼出服务): counts the outcomes of an outbound campaign (reached, unreachable after the
 * retries, the results of the reached calls such as 满意 or 拒访) into `campaignSummary`, and mails it to the team
 * leads' (班长) mailbox.
 */
import { z } from 'zod';
import { deliverOutboxMessage } from '../db/outbox';
import { renderMailTemplate } from '../server/mail/mailTemplates';
import { completeWith, defineJobWorker } from './jobWorker';
import { groupMailbox } from './staffMail';

/** The candidate group whose mailbox gets the summary. */
const TEAM_LEADS = 'team-lead';
const CAMPAIGN_LABELS = { revisit: '回访', survey: '调查', notification: '通知' } as const;
/** A reached call whose form recorded no result. */
const NO_RESULT = '未记录结果';

export interface CampaignSummary {
  total: number;
  reached: number;
  unreachable: number;
  /** Reached / called, in percent with one decimal. */
  connectRatePercent: number;
  /** Reached calls per result. */
  results: Record<string, number>;
}

export const campaignSummaryWorker = defineJobWorker({
  type: 'campaign-summary',
  input: z.object({
    campaignType: z.enum(Object.keys(CAMPAIGN_LABELS) as [keyof typeof CAMPAIGN_LABELS]),
    callResults: z.array(
      z.object({
        reached: z.boolean().nullable(),
        attempts: z.number().int().nonnegative(),
        result: z.string().nullable(),
      }),
    ),
  }),
  async handle({ campaignType, callResults }, job, context) {
    const campaignSummary = summarize(callResults);
    const label = CAMPAIGN_LABELS[campaignType];
    const subject = `外呼${label}任务结果汇总（接通率 ${campaignSummary.connectRatePercent}%）`;
    const paragraphs = [
      `名单客户 ${campaignSummary.total} 户：接通 ${campaignSummary.reached} 户，多次外呼未接通 ${campaignSummary.unreachable} 户，接通率 ${campaignSummary.connectRatePercent}%。`,
      ...Object.entries(campaignSummary.results).map(([result, count]) => `${result}：${count} 户`),
    ];
    const html = renderMailTemplate('notice', { subject, greeting: '班长：', paragraphs, workOrderId: null });
    await deliverOutboxMessage(context.knex, context.mailer, {
      channel: 'email',
      recipient: groupMailbox(TEAM_LEADS),
      subject,
      body: html,
      idempotencyKey: `${job.key}:summary`,
    });
    return completeWith({ campaignSummary });
  },
});

function summarize(calls: { reached: boolean | null; result: string | null }[]): CampaignSummary {
  const reachedCalls = calls.filter((call) => call.reached === true);
  const results: Record<string, number> = {};
  for (const call of reachedCalls) {
    const result = call.result ?? NO_RESULT;
    results[result] = (results[result] ?? 0) + 1;
  }
  return {
    total: calls.length,
    reached: reachedCalls.length,
    unreachable: calls.length - reachedCalls.length,
    connectRatePercent: calls.length === 0 ? 0 : Math.round((reachedCalls.length / calls.length) * 1000) / 10,
    results,
  };
}
