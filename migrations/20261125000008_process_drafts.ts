import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Models an analyst saved in the web modeler without deploying them. Kept whole: a draft is small and is
  // opened, compared and deployed as the document it was saved as.
  await knex.schema.createTable('process_drafts', (table) => {
    table.increments('id');
    table.text('process_id').notNullable();
    table.text('xml').notNullable();
    // The username: drafts outlive accounts, and the list shows who saved them.
    table.text('author').notNullable();
    table.text('comment').notNullable().defaultTo('');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['process_id', 'id']);
  });
  // What the modeler deployed. On a Camunda 8 cluster the platform has no engine records, so this is where the
  // modeler finds the versions (and their XML) it deployed itself.
  await knex.schema.createTable('process_deployments', (table) => {
    table.increments('id');
    table.text('process_id').notNullable();
    table.integer('version').notNullable();
    table.text('process_definition_key').notNullable();
    table.text('xml').notNullable();
    table.text('deployed_by').notNullable();
    table.timestamp('deployed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.unique(['process_id', 'version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('process_deployments');
  await knex.schema.dropTable('process_drafts');
}
