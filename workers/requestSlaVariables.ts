/**
 * The time limits a customer request carries from intake into every business flow it may reach (phone-intake →
 * manual-acceptance → consultation, complaint, service-order, emergency, bill-inquiry; web and written intake).
 * The channels that start intake (the CTI message, the portal form, a mail) carry none of them, and the called
 * flows inherit their caller's variables, so intake sets them once, from sla_config, for the whole request.
 */
import type { Knex } from 'knex';
import { addMinutes, minutesAsDuration, slaValues } from '../db/slaConfig';

const KEYS = [
  'voicemail.callback',
  'call.wrap_up',
  'written.register',
  'consultation.deadline',
  'callback.retry_interval',
  'emergency.suspend',
  'service_order.deadline',
] as const;

export interface RequestSlaVariables {
  /** phone-intake: duty agent handles a night voicemail. */
  slaVoicemailCallback: string;
  /** manual-acceptance: agent finishes the call record. */
  slaCallWrapUp: string;
  /** written-intake: backoffice registers a fax or letter. */
  slaWrittenRegister: string;
  /** consultation: backoffice expert answers. */
  slaConsultationExpert: string;
  /** complaint: wait before calling an unreachable customer back again. */
  slaCallbackRetry: string;
  /** emergency: the line must be suspended within this. */
  slaEmergencySuspend: string;
  /** service-order: the order is done (installation included) by then; counted from the request. */
  orderDueAt: string;
}

export async function requestSlaVariables(knex: Knex, now: Date): Promise<RequestSlaVariables> {
  const sla = await slaValues(knex, KEYS);
  return {
    slaVoicemailCallback: minutesAsDuration(sla['voicemail.callback']),
    slaCallWrapUp: minutesAsDuration(sla['call.wrap_up']),
    slaWrittenRegister: minutesAsDuration(sla['written.register']),
    slaConsultationExpert: minutesAsDuration(sla['consultation.deadline']),
    slaCallbackRetry: minutesAsDuration(sla['callback.retry_interval']),
    slaEmergencySuspend: minutesAsDuration(sla['emergency.suspend']),
    orderDueAt: addMinutes(now, sla['service_order.deadline']).toISOString(),
  };
}
