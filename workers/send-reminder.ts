/**
 * send-reminder (催单/催办): a time limit is running out; mails the group that holds the work (and the handler who
 * signed for it) with the reminder the `template` header names.
 */
import { z } from 'zod';
import { changeWorkOrder } from '../db/workOrders';
import { completeWith, defineJobWorker, PermanentJobFailure, headerChoice } from './jobWorker';
import { groupMailbox, mailStaff, userMailbox } from './staffMail';

const input = z.object({
  workOrderId: z.string().trim().min(1).nullish(),
  cityCode: z.string().trim().min(1).nullish(),
  cityReplyDueAt: z.iso.datetime({ offset: true }).nullish(),
  signedBy: z.string().trim().min(1).nullish(),
  phoneNumber: z.string().trim().min(1).nullish(),
});

type ReminderInput = z.infer<typeof input>;

/** Who is reminded, per template. */
const REMINDERS = {
  'city-complaint-reminder': (variables: ReminderInput) => {
    if (!variables.cityCode) throw new PermanentJobFailure('cityCode: the city group to remind is unknown');
    return `city-${variables.cityCode}`;
  },
  'emergency-suspend-overdue': () => 'backoffice',
} as const;

const REMINDER_TEMPLATES = Object.keys(REMINDERS) as [keyof typeof REMINDERS, ...(keyof typeof REMINDERS)[]];

export const sendReminderWorker = defineJobWorker({
  type: 'send-reminder',
  input,
  async handle(variables, job, context) {
    const template = headerChoice(job, 'template', REMINDER_TEMPLATES);
    const recipients = [groupMailbox(REMINDERS[template](variables))];
    const handler = variables.signedBy ? await userMailbox(context.knex, variables.signedBy) : null;
    if (handler) recipients.push(handler);
    const sent = await mailStaff(context, {
      template,
      data: variables,
      recipients,
      workOrderNumber: variables.workOrderId,
      idempotencyKey: `${job.key}:reminder`,
    });
    if (variables.workOrderId) {
      await changeWorkOrder(context.knex, {
        number: variables.workOrderId,
        action: 'reminded',
        actor: job.type,
        note: sent.join(', '),
        idempotencyKey: `${job.key}:reminded`,
        now: context.now(),
      });
    }
    return completeWith({ remindedAt: context.now().toISOString() });
  },
});
