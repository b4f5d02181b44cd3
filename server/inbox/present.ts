/** How tasks are shown: China time, urgency of a due date, and customer numbers masked for roles that only audit. */
import { hasRole, type SessionUser } from '../auth/sessionUser';
import { endOfChinaDay } from '../../db/chinaTime';

const SOON_MS = 2 * 60 * 60 * 1000;

export type Urgency = 'overdue' | 'soon' | 'later';

/** Overdue; due within two hours or later today (China day); or later. */
export function urgencyOf(due: Date, now: Date): Urgency {
  if (due.getTime() < now.getTime()) return 'overdue';
  if (due.getTime() - now.getTime() <= SOON_MS || due.getTime() < endOfChinaDay(now).getTime()) return 'soon';
  return 'later';
}

/** Roles that serve the customer and so need the full number; others (auditor, analyst, admin) see it masked. */
export function seesCustomerNumbers(user: SessionUser): boolean {
  return hasRole(user, 'agent', 'team-lead', 'backoffice', 'outbound-agent', 'vip-manager', 'supervisor', 'city-handler', 'national-agent', 'national-supervisor');
}

/** 13800000001 → 138****0001; short numbers keep only their last two digits. */
export function maskNumber(number: string): string {
  if (number.length >= 8) return `${number.slice(0, 3)}****${number.slice(-4)}`;
  return `${'*'.repeat(Math.max(0, number.length - 2))}${number.slice(-2)}`;
}

export function customerNumberFor(user: SessionUser, number: string | null): string | null {
  if (number === null) return null;
  return seesCustomerNumbers(user) ? number : maskNumber(number);
}

/** Process variables holding a customer's number. */
const NUMBER_VARIABLES = ['phoneNumber', 'callerNumber'];

/** The variables as the user may see them: customer numbers masked for roles that only audit. */
export function variablesFor(user: SessionUser, variables: Record<string, unknown>): Record<string, unknown> {
  if (seesCustomerNumbers(user)) return variables;
  const shown = { ...variables };
  for (const name of NUMBER_VARIABLES) if (typeof shown[name] === 'string') shown[name] = maskNumber(shown[name] as string);
  return shown;
}
