/**
 * The complaint time limit from the SLA configuration: urgent or normal, shortened for VIP customers by
 * complaint.vip_factor (a percentage of the limit). A known customer's own VIP flag wins over the variable.
 */
import type { Knex } from 'knex';
import { slaValues } from '../db/slaConfig';
import { findCustomerById } from './customers';

export interface DeadlineRequest {
  urgency?: string | null;
  vip?: boolean | null;
  customerId?: number | null;
}

export async function complaintDeadlineMinutes(knex: Knex, request: DeadlineRequest): Promise<number> {
  const sla = await slaValues(knex, ['complaint.deadline.urgent', 'complaint.deadline.normal', 'complaint.vip_factor']);
  const limit = request.urgency === 'urgent' ? sla['complaint.deadline.urgent'] : sla['complaint.deadline.normal'];
  return (await isVip(knex, request)) ? Math.round((limit * sla['complaint.vip_factor']) / 100) : limit;
}

async function isVip(knex: Knex, request: DeadlineRequest): Promise<boolean> {
  if (request.customerId == null) return Boolean(request.vip);
  return Boolean((await findCustomerById(knex, request.customerId))?.vip);
}
