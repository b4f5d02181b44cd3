/** The `caught_mail` table: mails the built-in SMTP catcher accepted, newest first for the UI and tests. */
import type { Knex } from 'knex';

export interface CaughtMail {
  id: number;
  receivedAt: Date;
  mailFrom: string;
  rcptTo: string[];
  messageId: string | null;
  sentAt: Date | null;
  subject: string;
  textBody: string | null;
  htmlBody: string | null;
}

export type NewCaughtMail = Omit<CaughtMail, 'id' | 'receivedAt'> & { raw: string };

interface CaughtMailRow {
  id: number;
  received_at: Date | string;
  mail_from: string;
  rcpt_to: string[];
  message_id: string | null;
  sent_at: Date | string | null;
  subject: string;
  text_body: string | null;
  html_body: string | null;
}

export async function insertCaughtMail(knex: Knex, mail: NewCaughtMail): Promise<number> {
  const [row] = await knex('caught_mail')
    .insert({
      mail_from: withoutNul(mail.mailFrom),
      rcpt_to: JSON.stringify(mail.rcptTo.map((address) => address.toLowerCase())),
      message_id: mail.messageId && withoutNul(mail.messageId),
      sent_at: mail.sentAt,
      subject: withoutNul(mail.subject),
      text_body: mail.textBody && withoutNul(mail.textBody),
      html_body: mail.htmlBody && withoutNul(mail.htmlBody),
      raw: withoutNul(mail.raw),
    })
    .returning('id');
  return (row as { id: number }).id;
}

/** Newest first; `to` keeps the mails delivered to that address (case-insensitive). */
export async function listCaughtMail(
  knex: Knex,
  options: { to?: string; limit?: number } = {},
): Promise<CaughtMail[]> {
  const query = knex<CaughtMailRow>('caught_mail')
    .select('id', 'received_at', 'mail_from', 'rcpt_to', 'message_id', 'sent_at', 'subject', 'text_body', 'html_body')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 50);
  if (options.to !== undefined) {
    query.whereRaw('rcpt_to @> ?::jsonb', [JSON.stringify([options.to.toLowerCase()])]);
  }
  const rows: CaughtMailRow[] = await query;
  return rows.map((row) => ({
    id: row.id,
    receivedAt: new Date(row.received_at),
    mailFrom: row.mail_from,
    rcptTo: row.rcpt_to,
    messageId: row.message_id,
    sentAt: row.sent_at === null ? null : new Date(row.sent_at),
    subject: row.subject,
    textBody: row.text_body,
    htmlBody: row.html_body,
  }));
}

// Postgres text cannot hold U+0000, and a mail (or a decoded base64 body) may contain it.
function withoutNul(text: string): string {
  return text.replace(/\u0000/g, '');
}
