/**
 * identify-customer (phone-intake, web-intake): who is calling or writing, from the caller number (CTI) or the
 * number given on the portal. Intake starts with only what the channel carries, so this first step also hands the
 * request its time limits from the SLA configuration (requestSlaVariables), which the called business flows
 * inherit, and decides the night route from the service hours, because the phone model routes on it whether the
 * caller is known or not: an unknown number is the BPMN error CUSTOMER_NOT_FOUND carrying the same variables.
 * A phone call is kept in call_records for the statistics (wait, IVR choice), once per job.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { findCustomerByNumber, serviceLinesOf } from './customers';
import { bpmnError, completeWith, defineJobWorker } from './jobWorker';
import { requestSlaVariables } from './requestSlaVariables';
import { outsideServiceHours, serviceHours } from './serviceHours';

const number = z.string().trim().min(1);

export const identifyCustomerWorker = defineJobWorker({
  type: 'identify-customer',
  input: z
    .object({
      /** Set by the CTI message of phone-intake. */
      callerNumber: number.optional(),
      /** CTI: when the call came in and how long it queued before the IVR handed it on. */
      callStartedAt: z.iso.datetime({ offset: true }).optional(),
      queuedMs: z.number().int().nonnegative().optional(),
      ivrChoice: z.string().trim().min(1).optional(),
      /** Set by the portal (web-intake), already verified by SMS code. */
      phoneNumber: number.optional(),
      /** An address the customer just gave us beats the one on file. */
      customerEmail: z.email().nullish(),
    })
    .refine((input) => input.callerNumber !== undefined || input.phoneNumber !== undefined, {
      message: 'callerNumber or phoneNumber is required',
      path: ['phoneNumber'],
    }),
  async handle({ callerNumber, callStartedAt, queuedMs, ivrChoice, phoneNumber, customerEmail }, job, { knex, now }) {
    const at = now();
    if (callerNumber !== undefined) {
      await keepCallRecord(knex, job.key, { callerNumber, startedAt: callStartedAt ? new Date(callStartedAt) : at, queuedMs, ivrChoice });
    }
    const request = {
      nightRoute: outsideServiceHours(at, await serviceHours(knex)),
      ...(await requestSlaVariables(knex, at)),
    };
    const calledFrom = (callerNumber ?? phoneNumber)!;
    const customer = await findCustomerByNumber(knex, calledFrom);
    if (!customer) return bpmnError('CUSTOMER_NOT_FOUND', `No customer has the number ${calledFrom}`, { customerId: null, ...request });
    return completeWith({
      customerId: customer.id,
      customerName: customer.name,
      cityCode: customer.cityCode,
      vip: customer.vip,
      creditClass: customer.creditClass,
      serviceLines: await serviceLinesOf(knex, customer.id),
      customerEmail: customerEmail ?? customer.email,
      ...request,
    });
  },
});

interface Call {
  callerNumber: string;
  startedAt: Date;
  queuedMs?: number;
  ivrChoice?: string;
}

/** Keyed by the job, so a job delivered twice counts the call once. */
async function keepCallRecord(knex: Knex, jobKey: string, call: Call): Promise<void> {
  await knex('call_records')
    .insert({
      caller_number: call.callerNumber,
      started_at: call.startedAt,
      queued_ms: call.queuedMs ?? 0,
      ivr_choice: call.ivrChoice ?? null,
      idempotency_key: `identify-customer:${jobKey}`,
    })
    .onConflict('idempotency_key')
    .ignore();
}
