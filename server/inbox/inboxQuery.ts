/**
 * The inbox's query string (page and API alike), validated once: list, filters, sorting and paging become a
 * TaskQuery, or a message per bad parameter. Empty parameters (a GET form's blank fields) mean "not filtered".
 */
import { z } from 'zod';
import { CHINA_OFFSET_MS } from '../../db/chinaTime';
import { CENTERS } from '../../db/seed/centers';
import { PROCESSES } from '../../processes/catalogue';
import { translate, type Locale } from '../i18n';
import { MAX_PAGE_SIZE, TASK_LISTS, type TaskList, type TaskQuery } from '../tasks/taskStore';

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Midnight of a calendar day in China, or undefined for text that is no such day. */
function chinaDayStart(text: string): Date | undefined {
  if (!DATE.test(text)) return undefined;
  const utc = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(utc.getTime()) || utc.toISOString().slice(0, 10) !== text) return undefined;
  return new Date(utc.getTime() - CHINA_OFFSET_MS);
}

const blankAsMissing = (value: unknown) => (value === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsMissing, schema.optional());
const day = (message: string) => z.string().refine((text) => chinaDayStart(text) !== undefined, message);

function querySchema(locale: Locale) {
  const badValue = translate(locale, 'inbox.badValue');
  const badDate = translate(locale, 'inbox.badDate');
  const processIds = PROCESSES.map((p) => p.id) as [string, ...string[]];
  const centerCodes = CENTERS.map((c) => c.code) as [string, ...string[]];
  return z.object({
    list: optional(z.enum(TASK_LISTS, badValue)),
    process: optional(z.enum(processIds, badValue)),
    center: optional(z.enum(centerCodes, badValue)),
    priority: optional(z.coerce.number(badValue).int(badValue).min(1, badValue).max(3, badValue)),
    due: optional(z.enum(['overdue', 'today', 'week'], badValue)),
    createdFrom: optional(day(badDate)),
    createdTo: optional(day(badDate)),
    customerNumber: optional(z.string().regex(/^\d{5,20}$/, translate(locale, 'inbox.badCustomerNumber'))),
    sort: optional(z.enum(['due', 'created', 'priority'], badValue)),
    order: optional(z.enum(['asc', 'desc'], badValue)),
    page: optional(z.coerce.number(badValue).int(badValue).min(1, badValue).max(100_000, badValue)),
    pageSize: optional(z.coerce.number(badValue).int(badValue).min(1, badValue).max(MAX_PAGE_SIZE, badValue)),
  });
}

export type InboxQueryResult =
  | { ok: true; query: TaskQuery; /** The parameters as given, to fill the filter form again. */ params: Record<string, string> }
  | { ok: false; errors: Record<string, string> };

/** Reads the inbox query; `defaultList` when none is asked for. Unknown parameters (lang, flash) are ignored. */
export function parseInboxQuery(raw: Record<string, unknown>, locale: Locale, defaultList: TaskList): InboxQueryResult {
  const parsed = querySchema(locale).safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'query')] ??= issue.message;
    return { ok: false, errors };
  }
  const { createdFrom, createdTo, ...rest } = parsed.data;
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed.data)) if (value !== undefined) params[name] = String(value);
  const query: TaskQuery = {
    ...rest,
    list: rest.list ?? defaultList,
    createdFrom: createdFrom === undefined ? undefined : chinaDayStart(createdFrom),
    // The "to" day is included: everything before the next day's midnight.
    createdTo: createdTo === undefined ? undefined : new Date(chinaDayStart(createdTo)!.getTime() + DAY_MS),
  };
  return { ok: true, query, params };
}
