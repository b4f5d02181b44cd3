/**
 * The simulated provisioning system (开通系统) behind the provision, suspend-service and resume-service workers. It
 * applies service orders to the lines (subscriptions) and accounts of the billing tables, each change written so that
 * applying the same order again leaves the same state. Like the real system it can be down: a process variable
 * `provisioningFault` (set by an operator or a test) makes every call fail technically until it is cleared.
 */
import type { Knex } from 'knex';
import { PLANS, type ServiceLine } from '../db/seed/billing';
import { PermanentJobFailure } from './jobWorker';
import { SERVICE_LINE_NAMES } from './serviceLines';


/** 4.4: new line, change of plan, suspension (停机), resumption (复机), cancellation (拆机), transfer (移机). */
export const ORDER_TYPES = ['new', 'change-plan', 'suspend', 'resume', 'cancel', 'transfer'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export interface ServiceOrder {
  customerId: number;
  serviceLine: ServiceLine;
  orderType: OrderType;
  /** The line's number: the new line's number; picks the line when the customer has several of the service line. */
  lineNumber?: string | null;
  /** Plan name for a new line (default: the line's first plan) or a change of plan. */
  plan?: string | null;
}

export interface ProvisionedLine {
  lineNumber: string;
  plan: string;
  status: 'active' | 'suspended' | 'cancelled';
}

/** Number ranges the simulated system hands out new lines from, by service line. */
const NUMBER_RANGES: Readonly<Record<ServiceLine, string>> = {
  mobile: '1860', ip: '1861', paging: '1862', internet: 'KD', local: 'GH', long_distance: 'CT',
};

/**
 * The number a new line gets when the order names none: drawn from the line's range by a serial of the order (its
 * work order), so the same order always gets the same number.
 */
export function allocatedNumber(serviceLine: ServiceLine, serial: number): string {
  return `${NUMBER_RANGES[serviceLine]}${String(serial).padStart(7, '0')}`;
}

/** Thrown while the simulated system is down: a technical failure, retried with back-off. */
export function checkAvailable(fault: string | null | undefined): void {
  if (fault) throw new Error(`provisioning system unavailable: ${fault}`);
}

export async function applyServiceOrder(knex: Knex, order: ServiceOrder): Promise<ProvisionedLine> {
  return knex.transaction(async (trx) => {
    const account = await trx('accounts').where({ customer_id: order.customerId }).orderBy('id').first('id');
    if (!account) throw new PermanentJobFailure(`customer ${order.customerId} has no account`);
    if (order.orderType === 'new') return openLine(trx, account.id, order);
    const line = await lineOf(trx, account.id, order);
    switch (order.orderType) {
      case 'change-plan':
        return updateLine(trx, line.id, { plan: planOf(order, true) });
      case 'suspend':
        return updateLine(trx, line.id, { status: 'suspended' });
      case 'resume':
        return updateLine(trx, line.id, { status: 'active' });
      case 'cancel':
        return updateLine(trx, line.id, { status: 'cancelled' });
      case 'transfer':
        // The new address lives with the installers' appointment; the line itself keeps its number and plan.
        return updateLine(trx, line.id, {});
    }
  });
}

async function openLine(trx: Knex.Transaction, accountId: number, order: ServiceOrder): Promise<ProvisionedLine> {
  if (!order.lineNumber) throw new PermanentJobFailure('lineNumber: a new line needs its number');
  const plan = planOf(order, false);
  await trx('subscriptions')
    .insert({ account_id: accountId, service_line: order.serviceLine, number: order.lineNumber, plan, status: 'active' })
    .onConflict(['service_line', 'number'])
    .ignore();
  const line = await trx('subscriptions').where({ service_line: order.serviceLine, number: order.lineNumber }).first('id', 'account_id');
  // The same order applied before left this very line; anyone else's line with that number is a wrong order.
  if (line.account_id !== accountId) throw new PermanentJobFailure(`lineNumber: ${order.lineNumber} is already in use on another account`);
  return updateLine(trx, line.id, { plan, status: 'active' });
}

async function lineOf(trx: Knex.Transaction, accountId: number, order: ServiceOrder): Promise<{ id: number }> {
  const query = trx('subscriptions').where({ account_id: accountId, service_line: order.serviceLine }).whereNot('status', 'cancelled');
  if (order.lineNumber) query.where({ number: order.lineNumber });
  const lines: { id: number }[] = await query.select('id');
  if (lines.length === 1) return lines[0];
  const which = order.lineNumber ? `line ${order.lineNumber}` : 'line';
  throw new PermanentJobFailure(
    lines.length === 0
      ? `lineNumber: customer ${order.customerId} has no ${order.serviceLine} ${which} to ${order.orderType}`
      : `lineNumber: customer ${order.customerId} has ${lines.length} ${order.serviceLine} lines; say which one`,
  );
}

function planOf(order: ServiceOrder, required: boolean): string {
  const plans = PLANS[order.serviceLine];
  if (!order.plan) {
    if (required) throw new PermanentJobFailure('plan: a change of plan needs the new plan');
    return plans[0].name;
  }
  if (!plans.some((plan) => plan.name === order.plan)) {
    throw new PermanentJobFailure(`plan: "${order.plan}" is not a ${order.serviceLine} plan (${plans.map((plan) => plan.name).join(', ')})`);
  }
  return order.plan;
}

async function updateLine(trx: Knex.Transaction, id: number, change: { plan?: string; status?: ProvisionedLine['status'] }): Promise<ProvisionedLine> {
  if (Object.keys(change).length > 0) await trx('subscriptions').where({ id }).update(change);
  const line = await trx('subscriptions').where({ id }).first('number', 'plan', 'status');
  return { lineNumber: line.number, plan: line.plan, status: line.status };
}

/** Which lines a suspension or resumption covers: all lines of an account (arrears) or of one number (emergency). */
export type LineScope = { accountId: number } | { number: string };

/**
 * Suspends (停机) or resumes (复机) every line in scope that is not cancelled, and for a whole account the account
 * too. Resolves with the numbers now in the wanted state, the same on a repeated call.
 */
export async function switchLines(knex: Knex, scope: LineScope, to: 'suspended' | 'active'): Promise<string[]> {
  const from = to === 'suspended' ? 'active' : 'suspended';
  return knex.transaction(async (trx) => {
    const inScope = () => ('accountId' in scope ? trx('subscriptions').where({ account_id: scope.accountId }) : trx('subscriptions').where({ number: scope.number }));
    await inScope().where({ status: from }).update({ status: to });
    if ('accountId' in scope) await trx('accounts').where({ id: scope.accountId }).update({ status: to });
    const rows: { number: string }[] = await inScope().where({ status: to }).distinct('number').orderBy('number');
    return rows.map((row) => row.number);
  });
}

/** Whether a number is one of our lines that is not cancelled. */
export async function isKnownLine(knex: Knex, number: string): Promise<boolean> {
  return Boolean(await knex('subscriptions').where({ number }).whereNot('status', 'cancelled').first('id'));
}
