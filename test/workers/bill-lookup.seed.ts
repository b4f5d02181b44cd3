/**
 * Test-side queries of the seeded billing data: customers picked by what a scenario needs and their bill as the
 * billing tables hold it, to compare with what bill-lookup and send-bill produce.
 */
import type { Knex } from 'knex';

export interface SeededCustomer {
  id: number;
  name: string;
  phone: string;
  email: string | null;
  city_code: string;
  vip: boolean;
}

export interface SeededBill {
  month: string;
  status: 'paid' | 'unpaid';
  totalFen: number;
  items: { name: string; serviceLine: string; amountFen: number }[];
}

/** The first customer (by id) that `narrow` lets through, e.g. `(q) => q.whereNotNull('c.email')`. */
export async function seededCustomer(knex: Knex, narrow: (query: Knex.QueryBuilder) => Knex.QueryBuilder = (q) => q): Promise<SeededCustomer> {
  const customer = await narrow(knex('customers as c'))
    .orderBy('c.id')
    .first('c.id', 'c.name', 'c.phone', 'c.email', 'c.city_code', 'c.vip');
  if (!customer) throw new Error('no seeded customer matches');
  return customer;
}

/** Months the customer has bills for, oldest first. */
export async function billedMonths(knex: Knex, customerId: number): Promise<string[]> {
  return knex('bills as b').join('accounts as a', 'a.id', 'b.account_id').where('a.customer_id', customerId).orderBy('b.month').pluck('b.month');
}

export async function seededBill(knex: Knex, customerId: number, month: string): Promise<SeededBill> {
  const bill = await knex('bills as b')
    .join('accounts as a', 'a.id', 'b.account_id')
    .where({ 'a.customer_id': customerId, 'b.month': month })
    .first('b.id', 'b.status', 'b.total_fen');
  const items = await knex('bill_items').where({ bill_id: bill.id }).orderBy('id').select('item_name as name', 'service_line as serviceLine', 'amount_fen as amountFen');
  return { month, status: bill.status, totalFen: bill.total_fen, items };
}

/** An amount in fen as the bill mail shows it: 12345 -> "123.45". */
export function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}
