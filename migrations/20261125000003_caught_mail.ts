import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Every mail the built-in SMTP catcher accepted (no SMTP_URL set), so tests and the UI can read what was sent.
  await knex.schema.createTable('caught_mail', (table) => {
    table.increments('id');
    table.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // The From header as a mail client shows it, or the envelope sender when the header is missing.
    table.text('mail_from').notNullable();
    // Envelope recipients (Bcc included), lower-cased: who the mail was actually delivered to. A JSON array
    // rather than text[] because both drivers (pg, PGlite) pass JSON through unchanged.
    table.jsonb('rcpt_to').notNullable();
    table.text('message_id').nullable();
    table.timestamp('sent_at', { useTz: true }).nullable();
    table.text('subject').notNullable();
    table.text('text_body').nullable();
    table.text('html_body').nullable();
    table.text('raw').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('caught_mail');
}
