/**
 * Timer definitions the way Zeebe 8.3 reads them: ISO-8601 durations (`PT10M`, `P1DT2H`, `P2M`), date-times
 * with an offset or zone id, repeating intervals (`R3/PT10M`, `R/PT1H`, `R3/<start>/PT1H`) and Spring-style
 * 6-field cron expressions in time cycles. All calendar arithmetic is done in UTC.
 */
import {
  evaluateDateTime,
  evaluateDuration,
  evaluateString,
  parseDateTime,
  type Evaluation,
  type Expression,
} from './feel';
import type { TimerDefinition } from './model/types';

export interface TimerSchedule {
  /** Epoch ms of the next firing. */
  dueDate: number;
  /** Firings left including this one; -1 = unbounded (R/...). Duration and date timers: 1. */
  repetitions: number;
  /** ISO-8601 duration of a repeating cycle, or a cron expression for cron cycles. */
  interval?: string;
}

export function evaluateTimer(
  definition: TimerDefinition,
  variables: Record<string, unknown>,
  now: number,
): Evaluation<TimerSchedule> {
  const expression = definition.expression;
  switch (definition.kind) {
    case 'duration': {
      const text = evaluateDuration(expression, variables);
      return text.ok ? durationSchedule(text.value, expressionText(expression), now) : text;
    }
    case 'date': {
      const text = evaluateDateTime(expression, variables);
      if (!text.ok) return text;
      const parsed = parseDateTime(text.value);
      if (!parsed) return { ok: false, message: invalidFormat('date-time', text.value, expressionText(expression)) };
      return { ok: true, value: { dueDate: parsed.epochMs, repetitions: 1 } };
    }
    case 'cycle': {
      const text = evaluateString(expression, variables);
      return text.ok ? cycleSchedule(text.value, expressionText(expression), now) : text;
    }
  }
}

export function nextFiring(schedule: TimerSchedule, firedAt: number): TimerSchedule | null {
  if (schedule.repetitions === 1 || schedule.repetitions === 0 || schedule.interval === undefined) return null;
  const repetitions = schedule.repetitions === -1 ? -1 : schedule.repetitions - 1;
  const interval = schedule.interval;
  let dueDate: number | null;
  if (ISO_DURATION_START.test(interval)) {
    const duration = parseIsoDuration(interval);
    if (!duration.ok) return null;
    dueDate = duration.addTo(schedule.dueDate);
    // After missed cycles (engine down, clock moved) fire once and continue from now instead of catching up.
    if (dueDate <= firedAt) dueDate = duration.addTo(firedAt);
    if (!(dueDate > firedAt)) return null;
  } else {
    const cron = parseCron(interval);
    if (!cron.ok) return null;
    dueDate = nextCronTime(cron.value, Math.max(schedule.dueDate, firedAt));
  }
  return dueDate === null ? null : { dueDate, repetitions, interval };
}

export function parseIsoDuration(
  text: string,
): { ok: true; addTo: (epochMs: number) => number } | { ok: false; message: string } {
  const match = ISO_DURATION.exec(text.trim());
  const invalid = { ok: false as const, message: `Invalid duration format '${text}'` };
  if (!match) return invalid;
  const [, sign, years, months, weeks, days, timePart, hours, minutes, seconds, fraction] = match;
  const hasDatePart = [years, months, weeks, days].some((part) => part !== undefined);
  const hasTimePart = [hours, minutes, seconds].some((part) => part !== undefined);
  if ((timePart !== undefined && !hasTimePart) || (!hasDatePart && !hasTimePart)) return invalid;
  const negate = sign === '-' ? -1 : 1;
  const int = (part: string | undefined) => (part === undefined ? 0 : Number(part));
  // java.time gives the fraction the sign of the seconds ("PT-1.5S" is minus one and a half seconds).
  const fractionMs = Number(((fraction ?? '') + '000').slice(0, 3));
  const secondsMs = int(seconds) * 1000 + (seconds?.startsWith('-') ? -fractionMs : fractionMs);
  const totalMonths = negate * (int(years) * 12 + int(months));
  const exactMs =
    negate * ((int(weeks) * 7 + int(days)) * DAY_MS + int(hours) * 3_600_000 + int(minutes) * 60_000 + secondsMs);
  if (!Number.isFinite(totalMonths) || !Number.isFinite(exactMs)) return invalid;
  return {
    ok: true,
    addTo: (epochMs) => (totalMonths === 0 ? epochMs : addMonths(epochMs, totalMonths)) + exactMs,
  };
}

export function checkStaticTimer(definition: TimerDefinition): string | null {
  if (definition.expression.kind === 'feel') return null;
  const schedule = evaluateTimer(definition, {}, Date.now());
  if (schedule.ok) return null;
  return `Invalid timer ${definition.kind} expression (${schedule.message.replace(/\.$/, '')})`;
}

