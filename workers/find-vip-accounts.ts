/**
 * find-vip-accounts (4.6.7, the monthly revisit run): every account of a VIP customer, one element each for
 * vip-service.bpmn's multi-instance revisit, and the revisit time limit from the SLA configuration (a process started
 * by a timer has no starter to pass it).
 */
import { z } from 'zod';
import { minutesAsDuration, slaValue } from '../db/slaConfig';
import { completeWith, defineJobWorker } from './jobWorker';

export interface VipAccount {
  accountId: number;
  customerId: number;
  customerName: string;
  phoneNumber: string;
  cityCode: string;
  starLevel: number;
}

export const findVipAccountsWorker = defineJobWorker({
  type: 'find-vip-accounts',
  input: z.object({}),
  async handle(_, _job, { knex }) {
    const slaVipRevisit = minutesAsDuration(await slaValue(knex, 'vip.revisit'));
    const vipAccounts: VipAccount[] = await knex('accounts as a')
      .join('customers as c', 'c.id', 'a.customer_id')
      .where('c.vip', true)
      .orderBy('a.id')
      .select('a.id as accountId', 'c.id as customerId', 'c.name as customerName', 'c.phone as phoneNumber', 'c.city_code as cityCode', 'c.star_level as starLevel');
    return completeWith({ vipAccounts, slaVipRevisit });
  },
});
