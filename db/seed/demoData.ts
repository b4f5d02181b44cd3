import type { Knex } from 'knex';
import { beijingDate, monthLabel, monthlyItems, PLANS, type BillItem, type Plan, type ServiceLine } from './billing';
import { CENTERS, type CityCode } from './centers';
import { chineseName, fixedNumber, idNumber, mobileNumber, unique } from './people';
import { SeededRandom } from './random';
import { hashServicePassword } from './servicePassword';
import { SLA_DEFAULTS } from './slaDefaults';
import { insertRows } from '../bulkInsert';

const CUSTOMER_COUNT = 1000;
const MONTHS = 12;
const SEED = 20261125;
const CITY_WEIGHTS: readonly [CityCode, number][] = [['gz', 0.45], ['sz', 0.35], ['fs', 0.2]];
const PAYMENT_CHANNELS = ['counter', 'bank', 'online', 'agent'] as const;
/** Bills are due on this day of the month after the billed month. */
const DUE_DAY = 20;
const DAY_MS = 24 * 3600_000;

interface DemoSubscription { service_line: ServiceLine; number: string; plan: Plan; status: 'active' | 'suspended' }
interface DemoBill { month: string; due_date: string; total_fen: number; status: 'unpaid' | 'paid'; items: BillItem[]; paidAt: string | null; channel: string }
interface DemoCustomer {
  row: { name: string; id_number: string; phone: string; email: string | null; city_code: CityCode; vip: boolean; star_level: number; credit_class: string; created_at: Date; salt: Buffer };
  account: { balance_fen: number; status: 'active' | 'suspended' };
  subscriptions: DemoSubscription[];
  bills: DemoBill[];
}

/**
 * Fills an empty database with the demo organisation, the SLA defaults and ~1,000 customers of 广州, 深圳 and
 * 佛山 with accounts, lines, 12 months of bills up to the month of `now`, payments and some arrears. Runs only
 * while there are no customers, so calling it on every start is safe; the same `now` gives the same data.
 * Each customer's service password is the last six digits of their mobile number. Returns whether it seeded.
 */
export async function seedDemoData(knex: Knex, options: { now?: Date } = {}): Promise<boolean> {
  return knex.transaction(async (trx) => {
    // Two processes starting at once must not both see an empty table and seed twice.
    await trx.raw('lock table customers in exclusive mode');
    if (await trx('customers').first('id')) return false;
    const customers = buildCustomers(options.now ?? new Date());
    const hashes = await Promise.all(customers.map((customer) => hashServicePassword(customer.row.phone.slice(-6), customer.row.salt)));
    await insertAll(trx, customers, hashes);
    return true;
  });
}

async function insertAll(trx: Knex.Transaction, customers: DemoCustomer[], hashes: string[]): Promise<void> {
  await trx('centers').insert(CENTERS).onConflict('code').ignore();
  await trx('sla_config').insert(SLA_DEFAULTS).onConflict('key').ignore();

  const customerIds = await insertRows(trx, 'customers', customers.map(({ row: { salt, ...row } }, i) => ({ ...row, service_password_hash: hashes[i] })));
  const accountIds = await insertRows(trx, 'accounts', customers.map((customer, i) => ({ customer_id: customerIds[i], ...customer.account })));

  await insertRows(trx, 'subscriptions', customers.flatMap((customer, i) => customer.subscriptions.map((subscription) => ({
    account_id: accountIds[i], service_line: subscription.service_line, number: subscription.number, plan: subscription.plan.name, status: subscription.status,
  }))));

  const bills = customers.flatMap((customer, i) => customer.bills.map((bill) => ({ accountId: accountIds[i], bill })));
  const billIds = await insertRows(trx, 'bills', bills.map(({ accountId, bill }) => ({
    account_id: accountId, month: bill.month, total_fen: bill.total_fen, due_date: bill.due_date, status: bill.status,
  })));
  await insertRows(trx, 'bill_items', bills.flatMap(({ bill }, i) => bill.items.map((item) => ({ bill_id: billIds[i], ...item }))));
  await insertRows(trx, 'payments', bills.flatMap(({ accountId, bill }) => (bill.paidAt ? [{ account_id: accountId, amount_fen: bill.total_fen, paid_at: bill.paidAt, channel: bill.channel }] : [])));
}

