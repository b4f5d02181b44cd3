/**
 * bill-inquiry (规范 7.5) with the real workers on the demo data: the seeded bill by IVR announcement, by mail
 * (itemised, in the catcher) or on the agent's screen; a dispute becomes a 资费争议 complaint with its work order.
 */
import { startInstance } from '../support/bpmn';
import { usePlatform } from '../support/platformHarness';
import { and, ofType, processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { billedMonths, seededBill, seededCustomer, yuan } from '../workers/bill-lookup.seed';
import { complete, deployModels } from './drive';

const suite = usePlatform();
const stream = recordStream(suite);

beforeAll(() => deployModels(suite.zbc, 'bill-inquiry', 'city-complaint', 'complaint'));

const variableOf = (records: Awaited<ReturnType<typeof waitForCompletion>>, name: string) =>
  JSON.parse(String(records.filter(ofType('VARIABLE')).find((r) => r.value.name === name)?.value.value));

it('IVR self-service: the seeded bill of the line is turned into the announcement text', async () => {
  const customer = await seededCustomer(suite.knex);
  const [month] = await billedMonths(suite.knex, customer.id);
  const mobileFen = (await seededBill(suite.knex, customer.id, month)).items.filter((i) => i.serviceLine === 'mobile').reduce((sum, i) => sum + i.amountFen, 0);
  const key = await startInstance(suite.zbc, 'bill-inquiry', { channel: 'ivr', phoneNumber: customer.phone, billMonth: month, serviceLine: 'mobile' });
  const records = await waitForCompletion(suite.engine, key);
  expect(variableOf(records, 'announcement')).toBe(`您${month}月份移动话费合计${mobileFen / 100}元。`);
  expect(trail(records)).toContain('inquiry-answered:ELEMENT_COMPLETED');
});

it('IVR self-service for a month without a bill says so', async () => {
  const customer = await seededCustomer(suite.knex);
  const key = await startInstance(suite.zbc, 'bill-inquiry', { channel: 'ivr', phoneNumber: customer.phone, billMonth: '2001-01' });
  expect(variableOf(await waitForCompletion(suite.engine, key), 'announcement')).toBe('未查到您2001-01月份的账单。');
});

it('e-mail: the itemised seeded bill arrives in the customer’s mailbox and the inquiry ends', async () => {
  const customer = await seededCustomer(suite.knex, (q) => q.whereNotNull('c.email').where('c.city_code', 'sz'));
  const months = await billedMonths(suite.knex, customer.id);
  const month = months[months.length - 2];
  const bill = await seededBill(suite.knex, customer.id, month);
  const key = await startInstance(suite.zbc, 'bill-inquiry', { channel: 'email', customerId: customer.id, billMonth: month });
  expect(trail(await waitForCompletion(suite.engine, key))).toContain('inquiry-answered:ELEMENT_COMPLETED');

  const [mail] = await suite.caughtMail().then((mails) => mails.filter((m) => m.rcptTo.includes(customer.email!)));
  expect(mail.subject).toBe(`中国联通 ${month} 话费账单`);
  for (const item of bill.items) expect(mail.htmlBody).toMatch(new RegExp(`${item.name}</td>\\s*<td[^>]*>${yuan(item.amountFen)}</td>`));
  expect(mail.htmlBody).toContain(`${yuan(bill.totalFen)} 元`);
  expect(await suite.knex('outbox').where({ recipient: customer.email }).pluck('status')).toEqual(['sent']);
});

it('agent: the customer disputes the bill on screen, which opens a 资费争议 complaint with its work order', async () => {
  const customer = await seededCustomer(suite.knex, (q) => q.where('c.city_code', 'gz').where('c.vip', false));
  const [month] = await billedMonths(suite.knex, customer.id);
  const bill = await seededBill(suite.knex, customer.id, month);
  const key = await startInstance(suite.zbc, 'bill-inquiry', { channel: 'agent', customerId: customer.id, phoneNumber: customer.phone, billMonth: month });
  const review = await complete(suite.zbc, key, 'agent-review', { disputed: true, disputeReason: '未使用国内流量却被收费' });
  expect(review.customHeaders['io.camunda.zeebe:formKey']).toBe('bill-inquiry-review');
  // The agent's screen shows the bill bill-lookup found.
  expect(review.variables.bill).toMatchObject({ month, totalFen: bill.totalFen, status: bill.status });

  const [called] = await stream.waitFor(and(processActivated('complaint'), (r) => r.value.parentProcessInstanceKey === key), {
    description: 'the complaint started by the dispute',
  });
  const register = await complete(suite.zbc, called.key, 'register', { resolvedOnSpot: true, summary: '解释流量计费后客户认可' });
  expect(register.variables).toMatchObject({ category: '资费争议', description: '未使用国内流量却被收费', channel: 'phone', customerId: customer.id });
  expect(trail(await waitForCompletion(suite.engine, key))).toContain('dispute-handled:ELEMENT_COMPLETED');

  const order = await suite.knex('work_orders').where({ process_instance_key: called.key }).first();
  expect(order).toMatchObject({ category: '资费争议', channel: 'phone', state: 'archived', customer_id: customer.id, description: '未使用国内流量却被收费' });
  expect(order.archived_at).not.toBeNull();
});

it('agent: no dispute ends the inquiry; an unknown customer ends it at once', async () => {
  const customer = await seededCustomer(suite.knex);
  const answered = await startInstance(suite.zbc, 'bill-inquiry', { channel: 'agent', customerId: customer.id });
  await complete(suite.zbc, answered, 'agent-review', { disputed: false });
  expect(trail(await waitForCompletion(suite.engine, answered))).toContain('inquiry-answered:ELEMENT_COMPLETED');

  const unknown = await startInstance(suite.zbc, 'bill-inquiry', { channel: 'ivr', phoneNumber: '10000000000' });
  const steps = trail(await waitForCompletion(suite.engine, unknown));
  expect(steps).toContain('customer-not-found:ELEMENT_COMPLETED');
  expect(steps).not.toContain('channel-gateway:ELEMENT_ACTIVATED');
});
