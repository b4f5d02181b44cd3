import type { Knex } from 'knex';

// Workers create work orders and log their events; a job delivered twice must not do either twice, so each such
// row carries the key of what made it (e.g. `<job key>:work-order`).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('work_orders', (table) => {
    table.text('idempotency_key').nullable().unique();
    table.text('urgency').nullable();
    table.text('kind').nullable();
  });
  await knex.schema.alterTable('work_order_events', (table) => {
    table.text('idempotency_key').nullable().unique();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('work_order_events', (table) => table.dropColumn('idempotency_key'));
  await knex.schema.alterTable('work_orders', (table) => {
    table.dropColumn('idempotency_key');
    table.dropColumn('urgency');
    table.dropColumn('kind');
  });
}
