/**
 * dispatch-to-city (派单): sends the complaint's work order to the city center of the customer's number (or the
 * city the back office chose when re-dispatching), mails the city group's mailbox, and sets the city's time
 * limits from the SLA configuration: sign for within complaint.sign_for, reply by the complaint's reply time,
 * reminder (催单) at complaint.reminder_at percent of the time left.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { addMinutes, minutesAsDuration, slaValues } from '../db/slaConfig';
import { changeWorkOrder } from '../db/workOrders';
import { complaintDeadlineMinutes } from './complaintDeadline';
import { findCustomerById, findCustomerByNumber } from './customers';
import { completeWith, defineJobWorker, PermanentJobFailure } from './jobWorker';
import { groupMailbox, mailStaff } from './staffMail';

const input = z.object({
  workOrderId: z.string().trim().min(1),
  /** Set: the back office re-dispatched to this city, or an earlier round went there. */
  cityCode: z.string().trim().min(1).nullish(),
  phoneNumber: z.string().trim().min(1).nullish(),
  customerId: z.number().int().positive().nullish(),
  replyDueAt: z.iso.datetime({ offset: true }).nullish(),
  urgency: z.enum(['urgent', 'normal']).nullish(),
  vip: z.boolean().nullish(),
  category: z.string().nullish(),
  description: z.string().nullish(),
});

type DispatchInput = z.infer<typeof input>;

export const dispatchToCityWorker = defineJobWorker({
  type: 'dispatch-to-city',
  input,
  async handle(variables, job, context) {
    const now = context.now();
    const city = await cityCenter(context.knex, variables);
    const sla = await slaValues(context.knex, ['complaint.sign_for', 'complaint.reminder_at']);
    const cityReplyDueAt = await replyDue(context.knex, variables, now);
    const cityRemindAt = new Date(now.getTime() + Math.round(((cityReplyDueAt.getTime() - now.getTime()) * sla['complaint.reminder_at']) / 100));

    await changeWorkOrder(context.knex, {
      number: variables.workOrderId,
      state: 'dispatched',
      centerCode: city.code,
      segmentEnded: 'dispatched_at',
      action: 'dispatched',
      actor: job.type,
      note: `派至${city.name}`,
      idempotencyKey: `${job.key}:dispatched`,
      now,
    });
    await mailStaff(context, {
      template: 'city-complaint-dispatched',
      data: {
        workOrderId: variables.workOrderId,
        centerName: city.name,
        category: variables.category ?? '',
        description: variables.description ?? '',
        signDueAt: addMinutes(now, sla['complaint.sign_for']),
        cityReplyDueAt,
      },
      recipients: [groupMailbox(`city-${city.code}`)],
      workOrderNumber: variables.workOrderId,
      idempotencyKey: `${job.key}:dispatch-mail`,
    });
    return completeWith({
      cityCode: city.code,
      slaCitySign: minutesAsDuration(sla['complaint.sign_for']),
      cityRemindAt: cityRemindAt.toISOString(),
      cityReplyDueAt: cityReplyDueAt.toISOString(),
    });
  },
});

/** The city: as chosen, else the home city of whoever holds the number, else of the customer. */
async function cityCenter(knex: Knex, variables: DispatchInput): Promise<{ code: string; name: string }> {
  const code = variables.cityCode ?? (await homeCity(knex, variables));
  if (!code) throw new PermanentJobFailure('cityCode: neither the number nor the customer tells which city center to dispatch to');
  const center = await knex('centers').where({ code, tier: 'city' }).first('code', 'name');
  if (!center) throw new PermanentJobFailure(`cityCode: ${JSON.stringify(code)} is not a city center`);
  return center;
}

async function homeCity(knex: Knex, variables: DispatchInput): Promise<string | undefined> {
  const holder = variables.phoneNumber ? await findCustomerByNumber(knex, variables.phoneNumber) : undefined;
  if (holder) return holder.cityCode;
  return variables.customerId != null ? (await findCustomerById(knex, variables.customerId))?.cityCode : undefined;
}

/** The complaint's reply time; a reopened complaint whose time has passed gets a fresh limit from now. */
async function replyDue(knex: Knex, variables: DispatchInput, now: Date): Promise<Date> {
  const promised = variables.replyDueAt ? new Date(variables.replyDueAt) : undefined;
  if (promised && promised > now) return promised;
  return addMinutes(now, await complaintDeadlineMinutes(knex, variables));
}
