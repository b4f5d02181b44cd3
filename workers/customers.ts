/**
 * Finding a customer the way intake does: by a number the caller gives or calls from (the number of one of their
 * lines, or their contact number), or by the id an earlier step found.
 */
import type { Knex } from 'knex';
import { PermanentJobFailure } from './jobWorker';

export interface CustomerRecord {
  id: number;
  name: string;
  phone: string;
  email: string | null;
  cityCode: string;
  vip: boolean;
  creditClass: string;
}

const COLUMNS = ['c.id', 'c.name', 'c.phone', 'c.email', 'c.city_code as cityCode', 'c.vip', 'c.credit_class as creditClass'];

export async function findCustomerById(knex: Knex, id: number): Promise<CustomerRecord | undefined> {
  return knex('customers as c').where('c.id', id).first<CustomerRecord | undefined>(COLUMNS);
}

/** The customer an earlier step identified; an id that names no customer is bad data, not worth a retry. */
export async function requireCustomer(knex: Knex, id: number): Promise<CustomerRecord> {
  const customer = await findCustomerById(knex, id);
  if (!customer) throw new PermanentJobFailure(`customerId ${id} names no customer`);
  return customer;
}

/** A line number wins over a contact number: the line is what the caller is calling about. */
export async function findCustomerByNumber(knex: Knex, number: string): Promise<CustomerRecord | undefined> {
  const byLine = await knex('subscriptions as s')
    .join('accounts as a', 'a.id', 's.account_id')
    .join('customers as c', 'c.id', 'a.customer_id')
    .where('s.number', number)
    .orderBy('c.id')
    .first<CustomerRecord | undefined>(COLUMNS);
  return byLine ?? knex('customers as c').where('c.phone', number).orderBy('c.id').first<CustomerRecord | undefined>(COLUMNS);
}

/** Service-line codes of the customer's lines that are not cancelled, sorted. */
export async function serviceLinesOf(knex: Knex, customerId: number): Promise<string[]> {
  const rows: { line: string }[] = await knex('subscriptions as s')
    .join('accounts as a', 'a.id', 's.account_id')
    .where('a.customer_id', customerId)
    .whereNot('s.status', 'cancelled')
    .distinct('s.service_line as line')
    .orderBy('line');
  return rows.map((row) => row.line);
}
