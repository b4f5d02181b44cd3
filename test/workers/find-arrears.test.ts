/**
 * find-arrears (the daily dunning run): every account with bills unpaid past due, with its customer and a dunning
 * work order, and the wait from the SLA configuration; an account another run already dunns is left to that run.
 */
import { beijingDate } from '../../db/seed/billing';
import { findArrearsWorker, type DunnedAccount } from '../../workers/find-arrears';
import { usePlatform } from '../support/platformHarness';
import { startInstance } from '../support/bpmn';
import { waitFor } from '../support/engineHarness';
import { ofType, processInstance } from '../support/records';
import { deliveredTwice, deploySingleTask } from './serviceTaskRun';

const twice = deliveredTwice(findArrearsWorker, 'find-arrears-twice');
const suite = usePlatform({ workers: [findArrearsWorker, twice] });

beforeAll(async () => {
  await deploySingleTask(suite.zbc, 'find-arrears-probe', 'find-arrears');
  await deploySingleTask(suite.zbc, 'find-arrears-twice-probe', 'find-arrears-twice');
});

/** The accounts in arrears and what they owe, straight from the bills. */
async function expectedArrears(): Promise<Map<number, number>> {
  const rows: { account_id: number; fen: string }[] = await suite.knex('bills').where('status', 'unpaid').where('due_date', '<', beijingDate(new Date()).day)
    .groupBy('account_id').select('account_id').sum({ fen: 'total_fen' });
  return new Map(rows.map((row) => [row.account_id, Number(row.fen)]));
}

/** Runs the task and resolves with what it found; a first run writes dozens of work orders, so it gets time. */
async function runOf(processId: string) {
  const key = await startInstance(suite.zbc, processId, {});
  const records = await waitFor(async () => {
    const all = await suite.engine.recordsOf(key);
    return all.some(processInstance(key, 'ELEMENT_COMPLETED')) ? all : undefined;
  }, { timeoutMs: 30_000, description: `instance ${key} to complete` });
  const output = records.find(ofType('JOB', 'COMPLETED'))!.value.variables as Record<string, unknown>;
  return { key, accounts: output.arrearsAccounts as DunnedAccount[], wait: output.slaDunningWait };
}

it('a job delivered twice lists every account in arrears once, each with one dunning work order', async () => {
  const { key, accounts, wait } = await runOf('find-arrears-twice-probe');
  expect(twice.runs()).toBeGreaterThanOrEqual(2);
  const expected = await expectedArrears();
  expect(expected.size).toBeGreaterThan(10);
  expect(new Map(accounts.map((a) => [a.accountId, a.arrearsFen]))).toEqual(expected);
  const sla = await suite.knex('sla_config').where({ key: 'dunning.second_notice_after' }).first();
  expect(wait).toBe(`PT${sla.value}M`);

  const orders = await suite.knex('work_orders').where({ process_instance_key: key });
  expect(orders).toHaveLength(expected.size);
  expect(new Set(orders.map((o) => o.number))).toEqual(new Set(accounts.map((a) => a.workOrderId)));
  expect(new Set(orders.map((o) => [o.category, o.kind, o.state, o.center_code].join()))).toEqual(new Set(['话费催缴,dunning,dunning,gd']));

  const sample = accounts.find((a) => a.vip === false && a.email !== null)!;
  const customer = await suite.knex('customers as c').join('accounts as a', 'a.customer_id', 'c.id').where('a.id', sample.accountId).first('c.*');
  expect(sample).toMatchObject({ customerId: customer.id, customerName: customer.name, phoneNumber: customer.phone, email: customer.email, cityCode: customer.city_code });
});

it("the next day's run leaves the accounts already being dunned alone, and takes a new spell of arrears", async () => {
  const [first] = await suite.knex('bills').where('status', 'unpaid').where('due_date', '<', beijingDate(new Date()).day).orderBy('account_id').limit(1);
  // That account pays everything, then falls behind again with a newer bill.
  await suite.knex('bills').where({ account_id: first.account_id }).update({ status: 'paid' });
  const newer = await suite.knex('bills').where({ account_id: first.account_id }).where('due_date', '<', beijingDate(new Date()).day).orderBy('month', 'desc').first();
  await suite.knex('bills').where({ id: newer.id }).update({ status: 'unpaid' });

  const { accounts } = await runOf('find-arrears-probe');
  expect(accounts.map((a) => [a.accountId, a.arrearsFen])).toEqual([[first.account_id, newer.total_fen]]);
});
