import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The engine's current state as key/value documents, one namespace (`kind`) per state column family.
  await knex.schema.createTable('engine_state', (table) => {
    table.text('kind').notNullable();
    table.text('key').notNullable();
    table.jsonb('value').notNullable();
    table.primary(['kind', 'key']);
  });

  // The ordered record stream, shaped like Zeebe's exported records; keys are int64 kept as decimal text
  // because they exceed JavaScript's safe integers.
  await knex.schema.createTable('engine_records', (table) => {
    table.bigInteger('position').primary();
    table.text('key').notNullable();
    table.bigInteger('timestamp').notNullable();
    table.text('value_type').notNullable();
    table.text('intent').notNullable();
    table.text('record_type').notNullable();
    table.integer('partition_id').notNullable();
    table.text('process_instance_key').nullable();
    table.jsonb('value').notNullable();
    // Only the per-instance index: every index costs each of the ~25 rows an instance writes, and readers of
    // other slices (statistics) scan position ranges and build their own read models.
    table.index(['process_instance_key', 'position']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('engine_records');
  await knex.schema.dropTable('engine_state');
}
