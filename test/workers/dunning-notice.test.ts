/**
 * dunning-notice (header stage first/second): an SMS to the outbox and a mail where there is an address, with what
 * the account owes now in 元; nothing for an account that has paid; one of each for a job delivered twice.
 */
import { beijingDate } from '../../db/seed/billing';
import { createWorkOrder, workOrderEvents } from '../../db/workOrders';
import { dunningNoticeWorker } from '../../workers/dunning-notice';
import { usePlatform } from '../support/platformHarness';
import { deliveredTwice, deploySingleTask, runToCompletion, runToIncident } from './serviceTaskRun';

const twice = deliveredTwice(dunningNoticeWorker, 'dunning-notice-twice');
const suite = usePlatform({ workers: [dunningNoticeWorker, twice] });

beforeAll(async () => {
  await deploySingleTask(suite.zbc, 'first-notice', 'dunning-notice', { stage: 'first' });
  await deploySingleTask(suite.zbc, 'second-notice', 'dunning-notice', { stage: 'second' });
  await deploySingleTask(suite.zbc, 'third-notice', 'dunning-notice', { stage: 'third' });
  await deploySingleTask(suite.zbc, 'notice-twice', 'dunning-notice-twice', { stage: 'first' });
});

const today = beijingDate(new Date()).day;

/** The `skip`-th account in arrears whose customer has (or has not) an e-mail address, with what it owes. */
async function accountInArrears(withEmail: boolean, skip = 0) {
  const query = suite.knex('bills as b').join('accounts as a', 'a.id', 'b.account_id').join('customers as c', 'c.id', 'a.customer_id')
    .where('b.status', 'unpaid').where('b.due_date', '<', today)
    .groupBy('a.id', 'c.id').orderBy('a.id').offset(skip)
    .select('a.id as accountId', 'c.name as customerName', 'c.phone as phoneNumber', 'c.email')
    .sum({ fen: 'b.total_fen' }).count({ bills: '*' });
  const row = (await (withEmail ? query.whereNotNull('c.email') : query.whereNull('c.email')).first()) as unknown as {
    accountId: number; customerName: string; phoneNumber: string; email: string; fen: string; bills: string;
  };
  return { account: { accountId: row.accountId, customerName: row.customerName, phoneNumber: row.phoneNumber, email: row.email }, fen: Number(row.fen), bills: Number(row.bills) };
}

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

it('the first notice goes by SMS and mail with the amount owed in 元, and is logged on the dunning work order', async () => {
  const { account, fen, bills } = await accountInArrears(true);
  const order = await createWorkOrder(suite.knex, { channel: 'sms', category: '话费催缴', state: 'dunning', centerCode: 'gd', idempotencyKey: 'notice-test', actor: 'test', now: new Date() });
  await runToCompletion(suite, 'first-notice', { account: { ...account, workOrderId: order.number } });

  const rows = await suite.knex('outbox').where({ work_order_id: order.id }).orderBy('channel');
  expect(rows.map((r) => [r.channel, r.recipient, r.status])).toEqual([['email', account.email, 'sent'], ['sms', account.phoneNumber, 'pending']]);
  const sms = rows[1].body as string;
  expect(sms).toBe(`【中国联通】尊敬的${account.customerName}：截至 ${today}，您的账户尚有 ${bills} 期话费未缴，合计 ${yuan(fen)} 元，请尽快缴纳，以免影响使用。如已缴费请忽略本提醒。`);
  const [mail] = (await suite.caughtMail()).filter((m) => m.rcptTo.includes(account.email.toLowerCase()));
  expect(mail.subject).toBe('话费欠费提醒');
  expect(mail.htmlBody).toContain(`合计 ${yuan(fen)} 元`);
  expect(mail.htmlBody).toContain(order.number);
  const events = await workOrderEvents(suite.knex, order.id);
  expect(events.map((e) => [e.action, e.note])).toEqual([['created', null], ['dunning-notice-first', `欠费 ${yuan(fen)} 元`]]);
});

it('the second notice warns of suspension; a customer without an address gets the SMS only', async () => {
  const { account } = await accountInArrears(false);
  await runToCompletion(suite, 'second-notice', { account });
  const rows = await suite.knex('outbox').where({ recipient: account.phoneNumber });
  expect(rows).toHaveLength(1);
  expect(rows[0].body).toContain('逾期未缴将暂停服务（停机）');
});

it('an account that has paid meanwhile gets no notice', async () => {
  const { account } = await accountInArrears(true, 1);
  await suite.knex('bills').where({ account_id: account.accountId }).update({ status: 'paid' });
  await runToCompletion(suite, 'first-notice', { account });
  expect(await suite.knex('outbox').whereIn('recipient', [account.phoneNumber, account.email])).toEqual([]);
});

it('bad variables or stage are incidents that say so', async () => {
  const { account } = await accountInArrears(true, 2);
  expect(await runToIncident(suite, 'first-notice', { account: { ...account, email: 'not-an-address' } })).toMatch(/dunning-notice: invalid input variables: account.email/);
  expect(await runToIncident(suite, 'third-notice', { account })).toBe('dunning-notice: header stage must be first or second, got "third"');
});

it('a notice delivered twice sends one SMS and one mail', async () => {
  const { account } = await accountInArrears(true, 3);
  await runToCompletion(suite, 'notice-twice', { account });
  expect(twice.runs()).toBeGreaterThanOrEqual(2);
  const rows = await suite.knex('outbox').whereIn('recipient', [account.phoneNumber, account.email]);
  expect(rows.map((r) => r.channel).sort()).toEqual(['email', 'sms']);
  expect((await suite.caughtMail()).filter((m) => m.rcptTo.includes(account.email.toLowerCase()))).toHaveLength(1);
});
