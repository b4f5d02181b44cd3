/**
 * Who may see and work which task. A user sees a task when one of their candidate groups is among the task's or
 * it is assigned to them; team leads and supervisors also see every task of their centers (and assign them);
 * auditors see everything and change nothing. Working a task (claim, complete) needs one of its groups.
 */
import type { Knex } from 'knex';
import { hasRole, type SessionUser } from '../auth/sessionUser';
import type { TaskRow } from './task';

export function isAuditor(user: SessionUser): boolean {
  return hasRole(user, 'auditor');
}

/** Centers whose tasks the user oversees: their own, for team leads and supervisors. */
export function ledCenters(user: SessionUser): readonly string[] {
  return hasRole(user, 'team-lead', 'supervisor') ? user.centers : [];
}

/** Whether the user has the 'center' list: leads of a center and auditors. */
export function hasCenterList(user: SessionUser): boolean {
  return ledCenters(user).length > 0 || isAuditor(user);
}

export function canSee(user: SessionUser, task: Pick<TaskRow, 'candidate_groups' | 'assignee' | 'center_code' | 'completed_by'>): boolean {
  return (
    isAuditor(user) ||
    task.assignee === user.username ||
    task.completed_by === user.username ||
    inGroups(user, task) ||
    ledCenters(user).includes(task.center_code)
  );
}

export function inGroups(user: SessionUser, task: Pick<TaskRow, 'candidate_groups'>): boolean {
  return task.candidate_groups.some((group) => user.groups.includes(group));
}

export function canWork(user: SessionUser, task: Pick<TaskRow, 'candidate_groups' | 'assignee'>): boolean {
  return !isAuditor(user) && (inGroups(user, task) || task.assignee === user.username);
}

export function canAssign(user: SessionUser, task: Pick<TaskRow, 'center_code'>): boolean {
  return !isAuditor(user) && ledCenters(user).includes(task.center_code);
}

/** `candidate_groups ?| groups`, written so knex does not take the `?` for a binding; served by the GIN index. */
export function groupsOverlap(knex: Knex, groups: readonly string[]): Knex.Raw {
  return knex.raw('candidate_groups \\?| ?::text[]', [[...groups]]);
}

/** The same visibility rule as canSee, as a condition on `tasks`. */
export function whereVisible(knex: Knex, user: SessionUser) {
  return (query: Knex.QueryBuilder) => {
    if (isAuditor(user)) return;
    query.where((visible) => {
      visible.where('assignee', user.username).orWhere(groupsOverlap(knex, user.groups));
      const centers = ledCenters(user);
      if (centers.length > 0) visible.orWhereIn('center_code', centers);
    });
  };
}
