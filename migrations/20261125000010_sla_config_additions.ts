import type { Knex } from 'knex';
import { SLA_DEFAULTS } from '../db/seed/slaDefaults';

export async function up(knex: Knex): Promise<void> {
  // identify-customer keeps one call record per job; a job delivered twice must not count the call twice.
  await knex.schema.alterTable('call_records', (table) => {
    table.text('idempotency_key').nullable().unique();
  });
  // Settings added after a database was set up (intake time limits, service hours ...) get their defaults; rows
  // an administrator already has keep their values. Only a database that is configured — it has its centers,
  // from the demo seed or a real set-up — is touched: on an empty one the seed (or the administrator) writes the
  // whole configuration, and defaults inserted here would make a bare database look configured.
  if (await knex('centers').first('code')) {
    await knex('sla_config').insert(SLA_DEFAULTS).onConflict('key').ignore();
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('call_records', (table) => table.dropColumn('idempotency_key'));
}
