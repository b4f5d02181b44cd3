/**
 * find-arrears (7.11, the daily dunning run): the accounts with bills unpaid past their due date, one element each
 * for dunning.bpmn's multi-instance (`account.accountId` is the payment message's correlation key), and the wait
 * between the steps from the SLA configuration. Each spell of arrears (account + oldest unpaid month) gets one
 * dunning work order; an account whose spell another day's run already took is left to that run.
 */
import { z } from 'zod';
import { createWorkOrder } from '../db/workOrders';
import { minutesAsDuration, slaValue } from '../db/slaConfig';
import { accountsInArrears } from './arrears';
import { completeWith, defineJobWorker } from './jobWorker';
import { provinceOf } from './requestWorkOrder';

export interface DunnedAccount {
  accountId: number;
  customerId: number;
  customerName: string;
  phoneNumber: string;
  email: string | null;
  cityCode: string;
  vip: boolean;
  arrearsFen: number;
  /** Number of the dunning work order. */
  workOrderId: string;
}

interface CustomerRow {
  accountId: number;
  customerId: number;
  name: string;
  phone: string;
  email: string | null;
  cityCode: string;
  vip: boolean;
}

export const findArrearsWorker = defineJobWorker({
  type: 'find-arrears',
  input: z.object({}),
  async handle(_, job, context) {
    const { knex } = context;
    const now = context.now();
    const slaDunningWait = minutesAsDuration(await slaValue(knex, 'dunning.second_notice_after'));
    const inArrears = await accountsInArrears(knex, now);
    const keyOf = (accountId: number, month: string) => `dunning:${accountId}:${month}`;
    const orders: { idempotency_key: string; process_instance_key: string | null }[] = await knex('work_orders')
      .whereIn('idempotency_key', inArrears.map((a) => keyOf(a.accountId, a.oldestUnpaidMonth)))
      .select('idempotency_key', 'process_instance_key');
    const taken = new Map(orders.map((row) => [row.idempotency_key, row.process_instance_key]));
    // The same job delivered again finds its own orders and keeps those accounts.
    const mine = inArrears.filter((a) => (taken.get(keyOf(a.accountId, a.oldestUnpaidMonth)) ?? job.processInstanceKey) === job.processInstanceKey);
    const rows: CustomerRow[] = await knex('accounts as a')
      .join('customers as c', 'c.id', 'a.customer_id')
      .whereIn('a.id', mine.map((a) => a.accountId))
      .select('a.id as accountId', 'c.id as customerId', 'c.name', 'c.phone', 'c.email', 'c.city_code as cityCode', 'c.vip');
    const customers = new Map(rows.map((row) => [row.accountId, row]));
    const provinces = new Map<string, Promise<string>>();
    const provinceOfCity = (cityCode: string) => provinces.get(cityCode) ?? provinces.set(cityCode, provinceOf(knex, { cityCode })).get(cityCode)!;
    const arrearsAccounts: DunnedAccount[] = [];
    for (const account of mine) {
      const customer = customers.get(account.accountId)!;
      const order = await createWorkOrder(knex, {
        channel: 'sms',
        category: '话费催缴',
        state: 'dunning',
        description: `欠费 ${account.unpaidBills} 个月，自 ${account.oldestUnpaidMonth} 起`,
        customerId: customer.customerId,
        centerCode: await provinceOfCity(customer.cityCode),
        processInstanceKey: job.processInstanceKey,
        kind: 'dunning',
        idempotencyKey: keyOf(account.accountId, account.oldestUnpaidMonth),
        actor: 'find-arrears',
        now,
      });
      arrearsAccounts.push({
        accountId: account.accountId,
        customerId: customer.customerId,
        customerName: customer.name,
        phoneNumber: customer.phone,
        email: customer.email,
        cityCode: customer.cityCode,
        vip: customer.vip,
        arrearsFen: account.arrearsFen,
        workOrderId: order.number,
      });
    }
    return completeWith({ arrearsAccounts, slaDunningWait });
  },
});
