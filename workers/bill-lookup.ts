/**
 * bill-lookup (bill-inquiry, 7.5 / 4.2.1-4.2.6): one month's bill of the customer, all lines or one service line,
 * for the IVR announcement, the agent's screen and the mailed itemised bill. The month defaults to the latest
 * billed one (IVR "本月话费"). A month without a bill completes with `bill: null`, which every branch of the model
 * shows as "no bill"; an unknown customer is the BPMN error CUSTOMER_NOT_FOUND.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { beijingDate, monthLabel, type ServiceLine } from '../db/seed/billing';
import { findCustomerById, findCustomerByNumber } from './customers';
import { bpmnError, completeWith, defineJobWorker } from './jobWorker';
import { SERVICE_LINE_NAMES, SERVICE_LINE_SPELLINGS, serviceLineCode } from './serviceLines';

const ALL_LINES_NAME = '全部业务';

/** The `bill` process variable: what send-bill mails and the agent form shows. Amounts in fen, plus 元 for FEEL. */
export const billVariable = z.object({
  month: z.string(),
  serviceLine: z.string().nullable(),
  serviceLineName: z.string(),
  status: z.enum(['paid', 'unpaid']),
  dueDate: z.string(),
  totalFen: z.number().int(),
  total: z.number(),
  items: z.array(z.object({ name: z.string(), serviceLine: z.string(), serviceLineName: z.string(), amountFen: z.number().int(), amount: z.number() })),
});
export type BillVariable = z.infer<typeof billVariable>;

export const billLookupWorker = defineJobWorker({
  type: 'bill-lookup',
  input: z.object({
    customerId: z.number().int().positive().nullish(),
    phoneNumber: z.string().trim().min(1).nullish(),
    billMonth: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM').nullish(),
    serviceLine: z.enum(SERVICE_LINE_SPELLINGS).nullish(),
  }),
  async handle({ customerId, phoneNumber, billMonth, serviceLine }, _job, { knex, now }) {
    const customer =
      customerId != null ? await findCustomerById(knex, customerId) : phoneNumber != null ? await findCustomerByNumber(knex, phoneNumber) : undefined;
    if (!customer) return bpmnError('CUSTOMER_NOT_FOUND', `No customer for id ${customerId ?? '-'} / number ${phoneNumber ?? '-'}`);
    const month = billMonth ?? (await latestBilledMonth(knex, customer.id)) ?? beijingMonth(now());
    const line = serviceLine == null ? null : serviceLineCode(serviceLine);
    return completeWith({ customerId: customer.id, billMonth: month, bill: (await findBill(knex, customer.id, month, line)) ?? null });
  },
});

async function latestBilledMonth(knex: Knex, customerId: number): Promise<string | undefined> {
  const row = await knex('bills as b').join('accounts as a', 'a.id', 'b.account_id').where('a.customer_id', customerId).max('b.month as month').first();
  return row?.month ?? undefined;
}

/** The customer's bills of the month (one per account) as one bill, narrowed to one line when asked. */
async function findBill(knex: Knex, customerId: number, month: string, line: ServiceLine | null): Promise<BillVariable | undefined> {
  const bills: { id: number; status: 'paid' | 'unpaid'; due_date: Date | string }[] = await knex('bills as b')
    .join('accounts as a', 'a.id', 'b.account_id')
    .where({ 'a.customer_id': customerId, 'b.month': month })
    .orderBy('b.id')
    .select('b.id', 'b.status', 'b.due_date');
  if (bills.length === 0) return undefined;
  const query = knex('bill_items').whereIn('bill_id', bills.map((bill) => bill.id)).orderBy('id').select('item_name', 'service_line', 'amount_fen');
  const rows: { item_name: string; service_line: ServiceLine; amount_fen: number }[] = await (line === null ? query : query.where('service_line', line));
  const items = rows.map((row) => ({
    name: row.item_name,
    serviceLine: row.service_line,
    serviceLineName: SERVICE_LINE_NAMES[row.service_line],
    amountFen: row.amount_fen,
    amount: row.amount_fen / 100,
  }));
  const totalFen = items.reduce((sum, item) => sum + item.amountFen, 0);
  return {
    month,
    serviceLine: line,
    serviceLineName: line === null ? ALL_LINES_NAME : SERVICE_LINE_NAMES[line],
    status: bills.some((bill) => bill.status === 'unpaid') ? 'unpaid' : 'paid',
    dueDate: bills.map((bill) => dateOnly(bill.due_date)).sort()[0],
    totalFen,
    total: totalFen / 100,
    items,
  };
}

/** node-pg turns `date` into a local-midnight Date, PGlite may give the text: either way the calendar day. */
function dateOnly(value: Date | string): string {
  if (typeof value === 'string') return value.slice(0, 10);
  const local = new Date(value.getTime() - value.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

function beijingMonth(at: Date): string {
  const { year, month } = beijingDate(at);
  return monthLabel(year, month);
}
