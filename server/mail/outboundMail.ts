/**
 * The platform's outbound mail: nodemailer to SMTP_URL when it is set, else to the built-in catcher on
 * 127.0.0.1:MAIL_CATCHER_PORT (2525), whose mails stay in the database for the UI and the tests.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { startMailCatcher, type MailCatcher } from './mailCatcher';
import { createMailer, type Mailer } from './mailer';

export const DEFAULT_MAIL_FROM = '"中国联通客户服务中心" <kefu@service.example.cn>';

const envSchema = z.object({
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_CATCHER_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  MAIL_FROM: z.string().min(1).default(DEFAULT_MAIL_FROM),
});

export interface OutboundMail {
  mailer: Mailer;
  /** Where mail goes, without credentials, for start-up logs. */
  destination: string;
  /** Present when mail stays in the built-in catcher. */
  catcher?: MailCatcher;
  close(): Promise<void>;
}

export async function startOutboundMail(options: {
  knex: Knex;
  env?: Record<string, string | undefined>;
}): Promise<OutboundMail> {
  const env = envSchema.parse(options.env ?? process.env);
  if (env.SMTP_URL) {
    const mailer = createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM });
    const { protocol, host } = new URL(env.SMTP_URL);
    return { mailer, destination: `${protocol}//${host}`, close: async () => mailer.close() };
  }
  const catcher = await startMailCatcher({ knex: options.knex, host: '127.0.0.1', port: env.MAIL_CATCHER_PORT });
  const mailer = createMailer({ smtpUrl: catcher.url, from: env.MAIL_FROM });
  return {
    mailer,
    destination: `mail catcher ${catcher.url}`,
    catcher,
    async close() {
      mailer.close();
      await catcher.close();
    },
  };
}
