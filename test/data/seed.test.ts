/**
 * The demo data set on a scratch database of each kind: its shape, its idempotence and its determinism.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { openScratchDatabase } from '../../db/connect';
import { seedDemoData } from '../../db/seed/demoData';
import { verifyServicePassword } from '../../db/seed/servicePassword';

// 12:00 in Beijing; bills run from 2025-12 to 2026-11, those due up to 2026-11-20 are past due.
const NOW = new Date('2026-11-25T04:00:00Z');
const TODAY = '2026-11-25';
const DIGESTED_TABLES: [table: string, order: string][] = [
  ['centers', 'code'], ['sla_config', 'key'], ['customers', 'id'], ['accounts', 'id'], ['subscriptions', 'id'],
  ['bills', 'id'], ['bill_items', 'id'], ['payments', 'id'],
];

let first: Awaited<ReturnType<typeof openScratchDatabase>>;
let second: Awaited<ReturnType<typeof openScratchDatabase>>;
let knex: Knex;

async function digest(db: Knex): Promise<string> {
  const hash = createHash('sha256');
  for (const [table, order] of DIGESTED_TABLES) hash.update(JSON.stringify(await db(table).orderBy(order)));
  return hash.digest('hex');
}

async function count(query: Knex.QueryBuilder): Promise<number> {
  const [row] = await query.count<{ n: string | number }[]>('* as n');
  return Number(row.n);
}

beforeAll(async () => {
  [first, second] = await Promise.all([openScratchDatabase(), openScratchDatabase()]);
  knex = first.knex;
  await expect(seedDemoData(first.knex, { now: NOW })).resolves.toBe(true);
  await expect(seedDemoData(second.knex, { now: NOW })).resolves.toBe(true);
});

afterAll(async () => {
  await Promise.all([first?.drop(), second?.drop()]);
});

test('about 1,000 customers in 广州, 深圳 and 佛山, each with an account and a mobile line on their number', async () => {
  const byCity = await knex('customers').select('city_code').count<{ city_code: string; n: string }[]>('* as n').groupBy('city_code').orderBy('city_code');
  expect(byCity.map((row) => row.city_code)).toEqual(['fs', 'gz', 'sz']);
  for (const row of byCity) expect(Number(row.n)).toBeGreaterThan(100);
  expect(byCity.reduce((sum, row) => sum + Number(row.n), 0)).toBe(1000);

  expect(await count(knex('accounts'))).toBe(1000);
  const withoutMobile = knex('customers as c')
    .whereNotExists(knex('accounts as a').join('subscriptions as s', 's.account_id', 'a.id')
      .whereRaw('a.customer_id = c.id').where('s.service_line', 'mobile').whereRaw('s.number = c.phone'));
  expect(await count(withoutMobile)).toBe(0);
  const lines = await knex('subscriptions').distinct('service_line').pluck('service_line');
  expect(lines.sort()).toEqual(['internet', 'ip', 'local', 'long_distance', 'mobile', 'paging']);
  const customers = await knex('customers').select('name', 'phone', 'id_number');
  for (const customer of customers) {
    expect(customer.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
    expect(customer.phone).toMatch(/^1[3-9]\d{9}$/);
    expect(customer.id_number).toMatch(/^44\d{15}[\dX]$/);
  }
});

test('twelve months of bills per account up to the month of now, each totalling its items', async () => {
  const perAccount = await knex('bills').select('account_id').count<{ n: string }[]>('* as n').min('month as first').max('month as last').groupBy('account_id');
  expect(perAccount).toHaveLength(1000);
  for (const row of perAccount) expect([Number(row.n), row.first, row.last]).toEqual([12, '2025-12', '2026-11']);

  const mismatched = knex('bills as b').whereRaw('b.total_fen <> (select coalesce(sum(i.amount_fen), 0) from bill_items i where i.bill_id = b.id)');
  expect(await count(mismatched)).toBe(0);
  expect(await count(knex('bills').where('due_date', '>=', TODAY).whereNot('status', 'unpaid'))).toBe(0);
});

test('paid bills have their payment before the due date and before now; some accounts are in arrears', async () => {
  const [totals] = await knex.raw<{ rows: { paid: string; payments: string; late: string }[] }>(`
    select (select sum(total_fen) from bills where status = 'paid') as paid,
           (select sum(amount_fen) from payments) as payments,
           (select count(*) from payments where paid_at >= ?) as late`, [NOW]).then((result) => result.rows);
  expect(Number(totals.payments)).toBe(Number(totals.paid));
  expect(Number(totals.late)).toBe(0);

  const inArrears = await knex('bills').where('status', 'unpaid').where('due_date', '<', TODAY).distinct('account_id').pluck('account_id');
  expect(inArrears.length).toBeGreaterThan(10);
  expect(inArrears.length).toBeLessThan(150);
  // Suspension (停机) follows arrears, never the other way round.
  const suspended = await knex('accounts').where('status', 'suspended').pluck('id');
  expect(suspended.length).toBeGreaterThan(0);
  expect(suspended.filter((id) => !inArrears.includes(id))).toEqual([]);
});

test('a few VIPs, with four or five stars', async () => {
  const vips = await knex('customers').where('vip', true).select('star_level', 'credit_class');
  expect(vips.length).toBeGreaterThan(5);
  expect(vips.length).toBeLessThan(60);
  for (const vip of vips) expect(vip.star_level).toBeGreaterThanOrEqual(4);
});

test('the SLA defaults and service targets of the catalogue', async () => {
  const config = Object.fromEntries((await knex('sla_config').select('key', 'value')).map((row) => [row.key, row.value]));
  expect(config).toMatchObject({
    'complaint.deadline.urgent': 24 * 60,
    'complaint.deadline.normal': 48 * 60,
    'complaint.vip_factor': 50,
    'complaint.sign_for': 120,
    'callback.retry_interval': 120,
    'callback.max_attempts': 3,
    'consultation.deadline': 24 * 60,
    'emergency.suspend': 10,
    'dunning.second_notice_after': 3 * 24 * 60,
    'target.service_level_15s': 80,
    'target.answer_rate': 90,
    'target.complaint_on_time': 98,
    'target.satisfaction': 90,
  });
});

test('the service password is stored only as a hash of the last six digits of the mobile number', async () => {
  const customer = await knex('customers').orderBy('id').first('phone', 'service_password_hash');
  expect(customer.service_password_hash).not.toContain(customer.phone.slice(-6));
  await expect(verifyServicePassword(customer.phone.slice(-6), customer.service_password_hash)).resolves.toBe(true);
  await expect(verifyServicePassword('000000', customer.service_password_hash)).resolves.toBe(customer.phone.endsWith('000000'));
});

test('money columns are integer fen and come back as numbers', async () => {
  const columns = await knex('information_schema.columns').where('table_schema', 'public').where('column_name', 'like', '%\\_fen').select('table_name', 'data_type');
  expect(columns.map((column) => column.table_name).sort()).toEqual(['accounts', 'bill_items', 'bills', 'payments']);
  for (const column of columns) expect(column.data_type).toBe('integer');
  const bill = await knex('bills').first('total_fen');
  expect(Number.isInteger(bill.total_fen)).toBe(true);
});

test('a second seed adds nothing', async () => {
  const before = await digest(knex);
  await expect(seedDemoData(knex, { now: new Date('2027-03-01T00:00:00Z') })).resolves.toBe(false);
  expect(await digest(knex)).toBe(before);
});

test('two fresh databases seeded at the same time hold identical data', async () => {
  expect(await digest(second.knex)).toBe(await digest(first.knex));
});
