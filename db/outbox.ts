/**
 * The outbox of SMS and e-mail to customers and staff. Every message is written here first under an idempotency
 * key, so a job delivered twice sends nothing twice; mail then goes out through nodemailer and is marked sent.
 * SMS stay pending for the SMS gateway, which is outside this platform.
 */
import type { Knex } from 'knex';
import type { Mailer } from '../server/mail/mailer';

export interface OutboxMessage {
  channel: 'sms' | 'email';
  recipient: string;
  subject?: string;
  /** Text for SMS, HTML for mail. */
  body: string;
  workOrderId?: number | null;
  idempotencyKey: string;
}

export interface OutboxRow {
  id: number;
  channel: 'sms' | 'email';
  recipient: string;
  subject: string | null;
  body: string;
  status: 'pending' | 'sent' | 'failed';
  work_order_id: number | null;
  idempotency_key: string | null;
  created_at: Date;
  sent_at: Date | null;
}

/** Writes the message unless one with its key exists; returns the stored row either way. */
export async function queueOutboxMessage(knex: Knex, message: OutboxMessage): Promise<OutboxRow> {
  await knex('outbox')
    .insert({
      channel: message.channel,
      recipient: message.recipient,
      subject: message.subject ?? null,
      body: message.body,
      work_order_id: message.workOrderId ?? null,
      idempotency_key: message.idempotencyKey,
    })
    .onConflict('idempotency_key')
    .ignore();
  return knex<OutboxRow>('outbox').where({ idempotency_key: message.idempotencyKey }).first().then((row) => row!);
}

/**
 * Queues the message and, for mail, sends it unless an earlier delivery of the same job already did. A send that
 * fails throws (the job is retried) and leaves the row pending for that retry.
 */
export async function deliverOutboxMessage(knex: Knex, mailer: Mailer, message: OutboxMessage): Promise<OutboxRow> {
  const row = await queueOutboxMessage(knex, message);
  if (row.channel !== 'email' || row.status === 'sent') return row;
  await mailer.send({ to: row.recipient, subject: row.subject ?? '', html: row.body });
  const [sent] = await knex<OutboxRow>('outbox').where({ id: row.id }).update({ status: 'sent', sent_at: knex.fn.now() }, '*');
  return sent;
}
