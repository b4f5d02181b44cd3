import type { Knex } from 'knex';

// Money is integer fen in `integer` columns: node-pg returns bigint as a string, and int4 (±21 million yuan)
// is ample for any single bill, payment or balance.

const SERVICE_LINES = ['mobile', 'ip', 'internet', 'long_distance', 'paging', 'local'];
const CHANNELS = ['phone', 'web', 'email', 'fax', 'letter', 'sms'];

function oneOf(column: string, values: readonly string[]): string {
  return `${column} in (${values.map((value) => `'${value}'`).join(', ')})`;
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('centers', (table) => {
    table.text('code').primary();
    table.text('name').notNullable();
    table.text('tier').notNullable().checkIn(['national', 'province', 'city']);
    table.text('parent_code').nullable().references('code').inTable('centers');
  });

  await knex.schema.createTable('customers', (table) => {
    table.increments('id');
    table.text('name').notNullable();
    table.text('id_number').notNullable().unique();
    // The contact number; the numbers of the lines a customer holds are in subscriptions.
    table.text('phone').notNullable().index();
    table.text('email').nullable();
    table.text('city_code').notNullable().references('code').inTable('centers');
    table.boolean('vip').notNullable().defaultTo(false);
    table.smallint('star_level').notNullable();
    table.text('credit_class').notNullable().checkIn(['A', 'B', 'C', 'D']);
    table.text('service_password_hash').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.check('star_level between 1 and 5');
  });

  await knex.schema.createTable('accounts', (table) => {
    table.increments('id');
    table.integer('customer_id').notNullable().references('id').inTable('customers').index();
    // Prepaid money left on the account; what is owed is the unpaid bills past their due date.
    table.integer('balance_fen').notNullable().defaultTo(0);
    table.text('status').notNullable().checkIn(['active', 'suspended']);
  });

  await knex.schema.createTable('subscriptions', (table) => {
    table.increments('id');
    table.integer('account_id').notNullable().references('id').inTable('accounts').index();
    table.text('service_line').notNullable();
    // IP and long-distance services ride on a mobile or fixed number, so one number can carry several lines.
    table.text('number').notNullable().index();
    table.text('plan').notNullable();
    table.text('status').notNullable().checkIn(['active', 'suspended', 'cancelled']);
    table.unique(['service_line', 'number']);
    table.check(oneOf('service_line', SERVICE_LINES));
  });

  await knex.schema.createTable('bills', (table) => {
    table.increments('id');
    table.integer('account_id').notNullable().references('id').inTable('accounts');
    table.text('month').notNullable();
    table.integer('total_fen').notNullable();
    table.date('due_date').notNullable();
    table.text('status').notNullable().checkIn(['unpaid', 'paid']);
    table.unique(['account_id', 'month']);
    // Finding arrears: unpaid bills past their due date.
    table.index(['status', 'due_date']);
    table.check("month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'");
  });

  await knex.schema.createTable('bill_items', (table) => {
    table.increments('id');
    table.integer('bill_id').notNullable().references('id').inTable('bills').onDelete('CASCADE').index();
    table.text('service_line').notNullable();
    table.text('item_name').notNullable();
    table.integer('amount_fen').notNullable();
    table.check(oneOf('service_line', SERVICE_LINES));
  });

  await knex.schema.createTable('payments', (table) => {
    table.increments('id');
    table.integer('account_id').notNullable().references('id').inTable('accounts').index();
    table.integer('amount_fen').notNullable();
    table.timestamp('paid_at', { useTz: true }).notNullable();
    table.text('channel').notNullable().checkIn(['counter', 'bank', 'online', 'agent']);
    table.check('amount_fen > 0');
  });

  // One sequence for all centers keeps work-order numbers unique even across centers and days.
  await knex.raw('create sequence work_order_number_seq');

  await knex.schema.createTable('work_orders', (table) => {
    table.increments('id');
    table.text('number').notNullable().unique();
    table.text('channel').notNullable();
    table.text('category').notNullable();
    table.text('service_line').nullable();
    table.text('state').notNullable();
    table.text('description').nullable();
    // Null for requests from people who are not (yet) identified customers, e.g. web or letter intake.
    table.integer('customer_id').nullable().references('id').inTable('customers').index();
    table.text('center_code').notNullable().references('code').inTable('centers');
    table.timestamp('sla_deadline', { useTz: true }).nullable();
    // int64 engine keys as decimal text, as in engine_records.
    table.text('process_instance_key').nullable().index();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // The end of each timed lifecycle segment: 受理, 审核派发, 核查处理, 结果审核, 归档.
    table.timestamp('accepted_at', { useTz: true }).nullable();
    table.timestamp('dispatched_at', { useTz: true }).nullable();
    table.timestamp('handled_at', { useTz: true }).nullable();
    table.timestamp('reviewed_at', { useTz: true }).nullable();
    table.timestamp('archived_at', { useTz: true }).nullable();
    // Monitor lists: open orders by state and center, overdue and soon-overdue ones.
    table.index(['state', 'sla_deadline']);
    table.index(['center_code', 'state']);
    table.check(oneOf('channel', CHANNELS));
    table.check(`service_line is null or ${oneOf('service_line', SERVICE_LINES)}`);
  });

  await knex.schema.createTable('work_order_events', (table) => {
    table.increments('id');
    table.integer('work_order_id').notNullable().references('id').inTable('work_orders');
    table.timestamp('at', { useTz: true }).notNullable();
    table.text('actor').notNullable();
    table.text('action').notNullable();
    table.text('note').nullable();
    table.index(['work_order_id', 'at']);
  });

  await knex.schema.createTable('call_records', (table) => {
    table.increments('id');
    table.text('caller_number').notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable().index();
    table.integer('queued_ms').notNullable().defaultTo(0);
    table.integer('talk_ms').notNullable().defaultTo(0);
    table.boolean('abandoned').notNullable().defaultTo(false);
    table.text('ivr_choice').nullable();
    table.text('agent').nullable();
  });

  await knex.schema.createTable('sla_config', (table) => {
    table.text('key').primary();
    table.integer('value').notNullable();
    table.text('unit').notNullable().checkIn(['minutes', 'percent', 'count']);
    table.text('description').notNullable();
  });

  await knex.schema.createTable('outbox', (table) => {
    table.increments('id');
    table.text('channel').notNullable().checkIn(['sms', 'email']);
    table.text('recipient').notNullable();
    table.text('subject').nullable();
    table.text('body').notNullable();
    table.text('status').notNullable().defaultTo('pending').checkIn(['pending', 'sent', 'failed']);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('sent_at', { useTz: true }).nullable();
    table.integer('work_order_id').nullable().references('id').inTable('work_orders').index();
    // A job may be delivered twice; the worker's key for its message (e.g. the job key) makes the retry a no-op.
    table.text('idempotency_key').nullable().unique();
    table.index(['status', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'outbox', 'sla_config', 'call_records', 'work_order_events', 'work_orders',
    'payments', 'bill_items', 'bills', 'subscriptions', 'accounts', 'customers', 'centers',
  ]) {
    await knex.schema.dropTable(table);
  }
  await knex.raw('drop sequence work_order_number_seq');
}
