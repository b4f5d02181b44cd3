/**
 * send-bill (bill-inquiry, e-mail channel): the itemised bill bill-lookup found, as an HTML mail from the bill
 * template, through the outbox (one mail per job however often the job comes). The address is the one the
 * customer gave with the request (customerEmail) or the one on file. A customer with neither cannot be mailed and
 * the model has no other way to answer, so that is an incident for an operator (set customerEmail, resolve), not a
 * BPMN error; mail-server failures are retried.
 */
import { z } from 'zod';
import { deliverOutboxMessage } from '../db/outbox';
import { renderMailTemplate } from '../server/mail/mailTemplates';
import { billVariable } from './bill-lookup';
import { findCustomerById } from './customers';
import { completeWith, defineJobWorker, PermanentJobFailure } from './jobWorker';

export const sendBillWorker = defineJobWorker({
  type: 'send-bill',
  input: z.object({
    customerId: z.number().int().positive(),
    billMonth: z.string(),
    bill: billVariable.nullable(),
    customerEmail: z.email().nullish(),
  }),
  async handle({ customerId, billMonth, bill, customerEmail }, job, { knex, mailer }) {
    const customer = await findCustomerById(knex, customerId);
    if (!customer) throw new PermanentJobFailure(`customer ${customerId} does not exist`);
    const recipient = customerEmail ?? customer.email;
    if (!recipient) throw new PermanentJobFailure(`customer ${customerId} has no e-mail address: set customerEmail and resolve the incident`);
    const body = bill
      ? renderMailTemplate('bill', { customerName: customer.name, month: bill.month, items: bill.items, totalFen: bill.totalFen })
      : renderMailTemplate('bill-missing', { customerName: customer.name, month: billMonth });
    const mail = await deliverOutboxMessage(knex, mailer, {
      channel: 'email',
      recipient,
      subject: `中国联通 ${billMonth} 话费账单`,
      body,
      idempotencyKey: `${job.key}:bill-mail`,
    });
    return completeWith({ billMailId: mail.id });
  },
});
