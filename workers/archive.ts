/**
 * archive (归档): closes the request's work order (state archived, archived_at, an event). A request closed at
 * first contact has no work order yet; it gets one, opened straight into the archive, so every request is counted.
 * A complaint the national center handed to this province reports its result back to complaint-national here.
 */
import { z } from 'zod';
import { changeWorkOrder } from '../db/workOrders';
import { completeWith, defineJobWorker, type JobInfo, type WorkerContext } from './jobWorker';
import { openRequestWorkOrder, requestShape } from './requestWorkOrder';

/** complaint-national waits on this message, correlated by work-order number. */
export const NATIONAL_RESULT_MESSAGE = 'complaint-national-result';
/** Long enough for the national instance to be waiting even if the province answered within a day. */
const RESULT_MESSAGE_TTL_MS = 24 * 3600_000;
const GRPC_ALREADY_EXISTS = 6;

export const archiveWorker = defineJobWorker({
  type: 'archive',
  input: z.object({
    ...requestShape,
    workOrderId: z.string().trim().min(1).nullish(),
    origin: z.string().nullish(),
    // What the province did, reported to the national center.
    replyText: z.string().nullish(),
    resolution: z.string().nullish(),
  }),
  async handle(input, job, context) {
    const now = context.now();
    if (!input.workOrderId) {
      const order = await openRequestWorkOrder(context, job, input, { state: 'archived', purpose: 'work-order', now });
      await changeWorkOrder(context.knex, { number: order.number, segmentEnded: 'archived_at', action: 'archived', actor: job.type, note: '首次接触即办结', idempotencyKey: `${job.key}:archive`, now });
      return completeWith({ workOrderId: order.number });
    }
    await changeWorkOrder(context.knex, { number: input.workOrderId, state: 'archived', segmentEnded: 'archived_at', action: 'archived', actor: job.type, idempotencyKey: `${job.key}:archive`, now });
    if (job.bpmnProcessId === 'complaint' && input.origin === 'national') {
      await reportToNational(context, job, input.workOrderId, input.replyText ?? input.resolution ?? '已处理');
    }
    return completeWith();
  },
});

async function reportToNational(context: WorkerContext, job: JobInfo, workOrderId: string, provinceResult: string) {
  if (!context.zbc) throw new Error('archive needs the Zeebe client to report to the national center');
  try {
    await context.zbc.publishMessage({
      name: NATIONAL_RESULT_MESSAGE,
      correlationKey: workOrderId,
      messageId: `${job.key}:national-result`,
      variables: { provinceResult },
      timeToLive: RESULT_MESSAGE_TTL_MS,
    });
  } catch (error) {
    // A second delivery of this job: the message with this id is out already.
    if ((error as { code?: number }).code !== GRPC_ALREADY_EXISTS) throw error;
  }
}
