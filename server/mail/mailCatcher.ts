/**
 * The built-in SMTP catcher: when no real SMTP server is configured, outbound mail is delivered here over real
 * SMTP and kept in `caught_mail` instead of leaving the machine. Loopback only and without authentication, so
 * it is meant for one machine (development, demos, tests), never as a public mail server.
 */
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { insertCaughtMail } from './caughtMail';
import { parseMail } from './parseMail';

// Everything is buffered in memory before it is stored; no mail this platform sends comes near this.
const MAX_MAIL_BYTES = 10 * 1024 * 1024;

export interface MailCatcher {
  port: number;
  /** For nodemailer: `smtp://127.0.0.1:<port>`. */
  url: string;
  close(): Promise<void>;
}

export async function startMailCatcher(options: { knex: Knex; host?: string; port?: number }): Promise<MailCatcher> {
  const host = options.host ?? '127.0.0.1';
  const server = new SMTPServer({
    name: 'mail-catcher',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    // A reverse DNS lookup per connection only slows loopback delivery down.
    disableReverseLookup: true,
    size: MAX_MAIL_BYTES,
    logger: false,
    closeTimeout: 5000,
    onData(stream, session, callback) {
      storeMail(options.knex, stream, session).then(
        () => callback(),
        (error: unknown) => {
          console.error('mail-catcher: could not store a mail', error);
          callback(error instanceof Error ? error : new Error(String(error)));
        },
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Errors after start-up concern single connections (a client hanging up); the catcher keeps serving.
  server.on('error', (error) => console.error('mail-catcher:', error.message));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    url: `smtp://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function storeMail(knex: Knex, stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  if (stream.sizeExceeded) {
    throw Object.assign(new Error(`Message exceeds the ${MAX_MAIL_BYTES} byte limit`), { responseCode: 552 });
  }
  const raw = Buffer.concat(chunks);
  const parsed = parseMail(raw);
  const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  await insertCaughtMail(knex, {
    mailFrom: parsed.from ?? envelopeFrom,
    rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
    messageId: parsed.messageId,
    sentAt: parsed.date,
    subject: parsed.subject ?? '',
    textBody: parsed.text,
    htmlBody: parsed.html,
    // 8-bit mails are UTF-8 in practice; 7-bit ones (what nodemailer sends) are unchanged by this.
    raw: raw.toString('utf8'),
  });
}
