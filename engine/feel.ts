/**
 * FEEL expressions the way Zeebe 8.3 reads model attributes: a value starting with `=` is a FEEL expression
 * (evaluated by @bpmn-io/feelin), anything else is a static value. Failure messages copy Zeebe's wording
 * (including the appended evaluation warnings) so incidents read the same as on a real broker.
 */
import {
  evaluate,
  parseExpression as parseFeel,
  date as feelDate,
  SyntaxError as FeelSyntaxError,
} from '@bpmn-io/feelin';

export type Expression =
  | { kind: 'static'; raw: string; value: string }
  | { kind: 'feel'; raw: string; source: string };

export type Evaluation<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Engine time for FEEL's `now()` and `today()`, as in Zeebe, where they follow the (controllable) engine clock.
 * The engine sets it when it opens; one engine runs per process.
 */
let engineNow: () => number = Date.now;

export function useEngineClock(now: () => number): void {
  engineNow = now;
}

/** The parts of luxon's DateTime / Duration that feelin hands out and this module reads. */
interface FeelDateTime {
  isLuxonDateTime: true;
  isValid: boolean;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  zone: { isUniversal: boolean; name: string };
  toMillis(): number;
  toISO(options?: { suppressMilliseconds?: boolean }): string | null;
  toISODate(): string | null;
  toISOTime(options?: { suppressMilliseconds?: boolean; includeOffset?: boolean }): string | null;
}

interface FeelDuration {
  isLuxonDuration: true;
  isValid: boolean;
  toObject(): Partial<Record<'years' | 'quarters' | 'months' | 'weeks' | 'days' | 'hours' | 'minutes' | 'seconds' | 'milliseconds', number>>;
  toMillis(): number;
  toISO(): string | null;
}

type FeelWarning = { type: string; message: string };

type Outcome =
  | { ok: true; value: unknown; warnings: FeelWarning[] }
  | { ok: false; message: string };

/** Result of a fast-path evaluation that cannot reproduce feelin exactly; the caller falls back to feelin. */
const MISS: unique symbol = Symbol('miss');
type FastPath = (variables: Record<string, unknown>) => unknown;

interface Compiled {
  /** Handles the common trivial shapes (paths, literals, comparisons) without re-parsing on every call. */
  fast: FastPath | null;
  /** Zeebe's `cycle()` function has to be offered to feelin; only done when the source mentions it. */
  usesCycle: boolean;
  /** Likewise FEEL 1.17's `assert()`, which feelin lacks. */
  usesAssert: boolean;
  /** `now()` and `today()` must read engine time, which tests move, not feelin's wall clock. */
  usesClock: boolean;
  /** undefined until checked at deploy time. */
  syntaxError?: string | null;
}

// Expressions come from deployed models, so the set is small; the cap only guards against unbounded growth.
const COMPILED_CACHE_LIMIT = 10_000;
const compiledCache = new Map<string, Compiled>();

export function parseExpression(raw: string): Expression {
  const trimmed = raw.trim();
  if (trimmed.startsWith('=')) {
    return { kind: 'feel', raw, source: trimmed.slice(1).trim() };
  }
  return { kind: 'static', raw, value: trimmed };
}

export function checkExpression(expression: Expression): string | null {
  if (expression.kind === 'static') return null;
  const compiled = compile(expression.source);
  if (compiled.syntaxError === undefined) {
    compiled.syntaxError = findSyntaxError(expression.source);
  }
  return compiled.syntaxError;
}

export function evaluateAny(expression: Expression, variables: Record<string, unknown>): Evaluation<unknown> {
  if (expression.kind === 'static') return { ok: true, value: staticValue(expression.value) };
  const outcome = run(expression.source, variables);
  if (!outcome.ok) return outcome;
  return { ok: true, value: toJsonValue(outcome.value) };
}

export function evaluateString(expression: Expression, variables: Record<string, unknown>): Evaluation<string> {
  if (expression.kind === 'static') return { ok: true, value: expression.value };
  const outcome = run(expression.source, variables);
  if (!outcome.ok) return outcome;
  if (typeof outcome.value === 'string') return { ok: true, value: outcome.value };
  return typeMismatch(expression.source, 'STRING', outcome);
}

