/**
 * China Standard Time (UTC+8 all year, no daylight saving): the clock the centers read dates, due times and
 * work-order days by, whatever zone the server runs in.
 */
export const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** `2026-11-25 14:30` in China time. */
export function chinaTime(date: Date): string {
  return new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The China calendar day, `2026-11-25`. */
export function chinaDay(date: Date): string {
  return new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The first instant of the next China calendar day. */
export function endOfChinaDay(now: Date): Date {
  return new Date(Math.floor((now.getTime() + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS + DAY_MS - CHINA_OFFSET_MS);
}
