/**
 * The case beside a task's form: the customer, the work order and what happened so far (the work order's events
 * and the completed tasks of the same work order or process instance, oldest first).
 */
import type { Knex } from 'knex';
import { findWorkOrder, workOrderEvents } from '../../db/workOrders';
import type { Task } from '../tasks/taskStore';

export interface CaseCustomer {
  name: string;
  phone: string;
  cityCode: string;
  vip: boolean;
}

export interface CaseWorkOrder {
  number: string;
  state: string;
  slaDeadline: Date | null;
  category: string;
}

export type CaseStep =
  | { kind: 'event'; at: Date; actor: string; action: string; note: string | null }
  | { kind: 'task'; at: Date; actor: string; task: string };

export interface TaskCase {
  customer?: CaseCustomer;
  workOrder?: CaseWorkOrder;
  history: CaseStep[];
}

export async function caseOf(knex: Knex, task: Task): Promise<TaskCase> {
  const customerRow = task.customerId === null ? undefined : await knex('customers').where({ id: task.customerId }).first('name', 'phone', 'city_code', 'vip');
  const order = task.workOrderNumber === null ? undefined : await findWorkOrder(knex, task.workOrderNumber);
  const events = order ? await workOrderEvents(knex, order.id) : [];
  const doneTasks = await knex('tasks')
    .where('state', 'completed')
    .whereNot('job_key', task.jobKey)
    .where((q) => {
      q.where('process_instance_key', task.processInstanceKey);
      if (task.workOrderNumber !== null) q.orWhere('work_order_number', task.workOrderNumber);
    })
    .select('name', 'completed_at', 'completed_by');
  const history: CaseStep[] = [
    ...events.map((e): CaseStep => ({ kind: 'event', at: new Date(e.at), actor: e.actor, action: e.action, note: e.note })),
    ...doneTasks.map((t: { name: string; completed_at: Date; completed_by: string | null }): CaseStep => ({ kind: 'task', at: new Date(t.completed_at), actor: t.completed_by ?? '', task: t.name })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    customer: customerRow ? { name: customerRow.name, phone: customerRow.phone, cityCode: customerRow.city_code, vip: customerRow.vip } : undefined,
    workOrder: order ? { number: order.number, state: order.state, slaDeadline: order.sla_deadline, category: order.category } : undefined,
    history,
  };
}