export function evaluateBoolean(expression: Expression, variables: Record<string, unknown>): Evaluation<boolean> {
  if (expression.kind === 'static') return staticMismatch(expression.value, 'BOOLEAN');
  const outcome = run(expression.source, variables);
  if (!outcome.ok) return outcome;
  if (typeof outcome.value === 'boolean') return { ok: true, value: outcome.value };
  return typeMismatch(expression.source, 'BOOLEAN', outcome);
}

export function evaluateNumber(expression: Expression, variables: Record<string, unknown>): Evaluation<number> {
  if (expression.kind === 'static') {
    const value = staticValue(expression.value);
    return typeof value === 'number' ? { ok: true, value } : staticMismatch(expression.value, 'NUMBER');
  }
  const outcome = run(expression.source, variables);
  if (!outcome.ok) return outcome;
  if (typeof outcome.value === 'number' && Number.isFinite(outcome.value)) return { ok: true, value: outcome.value };
  return typeMismatch(expression.source, 'NUMBER', outcome);
}

export function evaluateList(expression: Expression, variables: Record<string, unknown>): Evaluation<unknown[]> {
  if (expression.kind === 'static') return staticMismatch(expression.value, 'ARRAY');
  const outcome = run(expression.source, variables);
  if (!outcome.ok) return outcome;
  if (Array.isArray(outcome.value)) return { ok: true, value: toJsonValue(outcome.value) as unknown[] };
  return typeMismatch(expression.source, 'ARRAY', outcome);
}

export function evaluateStringList(expression: Expression, variables: Record<string, unknown>): Evaluation<string[]> {
  if (expression.kind === 'static') {
    return {
      ok: true,
      value: expression.value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    };
  }
  const outcome = run(expression.source, variables);
  if (!outcome.ok) return outcome;
  const value = outcome.value;
  if (!Array.isArray(value)) return typeMismatch(expression.source, 'ARRAY', outcome);
  if (value.every((item): item is string => typeof item === 'string')) return { ok: true, value };
  return {
    ok: false,
    message: withWarnings(
      `Expected result of the expression '${expression.source}' to be 'ARRAY' containing 'STRING' items,` +
        ` but was 'ARRAY' containing at least one non-'STRING' item.`,
      outcome.warnings,
    ),
  };
}

export function evaluateDateTime(expression: Expression, variables: Record<string, unknown>): Evaluation<string> {
  if (expression.kind === 'static') {
    return parseDateTime(expression.value)
      ? { ok: true, value: expression.value }
      : { ok: false, message: invalidDateTime(expression.value, expression.value) };
  }
  const outcome = run(expression.source, variables);
  if (!outcome.ok) return outcome;
  const value = outcome.value;
  if (isDateTime(value) && feelTemporalKind(value) === 'date time') {
    return { ok: true, value: formatDateTime(value) };
  }
  if (typeof value === 'string') {
    const parsed = parseDateTime(value);
    return parsed
      ? { ok: true, value: parsed.iso }
      : { ok: false, message: withWarnings(invalidDateTime(value, expression.source), outcome.warnings) };
  }
  return typeMismatch(expression.source, ['DATE_TIME', 'STRING'], outcome);
}

/**
 * Timer durations: a FEEL days-and-time or years-and-months duration, or a string, as ISO-8601 text. The
 * text is not validated here (static values are returned as they are); engine/timers.ts parses it.
 */
export function evaluateDuration(expression: Expression, variables: Record<string, unknown>): Evaluation<string> {
  if (expression.kind === 'static') return { ok: true, value: expression.value };
  const outcome = run(expression.source, variables);
  if (!outcome.ok) return outcome;
  const value = outcome.value;
  if (isDuration(value) && value.isValid) return { ok: true, value: formatDuration(value) };
  if (typeof value === 'string') return { ok: true, value };
  return typeMismatch(expression.source, ['DURATION', 'PERIOD', 'STRING'], outcome);
}

