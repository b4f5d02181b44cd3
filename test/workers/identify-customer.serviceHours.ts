/**
 * Sets the service hours in the suite's sla_config around the suite's clock, so tests choose the day or the night
 * route whatever the time of day they run at (an administrator edits the same rows).
 */
import type { SuitePlatform } from '../support/platformHarness';

const BEIJING_OFFSET_MINUTES = 8 * 60;
const DAY_MINUTES = 24 * 60;

export function useServiceHours(suite: Pick<SuitePlatform, 'knex' | 'now'>) {
  const set = async (start: number, end: number) => {
    await suite.knex('sla_config').where({ key: 'service_hours.start' }).update({ value: start });
    await suite.knex('sla_config').where({ key: 'service_hours.end' }).update({ value: end });
  };
  /** Beijing minute of the day of the suite's clock. */
  const minuteNow = () => (Math.floor(suite.now().getTime() / 60_000) + BEIJING_OFFSET_MINUTES) % DAY_MINUTES;
  return {
    /** A window from an hour ago to an hour ahead. */
    open: () => set((minuteNow() + DAY_MINUTES - 60) % DAY_MINUTES, (minuteNow() + 60) % DAY_MINUTES),
    /** A window that opens in an hour and closes in two. */
    closed: () => set((minuteNow() + 60) % DAY_MINUTES, (minuteNow() + 120) % DAY_MINUTES),
  };
}
