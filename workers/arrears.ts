/**
 * Arrears as the billing system defines them: bills still unpaid after their due date, on the Beijing calendar of
 * the billing system. Credit checks, the daily dunning run and the dunning notices all read them here.
 */
import type { Knex } from 'knex';
import { beijingDate } from '../db/seed/billing';

export interface AccountArrears {
  accountId: number;
  /** Sum of the unpaid past-due bills, in fen. */
  arrearsFen: number;
  unpaidBills: number;
  /** `YYYY-MM` of the oldest unpaid past-due bill: it identifies one spell of arrears of the account. */
  oldestUnpaidMonth: string;
}

/** Arrears of every account that has any (or of the accounts a query narrows to), ordered by account id. */
export async function accountsInArrears(knex: Knex, now: Date, narrow: (query: Knex.QueryBuilder) => void = () => {}): Promise<AccountArrears[]> {
  const query = knex('bills as b')
    .where('b.status', 'unpaid')
    .where('b.due_date', '<', beijingDate(now).day)
    .groupBy('b.account_id')
    .orderBy('b.account_id')
    .select(
      'b.account_id as accountId',
      knex.raw('sum(b.total_fen)::int as "arrearsFen"'),
      knex.raw('count(*)::int as "unpaidBills"'),
      knex.raw('min(b.month) as "oldestUnpaidMonth"'),
    );
  narrow(query);
  return query;
}

/** Arrears of one account; zero when it owes nothing. */
export async function arrearsOfAccount(knex: Knex, accountId: number, now: Date): Promise<AccountArrears> {
  const [found] = await accountsInArrears(knex, now, (query) => query.where('b.account_id', accountId));
  return found ?? { accountId, arrearsFen: 0, unpaidBills: 0, oldestUnpaidMonth: '' };
}

/** Total arrears of all accounts of a customer, in fen. */
export async function arrearsOfCustomer(knex: Knex, customerId: number, now: Date): Promise<number> {
  const accounts = await accountsInArrears(knex, now, (query) =>
    query.whereIn('b.account_id', knex('accounts').where({ customer_id: customerId }).select('id')),
  );
  return accounts.reduce((sum, account) => sum + account.arrearsFen, 0);
}
