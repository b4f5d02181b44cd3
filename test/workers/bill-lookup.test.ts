/**
 * bill-lookup through the engine, against the seeded billing tables: a month's itemised bill, one service line by
 * code or Chinese name, the latest month by default, a month without a bill, an unknown customer, bad input.
 */
import { chain, deployProcess, ioMapping, runToEnd, serviceTask, startInstance } from '../support/bpmn';
import { usePlatform } from '../support/platformHarness';
import { ofType, waitForRecords } from '../support/records';
import { billLookupWorker } from '../../workers/bill-lookup';
import { billedMonths, seededBill, seededCustomer } from './bill-lookup.seed';

const suite = usePlatform({ workers: [billLookupWorker] });

beforeAll(() =>
  deployProcess(
    suite.zbc,
    'bill-lookup-probe',
    `<bpmn:startEvent id="start" />
${serviceTask('lookup', 'bill-lookup', { retries: 1 })}
<bpmn:boundaryEvent id="not-found" attachedToRef="lookup">
  <bpmn:extensionElements>${ioMapping({ outputs: [['=true', 'customerNotFound']] })}</bpmn:extensionElements>
  <bpmn:errorEventDefinition errorRef="not-found-error" />
</bpmn:boundaryEvent>
<bpmn:endEvent id="end" /><bpmn:endEvent id="unknown" />
${chain('start', 'lookup', 'end')}
${chain('not-found', 'unknown')}`,
    '<bpmn:error id="not-found-error" errorCode="CUSTOMER_NOT_FOUND" />',
  ),
);

/** A customer with a fixed line besides the mobile, so a bill has more than one service line. */
const customerWithTwoLines = () =>
  seededCustomer(suite.knex, (q) =>
    q.whereExists((sub) => sub.from('subscriptions as s').join('accounts as a', 'a.id', 's.account_id').whereRaw('a.customer_id = c.id').where('s.service_line', 'local')),
  );

it('the bill of a month lists every item of the seeded bill with its total and status', async () => {
  const customer = await customerWithTwoLines();
  const [month] = await billedMonths(suite.knex, customer.id);
  const seeded = await seededBill(suite.knex, customer.id, month);
  const { variables } = await runToEnd(suite.zbc, 'bill-lookup-probe', { customerId: customer.id, billMonth: month });
  expect(variables).toMatchObject({ customerId: customer.id, billMonth: month });
  expect(variables.bill).toMatchObject({ month, serviceLine: null, serviceLineName: '全部业务', status: seeded.status, totalFen: seeded.totalFen, total: seeded.totalFen / 100 });
  expect(variables.bill.items.map((item: { name: string; amountFen: number }) => [item.name, item.amountFen])).toEqual(seeded.items.map((item) => [item.name, item.amountFen]));
  expect(new Set(seeded.items.map((item) => item.serviceLine))).toContain('local');
});

it('one service line, named in Chinese, narrows the bill to that line', async () => {
  const customer = await customerWithTwoLines();
  const [month] = await billedMonths(suite.knex, customer.id);
  const localItems = (await seededBill(suite.knex, customer.id, month)).items.filter((item) => item.serviceLine === 'local');
  const { variables } = await runToEnd(suite.zbc, 'bill-lookup-probe', { customerId: customer.id, billMonth: month, serviceLine: '市话' });
  expect(variables.bill).toMatchObject({ serviceLine: 'local', serviceLineName: '市话', totalFen: localItems.reduce((sum, item) => sum + item.amountFen, 0) });
  expect(variables.bill.items.map((item: { name: string }) => item.name)).toEqual(localItems.map((item) => item.name));
});

it('by phone number and without a month: the latest bill of the customer who has the number', async () => {
  const customer = await seededCustomer(suite.knex);
  const months = await billedMonths(suite.knex, customer.id);
  const { variables } = await runToEnd(suite.zbc, 'bill-lookup-probe', { phoneNumber: customer.phone, serviceLine: 'mobile' });
  expect(variables).toMatchObject({ customerId: customer.id, billMonth: months[months.length - 1] });
  expect(variables.bill.month).toBe(months[months.length - 1]);
});

it('a month without a bill gives bill null; an unknown customer is CUSTOMER_NOT_FOUND', async () => {
  const customer = await seededCustomer(suite.knex);
  const { variables } = await runToEnd(suite.zbc, 'bill-lookup-probe', { customerId: customer.id, billMonth: '2001-01' });
  expect(variables).toMatchObject({ billMonth: '2001-01', bill: null });

  const unknown = await runToEnd(suite.zbc, 'bill-lookup-probe', { phoneNumber: '10000000000', billMonth: '2001-01' });
  expect(unknown.variables).toMatchObject({ customerNotFound: true });
  expect(unknown.variables.bill).toBeUndefined();
});

it('a malformed month or an unknown service line is an incident naming the field', async () => {
  const customer = await seededCustomer(suite.knex);
  const badMonth = await startInstance(suite.zbc, 'bill-lookup-probe', { customerId: customer.id, billMonth: '2026-13' });
  const [monthIncident] = await waitForRecords(suite.engine, badMonth, ofType('INCIDENT', 'CREATED'));
  expect(monthIncident.value.errorMessage).toMatch(/bill-lookup: invalid input variables: billMonth: expected a month as YYYY-MM/);

  const badLine = await startInstance(suite.zbc, 'bill-lookup-probe', { customerId: customer.id, serviceLine: '卫星' });
  const [lineIncident] = await waitForRecords(suite.engine, badLine, ofType('INCIDENT', 'CREATED'));
  expect(lineIncident.value.errorMessage).toMatch(/bill-lookup: invalid input variables: serviceLine: /);
});
