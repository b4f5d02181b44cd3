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
  status: 'pending' | 'sending' | 'sent' | 'failed';
  work_order_id: number | null;
  idempotency_key: string | null;
  created_at: Date;
  sent_at: Date | null;
  sending_until: Date | null;
}

/** Writes the message unless one with its key exists; returns the stored row either way. */
export async function queueOutboxMessage(knex: Knex, message: OutboxMessage): Promise<OutboxRow> {
  const [inserted] = await knex<OutboxRow>('outbox')
    .insert({
      channel: message.channel,
      recipient: message.recipient,
      subject: message.subject ?? null,
      body: message.body,
      work_order_id: message.workOrderId ?? null,
      idempotency_key: message.idempotencyKey,
    })
    .onConflict('idempotency_key')
    .ignore()
    .returning('*');
  // Nothing inserted: an earlier delivery of the same job wrote it.
  return inserted ?? (await knex<OutboxRow>('outbox').where({ idempotency_key: message.idempotencyKey }).first())!;
}

/** How long a sender holds a mail before another delivery of the job may take it over. */
const SENDING_CLAIM_SECONDS = 120;

/**
 * Queues the message and, for mail, sends it unless an earlier delivery of the same job already did. A send that
 * fails throws (the job is retried) and leaves the row pending for that retry. While one delivery sends, a
 * concurrent one throws rather than send the mail twice; its retry then finds the mail sent.
 */
export async function deliverOutboxMessage(knex: Knex, mailer: Mailer, message: OutboxMessage): Promise<OutboxRow> {
  const row = await queueOutboxMessage(knex, message);
  if (row.channel !== 'email' || row.status === 'sent') return row;
  const claimed = await knex('outbox')
    .where({ id: row.id })
    .andWhere((claimable) => claimable.where({ status: 'pending' }).orWhere((stale) => stale.where({ status: 'sending' }).andWhere('sending_until', '<', knex.fn.now())))
    .update({ status: 'sending', sending_until: knex.raw(`now() + interval '${SENDING_CLAIM_SECONDS} seconds'`) }, ['id']);
  if (claimed.length === 0) throw new Error(`Mail ${message.idempotencyKey} is being sent by another delivery of the same job`);
  try {
    await mailer.send({ to: row.recipient, subject: row.subject ?? '', html: row.body });
  } catch (error) {
    await knex('outbox').where({ id: row.id }).update({ status: 'pending', sending_until: null });
    throw error;
  }
  const [sent] = await knex<OutboxRow>('outbox').where({ id: row.id }).update({ status: 'sent', sent_at: knex.fn.now(), sending_until: null }, '*');
  return sent;
}
