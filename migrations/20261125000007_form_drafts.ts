import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // What a user typed into a task's form and kept without finishing the task: one draft per task and user,
  // overwritten by the next save and shown again when the task is opened.
  await knex.schema.createTable('form_drafts', (table) => {
    table.increments('id');
    // int64 job key as decimal text, as in tasks.
    table.text('job_key').notNullable();
    table.text('username').notNullable();
    table.jsonb('values').notNullable();
    table.timestamp('saved_at', { useTz: true }).notNullable();
    table.unique(['job_key', 'username']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('form_drafts');
}
