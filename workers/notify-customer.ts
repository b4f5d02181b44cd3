/**
 * notify-customer: tells the customer what became of their request (答复客户, 通知) with the notice the model names
 * in the `template` header, by SMS into the outbox and by mail, in the request's own channel where it has one.
 */
import { z } from 'zod';
import { customerContactShape, sendCustomerNotice } from './customerNotice';
import { completeWith, defineJobWorker, headerChoice } from './jobWorker';
import type { NoticeName } from './notices';

const CUSTOMER_TEMPLATES = [
  'complaint-reply',
  'complaint-national-reply',
  'consultation-reply',
  'written-reply',
  'emergency-suspended',
  'service-order-refused',
  'service-order-completed',
] as const satisfies readonly NoticeName[];

export const notifyCustomerWorker = defineJobWorker({
  type: 'notify-customer',
  input: z.object({
    ...customerContactShape,
    workOrderId: z.string().trim().min(1).nullish(),
    // What the notices quote: the city's reply, the province's result, the answer to a consultation ...
    replyText: z.string().nullish(),
    provinceResult: z.string().nullish(),
    answerText: z.string().nullish(),
    resolution: z.string().nullish(),
    refusalReason: z.string().nullish(),
  }),
  async handle(input, job, context) {
    const template = headerChoice(job, 'template', CUSTOMER_TEMPLATES);
    const channels = await sendCustomerNotice(context, input, {
      template,
      data: input,
      workOrderNumber: input.workOrderId,
      idempotencyKey: `${job.key}:notice`,
    });
    return completeWith({ notifiedBy: channels });
  },
});
