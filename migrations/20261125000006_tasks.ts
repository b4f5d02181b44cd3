import type { Knex } from 'knex';

// The task inbox's read model of user-task jobs (server/tasks). One row per job key: a job activated again after
// a time-out updates its row. Indexes serve the inbox's filtered, sorted first page over ~100,000 open tasks.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tasks', (table) => {
    // int64 keys as decimal text, as in engine_records.
    table.text('job_key').primary();
    table.text('process_instance_key').notNullable().index();
    table.text('bpmn_process_id').notNullable();
    table.text('process_definition_key').notNullable();
    table.text('element_id').notNullable();
    table.text('element_instance_key').notNullable();
    table.text('name').notNullable();
    table.text('form_key').nullable();
    table.jsonb('candidate_groups').notNullable().defaultTo('[]');
    table.text('assignee').nullable();
    table.timestamp('due_at', { useTz: true }).nullable();
    table.timestamp('follow_up_at', { useTz: true }).nullable();
    table.integer('priority').notNullable();
    table.text('work_order_number').nullable();
    table.integer('customer_id').nullable();
    table.text('customer_number').nullable();
    table.text('center_code').notNullable().references('code').inTable('centers');
    table.jsonb('variables').notNullable().defaultTo('{}');
    // The job's retries as activated: the probe sets them unchanged to learn whether the job still exists.
    table.integer('retries').notNullable();
    table.text('state').notNullable().checkIn(['open', 'completed', 'removed']);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('claimed_at', { useTz: true }).nullable();
    table.text('assigned_by').nullable();
    table.timestamp('completed_at', { useTz: true }).nullable();
    table.text('completed_by').nullable();
    table.text('removed_reason').nullable();
    // Notification bookkeeping: which assignee was told, whether the task was in a digest, whether overdue was sent.
    table.text('assignment_mailed_to').nullable();
    table.timestamp('digested_at', { useTz: true }).nullable();
    table.timestamp('overdue_mailed_at', { useTz: true }).nullable();
  });
  await knex.raw('create index tasks_open_candidate_groups on tasks using gin (candidate_groups) where state = \'open\'');
  await knex.raw("create index tasks_open_due on tasks (due_at, job_key) where state = 'open'");
  await knex.raw("create index tasks_open_created on tasks (created_at, job_key) where state = 'open'");
  await knex.raw("create index tasks_open_assignee on tasks (assignee, due_at) where state = 'open'");
  await knex.raw("create index tasks_open_center on tasks (center_code, due_at) where state = 'open'");
  await knex.raw("create index tasks_open_customer_number on tasks (customer_number) where state = 'open'");

  // How far task sourcing has read engine_records (embedded engine only): one row.
  await knex.schema.createTable('task_sourcing_position', (table) => {
    table.integer('id').primary().checkIn(['1']);
    table.bigInteger('position').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('task_sourcing_position');
  await knex.schema.dropTable('tasks');
}
