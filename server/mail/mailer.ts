/** Outbound mail through nodemailer over SMTP: a real server (SMTP_URL) or the built-in catcher. */
import nodemailer from 'nodemailer';
import { z } from 'zod';

const mailSchema = z.object({
  to: z.union([z.email(), z.array(z.email()).min(1)]),
  subject: z.string().trim().min(1),
  html: z.string().min(1),
  text: z.string().optional(),
});

export type OutgoingMail = z.input<typeof mailSchema>;

export interface Mailer {
  /** Resolves with the Message-ID once the SMTP server has accepted the mail. */
  send(mail: OutgoingMail): Promise<string>;
  close(): void;
}

/** Refused before anything is sent; `field` names what was wrong (`to`, `to.1`, `subject`, ...). */
export class InvalidMailError extends Error {
  constructor(readonly field: string, reason: string) {
    super(`Invalid mail field "${field}": ${reason}`);
    this.name = 'InvalidMailError';
  }
}

export function createMailer(options: { smtpUrl: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    async send(mail) {
      const parsed = mailSchema.safeParse(mail);
      if (!parsed.success) {
        const [issue] = parsed.error.issues;
        throw new InvalidMailError(issue!.path.join('.') || '(mail)', issue!.message);
      }
      const info = await transport.sendMail({ from: options.from, ...parsed.data });
      return info.messageId;
    },
    close: () => transport.close(),
  };
}
