/**
 * dispatch-to-province (全国中心派发省中心): hands a complaint the national center registered to the provincial
 * center over the customer's city. Opens its work order there (or re-opens the one it already has), starts the
 * province's complaint flow with origin national, and answers the work-order number, by which complaint-national
 * waits for the province's result (the province's archive step reports it).
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { minutesAsDuration, slaValue } from '../db/slaConfig';
import { CHANNELS, createWorkOrder } from '../db/workOrders';
import { completeWith, defineJobWorker, PermanentJobFailure, type JobInfo, type WorkerContext } from './jobWorker';
import { startProcessOnce } from './startProcessOnce';

const input = z.object({
  workOrderId: z.string().trim().min(1).nullish(),
  customerPhone: z.string().trim().min(1).nullish(),
  customerId: z.number().int().positive().nullish(),
  provinceCode: z.string().trim().min(1).nullish(),
  channel: z.enum(CHANNELS).nullish(),
  origin: z.string().nullish(),
  category: z.string().trim().min(1).nullish(),
  description: z.string().nullish(),
  urgency: z.enum(['urgent', 'normal']).nullish(),
});

type DispatchInput = z.infer<typeof input>;

export const dispatchToProvinceWorker = defineJobWorker({
  type: 'dispatch-to-province',
  input,
  async handle(variables, job, context) {
    const customer = await customerOf(context.knex, variables);
    const province = await provinceCenter(context.knex, variables.provinceCode ?? customer?.province);
    const workOrderId = await provinceOrder(context, job, variables, province.code, customer?.id ?? null);
    await startProcessOnce(context, {
      bpmnProcessId: 'complaint',
      variables: {
        origin: 'national',
        workOrderId,
        channel: channelOf(variables),
        customerId: customer?.id ?? null,
        phoneNumber: variables.customerPhone ?? null,
        category: variables.category ?? null,
        description: variables.description ?? null,
        urgency: variables.urgency ?? null,
        kind: 'complaint',
        slaCallbackRetry: minutesAsDuration(await slaValue(context.knex, 'callback.retry_interval')),
      },
      change: {
        number: workOrderId,
        state: 'dispatched-province',
        centerCode: province.code,
        action: 'dispatched-to-province',
        actor: job.type,
        note: `全国中心派发${province.name}：`,
        idempotencyKey: `${job.key}:province-complaint`,
      },
    });
    // The national reply and callback reach the customer through these.
    return completeWith({ workOrderId, customerId: customer?.id ?? null, phoneNumber: variables.customerPhone ?? null });
  },
});

/** The national center takes complaints by phone (10010/10015 escalations, regulator transfers) and by letter. */
function channelOf(variables: DispatchInput) {
  return variables.channel ?? (variables.origin === 'letter' ? 'letter' : 'phone');
}

async function customerOf(knex: Knex, variables: DispatchInput): Promise<{ id: number; province: string } | undefined> {
  const query = knex('customers').join('centers', 'centers.code', 'customers.city_code').first('customers.id', 'centers.parent_code as province');
  if (variables.customerId != null) {
    const customer = await query.where('customers.id', variables.customerId);
    if (!customer) throw new PermanentJobFailure(`customerId ${variables.customerId} names no customer`);
    return customer;
  }
  return variables.customerPhone ? query.where('customers.phone', variables.customerPhone) : undefined;
}

async function provinceCenter(knex: Knex, code: string | undefined): Promise<{ code: string; name: string }> {
  if (!code) throw new PermanentJobFailure('provinceCode: not given, and the customer phone names no customer of ours');
  const center = await knex('centers').where({ code, tier: 'province' }).first('code', 'name');
  if (!center) throw new PermanentJobFailure(`provinceCode: ${JSON.stringify(code)} is not a provincial center`);
  return center;
}

/** A first dispatch opens the order at the province; a re-dispatch after the national review re-opens it. */
async function provinceOrder(context: WorkerContext, job: JobInfo, variables: DispatchInput, provinceCode: string, customerId: number | null): Promise<string> {
  if (variables.workOrderId) return variables.workOrderId;
  const order = await createWorkOrder(context.knex, {
    channel: channelOf(variables),
    category: variables.category ?? 'complaint',
    state: 'registered',
    description: variables.description ?? null,
    customerId,
    centerCode: provinceCode,
    processInstanceKey: job.processInstanceKey,
    urgency: variables.urgency ?? null,
    kind: 'complaint',
    idempotencyKey: `${job.key}:work-order`,
    actor: job.type,
    now: context.now(),
  });
  return order.number;
}
