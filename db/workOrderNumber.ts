import type { Knex } from 'knex';
import { chinaDay } from './chinaTime';

const CENTER_CODE = /^[a-z]{2,8}$/;

/**
 * The one place work-order numbers are made: `<CENTER>-<yyyymmdd>-<nnnnnn>`, e.g. `GD-20261125-000123`. The
 * date is the Beijing calendar day; the counter comes from a Postgres sequence, so concurrent callers (any
 * number of processes) never get the same number, and a rolled-back transaction only leaves a gap.
 */
export async function nextWorkOrderNumber(knex: Knex, centerCode: string, now: Date): Promise<string> {
  if (!CENTER_CODE.test(centerCode)) throw new Error(`Not a center code: ${JSON.stringify(centerCode)}`);
  const result = await knex.raw<{ rows: { value: string }[] }>(`select nextval('work_order_number_seq')::text as value`);
  const day = chinaDay(now).replace(/-/g, '');
  return `${centerCode.toUpperCase()}-${day}-${result.rows[0].value.padStart(6, '0')}`;
}
