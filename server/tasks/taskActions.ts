/**
 * Changing tasks: claim, unclaim, assign, complete and throw a BPMN error. As in Camunda Tasklist, only the
 * assignee completes: a task must be claimed (or assigned) first. Claim and assignment are the inbox's own state;
 * completion goes to the engine through zeebe-node, and an engine that no longer knows the job (NOT_FOUND) takes
 * the task out of the inbox. Each action is audited and, for a task about a work order, logged on it.
 */
import type { Knex } from 'knex';
import type { JSONDoc, ZBClient } from 'zeebe-node';
import { changeWorkOrder, findWorkOrder } from '../../db/workOrders';
import { recordAudit } from '../auth/audit';
import type { SessionUser } from '../auth/sessionUser';
import { removeTask, toTask, type Task, type TaskRow } from './task';
import { canAssign, canWork, isAuditor } from './taskAccess';
import { InvalidAssignee, TaskConflict, TaskForbidden, TaskGone, TaskNotAssigned } from './taskErrors';
import { visibleTaskRow } from './taskQueries';
import { isNotFound } from './taskRemoval';
import { activeTaskWorkers } from './taskUsers';

async function openTaskRow(knex: Knex, user: SessionUser, jobKey: string): Promise<TaskRow> {
  const row = await visibleTaskRow(knex, user, jobKey);
  if (row.state !== 'open') throw new TaskGone(jobKey, row.state);
  return row;
}

function requireWorker(user: SessionUser, row: TaskRow): void {
  if (isAuditor(user)) throw new TaskForbidden(row.job_key, 'Auditors cannot change tasks');
  if (!canWork(user, row)) throw new TaskForbidden(row.job_key, 'The task belongs to none of your groups');
}

async function logOnWorkOrder(knex: Knex, row: TaskRow, action: string, actor: string, idempotencyKey: string, now: Date, note: string | null = row.name): Promise<void> {
  if (!row.work_order_number || !(await findWorkOrder(knex, row.work_order_number))) return;
  await changeWorkOrder(knex, { number: row.work_order_number, action, actor, note, idempotencyKey, now });
}

/** Sets the assignee unless someone else took the task meanwhile; returns the changed row. */
async function setAssignee(knex: Knex, row: TaskRow, assignee: string | null, assignedBy: string | null, now: Date, expectedAssignee: string | null): Promise<TaskRow> {
  const query = knex<TaskRow>('tasks').where({ job_key: row.job_key, state: 'open' });
  if (expectedAssignee === null) query.whereNull('assignee');
  else query.where('assignee', expectedAssignee);
  const [changed] = await query.update({ assignee, assigned_by: assignedBy, claimed_at: assignee ? now : null }, '*');
  if (changed) return changed;
  const current = (await knex<TaskRow>('tasks').where({ job_key: row.job_key }).first())!;
  if (current.state !== 'open') throw new TaskGone(row.job_key, current.state);
  throw new TaskConflict(row.job_key, current.assignee ?? '');
}

export async function claimTask(knex: Knex, user: SessionUser, jobKey: string, now: Date): Promise<Task> {
  const row = await openTaskRow(knex, user, jobKey);
  requireWorker(user, row);
  if (row.assignee === user.username) return toTask(row);
  if (row.assignee !== null) throw new TaskConflict(jobKey, row.assignee);
  const claimed = await setAssignee(knex, row, user.username, user.username, now, null);
  await recordAudit(knex, { actor: user.username, action: 'task.claim', target: jobKey, detail: { task: row.name, process: row.bpmn_process_id }, at: now });
  await logOnWorkOrder(knex, row, 'task-claimed', user.username, `${jobKey}:claimed:${user.username}:${now.getTime()}`, now);
  return toTask(claimed);
}

/** The assignee gives the task back; a lead of its center may take it from anyone. */
export async function unclaimTask(knex: Knex, user: SessionUser, jobKey: string, now: Date): Promise<Task> {
  const row = await openTaskRow(knex, user, jobKey);
  if (row.assignee === null) return toTask(row);
  if (row.assignee !== user.username && !canAssign(user, row)) throw new TaskForbidden(jobKey, 'Only the assignee or a team lead can unclaim the task');
  const released = await setAssignee(knex, row, null, null, now, row.assignee);
  await recordAudit(knex, { actor: user.username, action: 'task.unclaim', target: jobKey, detail: { task: row.name, previousAssignee: row.assignee }, at: now });
  return toTask(released);
}

