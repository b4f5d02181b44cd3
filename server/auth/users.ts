/** Staff accounts in the database: reading them as SessionUsers, creating them, changing passwords and access. */
import type { Knex } from 'knex';
import type { Locale } from '../i18n';
import { hashPassword } from './passwords';
import { candidateGroupsOf, ROLES, type Role, type SessionUser } from './sessionUser';

export const PASSWORD_MAX_AGE_DAYS = 90;
export const MAX_FAILED_LOGINS = 5;

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  email: string | null;
  password_hash: string;
  password_changed_at: Date;
  must_change_password: boolean;
  failed_logins: number;
  locked_at: Date | null;
  locale: Locale;
  active: boolean;
  created_at: Date;
}

export interface NewUser {
  username: string;
  displayName: string;
  email: string | null;
  password: string;
  roles: readonly Role[];
  centers: readonly string[];
  locale: Locale;
  /** A password someone else chose (an administrator) must be replaced at first sign-in. */
  mustChangePassword: boolean;
  now: Date;
}

export function findUserByUsername(knex: Knex, username: string): Promise<UserRow | undefined> {
  return knex<UserRow>('users').where({ username }).first();
}

export function findUserById(knex: Knex, id: number): Promise<UserRow | undefined> {
  return knex<UserRow>('users').where({ id }).first();
}

export interface UserAccess {
  roles: Role[];
  centers: string[];
}

export async function accessOf(knex: Knex, userId: number): Promise<UserAccess> {
  return (await accessOfUsers(knex, [userId])).get(userId)!;
}

/** Roles and centers of many users at once (`userIds` may be a subquery), every one of them in the map. */
export async function accessOfUsers(knex: Knex, userIds: readonly number[] | Knex.QueryBuilder): Promise<Map<number, UserAccess>> {
  const ofUsers = (table: string) => (Array.isArray(userIds) ? knex(table).whereIn('user_id', [...userIds]) : knex(table).whereIn('user_id', userIds as Knex.QueryBuilder));
  const [roleRows, centerRows] = await Promise.all([
    ofUsers('user_roles').select('user_id', 'role') as Promise<{ user_id: number; role: Role }[]>,
    ofUsers('user_centers').select('user_id', 'center_code') as Promise<{ user_id: number; center_code: string }[]>,
  ]);
  const access = new Map<number, UserAccess>();
  const of = (userId: number) => access.get(userId) ?? access.set(userId, { roles: [], centers: [] }).get(userId)!;
  if (Array.isArray(userIds)) for (const id of userIds) of(id);
  for (const { user_id, role } of roleRows) of(user_id).roles.push(role);
  for (const { user_id, center_code } of centerRows) of(user_id).centers.push(center_code);
  // Catalogue order reads better than insertion order in the top bar and admin lists.
  for (const entry of access.values()) {
    entry.roles = ROLES.filter((role) => entry.roles.includes(role));
    entry.centers.sort();
  }
  return access;
}

export function toSessionUser(row: UserRow, access: { roles: Role[]; centers: string[] }, locale: Locale = row.locale): SessionUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    roles: access.roles,
    centers: access.centers,
    groups: candidateGroupsOf(access.roles, access.centers),
    locale,
  };
}

/** Whether the user must choose a new password before doing anything else. */
export function passwordChangeDue(row: UserRow, now: Date): boolean {
  return row.must_change_password || now.getTime() - new Date(row.password_changed_at).getTime() > PASSWORD_MAX_AGE_DAYS * 86_400_000;
}

/** Creates the user with roles and centers; returns the new id. */
export async function createUser(knex: Knex, user: NewUser): Promise<number> {
  const passwordHash = await hashPassword(user.password);
  return knex.transaction(async (trx) => {
    const [{ id }] = await trx('users')
      .insert({
        username: user.username,
        display_name: user.displayName,
        email: user.email,
        password_hash: passwordHash,
        password_changed_at: user.now,
        must_change_password: user.mustChangePassword,
        locale: user.locale,
        created_at: user.now,
      })
      .returning('id');
    await replaceAccess(trx, id, user.roles, user.centers);
    return id as number;
  });
}

export async function replaceAccess(knex: Knex, userId: number, roles: readonly Role[], centers: readonly string[]): Promise<void> {
  const run = async (trx: Knex.Transaction) => {
    await trx('user_roles').where({ user_id: userId }).delete();
    await trx('user_centers').where({ user_id: userId }).delete();
    if (roles.length > 0) await trx('user_roles').insert(roles.map((role) => ({ user_id: userId, role })));
    if (centers.length > 0) await trx('user_centers').insert(centers.map((center_code) => ({ user_id: userId, center_code })));
  };
  await (knex.isTransaction ? run(knex as Knex.Transaction) : knex.transaction(run));
}

/** Sets a new password; `temporary` makes the user replace it at next sign-in. Also clears a lock. */
export async function setPassword(knex: Knex, userId: number, password: string, options: { temporary: boolean; now: Date }): Promise<void> {
  await knex('users')
    .where({ id: userId })
    .update({
      password_hash: await hashPassword(password),
      password_changed_at: options.now,
      must_change_password: options.temporary,
      failed_logins: 0,
      locked_at: null,
    });
}

export async function unlockUser(knex: Knex, userId: number): Promise<void> {
  await knex('users').where({ id: userId }).update({ failed_logins: 0, locked_at: null });
}

/** Counts a failed sign-in; returns whether this one locked the account. */
export async function recordFailedLogin(knex: Knex, userId: number, now: Date): Promise<boolean> {
  const [row] = await knex('users').where({ id: userId }).increment('failed_logins', 1).returning(['failed_logins', 'locked_at']);
  if (row.failed_logins >= MAX_FAILED_LOGINS && row.locked_at === null) {
    await knex('users').where({ id: userId }).whereNull('locked_at').update({ locked_at: now });
    return true;
  }
  return false;
}

export async function recordSuccessfulLogin(knex: Knex, userId: number): Promise<void> {
  await knex('users').where({ id: userId }).update({ failed_logins: 0 });
}

export async function setUserLocale(knex: Knex, userId: number, locale: Locale): Promise<void> {
  await knex('users').where({ id: userId }).update({ locale });
}
