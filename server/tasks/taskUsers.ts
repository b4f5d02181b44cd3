/** The staff who work tasks, with their candidate groups: the recipients of task notifications. */
import type { Knex } from 'knex';
import { candidateGroupsOf, ROLES, type Role } from '../auth/sessionUser';

export interface TaskWorker {
  username: string;
  displayName: string;
  email: string | null;
  groups: string[];
}

/** Active, unlocked users with at least one candidate group (only `username`, when given). */
export async function activeTaskWorkers(knex: Knex, username?: string): Promise<TaskWorker[]> {
  const users = knex('users').where({ active: true }).whereNull('locked_at');
  if (username !== undefined) users.where({ username });
  const ids = users.clone().select('id');
  const [rows, roles, centers] = await Promise.all([
    users.select('id', 'username', 'display_name', 'email'),
    knex('user_roles').whereIn('user_id', ids).select('user_id', 'role'),
    knex('user_centers').whereIn('user_id', ids).select('user_id', 'center_code'),
  ]);
  return rows
    .map((user: { id: number; username: string; display_name: string; email: string | null }) => {
      const own = new Set(roles.filter((r: { user_id: number }) => r.user_id === user.id).map((r: { role: string }) => r.role));
      const userCenters = centers.filter((c: { user_id: number }) => c.user_id === user.id).map((c: { center_code: string }) => c.center_code);
      const groups = candidateGroupsOf(ROLES.filter((role: Role) => own.has(role)), userCenters);
      return { username: user.username, displayName: user.display_name, email: user.email, groups };
    })
    .filter((worker) => worker.groups.length > 0);
}
