/**
 * Starting another flow for a work order from a worker, once per job: the start is logged as a work-order event
 * under the job's key, and a second delivery of the job finds that event and starts nothing. (Only a crash between
 * the start and the log could start a second instance; the event names the instance for an operator to check.)
 */
import type { JSONDoc } from 'zeebe-node';
import { changeWorkOrder, type WorkOrderChange } from '../db/workOrders';
import type { WorkerContext } from './jobWorker';

export interface ProcessStart {
  bpmnProcessId: string;
  variables: Record<string, unknown>;
  /** The work-order change logged with the start; its note gets the instance key appended. */
  change: Omit<WorkOrderChange, 'note' | 'now'> & { note: string };
}

/** Resolves with the key of the instance this job started, now or on an earlier delivery. */
export async function startProcessOnce(context: WorkerContext, start: ProcessStart): Promise<string> {
  const logged = await context.knex('work_order_events').where({ idempotency_key: start.change.idempotencyKey }).first('note');
  const earlier = /(\d+)$/.exec(logged?.note ?? '');
  if (earlier) return earlier[1];
  if (!context.zbc) throw new Error(`starting ${start.bpmnProcessId} needs the Zeebe client in the worker context`);
  // zeebe-node's JSONDoc leaves out null, which JSON and Zeebe variables have.
  const instance = await context.zbc.createProcessInstance({ bpmnProcessId: start.bpmnProcessId, variables: start.variables as JSONDoc });
  await changeWorkOrder(context.knex, { ...start.change, note: `${start.change.note} ${start.bpmnProcessId} ${instance.processInstanceKey}`, now: context.now() });
  return instance.processInstanceKey;
}
