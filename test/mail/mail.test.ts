/**
 * Outbound mail end to end: nodemailer sends over real SMTP to the built-in catcher, which parses each mail
 * and stores it; the assertions read the mails back from the database.
 */
import { connect } from 'node:net';
import type { Knex } from 'knex';
import { openScratchDatabase } from '../../db/connect';
import { listCaughtMail } from '../../server/mail/caughtMail';
import { startMailCatcher, type MailCatcher } from '../../server/mail/mailCatcher';
import { createMailer, InvalidMailError, type Mailer } from '../../server/mail/mailer';
import { renderMailTemplate } from '../../server/mail/mailTemplates';
import { startOutboundMail } from '../../server/mail/outboundMail';

const FROM = '"中国联通客户服务中心" <kefu@service.example.cn>';

let database: { knex: Knex; drop(): Promise<void> };
let catcher: MailCatcher;
let mailer: Mailer;

beforeAll(async () => {
  database = await openScratchDatabase();
  catcher = await startMailCatcher({ knex: database.knex, port: 0 });
  mailer = createMailer({ smtpUrl: catcher.url, from: FROM });
});

afterAll(async () => {
  mailer?.close();
  await catcher?.close();
  await database?.drop();
});

const billItems = [
  { name: '月租费', amountFen: 5800 },
  { name: '国内语音通话费', amountFen: 1234 },
  { name: '流量包优惠', amountFen: -500 },
];

function billData(customerName: string) {
  return {
    customerName,
    month: '2026年10月',
    items: billItems,
    totalFen: billItems.reduce((sum, item) => sum + item.amountFen, 0),
  };
}

test('an itemised bill with a Chinese subject arrives decoded, with its recipients and amounts', async () => {
  const subject = '您的2026年10月话费账单 — 张三';
  const text = '张三您好，您2026年10月的话费合计 65.34 元，明细请见 HTML 版本。';
  const messageId = await mailer.send({
    to: ['zhangsan@example.cn', 'billing-copy@example.cn'],
    subject,
    html: renderMailTemplate('bill', billData('张三')),
    text,
  });

  const [mail] = await listCaughtMail(database.knex, { to: 'ZhangSan@Example.cn' });
  expect(mail).toBeDefined();
  expect(mail!.messageId).toBe(messageId);
  expect(mail!.subject).toBe(subject);
  // The quoted display name travels as an RFC 2047 encoded word and comes back without its quotes.
  expect(mail!.mailFrom).toBe('中国联通客户服务中心 <kefu@service.example.cn>');
  expect(mail!.rcptTo).toEqual(['zhangsan@example.cn', 'billing-copy@example.cn']);
  expect(mail!.textBody?.trim()).toBe(text);
  expect(mail!.sentAt).toBeInstanceOf(Date);
  const html = mail!.htmlBody ?? '';
  expect(html).toContain('尊敬的 张三');
  expect(html).toContain('2026年10月');
  expect(html).toMatch(/月租费<\/td>\s*<td[^>]*>58\.00</);
  expect(html).toMatch(/国内语音通话费<\/td>\s*<td[^>]*>12\.34</);
  expect(html).toMatch(/流量包优惠<\/td>\s*<td[^>]*>-5\.00</);
  expect(html).toContain('65.34 元');

  // The subject and bodies really travelled encoded, so the catcher's decoding is what made them readable.
  const { raw } = await database.knex('caught_mail').where({ id: mail!.id }).first('raw');
  expect(raw).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/im);
  expect(raw).not.toContain('张三');
});

test('markup in template data arrives escaped', async () => {
  await mailer.send({
    to: 'lisi@example.cn',
    subject: '账单',
    html: renderMailTemplate('bill', billData('<script>alert("x")</script>李四')),
  });
  const [mail] = await listCaughtMail(database.knex, { to: 'lisi@example.cn' });
  expect(mail!.htmlBody).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;李四');
  expect(mail!.htmlBody).not.toContain('<script>');
});

test('a template refuses missing data, non-integer amounts and path-like names', () => {
  const { customerName: _, ...withoutName } = billData('王五');
  expect(() => renderMailTemplate('bill', withoutName)).toThrow(/customerName/);
  expect(() => renderMailTemplate('bill', { ...billData('王五'), totalFen: 12.5 })).toThrow(/integer/);
  expect(() => renderMailTemplate('../mailer', {})).toThrow(/template name/);
});