export function evaluateMappings(
  mappings: { source: Expression; target: string }[],
  variables: Record<string, unknown>,
): Evaluation<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  for (const mapping of mappings) {
    const evaluation = evaluateAny(mapping.source, variables);
    if (!evaluation.ok) return evaluation;
    assignPath(result, mapping.target.split('.'), evaluation.value, variables);
  }
  return { ok: true, value: result };
}

/**
 * Converts a FEEL result into what is stored as a JSON variable. Values that are already JSON are returned
 * as they are (not copied), so a result may share structure with the variables it was computed from.
 */
export function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'object':
      break;
    default:
      return null;
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const converted = toJsonValue(value[i]);
      if (converted !== value[i] && copy === null) copy = value.slice(0, i);
      copy?.push(converted);
    }
    return copy ?? value;
  }
  if (isPlainObject(value)) {
    let copy: Record<string, unknown> | null = null;
    const entries = Object.entries(value);
    for (let i = 0; i < entries.length; i++) {
      const [key, item] = entries[i];
      const converted = toJsonValue(item);
      if (converted !== item && copy === null) copy = Object.fromEntries(entries.slice(0, i));
      if (copy) copy[key] = converted;
    }
    return copy ?? value;
  }
  if (isDateTime(value)) {
    if (!value.isValid) return null;
    switch (feelTemporalKind(value)) {
      case 'date':
        return value.toISODate();
      case 'time':
        return value.toISOTime({ suppressMilliseconds: true, includeOffset: false });
      default:
        return formatDateTime(value);
    }
  }
  if (isDuration(value)) return value.isValid ? formatDuration(value) : null;
  return null;
}

/**
 * Parses an ISO-8601 date-time the way Zeebe's ZonedDateTime.parse does, additionally accepting a bracketed
 * zone id without an offset (`2026-12-01T09:00:00[Asia/Shanghai]`). Returns the instant and the normalized
 * text with an offset, or null when the text is not such a date-time.
 */
export function parseDateTime(text: string): { epochMs: number; iso: string } | null {
  const match = DATE_TIME_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, local, offset, zone] = match;
  if (offset === undefined && zone === undefined) return null;
  // An explicit offset fixes the instant; the zone id then only names the region, as in java.time.
  let parsed: FeelDateTime;
  try {
    parsed = feelDate(offset !== undefined ? local + offset : `${local}@${zone}`) as FeelDateTime;
  } catch {
    return null;
  }
  if (!isDateTime(parsed) || !parsed.isValid) return null;
  return { epochMs: parsed.toMillis(), iso: formatDateTime(parsed) };
}

const DATE_TIME_PATTERN =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)(Z|[+-]\d{2}:\d{2}(?::\d{2})?)?(?:\[([A-Za-z0-9_+\-/]+)\])?$/i;

function run(source: string, variables: Record<string, unknown>): Outcome {
  const compiled = compile(source);
  if (compiled.fast) {
    const value = compiled.fast(variables);
    if (value !== MISS) return { ok: true, value, warnings: [] };
  }
  let context = variables;
  if (compiled.usesCycle) context = { ...context, cycle: cycleFunction };
  if (compiled.usesAssert) context = { ...context, assert: assertFunction };
  if (compiled.usesClock) context = { ...context, ...engineClockFunctions() };
  try {
    const result = evaluate(source, context);
    return { ok: true, value: result.value ?? null, warnings: result.warnings.map(zeebeWarning) };
  } catch (error) {
    if (error instanceof AssertionFailure) {
      return { ok: false, message: `Assertion failure on evaluate the expression '${source}': ${error.message}` };
    }
    return { ok: false, message: `failed to evaluate expression '${source}': ${errorReason(error)}` };
  }
}

/** `now()` and `today()` on engine time, in UTC like the rest of the engine's dates. */
function engineClockFunctions() {
  const now = new Date(engineNow()).toISOString();
  return { now: () => feelDate(now), today: () => feelDate(now.slice(0, 10)) };
}

