/**
 * The outbox through real SMTP into the built-in catcher: a message is queued and sent once per idempotency key,
 * even when two deliveries of one job run at the same time, and a failed send stays pending for the retry.
 */
import type { Knex } from 'knex';
import { openScratchDatabase } from '../../db/connect';
import { deliverOutboxMessage, queueOutboxMessage, type OutboxMessage } from '../../db/outbox';
import { listCaughtMail } from '../../server/mail/caughtMail';
import { startMailCatcher, type MailCatcher } from '../../server/mail/mailCatcher';
import { createMailer, type Mailer } from '../../server/mail/mailer';

let database: { knex: Knex; drop(): Promise<void> };
let catcher: MailCatcher;
let mailer: Mailer;

beforeAll(async () => {
  database = await openScratchDatabase();
  catcher = await startMailCatcher({ knex: database.knex, port: 0 });
  mailer = createMailer({ smtpUrl: catcher.url, from: 'kefu@service.example.cn' });
});

afterAll(async () => {
  mailer?.close();
  await catcher?.close();
  await database?.drop();
});

const mail = (key: string, recipient = 'customer@example.com'): OutboxMessage => ({
  channel: 'email',
  recipient,
  subject: `回执 ${key}`,
  body: `<p>您的来件已受理 ${key}</p>`,
  idempotencyKey: key,
});

const mailsTo = async (subject: string) => (await listCaughtMail(database.knex)).filter((m) => m.subject === subject);

it('sends a mail once however often its job delivers it', async () => {
  const first = await deliverOutboxMessage(database.knex, mailer, mail('job-1:receipt'));
  const again = await deliverOutboxMessage(database.knex, mailer, mail('job-1:receipt'));
  expect([first.status, again.status, again.id]).toEqual(['sent', 'sent', first.id]);
  expect(await mailsTo('回执 job-1:receipt')).toHaveLength(1);
});

it('two deliveries at the same time send one mail; the other is told to retry', async () => {
  const results = await Promise.allSettled([
    deliverOutboxMessage(database.knex, mailer, mail('job-2:receipt')),
    deliverOutboxMessage(database.knex, mailer, mail('job-2:receipt')),
  ]);
  expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  expect(await mailsTo('回执 job-2:receipt')).toHaveLength(1);
  expect((await deliverOutboxMessage(database.knex, mailer, mail('job-2:receipt'))).status).toBe('sent');
  expect(await mailsTo('回执 job-2:receipt')).toHaveLength(1);
});

it('a send the SMTP server refuses leaves the mail pending, and the retry sends it', async () => {
  const refusing = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', from: 'kefu@service.example.cn' });
  try {
    await expect(deliverOutboxMessage(database.knex, refusing, mail('job-3:receipt'))).rejects.toThrow();
  } finally {
    refusing.close();
  }
  expect((await database.knex('outbox').where({ idempotency_key: 'job-3:receipt' }).first()).status).toBe('pending');
  expect((await deliverOutboxMessage(database.knex, mailer, mail('job-3:receipt'))).status).toBe('sent');
  expect(await mailsTo('回执 job-3:receipt')).toHaveLength(1);
});

it('SMS stay pending for the SMS gateway', async () => {
  const sms = await queueOutboxMessage(database.knex, { channel: 'sms', recipient: '13800000001', body: '您的工单已受理', idempotencyKey: 'job-4:sms' });
  expect(sms.status).toBe('pending');
});
