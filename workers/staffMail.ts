/**
 * Mail to staff: each candidate group has a mailbox `<group>@<STAFF_MAIL_DOMAIN>` (city-gz@…, backoffice@…), and a
 * handler who has signed for an order is also written to at the address of their user account.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { deliverOutboxMessage } from '../db/outbox';
import { findWorkOrder } from '../db/workOrders';
import type { WorkerContext } from './jobWorker';
import { renderNotice, type NoticeName } from './notices';

const STAFF_MAIL_DOMAIN = z
  .string()
  .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'STAFF_MAIL_DOMAIN must be a mail domain')
  .default('service.example.cn')
  .parse(process.env.STAFF_MAIL_DOMAIN);

export function groupMailbox(group: string): string {
  return `${group}@${STAFF_MAIL_DOMAIN}`;
}

/** The e-mail address of an active user by user name, if they have one. */
export async function userMailbox(knex: Knex, username: string): Promise<string | null> {
  const user = await knex('users').where({ username, active: true }).first('email');
  return user?.email ?? null;
}

export interface StaffMail {
  template: NoticeName;
  data: Record<string, unknown>;
  recipients: readonly string[];
  workOrderNumber?: string | null;
  /** Prefix of the outbox idempotency keys; the recipient is appended. */
  idempotencyKey: string;
}

/** Sends one mail per recipient through the outbox; resolves with the recipients written to. */
export async function mailStaff(context: WorkerContext, mail: StaffMail): Promise<string[]> {
  const rendered = renderNotice(mail.template, mail.data, '各位同事：');
  const workOrder = mail.workOrderNumber ? await findWorkOrder(context.knex, mail.workOrderNumber) : undefined;
  const recipients = [...new Set(mail.recipients)];
  for (const recipient of recipients) {
    await deliverOutboxMessage(context.knex, context.mailer, {
      channel: 'email',
      recipient,
      subject: rendered.subject,
      body: rendered.html,
      workOrderId: workOrder?.id ?? null,
      idempotencyKey: `${mail.idempotencyKey}:${recipient}`,
    });
  }
  return recipients;
}
