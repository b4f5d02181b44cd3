/**
 * auto-acknowledge (自动受理回执): opens the request's work order (or takes the one it came with), promises a reply
 * by the complaint time limit of the SLA configuration, and sends the customer the receipt: work-order number,
 * time of acceptance, reply due.
 */
import { z } from 'zod';
import { addMinutes } from '../db/slaConfig';
import { changeWorkOrder } from '../db/workOrders';
import { complaintDeadlineMinutes } from './complaintDeadline';
import { customerContactShape, sendCustomerNotice } from './customerNotice';
import { completeWith, defineJobWorker, type JobInfo, type WorkerContext } from './jobWorker';
import { openRequestWorkOrder, requestShape, type RequestInput } from './requestWorkOrder';

export const autoAcknowledgeWorker = defineJobWorker({
  type: 'auto-acknowledge',
  input: z.object({
    ...customerContactShape,
    ...requestShape,
    vip: z.boolean().nullish(),
    /** Set when the request arrives with its order already open (a complaint the national center dispatched). */
    workOrderId: z.string().trim().min(1).nullish(),
  }),
  async handle(input, job, context) {
    const now = context.now();
    const replyDueAt = addMinutes(now, await complaintDeadlineMinutes(context.knex, input));
    const workOrderId = await acknowledgedOrder(context, job, input, { now, replyDueAt });
    await sendCustomerNotice(context, input, {
      template: 'acknowledgement',
      data: { workOrderId, acceptedAt: now, replyDueAt, kind: input.kind },
      workOrderNumber: workOrderId,
      idempotencyKey: `${job.key}:receipt`,
    });
    return completeWith({ workOrderId, replyDueAt: replyDueAt.toISOString() });
  },
});

async function acknowledgedOrder(context: WorkerContext, job: JobInfo, input: RequestInput & { workOrderId?: string | null }, times: { now: Date; replyDueAt: Date }): Promise<string> {
  if (!input.workOrderId) {
    return (await openRequestWorkOrder(context, job, input, { state: 'acknowledged', slaDeadline: times.replyDueAt, purpose: 'work-order', now: times.now })).number;
  }
  const order = await changeWorkOrder(context.knex, {
    number: input.workOrderId,
    state: 'acknowledged',
    slaDeadline: times.replyDueAt,
    action: 'acknowledged',
    actor: job.type,
    idempotencyKey: `${job.key}:acknowledged`,
    now: times.now,
  });
  return order.number;
}
