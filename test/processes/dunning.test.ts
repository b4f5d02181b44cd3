/**
 * dunning (规范 7.11 / 4.14) with the real workers: the daily run finds the accounts in arrears and works each on its
 * own: one pays after the first notice, one after the outbound call, one is suspended when its promise passes and
 * resumed on payment, and a VIP account goes to its manager instead of being suspended. The waits come from the SLA
 * configuration and pass on the test clock.
 */
import type { Job } from 'zeebe-node';
import { beijingDate } from '../../db/seed/billing';
import { workOrderEvents } from '../../db/workOrders';
import { PAYMENT_MESSAGE } from '../../processes/catalogue';
import { usePlatform } from '../support/platformHarness';
import { element, processActivated, recordStream, trail, waitForCompletion, waitForRecords } from '../support/records';
import { complete, deployModels } from './drive';

const suite = usePlatform();
const stream = recordStream(suite);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Debtor { accountId: number; phone: string; email: string | null }
let paysAfterFirst: Debtor;
let paysAfterCall: Debtor;
let suspended: Debtor;
let vip: Debtor;
let waitMs: number;

const pastDue = () => suite.knex('bills').where('status', 'unpaid').where('due_date', '<', beijingDate(suite.now()).day);

/** Leaves exactly three ordinary accounts and one VIP account in arrears, so the run works on those. */
beforeAll(async () => {
  await deployModels(suite.zbc, 'dunning');
  const debtors: Debtor[] = await suite.knex('accounts as a').join('customers as c', 'c.id', 'a.customer_id')
    .where({ 'a.status': 'active', 'c.vip': false }).whereIn('a.id', pastDue().select('account_id'))
    .orderBy('a.id').limit(3).select('a.id as accountId', 'c.phone', 'c.email');
  [paysAfterFirst, paysAfterCall, suspended] = debtors;
  vip = await suite.knex('accounts as a').join('customers as c', 'c.id', 'a.customer_id').where({ 'a.status': 'active', 'c.vip': true })
    .orderBy('a.id').first('a.id as accountId', 'c.phone', 'c.email');
  await pastDue().whereNotIn('account_id', debtors.map((d) => d.accountId)).update({ status: 'paid' });
  const lastBill = await suite.knex('bills').where({ account_id: vip.accountId }).where('due_date', '<', beijingDate(suite.now()).day).orderBy('month', 'desc').first('id');
  await suite.knex('bills').where({ id: lastBill.id }).update({ status: 'unpaid' });
  waitMs = (await suite.knex('sla_config').where({ key: 'dunning.second_notice_after' }).first()).value * MINUTE;
});

const forAccount = (debtor: Debtor) => (job: Job) => (job.variables as { account?: { accountId?: number } }).account?.accountId === debtor.accountId;

/** The payment system records the payment and tells the engine (correlation key: the account id). */
async function pay(debtor: Debtor) {
  await suite.knex('bills').where({ account_id: debtor.accountId, status: 'unpaid' }).update({ status: 'paid' });
  await suite.zbc.publishMessage({ name: PAYMENT_MESSAGE, correlationKey: String(debtor.accountId), variables: {}, timeToLive: HOUR });
}

const smsTo = async (debtor: Debtor) => (await suite.knex('outbox').where({ channel: 'sms', recipient: debtor.phone }).orderBy('id')).map((row) => row.body as string);

async function eventsOf(debtor: Debtor) {
  const order = await suite.knex('work_orders').where({ kind: 'dunning' }).whereIn('customer_id', suite.knex('accounts').where({ id: debtor.accountId }).select('customer_id')).first();
  return { state: order.state, actions: (await workOrderEvents(suite.knex, order.id)).map((e) => e.action) };
}