/** A team lead or supervisor of the task's center gives it to an active user of one of its candidate groups. */
export async function assignTask(knex: Knex, user: SessionUser, jobKey: string, assigneeUsername: string, now: Date): Promise<Task> {
  const row = await openTaskRow(knex, user, jobKey);
  if (!canAssign(user, row)) throw new TaskForbidden(jobKey, 'Only a team lead or supervisor of the task\'s center can assign it');
  const [assignee] = await activeTaskWorkers(knex, assigneeUsername);
  if (!assignee) throw new InvalidAssignee(assigneeUsername, `No active user ${assigneeUsername} who works tasks`);
  if (!row.candidate_groups.some((group) => assignee.groups.includes(group))) {
    throw new InvalidAssignee(assigneeUsername, `${assigneeUsername} is in none of the task's groups (${row.candidate_groups.join(', ')})`);
  }
  if (row.assignee === assigneeUsername) return toTask(row);
  const assigned = await setAssignee(knex, row, assigneeUsername, user.username, now, row.assignee);
  await recordAudit(knex, { actor: user.username, action: 'task.assign', target: jobKey, detail: { task: row.name, assignee: assigneeUsername, previousAssignee: row.assignee }, at: now });
  await logOnWorkOrder(knex, row, 'task-assigned', user.username, `${jobKey}:assigned:${assigneeUsername}:${now.getTime()}`, now, `${row.name} → ${assigneeUsername}`);
  return toTask(assigned);
}

async function requireAssignee(knex: Knex, user: SessionUser, jobKey: string): Promise<TaskRow> {
  const row = await openTaskRow(knex, user, jobKey);
  requireWorker(user, row);
  if (row.assignee === null) throw new TaskNotAssigned(jobKey);
  if (row.assignee !== user.username) throw new TaskConflict(jobKey, row.assignee);
  return row;
}

/** Runs the engine call; a job the engine no longer knows takes the task out of the inbox. */
async function settleJob(knex: Knex, jobKey: string, now: Date, call: () => Promise<void>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await removeTask(knex, jobKey, 'job-not-found', now);
    throw new TaskGone(jobKey, 'removed');
  }
}

async function markCompleted(knex: Knex, jobKey: string, user: SessionUser, now: Date, variables: JSONDoc): Promise<TaskRow> {
  // Unconditional on state: the engine has taken the completion, whatever a concurrent record reader wrote meanwhile.
  const [row] = await knex<TaskRow>('tasks')
    .where({ job_key: jobKey })
    .update({ state: 'completed', completed_at: now, completed_by: user.username, removed_reason: null, variables: knex.raw('variables || ?::jsonb', [JSON.stringify(variables)]) as never }, '*');
  return row!;
}

export async function completeTask(knex: Knex, zbc: ZBClient, user: SessionUser, jobKey: string, variables: JSONDoc, now: Date): Promise<Task> {
  const row = await requireAssignee(knex, user, jobKey);
  await settleJob(knex, jobKey, now, () => zbc.completeJob({ jobKey, variables }));
  const completed = await markCompleted(knex, jobKey, user, now, variables);
  await recordAudit(knex, { actor: user.username, action: 'task.complete', target: jobKey, detail: { task: row.name, process: row.bpmn_process_id, variables: Object.keys(variables) }, at: now });
  await logOnWorkOrder(knex, row, 'task-completed', user.username, `${jobKey}:completed`, now);
  return toTask(completed);
}

/** The other way out of a task (退单, return to the province): the BPMN error the model catches. */
export async function throwTaskError(
  knex: Knex,
  zbc: ZBClient,
  user: SessionUser,
  jobKey: string,
  errorCode: string,
  errorMessage: string,
  variables: JSONDoc,
  now: Date,
): Promise<Task> {
  const row = await requireAssignee(knex, user, jobKey);
  await settleJob(knex, jobKey, now, () => zbc.throwError({ jobKey, errorCode, errorMessage, variables }));
  const completed = await markCompleted(knex, jobKey, user, now, variables);
  await recordAudit(knex, { actor: user.username, action: 'task.error', target: jobKey, detail: { task: row.name, errorCode, errorMessage }, at: now });
  await logOnWorkOrder(knex, row, 'task-returned', user.username, `${jobKey}:completed`, now, `${row.name}: ${errorCode} ${errorMessage}`);
  return toTask(completed);
}
