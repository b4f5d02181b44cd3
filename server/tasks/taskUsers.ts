/** The staff who work tasks, with their candidate groups: the recipients of task notifications. */
import type { Knex } from 'knex';
import { candidateGroupsOf } from '../auth/sessionUser';
import { accessOfUsers } from '../auth/users';

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
  const [rows, access] = await Promise.all([
    users.clone().select('id', 'username', 'display_name', 'email') as Promise<{ id: number; username: string; display_name: string; email: string | null }[]>,
    accessOfUsers(knex, users.clone().select('id')),
  ]);
  return rows
    .map((user) => {
      const { roles, centers } = access.get(user.id) ?? { roles: [], centers: [] };
      return { username: user.username, displayName: user.display_name, email: user.email, groups: candidateGroupsOf(roles, centers) };
    })
    .filter((worker) => worker.groups.length > 0);
}