test('an invalid address is refused before sending, naming the field', async () => {
  const before = await database.knex('caught_mail').count<{ count: string | number }[]>('* as count');
  const html = '<p>测试</p>';
  await expect(mailer.send({ to: 'not-an-address', subject: '测试', html })).rejects.toThrow(
    new InvalidMailError('to', 'Invalid email address'),
  );
  await expect(mailer.send({ to: ['ok@example.cn', 'bad@'], subject: '测试', html })).rejects.toMatchObject({
    field: 'to.1',
    message: expect.stringContaining('"to.1"'),
  });
  await expect(mailer.send({ to: 'ok@example.cn', subject: ' ', html })).rejects.toMatchObject({ field: 'subject' });
  const after = await database.knex('caught_mail').count<{ count: string | number }[]>('* as count');
  expect(Number(after[0]!.count)).toBe(Number(before[0]!.count));
});

test('the catcher keeps taking mail, also after a client that broke off mid-session', async () => {
  await new Promise<void>((resolve, reject) => {
    const socket = connect(catcher.port, '127.0.0.1', () => {
      socket.write('EHLO broken\r\nMAIL FROM:<a@example.cn>\r\nRCPT TO:<b@example.cn>\r\nDATA\r\nSubject: half');
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 50);
    });
    socket.on('error', reject);
  });

  const subjects = Array.from({ length: 6 }, (_, index) => `第${index + 1}封测试邮件`);
  const ids = await Promise.all(
    subjects.map((subject) => mailer.send({ to: 'many@example.cn', subject, html: `<p>${subject}</p>` })),
  );
  const mails = await listCaughtMail(database.knex, { to: 'many@example.cn' });
  expect(mails.map((mail) => mail.messageId).sort()).toEqual([...ids].sort());
  expect(mails.map((mail) => mail.subject).sort()).toEqual([...subjects].sort());
  for (const mail of mails) expect(mail.htmlBody?.trim()).toBe(`<p>${mail.subject}</p>`);
  // Newest first, and the limit holds.
  expect(mails.map((mail) => mail.id)).toEqual([...mails.map((mail) => mail.id)].sort((a, b) => b - a));
  expect(await listCaughtMail(database.knex, { to: 'many@example.cn', limit: 2 })).toEqual(mails.slice(0, 2));
});

describe('startOutboundMail', () => {
  test('without SMTP_URL it starts its own catcher and mail lands in the database', async () => {
    const outbound = await startOutboundMail({ knex: database.knex, env: { MAIL_CATCHER_PORT: '0' } });
    try {
      expect(outbound.catcher).toBeDefined();
      expect(outbound.catcher!.port).not.toBe(catcher.port);
      const messageId = await outbound.mailer.send({ to: 'own-catcher@example.cn', subject: '自带', html: '<p>x</p>' });
      const [mail] = await listCaughtMail(database.knex, { to: 'own-catcher@example.cn' });
      expect(mail!.messageId).toBe(messageId);
      expect(mail!.mailFrom).toContain('中国联通客户服务中心');
    } finally {
      await outbound.close();
    }
  });

  test('with SMTP_URL it sends there and starts no catcher', async () => {
    const outbound = await startOutboundMail({
      knex: database.knex,
      env: { SMTP_URL: catcher.url, MAIL_FROM: 'noreply@example.cn' },
    });
    try {
      expect(outbound.catcher).toBeUndefined();
      expect(outbound.destination).toBe(catcher.url);
      await outbound.mailer.send({ to: 'relay@example.cn', subject: '外部', html: '<p>x</p>' });
      const [mail] = await listCaughtMail(database.knex, { to: 'relay@example.cn' });
      expect(mail!.mailFrom).toBe('noreply@example.cn');
    } finally {
      await outbound.close();
    }
  });

  test('a SMTP_URL that is not smtp:// or smtps:// is refused', async () => {
    await expect(startOutboundMail({ knex: database.knex, env: { SMTP_URL: 'http://mail.example.cn' } })).rejects.toThrow(
      /SMTP_URL/,
    );
  });
});
