/**
 * send-bill through the engine, after the real bill-lookup: the seeded bill arrives as an itemised HTML mail in
 * the catcher, once per job even when the job comes twice; a customer without an address is an incident.
 */
import type { JobWorkerDefinition } from '../../workers/jobWorker';
import { billLookupWorker } from '../../workers/bill-lookup';
import { sendBillWorker } from '../../workers/send-bill';
import { chain, deployProcess, runToEnd, serviceTask, startInstance } from '../support/bpmn';
import { usePlatform } from '../support/platformHarness';
import { ofType, waitForCompletion, waitForRecords } from '../support/records';
import { billedMonths, seededBill, seededCustomer, yuan } from './bill-lookup.seed';

const SLOW_TYPE = 'send-bill-slow';
let slowRuns = 0;

/** The real handler, whose first answer comes only after the job timed out, so the engine hands the job out again. */
const slowSendBill: JobWorkerDefinition<typeof sendBillWorker.input> = {
  ...sendBillWorker,
  type: SLOW_TYPE,
  timeoutMs: 300,
  async handle(input, job, context) {
    const outcome = await sendBillWorker.handle(input, job, context);
    slowRuns += 1;
    if (slowRuns === 1) await new Promise((resolve) => setTimeout(resolve, 800));
    return outcome;
  },
};

const suite = usePlatform({ workers: [billLookupWorker, sendBillWorker, slowSendBill] });

const probe = (processId: string, sendType: string) =>
  deployProcess(
    suite.zbc,
    processId,
    `<bpmn:startEvent id="start" />
${serviceTask('lookup', 'bill-lookup', { retries: 1 })}
${serviceTask('send', sendType, { retries: 1 })}
<bpmn:endEvent id="end" />
${chain('start', 'lookup', 'send', 'end')}`,
  );

beforeAll(async () => {
  await probe('send-bill-probe', 'send-bill');
  await probe('send-bill-twice-probe', SLOW_TYPE);
});

it('mails the itemised bill of the month to the customer’s address on file, through the outbox', async () => {
  const customer = await seededCustomer(suite.knex, (q) => q.whereNotNull('c.email'));
  const [, month] = await billedMonths(suite.knex, customer.id);
  const bill = await seededBill(suite.knex, customer.id, month);
  const { variables } = await runToEnd(suite.zbc, 'send-bill-probe', { customerId: customer.id, billMonth: month });

  const [mail] = await suite.caughtMail().then((mails) => mails.filter((m) => m.rcptTo.includes(customer.email!)));
  expect(mail.subject).toBe(`中国联通 ${month} 话费账单`);
  expect(mail.htmlBody).toContain(`尊敬的 ${customer.name}`);
  for (const item of bill.items) expect(mail.htmlBody).toMatch(new RegExp(`${item.name}</td>\\s*<td[^>]*>${yuan(item.amountFen)}</td>`));
  expect(mail.htmlBody).toContain(`${yuan(bill.totalFen)} 元`);

  const outbox = await suite.knex('outbox').where({ id: variables.billMailId }).first();
  expect(outbox).toMatchObject({ channel: 'email', recipient: customer.email, status: 'sent' });
});

it('uses the address given with the request, and says so when the month has no bill', async () => {
  const customer = await seededCustomer(suite.knex, (q) => q.whereNull('c.email'));
  await runToEnd(suite.zbc, 'send-bill-probe', { customerId: customer.id, billMonth: '2001-01', customerEmail: 'given@example.com' });
  const [mail] = (await suite.caughtMail()).filter((m) => m.rcptTo.includes('given@example.com'));
  expect(mail.htmlBody).toContain('您查询的 2001-01 暂无账单');
});

it('a customer without any e-mail address is an incident for an operator, and nothing is queued', async () => {
  const customer = await seededCustomer(suite.knex, (q) => q.whereNull('c.email'));
  const before = await suite.knex('outbox').count({ n: '*' }).first();
  const key = await startInstance(suite.zbc, 'send-bill-probe', { customerId: customer.id });
  const [incident] = await waitForRecords(suite.engine, key, ofType('INCIDENT', 'CREATED'));
  expect(incident.value.errorMessage).toBe(`send-bill: customer ${customer.id} has no e-mail address: set customerEmail and resolve the incident`);
  expect(await suite.knex('outbox').count({ n: '*' }).first()).toEqual(before);
});

it('a job delivered twice sends one mail and keeps one outbox row', async () => {
  const customer = await seededCustomer(suite.knex, (q) => q.whereNotNull('c.email').where('c.vip', true));
  const key = await startInstance(suite.zbc, 'send-bill-twice-probe', { customerId: customer.id });
  await waitForCompletion(suite.engine, key);
  expect(slowRuns).toBeGreaterThanOrEqual(2);
  const rows = await suite.knex('outbox').where({ recipient: customer.email }).select('idempotency_key', 'status');
  expect(rows).toHaveLength(1);
  expect(rows[0].status).toBe('sent');
  expect((await suite.caughtMail()).filter((m) => m.rcptTo.includes(customer.email!))).toHaveLength(1);
});
