/**
 * Date-times in forms. The browser's datetime-local input has no time zone; the platform serves Chinese centers,
 * so such a value is read as China Standard Time (UTC+8, no daylight saving) and sent to the process as an ISO
 * 8601 instant, which FEEL's date and time() and the engine's timers understand.
 */
import { CHINA_OFFSET_MS } from '../db/chinaTime';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/** The instant (ISO 8601, UTC) of a datetime-local value or of an ISO date-time with zone; undefined when invalid. */
export function parseDateTime(text: string): string | undefined {
  const match = DATE_TIME.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second = '0'] = match.slice(1, 7);
  const fields = [year, month, day, hour, minute, second].map(Number);
  const asUtc = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]);
  const check = new Date(asUtc);
  const valid =
    check.getUTCFullYear() === fields[0] && check.getUTCMonth() === fields[1] - 1 && check.getUTCDate() === fields[2] && fields[3] < 24 && fields[4] < 60 && fields[5] < 60;
  if (!valid) return undefined;
  const zone = match[8];
  const instant = zone === undefined ? asUtc - CHINA_OFFSET_MS : Date.parse(text.replace(' ', 'T'));
  return Number.isNaN(instant) ? undefined : new Date(instant).toISOString();
}

/** The datetime-local input value (China Standard Time) of a stored ISO instant; other strings stay as they are. */
export function toDateTimeLocal(value: string): string {
  const instant = Date.parse(value);
  if (!/(Z|[+-]\d{2}:\d{2})$/i.test(value) || Number.isNaN(instant)) return value;
  return new Date(instant + CHINA_OFFSET_MS).toISOString().slice(0, 16);
}
