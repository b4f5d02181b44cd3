/**
 * Work orders (工单) and their event log. Workers and the task inbox change them only through these functions,
 * each idempotent under a key, so a job or a form submitted twice leaves one order and one event.
 */
import type { Knex } from 'knex';
import { nextWorkOrderNumber } from './workOrderNumber';

export const CHANNELS = ['phone', 'web', 'email', 'fax', 'letter', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The end of each timed lifecycle segment (受理, 审核派发, 核查处理, 结果审核, 归档). */
export type LifecycleSegment = 'accepted_at' | 'dispatched_at' | 'handled_at' | 'reviewed_at' | 'archived_at';

export interface WorkOrder {
  id: number;
  number: string;
  channel: Channel;
  category: string;
  service_line: string | null;
  state: string;
  description: string | null;
  customer_id: number | null;
  center_code: string;
  sla_deadline: Date | null;
  process_instance_key: string | null;
  urgency: string | null;
  kind: string | null;
  created_at: Date;
  accepted_at: Date | null;
  dispatched_at: Date | null;
  handled_at: Date | null;
  reviewed_at: Date | null;
  archived_at: Date | null;
  idempotency_key: string | null;
}

export interface NewWorkOrder {
  channel: Channel;
  category: string;
  serviceLine?: string | null;
  state: string;
  description?: string | null;
  customerId?: number | null;
  centerCode: string;
  slaDeadline?: Date | null;
  processInstanceKey?: string | null;
  urgency?: string | null;
  kind?: string | null;
  /** What creates it, e.g. `<job key>:work-order`; the same key returns the order made the first time. */
  idempotencyKey: string;
  /** Who or what opened it, for the first event. */
  actor: string;
  now: Date;
}

export async function createWorkOrder(knex: Knex, order: NewWorkOrder): Promise<WorkOrder> {
  const existing = await knex<WorkOrder>('work_orders').where({ idempotency_key: order.idempotencyKey }).first();
  if (existing) return existing;
  return knex.transaction(async (trx) => {
    const number = await nextWorkOrderNumber(trx, order.centerCode, order.now);
    const inserted = await trx<WorkOrder>('work_orders')
      .insert({
        number,
        channel: order.channel,
        category: order.category,
        service_line: order.serviceLine ?? null,
        state: order.state,
        description: order.description ?? null,
        customer_id: order.customerId ?? null,
        center_code: order.centerCode,
        sla_deadline: order.slaDeadline ?? null,
        process_instance_key: order.processInstanceKey ?? null,
        urgency: order.urgency ?? null,
        kind: order.kind ?? null,
        idempotency_key: order.idempotencyKey,
        created_at: order.now,
        accepted_at: order.now,
      })
      .onConflict('idempotency_key')
      .ignore()
      .returning('*');
    // Lost a race with a second delivery of the same job: theirs is the order.
    const created = inserted[0] ?? (await trx<WorkOrder>('work_orders').where({ idempotency_key: order.idempotencyKey }).first())!;
    await trx('work_order_events')
      .insert({ work_order_id: created.id, at: order.now, actor: order.actor, action: 'created', note: null, idempotency_key: `${order.idempotencyKey}:created` })
      .onConflict('idempotency_key')
      .ignore();
    return created;
  });
}

export async function findWorkOrder(knex: Knex, number: string): Promise<WorkOrder | undefined> {
  return knex<WorkOrder>('work_orders').where({ number }).first();
}

export interface WorkOrderChange {
  number: string;
  /** The new state, if it changes. */
  state?: string;
  /** Lifecycle segment that ends now. */
  segmentEnded?: LifecycleSegment;
  centerCode?: string;
  slaDeadline?: Date | null;
  /** The event logged with the change: what happened, by whom. */
  action: string;
  actor: string;
  note?: string | null;
  idempotencyKey: string;
  now: Date;
}

/**
 * Applies a change and logs it as one event, in one transaction; a change whose key was applied before is
 * skipped. Throws for an unknown work-order number.
 */
export async function changeWorkOrder(knex: Knex, change: WorkOrderChange): Promise<WorkOrder> {
  return knex.transaction(async (trx) => {
    const order = await trx<WorkOrder>('work_orders').where({ number: change.number }).forUpdate().first();
    if (!order) throw new Error(`No work order numbered ${JSON.stringify(change.number)}`);
    const logged = await trx('work_order_events')
      .insert({ work_order_id: order.id, at: change.now, actor: change.actor, action: change.action, note: change.note ?? null, idempotency_key: change.idempotencyKey })
      .onConflict('idempotency_key')
      .ignore()
      .returning('id');
    if (logged.length === 0) return order;
    const update: Partial<WorkOrder> = {};
    if (change.state !== undefined) update.state = change.state;
    if (change.centerCode !== undefined) update.center_code = change.centerCode;
    if (change.slaDeadline !== undefined) update.sla_deadline = change.slaDeadline;
    if (change.segmentEnded) update[change.segmentEnded] = change.now;
    if (Object.keys(update).length === 0) return order;
    const [changed] = await trx<WorkOrder>('work_orders').where({ id: order.id }).update(update, '*');
    return changed as WorkOrder;
  });
}

export interface WorkOrderEvent {
  id: number;
  work_order_id: number;
  at: Date;
  actor: string;
  action: string;
  note: string | null;
}

export async function workOrderEvents(knex: Knex, workOrderId: number): Promise<WorkOrderEvent[]> {
  return knex<WorkOrderEvent>('work_order_events').where({ work_order_id: workOrderId }).orderBy([{ column: 'at' }, { column: 'id' }]).select('id', 'work_order_id', 'at', 'actor', 'action', 'note');
}