function compile(source: string): Compiled {
  let compiled = compiledCache.get(source);
  if (!compiled) {
    if (compiledCache.size >= COMPILED_CACHE_LIMIT) compiledCache.clear();
    compiled = {
      fast: compileFastPath(source),
      usesCycle: /\bcycle\s*\(/.test(source),
      usesAssert: /\bassert\s*\(/.test(source),
      usesClock: /\b(?:now|today)\s*\(/.test(source),
    };
    compiledCache.set(source, compiled);
  }
  return compiled;
}

/**
 * feelin only reports syntax errors while building its evaluator, which happens before anything is
 * evaluated; so evaluating a source known to contain an error node yields the error without running code.
 */
function findSyntaxError(source: string): string | null {
  let hasError = false;
  parseFeel(source, {}, undefined).iterate({
    enter(node) {
      if (node.type.isError) hasError = true;
      return !hasError;
    },
  });
  if (!hasError) return null;
  try {
    evaluate(source, {});
  } catch (error) {
    return `failed to parse expression '${source}': ${errorReason(error)}`;
  }
  return null;
}

function errorReason(error: unknown): string {
  if (error instanceof FeelSyntaxError) return `${error.message} at position ${error.position.from}`;
  return error instanceof Error ? error.message : String(error);
}

/** feel-scala words its most common warning differently; users know Zeebe's wording from Operate. */
function zeebeWarning(warning: FeelWarning): FeelWarning {
  if (warning.type === 'NO_VARIABLE_FOUND') {
    const name = /^Variable '(.*)' not found$/.exec(warning.message)?.[1];
    if (name !== undefined) return { type: warning.type, message: `No variable found with name '${name}'` };
  }
  return { type: warning.type, message: warning.message };
}

function withWarnings(message: string, warnings: FeelWarning[]): string {
  if (warnings.length === 0) return message;
  return (
    `${message} The evaluation reported the following warnings:\n` +
    warnings.map((warning) => `[${warning.type}] ${warning.message}`).join('\n')
  );
}

function typeMismatch(
  source: string,
  expected: string | string[],
  outcome: { value: unknown; warnings: FeelWarning[] },
): { ok: false; message: string } {
  const actual = zeebeType(outcome.value);
  const message = Array.isArray(expected)
    ? `Expected result of the expression '${source}' to be one of '[${expected.join(', ')}]', but was '${actual}'.`
    : `Expected result of the expression '${source}' to be '${expected}', but was '${actual}'.`;
  return { ok: false, message: withWarnings(message, outcome.warnings) };
}

function staticMismatch(value: string, expected: string): { ok: false; message: string } {
  return typeMismatch(value, expected, { value: staticValue(value), warnings: [] });
}

function invalidDateTime(value: string, source: string): string {
  return `Invalid date-time format '${value}' for expression '${source}'.`;
}

/** Zeebe treats a static value that reads as a number (java BigDecimal syntax) as a NUMBER. */
function staticValue(value: string): string | number {
  return /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(value) ? Number(value) : value;
}

/** Zeebe's ResultType name of a FEEL value. */
function zeebeType(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'boolean':
      return 'BOOLEAN';
    case 'number':
      return 'NUMBER';
    case 'string':
      return 'STRING';
  }
  if (Array.isArray(value)) return 'ARRAY';
  if (isPlainObject(value)) return 'OBJECT';
  if (isDuration(value)) return isYearMonthDuration(value) ? 'PERIOD' : 'DURATION';
  if (isDateTime(value) && feelTemporalKind(value) === 'date time') return 'DATE_TIME';
  return 'UNKNOWN';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isDateTime(value: unknown): value is FeelDateTime {
  return typeof value === 'object' && value !== null && (value as FeelDateTime).isLuxonDateTime === true;
}

function isDuration(value: unknown): value is FeelDuration {
  return typeof value === 'object' && value !== null && (value as FeelDuration).isLuxonDuration === true;
}

/** feelin represents dates, times and date-times all as luxon DateTimes; this is its own classification. */
function feelTemporalKind(value: FeelDateTime): 'date' | 'time' | 'date time' {
  if (value.year === 1900 && value.month === 1 && value.day === 1) return 'time';
  if (
    value.hour === 0 &&
    value.minute === 0 &&
    value.second === 0 &&
    value.millisecond === 0 &&
    value.zone.isUniversal &&
    value.zone.name === 'UTC'
  ) {
    return 'date';
  }
  return 'date time';
}

function formatDateTime(value: FeelDateTime): string {
  return value.toISO({ suppressMilliseconds: true }) ?? '';
}

function isYearMonthDuration(value: FeelDuration): boolean {
  const { years = 0, quarters = 0, months = 0, ...rest } = value.toObject();
  return (years !== 0 || quarters !== 0 || months !== 0) && Object.values(rest).every((amount) => !amount);
}

/**
 * Formats like java.time, which is what Zeebe stores: a years-and-months duration as a Period (`P1Y2M`), a
 * days-and-time duration as a Duration in hours (`PT26H`). feelin's subtraction of dates yields plain
 * milliseconds, which this also turns into readable units.
 */
function formatDuration(value: FeelDuration): string {
  const parts = value.toObject();
  const totalMonths = (parts.years ?? 0) * 12 + (parts.quarters ?? 0) * 3 + (parts.months ?? 0);
  if (isYearMonthDuration(value)) {
    const years = Math.trunc(totalMonths / 12);
    const months = totalMonths % 12;
    return `P${years ? `${years}Y` : ''}${months ? `${months}M` : ''}`;
  }
  if (totalMonths !== 0) return value.toISO() ?? '';
  const totalMs = value.toMillis();
  if (totalMs === 0) return 'PT0S';
  const sign = totalMs < 0 ? '-' : '';
  const abs = Math.abs(totalMs);
  const hours = Math.floor(abs / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const ms = abs % 60_000;
  const seconds = ms % 1000 === 0 ? `${ms / 1000}` : (ms / 1000).toFixed(3).replace(/0+$/, '');
  return (
    'PT' +
    (hours ? `${sign}${hours}H` : '') +
    (minutes ? `${sign}${minutes}M` : '') +
    (ms ? `${sign}${seconds}S` : '')
  );
}

/** Zeebe's FEEL extension `cycle(interval)` / `cycle(repetitions, interval)`, e.g. "R3/PT1H". */
const cycleFunction = Object.assign(
  (first: unknown, second: unknown): string | null => {
    const [repetitions, interval] = second === undefined ? [null, first] : [first, second];
    if (!isDuration(interval) || !interval.isValid) return null;
    if (repetitions !== null && repetitions !== undefined && typeof repetitions !== 'number') return null;
    return `R${typeof repetitions === 'number' ? Math.trunc(repetitions) : ''}/${formatDuration(interval)}`;
  },
  { $args: ['repetitions', 'interval'] },
);

/** Thrown by `assert()`: the one way a FEEL 1.17 evaluation fails on purpose (everything else yields null). */
class AssertionFailure extends Error {}

/** FEEL's `assert(value, condition)` / `assert(value, condition, cause)`: the value, or a failed evaluation. */
const assertFunction = Object.assign(
  (value: unknown, condition: unknown, cause: unknown): unknown => {
    if (condition !== true) throw new AssertionFailure(typeof cause === 'string' ? cause : 'The condition is not fulfilled');
    return value;
  },
  { $args: ['value', 'condition', 'cause'] },
);

function assignPath(
  target: Record<string, unknown>,
  segments: string[],
  value: unknown,
  variables: Record<string, unknown>,
): void {
  let container = target;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i];
    // At the top, a mapping into `a.b` extends the existing variable `a` rather than replacing it.
    const current = Object.hasOwn(container, key) ? container[key] : i === 0 ? variables[key] : undefined;
    // Copied so neither the input variables nor values shared with them are mutated.
    const next: Record<string, unknown> = isPlainObject(current) ? { ...current } : {};
    container[key] = next;
    container = next;
  }
  container[segments[segments.length - 1]] = value;
}

// ---- fast path -------------------------------------------------------------------------------------------

const KEYWORDS = new Set([
  'true', 'false', 'null', 'and', 'or', 'not', 'if', 'then', 'else', 'for', 'in', 'return', 'some', 'every',
  'satisfies', 'function', 'between', 'instance', 'of', 'external',
]);
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const COMPARISON = /^(.+?)\s*(<=|>=|!=|=|<|>)\s*(.+)$/;

/**
 * Compiles the expression shapes that dominate process models (`x`, `a.b`, literals, `a.b > 3`,
 * `x = "y" and z < 2`) into closures. Each closure returns MISS whenever feelin could answer differently
 * (missing variables, mixed types, non-boolean operands), so results are always identical to feelin's.
 */
function compileFastPath(source: string): FastPath | null {
  const parts = splitLogical(source);
  if (parts === null) return null;
  const operator = parts.operator;
  if (operator === null) return compileComparison(source) ?? compileOperand(source);
  const terms = parts.terms.map(compileComparison);
  if (terms.some((term) => term === null)) return null;
  const compiledTerms = terms as FastPath[];
  return (variables) => {
    let result = operator === 'and';
    for (const term of compiledTerms) {
      const value = term(variables);
      if (typeof value !== 'boolean') return MISS;
      result = operator === 'and' ? result && value : result || value;
    }
    return result;
  };
}

/** Splits on top-level `and` / `or` outside string literals; null when the source mixes both or has parentheses. */
function splitLogical(source: string): { operator: 'and' | 'or' | null; terms: string[] } | null {
  const terms: string[] = [];
  let operator: 'and' | 'or' | null = null;
  let start = 0;
  let inString = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if ('()[]{}'.includes(char)) return null;
    else if (/\s/.test(char)) {
      const word = /^\s+(and|or)\s+/.exec(source.slice(i));
      if (word) {
        const found = word[1] as 'and' | 'or';
        if (operator !== null && operator !== found) return null;
        operator = found;
        terms.push(source.slice(start, i));
        start = i + word[0].length;
        i = start - 1;
      }
    }
  }
  if (inString) return null;
  terms.push(source.slice(start));
  return { operator, terms };
}

function compileComparison(source: string): FastPath | null {
  const match = COMPARISON.exec(source.trim());
  if (!match) return null;
  const left = compileOperand(match[1]);
  const right = compileOperand(match[3]);
  if (!left || !right) return null;
  const operator = match[2];
  return (variables) => {
    const a = left(variables);
    const b = right(variables);
    if (a === MISS || b === MISS) return MISS;
    const type = typeof a;
    if (type !== typeof b) return MISS;
    if (type === 'boolean') {
      if (operator === '=') return a === b;
      if (operator === '!=') return a !== b;
      return MISS;
    }
    if (type !== 'number' && type !== 'string') return MISS;
    const x = a as number | string;
    const y = b as number | string;
    switch (operator) {
      case '=':
        return x === y;
      case '!=':
        return x !== y;
      case '<':
        return x < y;
      case '<=':
        return x <= y;
      case '>':
        return x > y;
      default:
        return x >= y;
    }
  };
}

function compileOperand(text: string): FastPath | null {
  const operand = text.trim();
  if (operand === 'true') return () => true;
  if (operand === 'false') return () => false;
  if (operand === 'null') return () => null;
  if (/^\d+(?:\.\d+)?$/.test(operand)) {
    const number = Number(operand);
    return () => number;
  }
  const string = /^"([^"\\]*)"$/.exec(operand);
  if (string) {
    const value = string[1];
    return () => value;
  }
  if (!PATH.test(operand)) return null;
  const segments = operand.split('.');
  if (segments.some((segment) => KEYWORDS.has(segment))) return null;
  return (variables) => {
    let current: unknown = variables;
    for (const segment of segments) {
      if (!isPlainObject(current) || !Object.hasOwn(current, segment)) return MISS;
      current = current[segment];
    }
    return current === undefined ? MISS : current;
  };
}
