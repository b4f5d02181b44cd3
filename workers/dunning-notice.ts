/**
 * dunning-notice (4.14 催缴通知, header stage first/second): an SMS to the outbox and, where the customer has an
 * address, a mail, stating what the account owes now (in 元; the billing tables keep fen). An account that has paid
 * meanwhile gets nothing.
 */
import { z } from 'zod';
import { deliverOutboxMessage, queueOutboxMessage } from '../db/outbox';
import { changeWorkOrder, findWorkOrder } from '../db/workOrders';
import { beijingDate } from '../db/seed/billing';
import { formatYuan, renderMailTemplate } from '../server/mail/mailTemplates';
import { arrearsOfAccount } from './arrears';
import { completeWith, defineJobWorker, headerChoice } from './jobWorker';

const STAGES = {
  first: {
    subject: '话费欠费提醒',
    text: (owed: string, bills: number, asOf: string) => `截至 ${asOf}，您的账户尚有 ${bills} 期话费未缴，合计 ${owed} 元，请尽快缴纳，以免影响使用。如已缴费请忽略本提醒。`,
  },
  second: {
    subject: '话费欠费再次提醒',
    text: (owed: string, bills: number, asOf: string) => `截至 ${asOf}，您的账户仍有 ${bills} 期话费未缴，合计 ${owed} 元。请立即缴纳，逾期未缴将暂停服务（停机）。如已缴费请忽略本提醒。`,
  },
} as const;

export const dunningNoticeWorker = defineJobWorker({
  type: 'dunning-notice',
  input: z.object({
    account: z.object({
      accountId: z.number().int().positive(),
      customerName: z.string().min(1),
      phoneNumber: z.string().min(1),
      email: z.email().nullish(),
      workOrderId: z.string().min(1).nullish(),
    }),
  }),
  async handle({ account }, job, context) {
    const stage = headerChoice(job, 'stage', ['first', 'second']);
    const now = context.now();
    const arrears = await arrearsOfAccount(context.knex, account.accountId, now);
    if (arrears.arrearsFen <= 0) return completeWith();

    const notice = STAGES[stage];
    const owed = formatYuan(arrears.arrearsFen);
    const text = notice.text(owed, arrears.unpaidBills, beijingDate(now).day);
    const workOrder = account.workOrderId ? await findWorkOrder(context.knex, account.workOrderId) : undefined;
    await queueOutboxMessage(context.knex, {
      channel: 'sms',
      recipient: account.phoneNumber,
      body: `【中国联通】尊敬的${account.customerName}：${text}`,
      workOrderId: workOrder?.id ?? null,
      idempotencyKey: `${job.key}:sms`,
    });
    if (account.email) {
      await deliverOutboxMessage(context.knex, context.mailer, {
        channel: 'email',
        recipient: account.email,
        subject: notice.subject,
        body: renderMailTemplate('notice', { subject: notice.subject, greeting: `尊敬的${account.customerName}：`, paragraphs: [text], workOrderId: workOrder?.number ?? null }),
        workOrderId: workOrder?.id ?? null,
        idempotencyKey: `${job.key}:email`,
      });
    }
    if (workOrder) {
      await changeWorkOrder(context.knex, {
        number: workOrder.number,
        state: `${stage}-notice`,
        action: `dunning-notice-${stage}`,
        actor: 'dunning-notice',
        note: `欠费 ${owed} 元`,
        idempotencyKey: `${job.key}:notice`,
        now,
      });
    }
    return completeWith();
  },
});
