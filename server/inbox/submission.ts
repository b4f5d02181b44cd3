/**
 * One submission of a task's form, from the page or the API: "save-draft" keeps the input as the user's draft;
 * any other action is validated against the form's schema and completes the task (or throws the action's BPMN
 * error) with only the typed schema fields, so hidden or injected fields never reach the engine.
 */
import type { Knex } from 'knex';
import type { JSONDoc, ZBClient } from 'zeebe-node';
import { draftValues, formDefinition, SAVE_DRAFT_ACTION, validateSubmission } from '../../forms';
import type { SessionUser } from '../auth/sessionUser';
import type { Locale } from '../i18n';
import { canWork, completeTask, TaskConflict, TaskForbidden, TaskGone, TaskNotAssigned, TaskNotFound, throwTaskError, type Task } from '../tasks/taskStore';
import { deleteDrafts, saveDraft, type DraftValues } from './drafts';

export type SubmissionOutcome =
  | { kind: 'draft-saved' }
  | { kind: 'invalid'; values: DraftValues; errors: Record<string, string> }
  | { kind: 'done' };

export interface SubmissionContext {
  knex: Knex;
  zbc: ZBClient;
  user: SessionUser;
  locale: Locale;
  now: Date;
}

/** Only the assignee works on the form; anything else is refused before the input is looked at. */
export function assertMayEdit(user: SessionUser, task: Task): void {
  if (task.state !== 'open') throw new TaskGone(task.jobKey, task.state);
  if (!canWork(user, { candidate_groups: task.candidateGroups, assignee: task.assignee })) throw new TaskForbidden(task.jobKey, 'The task belongs to none of your groups');
  if (task.assignee === null) throw new TaskNotAssigned(task.jobKey);
  if (task.assignee !== user.username) throw new TaskConflict(task.jobKey, task.assignee);
}

/** The form key of a task that has a form; TaskNotFound for a task whose form does not exist. */
export function formKeyOf(task: Task): string {
  if (task.formKey === null || formDefinition(task.formKey) === undefined) throw new TaskNotFound(task.jobKey);
  return task.formKey;
}

/** Throws UnknownFormActionError for an action the form does not have, and the task store's refusals. */
export async function submitTaskForm(context: SubmissionContext, task: Task, actionId: string, body: Record<string, unknown>): Promise<SubmissionOutcome> {
  const { knex, zbc, user, locale, now } = context;
  const formKey = formKeyOf(task);
  assertMayEdit(user, task);
  if (actionId === SAVE_DRAFT_ACTION) {
    await saveDraft(knex, task.jobKey, user.username, draftValues(formKey, body), now);
    return { kind: 'draft-saved' };
  }
  const result = validateSubmission(formKey, actionId, body, locale);
  if (!result.ok) return { kind: 'invalid', values: draftValues(formKey, body), errors: result.errors };
  const variables = result.variables as JSONDoc;
  if (result.action.kind === 'bpmnError') {
    if (result.action.errorCode === undefined) throw new Error(`form ${formKey}: action ${actionId} throws no error code`);
    await throwTaskError(knex, zbc, user, task.jobKey, result.action.errorCode, result.action.label[locale], variables, now);
  } else {
    await completeTask(knex, zbc, user, task.jobKey, variables, now);
  }
  await deleteDrafts(knex, task.jobKey);
  return { kind: 'done' };
}
