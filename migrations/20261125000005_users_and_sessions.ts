import type { Knex } from 'knex';

// Staff accounts, their roles and centers, server-side sessions and the audit log (spec 9.2.3). Roles are kept
// as text checked against the catalogue's list so a typo in an admin form cannot grant a role that does not exist.
// The list is copied from server/auth/sessionUser.ts rather than imported: a migration must not change with the code.
const ROLES = [
  'agent',
  'team-lead',
  'backoffice',
  'outbound-agent',
  'vip-manager',
  'supervisor',
  'city-handler',
  'national-agent',
  'national-supervisor',
  'analyst',
  'auditor',
  'admin',
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (table) => {
    table.increments('id');
    table.text('username').notNullable().unique();
    table.text('display_name').notNullable();
    table.text('email').nullable();
    // scrypt$N$r$p$salt$hash (base64 salt and hash).
    table.text('password_hash').notNullable();
    table.timestamp('password_changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Set when an admin resets the password: the user must choose a new one before anything else.
    table.boolean('must_change_password').notNullable().defaultTo(false);
    table.integer('failed_logins').notNullable().defaultTo(0);
    table.timestamp('locked_at', { useTz: true }).nullable();
    table.text('locale').notNullable().defaultTo('zh-CN').checkIn(['zh-CN', 'en']);
    table.boolean('active').notNullable().defaultTo(true);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('user_roles', (table) => {
    table.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    table.text('role').notNullable().checkIn(ROLES);
    table.primary(['user_id', 'role']);
  });

  await knex.schema.createTable('user_centers', (table) => {
    table.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    table.text('center_code').notNullable().references('code').inTable('centers');
    table.primary(['user_id', 'center_code']);
  });

  await knex.schema.createTable('sessions', (table) => {
    // SHA-256 of the cookie token: a leaked table does not hand out live sessions.
    table.text('id').primary();
    table.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE').index();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.text('csrf_token').notNullable();
  });

  await knex.schema.createTable('audit_log', (table) => {
    table.bigIncrements('id');
    table.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Null for anonymous actions (a failed login of an unknown name is recorded under target).
    table.text('actor').nullable().index();
    table.text('action').notNullable().index();
    table.text('target').nullable();
    table.jsonb('detail').notNullable().defaultTo('{}');
    table.text('ip').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
  await knex.schema.dropTable('sessions');
  await knex.schema.dropTable('user_centers');
  await knex.schema.dropTable('user_roles');
  await knex.schema.dropTable('users');
}