const DAY_MS = 86_400_000;
const ISO_DURATION_START = /^[-+]?P/i;
const ISO_DURATION =
  /^([-+]?)P(?:([-+]?\d+)Y)?(?:([-+]?\d+)M)?(?:([-+]?\d+)W)?(?:([-+]?\d+)D)?(T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+)(?:[.,](\d{0,9}))?S)?)?$/i;
// Far outside any sensible timer, but keeps dates inside what Date can represent.
const MAX_EPOCH_MS = 8.64e15;

function expressionText(expression: Expression): string {
  return expression.kind === 'feel' ? expression.source : expression.value;
}

function invalidFormat(what: string, text: string, expression: string): string {
  return `Invalid ${what} format '${text}' for expression '${expression}'.`;
}

/** Plain calendar months in UTC; the day is clamped to the target month's length, as java.time does. */
function addMonths(epochMs: number, months: number): number {
  const date = new Date(epochMs);
  const monthIndex = date.getUTCMonth() + months;
  const year = date.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(epochMs);
  result.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay));
  return result.getTime();
}

/** Zeebe's Interval: an ISO duration, optionally preceded by a start date-time (`<start>/<duration>`). */
function parseInterval(
  text: string,
): { ok: true; start?: number; durationText: string; addTo: (epochMs: number) => number } | { ok: false } {
  const slash = text.lastIndexOf('/');
  let start: number | undefined;
  if (slash > 0) {
    const parsed = parseDateTime(text.slice(0, slash));
    if (!parsed) return { ok: false };
    start = parsed.epochMs;
  }
  const durationText = text.slice(slash + 1).trim();
  const duration = parseIsoDuration(durationText);
  return duration.ok ? { ok: true, start, durationText, addTo: duration.addTo } : { ok: false };
}

function durationSchedule(text: string, expression: string, now: number): Evaluation<TimerSchedule> {
  const interval = parseInterval(text.trim());
  if (!interval.ok) return { ok: false, message: invalidFormat('duration', text, expression) };
  const dueDate = interval.addTo(interval.start ?? now);
  if (!isEpoch(dueDate)) return { ok: false, message: invalidFormat('duration', text, expression) };
  return { ok: true, value: { dueDate, repetitions: 1 } };
}

function cycleSchedule(text: string, expression: string, now: number): Evaluation<TimerSchedule> {
  const cycle = text.trim();
  const invalid = (reason: string) => ({
    ok: false as const,
    message: `Invalid cycle format '${text}' for expression '${expression}': ${reason}`,
  });
  if (!cycle.startsWith('R')) {
    if (!cycle.startsWith('@') && !/\s/.test(cycle)) return invalid('Repetition spec must start with R');
    const cron = parseCron(cycle);
    if (!cron.ok) return invalid(cron.message);
    const dueDate = nextCronTime(cron.value, now);
    if (dueDate === null) return invalid(`Cron expression '${cycle}' never fires`);
    return { ok: true, value: { dueDate, repetitions: -1, interval: cycle } };
  }
  const slash = cycle.indexOf('/');
  if (slash === -1) return invalid('No interval given');
  const count = cycle.slice(1, slash);
  if (count !== '' && !/^\d+$/.test(count)) return invalid('Cannot parse repetitions count');
  const interval = parseInterval(cycle.slice(slash + 1));
  if (!interval.ok) return invalid(`Cannot parse interval '${cycle.slice(slash + 1)}'`);
  // A start in the past fires at once, like Zeebe clamping an overdue start onto the current time.
  const dueDate = interval.start === undefined ? interval.addTo(now) : Math.max(interval.start, now);
  if (!isEpoch(dueDate)) return invalid(`Cannot parse interval '${cycle.slice(slash + 1)}'`);
  // A non-positive interval would make the timer fire again immediately, forever.
  if (!(interval.addTo(dueDate) > dueDate)) return invalid('The interval must be positive');
  return {
    ok: true,
    value: {
      dueDate,
      // Zeebe fires an `R0` cycle once, like `R1`.
      repetitions: count === '' ? -1 : Math.max(Number(count), 1),
      interval: interval.durationText,
    },
  };
}

function isEpoch(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= MAX_EPOCH_MS;
}

// ---- cron ------------------------------------------------------------------------------------------------

/** Allowed values per field; day-of-week is indexed like Date#getUTCDay (0 = Sunday). */
interface Cron {
  seconds: boolean[];
  minutes: boolean[];
  hours: boolean[];
  daysOfMonth: boolean[];
  months: boolean[];
  daysOfWeek: boolean[];
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  /** Names of the values 1, 2, ... */
  names?: string[];
  allowsQuestionMark?: boolean;
}

