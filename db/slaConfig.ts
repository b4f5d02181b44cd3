/**
 * Reads the SLA and service-target configuration (sla_config, edited by administrators; defaults in
 * db/seed/slaDefaults.ts). Workers turn these into the ISO 8601 durations and date-times the models' timers use.
 */
import type { Knex } from 'knex';

export type SlaKey =
  | 'complaint.deadline.urgent' | 'complaint.deadline.normal' | 'complaint.vip_factor' | 'complaint.sign_for'
  | 'complaint.reminder_at' | 'callback.retry_interval' | 'callback.max_attempts' | 'consultation.deadline'
  | 'emergency.suspend' | 'dunning.second_notice_after' | 'dunning.outbound_call_after'
  | 'target.service_level_15s' | 'target.answer_rate' | 'target.complaint_on_time' | 'target.satisfaction'
  | (string & {});

/** The value of one setting; a missing setting is a configuration error, not something to guess around. */
export async function slaValue(knex: Knex, key: SlaKey): Promise<number> {
  const row = await knex('sla_config').where({ key }).first('value');
  if (!row) throw new Error(`SLA setting "${key}" is not configured (table sla_config)`);
  return Number(row.value);
}

/** Several settings at once, by key. */
export async function slaValues<K extends SlaKey>(knex: Knex, keys: readonly K[]): Promise<Record<K, number>> {
  const rows: { key: string; value: number }[] = await knex('sla_config').whereIn('key', keys as readonly string[]).select('key', 'value');
  const values = Object.fromEntries(rows.map((row) => [row.key, Number(row.value)])) as Record<K, number>;
  const missing = keys.filter((key) => !(key in values));
  if (missing.length > 0) throw new Error(`SLA settings not configured (table sla_config): ${missing.join(', ')}`);
  return values;
}

/** Minutes as an ISO 8601 duration for a timer: 90 -> "PT90M". */
export function minutesAsDuration(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 0) throw new Error(`Not a whole number of minutes: ${minutes}`);
  return `PT${minutes}M`;
}

export function addMinutes(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * 60_000);
}
