/**
 * Server-side sessions in the `sessions` table. The browser holds a random token in the `sid` cookie; the table
 * keys on its SHA-256, so reading the table does not yield usable cookies. A session ends when idle for longer
 * than the idle timeout, at its absolute lifetime, or at sign-out.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

export const SESSION_COOKIE = 'sid';

/** However busy, a session ends this long after sign-in. */
export const SESSION_ABSOLUTE_HOURS = 12;

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

export interface SessionRow {
  id: string;
  user_id: number;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  csrf_token: string;
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function sessionId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(knex: Knex, userId: number, now: Date, policy: SessionPolicy): Promise<{ token: string; csrfToken: string }> {
  const token = randomToken();
  const csrfToken = randomToken();
  await knex('sessions').insert({
    id: sessionId(token),
    user_id: userId,
    created_at: now,
    last_seen_at: now,
    expires_at: new Date(now.getTime() + policy.absoluteHours * 3_600_000),
    csrf_token: csrfToken,
  });
  return { token, csrfToken };
}

/**
 * The live session of `token`, its last-seen time moved to `now`; undefined (and the row deleted) when it timed
 * out or ended.
 */
export async function resumeSession(knex: Knex, token: string, now: Date, policy: SessionPolicy): Promise<SessionRow | undefined> {
  const id = sessionId(token);
  // One round trip per request for a live session: the update matches only while it is neither past its end nor
  // idle for longer than the policy allows.
  const [row] = await knex<SessionRow>('sessions')
    .where({ id })
    .where('expires_at', '>', now)
    .where('last_seen_at', '>=', new Date(now.getTime() - policy.idleMinutes * 60_000))
    .update({ last_seen_at: now }, '*');
  if (row) return row;
  // Expired or idle too long (or never there): a session that ended stays ended.
  await knex('sessions').where({ id }).delete();
  return undefined;
}

export async function endSession(knex: Knex, token: string): Promise<void> {
  await knex('sessions').where({ id: sessionId(token) }).delete();
}

/** Ends every session of the user, e.g. when an administrator resets their password. */
export async function endSessionsOf(knex: Knex, userId: number): Promise<void> {
  await knex('sessions').where({ user_id: userId }).delete();
}
