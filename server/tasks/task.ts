/**
 * A user task as the inbox shows it: one row of `tasks`, read from the user-task job the engine handed to task
 * sourcing. Rows are mapped once here so pages work with typed, camel-cased tasks.
 */
import type { Knex } from 'knex';

export type TaskState = 'open' | 'completed' | 'removed';

/** Priorities on a three-step scale; `priority` process variables outside it are clamped into it. */
export const PRIORITY = { low: 1, medium: 2, high: 3 } as const;

export interface Task {
  jobKey: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  processDefinitionKey: string;
  elementId: string;
  elementInstanceKey: string;
  name: string;
  formKey: string | null;
  candidateGroups: string[];
  assignee: string | null;
  dueAt: Date | null;
  followUpAt: Date | null;
  priority: number;
  workOrderNumber: string | null;
  customerId: number | null;
  customerNumber: string | null;
  centerCode: string;
  variables: Record<string, unknown>;
  state: TaskState;
  createdAt: Date;
  claimedAt: Date | null;
  assignedBy: string | null;
  completedAt: Date | null;
  completedBy: string | null;
  removedReason: string | null;
}

export interface TaskRow {
  job_key: string;
  process_instance_key: string;
  bpmn_process_id: string;
  process_definition_key: string;
  element_id: string;
  element_instance_key: string;
  name: string;
  form_key: string | null;
  candidate_groups: string[];
  assignee: string | null;
  due_at: Date | null;
  follow_up_at: Date | null;
  priority: number;
  work_order_number: string | null;
  customer_id: number | null;
  customer_number: string | null;
  center_code: string;
  variables: Record<string, unknown>;
  retries: number;
  state: TaskState;
  created_at: Date;
  claimed_at: Date | null;
  assigned_by: string | null;
  completed_at: Date | null;
  completed_by: string | null;
  removed_reason: string | null;
  assignment_mailed_to: string | null;
  digested_at: Date | null;
  overdue_mailed_at: Date | null;
}

export function toTask(row: TaskRow): Task {
  return {
    jobKey: row.job_key,
    processInstanceKey: row.process_instance_key,
    bpmnProcessId: row.bpmn_process_id,
    processDefinitionKey: row.process_definition_key,
    elementId: row.element_id,
    elementInstanceKey: row.element_instance_key,
    name: row.name,
    formKey: row.form_key,
    candidateGroups: row.candidate_groups,
    assignee: row.assignee,
    dueAt: row.due_at,
    followUpAt: row.follow_up_at,
    priority: row.priority,
    workOrderNumber: row.work_order_number,
    customerId: row.customer_id,
    customerNumber: row.customer_number,
    centerCode: row.center_code,
    variables: row.variables,
    state: row.state,
    createdAt: row.created_at,
    claimedAt: row.claimed_at,
    assignedBy: row.assigned_by,
    completedAt: row.completed_at,
    completedBy: row.completed_by,
    removedReason: row.removed_reason,
  };
}

/** Why a task left the inbox without being completed here. */
export type RemovalReason = 'canceled' | 'completed-elsewhere' | 'error-thrown' | 'job-not-found';

/**
 * Takes an open task out of the inbox. Completed and already removed tasks are left alone, so a late record or
 * probe never overwrites what the inbox itself did.
 */
export async function removeTask(knex: Knex, jobKey: string, reason: RemovalReason, now: Date): Promise<boolean> {
  const changed = await knex('tasks').where({ job_key: jobKey, state: 'open' }).update({ state: 'removed', removed_reason: reason, completed_at: now });
  return changed > 0;
}
