/**
 * Reaching a customer: who they are (the customers row, or the contact details a web or written request brought)
 * and the channels a notice goes out on. Shared by every worker that writes to customers.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { deliverOutboxMessage } from '../db/outbox';
import { CHANNELS, findWorkOrder } from '../db/workOrders';
import { PermanentJobFailure, type WorkerContext } from './jobWorker';
import { requireCustomer } from './customers';
import { renderNotice, type NoticeName } from './notices';

/** The process variables that say who the customer is and how the request came in. */
export const customerContactShape = {
  customerId: z.number().int().positive().nullish(),
  phoneNumber: z.string().trim().min(1).nullish(),
  customerEmail: z.email().nullish(),
  customerName: z.string().trim().min(1).nullish(),
  channel: z.enum(CHANNELS).nullish(),
};

export type CustomerContactInput = z.infer<z.ZodObject<typeof customerContactShape>>;

export interface CustomerContact {
  name: string | null;
  phone: string | null;
  email: string | null;
}

/** A known customer's own record wins over what the request carried; an id that names no customer is bad data. */
export async function resolveContact(knex: Knex, input: CustomerContactInput): Promise<CustomerContact> {
  if (input.customerId != null) {
    const customer = await requireCustomer(knex, input.customerId);
    return { name: customer.name, phone: customer.phone, email: customer.email ?? input.customerEmail ?? null };
  }
  return { name: input.customerName ?? null, phone: input.phoneNumber ?? null, email: input.customerEmail ?? null };
}

/**
 * An e-mail or SMS request is answered in its own channel only; anything else by SMS to the phone and, where the
 * customer has one, by mail.
 */
function channelsFor(contact: CustomerContact, channel: CustomerContactInput['channel']): ('sms' | 'email')[] {
  const wanted: ('sms' | 'email')[] = channel === 'email' ? ['email'] : channel === 'sms' ? ['sms'] : ['sms', 'email'];
  const reachable = wanted.filter((how) => (how === 'sms' ? contact.phone : contact.email));
  if (reachable.length === 0) {
    throw new PermanentJobFailure(`no ${channel === 'email' ? 'e-mail address' : channel === 'sms' ? 'phone number' : 'phone number or e-mail address'} to reach the customer`);
  }
  return reachable;
}

export interface CustomerNotice {
  template: NoticeName;
  data: Record<string, unknown>;
  /** Work-order number the notice is about, if any; links the outbox rows to it. */
  workOrderNumber?: string | null;
  /** Prefix of the outbox idempotency keys, e.g. `<job key>:notice`. */
  idempotencyKey: string;
}

/** Queues the SMS and sends the mail of one notice; resolves with the channels used. */
export async function sendCustomerNotice(
  context: WorkerContext,
  input: CustomerContactInput,
  notice: CustomerNotice,
): Promise<('sms' | 'email')[]> {
  const contact = await resolveContact(context.knex, input);
  const channels = channelsFor(contact, input.channel);
  const greeting = `尊敬的${contact.name ?? '客户'}：`;
  const rendered = renderNotice(notice.template, { customerName: contact.name, ...notice.data }, greeting);
  const workOrder = notice.workOrderNumber ? await findWorkOrder(context.knex, notice.workOrderNumber) : undefined;
  for (const channel of channels) {
    await deliverOutboxMessage(context.knex, context.mailer, {
      channel,
      recipient: channel === 'sms' ? contact.phone! : contact.email!,
      subject: rendered.subject,
      body: channel === 'sms' ? `【中国联通】${rendered.text.replace(/\n/g, '')}` : rendered.html,
      workOrderId: workOrder?.id ?? null,
      idempotencyKey: `${notice.idempotencyKey}:${channel}`,
    });
  }
  return channels;
}
