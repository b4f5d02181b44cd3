/**
 * The audit log: who did what to what, when and from where. Every login, logout, password change and operator
 * action of any area (admin, inbox claims and completions, modeler deploys) is recorded here.
 */
import type { Knex } from 'knex';

export interface AuditEntry {
  /** Username of who acted; null for an anonymous attempt (a failed login names its username in `target`). */
  actor: string | null;
  /** Dotted verb, e.g. `login.success`, `admin.user.create`, `task.claim`. */
  action: string;
  target?: string | null;
  detail?: Record<string, unknown>;
  ip?: string | null;
  /** Defaults to the database's clock. */
  at?: Date;
}

export async function recordAudit(knex: Knex, entry: AuditEntry): Promise<void> {
  await knex('audit_log').insert({
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    detail: JSON.stringify(entry.detail ?? {}),
    ip: entry.ip ?? null,
    ...(entry.at ? { at: entry.at } : {}),
  });
}