it('notices, waits, calls, suspends and resumes per account; the VIP account goes to its manager', async () => {
  const mark = await stream.mark();
  await suite.advanceClock(DAY);
  const [run] = await stream.waitFor(processActivated('dunning'), { fromPosition: mark, description: 'the daily dunning run' });
  const key = run.key;
  await waitForRecords(suite.engine, key, element('first-notice', 'ELEMENT_COMPLETED'), { count: 4 });
  for (const debtor of [paysAfterFirst, paysAfterCall, suspended, vip]) expect(await smsTo(debtor)).toEqual([expect.stringMatching(/尚有 \d+ 期话费未缴，合计 \d+\.\d\d 元/)]);
  if (paysAfterFirst.email) expect((await suite.caughtMail()).some((m) => m.rcptTo.includes(paysAfterFirst.email!.toLowerCase()) && m.subject === '话费欠费提醒')).toBe(true);
  await pay(paysAfterFirst);
  await waitForRecords(suite.engine, key, element('paid-after-first-end', 'ELEMENT_COMPLETED'));

  await suite.advanceClock(waitMs + MINUTE);
  await waitForRecords(suite.engine, key, element('second-notice', 'ELEMENT_COMPLETED'), { count: 3 });
  expect(await smsTo(paysAfterFirst)).toHaveLength(1);
  for (const debtor of [paysAfterCall, suspended, vip]) expect((await smsTo(debtor))[1]).toContain('逾期未缴将暂停服务（停机）');

  await suite.advanceClock(waitMs + MINUTE);
  const promisedPayDate = new Date(suite.now().getTime() + DAY).toISOString();
  const call = await complete(suite.zbc, key, 'outbound-call', { reached: true, promisedPayDate }, undefined, { match: forAccount(suspended) });
  expect(JSON.parse(String(call.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['outbound-agent']);
  await complete(suite.zbc, key, 'outbound-call', { reached: true, promisedPayDate }, undefined, { match: forAccount(paysAfterCall) });
  await pay(paysAfterCall);
  await waitForRecords(suite.engine, key, element('paid-after-call-end', 'ELEMENT_COMPLETED'));
  // Not reached, no promise: the VIP account goes on at once, to its manager rather than to suspension.
  await complete(suite.zbc, key, 'outbound-call', { reached: false }, undefined, { match: forAccount(vip) });
  const manager = await complete(suite.zbc, key, 'vip-follow-up', { note: '已联系客户财务' }, undefined, { match: forAccount(vip) });
  expect(JSON.parse(String(manager.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['vip-manager']);

  // The promised day passes without payment: suspended, then resumed once the payment comes in.
  await suite.advanceClock(DAY + MINUTE);
  await waitForRecords(suite.engine, key, element('suspend', 'ELEMENT_COMPLETED'));
  const accountStatus = async (debtor: Debtor) => (await suite.knex('accounts').where({ id: debtor.accountId }).first()).status;
  const lineStatuses = async (debtor: Debtor) => [...new Set((await suite.knex('subscriptions').where({ account_id: debtor.accountId })).map((s) => s.status))];
  expect([await accountStatus(suspended), await lineStatuses(suspended)]).toEqual(['suspended', ['suspended']]);
  expect(await accountStatus(vip)).toBe('active');
  await pay(suspended);

  const steps = trail(await waitForCompletion(suite.engine, key));
  const ended = (id: string) => steps.filter((s) => s === `${id}:ELEMENT_COMPLETED`).length;
  expect(['paid-after-first-end', 'paid-after-second-end', 'paid-after-call-end', 'vip-followed-up', 'suspend', 'resumed'].map(ended)).toEqual([1, 0, 1, 1, 1, 1]);
  expect(steps).toContain('dunning-done:ELEMENT_COMPLETED');
  expect([await accountStatus(suspended), await lineStatuses(suspended)]).toEqual(['active', ['active']]);

  // Whichever way an account's dunning ends, its work order is archived.
  expect(await eventsOf(paysAfterFirst)).toEqual({ state: 'archived', actions: ['created', 'dunning-notice-first', 'archived'] });
  expect(await eventsOf(paysAfterCall)).toEqual({ state: 'archived', actions: ['created', 'dunning-notice-first', 'dunning-notice-second', 'archived'] });
  expect(await eventsOf(vip)).toEqual({ state: 'archived', actions: ['created', 'dunning-notice-first', 'dunning-notice-second', 'archived'] });
  expect(await eventsOf(suspended)).toEqual({ state: 'archived', actions: ['created', 'dunning-notice-first', 'dunning-notice-second', 'suspended', 'resumed', 'archived'] });
  // Later daily runs left these accounts to the run that is dunning them.
  expect(await suite.knex('work_orders').where({ kind: 'dunning' })).toHaveLength(4);
});
