import type { Knex } from 'knex';

// Two deliveries of one job can run at once (the first outlived its job time-out); a mail being sent is claimed
// ('sending' until a deadline) so only one of them sends it, and a claim left by a crashed sender expires.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table outbox drop constraint outbox_status_check');
  await knex.raw("alter table outbox add constraint outbox_status_check check (status in ('pending', 'sending', 'sent', 'failed'))");
  await knex.schema.alterTable('outbox', (table) => {
    table.timestamp('sending_until', { useTz: true }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (table) => table.dropColumn('sending_until'));
  await knex.raw("update outbox set status = 'pending' where status = 'sending'");
  await knex.raw('alter table outbox drop constraint outbox_status_check');
  await knex.raw("alter table outbox add constraint outbox_status_check check (status in ('pending', 'sent', 'failed'))");
}