const CRON_FIELDS: FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, allowsQuestionMark: true },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  // Spring numbering: 0 and 7 are both Sunday, names run MON (1) to SUN (7).
  {
    name: 'day-of-week',
    min: 0,
    max: 7,
    names: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'],
    allowsQuestionMark: true,
  },
];

const CRON_MACROS: Record<string, string> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
};

// Years searched for a matching date: 28 covers every weekday/leap-day combination (e.g. Monday 29 February).
const CRON_SEARCH_YEARS = 28;

const cronCache = new Map<string, Cron>();

function parseCron(text: string): { ok: true; value: Cron } | { ok: false; message: string } {
  const cached = cronCache.get(text);
  if (cached) return { ok: true, value: cached };
  const expanded = CRON_MACROS[text.toLowerCase()] ?? text;
  const fields = expanded.trim().split(/\s+/);
  if (fields.length !== 6) {
    return { ok: false, message: `Cron expression must consist of 6 fields (found ${fields.length} in "${text}")` };
  }
  const sets: boolean[][] = [];
  for (let i = 0; i < fields.length; i++) {
    const set = parseCronField(fields[i], CRON_FIELDS[i]);
    if (typeof set === 'string') return { ok: false, message: set };
    sets.push(set);
  }
  const daysOfWeek = sets[5];
  const cron: Cron = {
    seconds: sets[0],
    minutes: sets[1],
    hours: sets[2],
    daysOfMonth: sets[3],
    months: sets[4],
    daysOfWeek: [daysOfWeek[0] || daysOfWeek[7], ...daysOfWeek.slice(1, 7)],
  };
  if (cronCache.size >= 1000) cronCache.clear();
  cronCache.set(text, cron);
  return { ok: true, value: cron };
}

/** The allowed values of one field (indexed by value), or a message saying what is wrong. */
function parseCronField(field: string, spec: FieldSpec): boolean[] | string {
  const allowed = new Array<boolean>(spec.max + 1).fill(false);
  const invalid = (detail: string) => `Invalid ${spec.name} field '${field}': ${detail}`;
  for (const part of field.split(',')) {
    const [range, step, ...rest] = part.split('/');
    if (rest.length > 0) return invalid(`'${part}' has more than one step`);
    let increment = 1;
    if (step !== undefined) {
      if (!/^\d+$/.test(step) || Number(step) === 0) return invalid(`step '${step}' must be a positive number`);
      increment = Number(step);
    }
    let low: number;
    let high: number;
    if (range === '*' || (range === '?' && spec.allowsQuestionMark)) {
      low = spec.min;
      high = spec.max;
    } else if (range.includes('-')) {
      const [from, to, ...more] = range.split('-');
      if (more.length > 0) return invalid(`'${range}' is not a range`);
      const start = cronValue(from, spec);
      const end = cronValue(to, spec);
      if (start === null || end === null) return invalid(`'${range}' is out of range ${spec.min}-${spec.max}`);
      // SUN is 7 in Spring's numbering, but `SUN-SAT` reads naturally as the whole week.
      low = spec.name === 'day-of-week' && start === 7 && end < 7 ? 0 : start;
      high = end;
      if (low > high) return invalid(`range '${range}' ends before it starts`);
    } else {
      const value = cronValue(range, spec);
      if (value === null) return invalid(`'${range}' is not a value in ${spec.min}-${spec.max}`);
      low = value;
      high = step === undefined ? value : spec.max;
    }
    for (let value = low; value <= high; value += increment) allowed[value] = true;
  }
  return allowed;
}

function cronValue(text: string, spec: FieldSpec): number | null {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    return value >= spec.min && value <= spec.max ? value : null;
  }
  const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  return index < 0 ? null : index + 1;
}

/** The first matching second strictly after `after`, in UTC; null if none within the search window. */
function nextCronTime(cron: Cron, after: number): number | null {
  let time = Math.floor(after / 1000) * 1000 + 1000;
  const lastYear = new Date(time).getUTCFullYear() + CRON_SEARCH_YEARS;
  for (;;) {
    const date = new Date(time);
    const year = date.getUTCFullYear();
    if (year > lastYear) return null;
    const month = date.getUTCMonth();
    const day = date.getUTCDate();
    const hour = date.getUTCHours();
    const minute = date.getUTCMinutes();
    if (!cron.months[month + 1]) {
      time = Date.UTC(year, month + 1, 1);
    } else if (!cron.daysOfMonth[day] || !cron.daysOfWeek[date.getUTCDay()]) {
      time = Date.UTC(year, month, day + 1);
    } else if (!cron.hours[hour]) {
      time = Date.UTC(year, month, day, hour + 1);
    } else if (!cron.minutes[minute]) {
      time = Date.UTC(year, month, day, hour, minute + 1);
    } else if (!cron.seconds[date.getUTCSeconds()]) {
      time += 1000;
    } else {
      return time;
    }
  }
}