function buildCustomers(now: Date): DemoCustomer[] {
  const random = new SeededRandom(SEED);
  const today = beijingDate(now);
  const months = Array.from({ length: MONTHS }, (_, i) => monthLabel(today.year, today.month, i - MONTHS + 1));
  const numbers = new Set<string>();
  const idNumbers = new Set<string>();
  const customers: DemoCustomer[] = [];
  for (let i = 0; i < CUSTOMER_COUNT; i++) {
    const city = pickCity(random);
    const vip = random.chance(0.025);
    const inArrears = random.chance(0.06);
    const phone = unique(numbers, () => mobileNumber(random));
    const subscriptions = buildSubscriptions(random, city, phone, numbers);
    const bills = buildBills(random, subscriptions, months, today.day);
    const pastDue = bills.filter((bill) => bill.due_date < today.day);
    const unpaidMonths = inArrears ? Math.min(random.int(1, 3), pastDue.length) : 0;
    for (const bill of pastDue.slice(pastDue.length - unpaidMonths)) {
      bill.status = 'unpaid';
      bill.paidAt = null;
    }
    // Three months unpaid stops the service (停机), except for VIPs, whose manager handles their arrears.
    const suspended = unpaidMonths === 3 && !vip;
    if (suspended) for (const subscription of subscriptions) subscription.status = 'suspended';
    customers.push({
      row: {
        name: chineseName(random),
        id_number: unique(idNumbers, () => idNumber(random, city)),
        phone,
        email: random.chance(0.7) ? `${phone}@example.com` : null,
        city_code: city,
        vip,
        star_level: vip ? random.int(4, 5) : random.int(1, 3),
        credit_class: inArrears ? random.pick(['C', 'D']) : vip ? 'A' : random.pick(['A', 'A', 'B', 'B', 'B', 'C']),
        // Customers since before the first demo bill.
        created_at: new Date(now.getTime() - random.int(400, 5000) * DAY_MS),
        salt: random.bytes(16),
      },
      account: { balance_fen: unpaidMonths > 0 ? 0 : random.int(0, 300) * 100, status: suspended ? 'suspended' : 'active' },
      subscriptions,
      bills,
    });
  }
  return customers;
}

function pickCity(random: SeededRandom): CityCode {
  let draw = random.next();
  for (const [city, weight] of CITY_WEIGHTS) {
    if (draw < weight) return city;
    draw -= weight;
  }
  return CITY_WEIGHTS[CITY_WEIGHTS.length - 1][0];
}

function buildSubscriptions(random: SeededRandom, city: CityCode, phone: string, numbers: Set<string>): DemoSubscription[] {
  const line = (service_line: ServiceLine, number: string): DemoSubscription => ({ service_line, number, plan: random.pick(PLANS[service_line]), status: 'active' });
  const subscriptions = [line('mobile', phone)];
  if (random.chance(0.2)) subscriptions.push(line('ip', phone));
  if (random.chance(0.35)) {
    const fixed = unique(numbers, () => fixedNumber(random, city));
    subscriptions.push(line('local', fixed));
    if (random.chance(0.5)) subscriptions.push(line('long_distance', fixed));
  }
  if (random.chance(0.3)) subscriptions.push(line('internet', unique(numbers, () => fixedNumber(random, city))));
  if (random.chance(0.03)) subscriptions.push(line('paging', unique(numbers, () => `126${random.digits(7)}`)));
  return subscriptions;
}

/** Bills of the given months; those already due are paid before their due date, later ones are still open. */
function buildBills(random: SeededRandom, subscriptions: DemoSubscription[], months: string[], today: string): DemoBill[] {
  return months.map((month) => {
    const items = subscriptions.flatMap((subscription) => monthlyItems(random, subscription.plan));
    const [year, monthNumber] = month.split('-').map(Number);
    const billingMonth = monthLabel(year, monthNumber, 1);
    const due_date = `${billingMonth}-${DUE_DAY}`;
    const paid = due_date < today;
    const paidAt = `${billingMonth}-${String(random.int(1, DUE_DAY)).padStart(2, '0')}T${String(random.int(9, 21)).padStart(2, '0')}:${random.int(0, 5)}0:00+08:00`;
    return {
      month,
      due_date,
      total_fen: items.reduce((sum, item) => sum + item.amount_fen, 0),
      status: paid ? 'paid' : 'unpaid',
      items,
      paidAt: paid ? paidAt : null,
      channel: random.pick(PAYMENT_CHANNELS),
    };
  });
}
