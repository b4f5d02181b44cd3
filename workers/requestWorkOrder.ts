/**
 * Opening the work order (工单) of a customer request from the variables its flow carries: who (customer), how
 * (channel), what (category, service line, urgency, complaint or suggestion) and where it belongs (the provincial
 * center over the customer's city). Used by the acknowledgement and by archiving a request closed at first contact.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { CHANNELS, createWorkOrder, type WorkOrder } from '../db/workOrders';
import { requireCustomer } from './customers';
import { SERVICE_LINES } from './serviceLines';
import { PermanentJobFailure, type JobInfo, type WorkerContext } from './jobWorker';

export const requestShape = {
  customerId: z.number().int().positive().nullish(),
  cityCode: z.string().trim().min(1).nullish(),
  channel: z.enum(CHANNELS).nullish(),
  category: z.string().trim().min(1).nullish(),
  serviceLine: z.enum(SERVICE_LINES).nullish(),
  urgency: z.enum(['urgent', 'normal']).nullish(),
  kind: z.string().trim().min(1).nullish(),
  description: z.string().nullish(),
  content: z.string().nullish(),
};

export type RequestInput = z.infer<z.ZodObject<typeof requestShape>>;

/**
 * The provincial center a request belongs to: the parent of the customer's city, else of the city the flow names.
 * A request nobody could place (an unidentified web or mail sender) goes to the provincial center with the
 * lowest code, which in a one-province installation is the only one.
 */
export async function provinceOf(knex: Knex, input: Pick<RequestInput, 'customerId' | 'cityCode'>): Promise<string> {
  const customer = input.customerId != null ? await requireCustomer(knex, input.customerId) : undefined;
  const city = customer?.cityCode ?? input.cityCode;
  if (city) {
    const center = await knex('centers').where({ code: city }).first('code', 'tier', 'parent_code');
    if (!center) throw new PermanentJobFailure(`cityCode ${JSON.stringify(city)} names no center`);
    return center.tier === 'province' ? center.code : center.parent_code;
  }
  const province = await knex('centers').where({ tier: 'province' }).orderBy('code').first('code');
  if (!province) throw new Error('No provincial center is configured (table centers)');
  return province.code;
}

export interface OpenOptions {
  state: string;
  slaDeadline?: Date | null;
  /** Purpose part of the idempotency key, e.g. `work-order`. */
  purpose: string;
  /** The time the job works with, so the order's times match what the job computed from it; default now. */
  now?: Date;
}

/** Creates the work order of the request once per job; a second delivery gets the same order back. */
export async function openRequestWorkOrder(context: WorkerContext, job: JobInfo, input: RequestInput, options: OpenOptions): Promise<WorkOrder> {
  if (!input.channel) throw new PermanentJobFailure('channel: a work order needs the channel the request came by');
  return createWorkOrder(context.knex, {
    channel: input.channel,
    category: input.category ?? job.bpmnProcessId,
    serviceLine: input.serviceLine ?? null,
    state: options.state,
    description: input.description ?? input.content ?? null,
    customerId: input.customerId ?? null,
    centerCode: await provinceOf(context.knex, input),
    slaDeadline: options.slaDeadline ?? null,
    processInstanceKey: job.processInstanceKey,
    urgency: input.urgency ?? null,
    kind: input.kind ?? null,
    idempotencyKey: `${job.key}:${options.purpose}`,
    actor: job.type,
    now: options.now ?? context.now(),
  });
}
