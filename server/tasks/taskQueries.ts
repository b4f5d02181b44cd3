/** Reading the inbox: the four lists with filters, sorting, paging and per-list counts, and one task by key. */
import type { Knex } from 'knex';
import { endOfChinaDay } from '../../db/chinaTime';
import type { SessionUser } from '../auth/sessionUser';
import { toTask, type Task, type TaskRow } from './task';
import { canSee, groupsOverlap, hasCenterList, ledCenters, whereVisible } from './taskAccess';
import { TaskForbidden, TaskNotFound } from './taskErrors';

export const TASK_LISTS = ['mine', 'groups', 'unassigned', 'center'] as const;
export type TaskList = (typeof TASK_LISTS)[number];

export interface TaskQuery {
  list: TaskList;
  process?: string;
  center?: string;
  priority?: number;
  due?: 'overdue' | 'today' | 'week';
  createdFrom?: Date;
  createdTo?: Date;
  customerNumber?: string;
  sort?: 'due' | 'created' | 'priority';
  order?: 'asc' | 'desc';
  /** 1-based. */
  page?: number;
  /** Default 25, at most 100. */
  pageSize?: number;
}

export interface TaskPage {
  tasks: Task[];
  /** Tasks in the filtered list; with totalIsExact false, a lower bound ("1,000+"). */
  total: number;
  totalIsExact: boolean;
  /** Open tasks per list, without the filters: always exact. */
  counts: Record<TaskList, number>;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
/** How far past the page shown a filtered list is counted before its total becomes "more than". */
export const TOTAL_COUNT_LIMIT = 1000;
const FILTERS = ['process', 'center', 'priority', 'due', 'createdFrom', 'createdTo', 'customerNumber'] as const satisfies readonly (keyof TaskQuery)[];
const DAY_MS = 86_400_000;
/** Default direction per sort: soonest due, newest created, highest priority first. */
const DEFAULT_ORDER = { due: 'asc', created: 'desc', priority: 'desc' } as const;
const SORT_COLUMN = { due: 'due_at', created: 'created_at', priority: 'priority' } as const;

/** Centers of the 'center' list: the centers a lead oversees; every center for an auditor. */
function centerListCenters(user: SessionUser): readonly string[] | 'all' | undefined {
  if (!hasCenterList(user)) return undefined;
  const led = ledCenters(user);
  return led.length > 0 ? led : 'all';
}

function whereInList(knex: Knex, user: SessionUser, list: TaskList) {
  return (query: Knex.QueryBuilder) => {
    switch (list) {
      case 'mine':
        query.where('assignee', user.username);
        break;
      case 'groups':
        query.where(groupsOverlap(knex, user.groups));
        break;
      case 'unassigned':
        query.whereNull('assignee').where(whereVisible(knex, user));
        break;
      case 'center': {
        const centers = centerListCenters(user);
        if (centers === undefined) throw new TaskForbidden(null, 'The center list is for team leads, supervisors and auditors');
        if (centers !== 'all') query.whereIn('center_code', centers);
        break;
      }
    }
  };
}

function whereFilters(query: TaskQuery, now: Date) {
  return (q: Knex.QueryBuilder) => {
    if (query.process !== undefined) q.where('bpmn_process_id', query.process);
    if (query.center !== undefined) q.where('center_code', query.center);
    if (query.priority !== undefined) q.where('priority', query.priority);
    if (query.customerNumber !== undefined) q.where('customer_number', query.customerNumber);
    if (query.createdFrom !== undefined) q.where('created_at', '>=', query.createdFrom);
    if (query.createdTo !== undefined) q.where('created_at', '<', query.createdTo);
    if (query.due === 'overdue') q.where('due_at', '<', now);
    // Due "today" means the calendar day in China.
    if (query.due === 'today') q.where('due_at', '>=', now).where('due_at', '<', endOfChinaDay(now));
    if (query.due === 'week') q.where('due_at', '>=', now).where('due_at', '<', new Date(now.getTime() + 7 * DAY_MS));
  };
}

async function countLists(knex: Knex, user: SessionUser): Promise<Record<TaskList, number>> {
  // One pass over open_task_counts (kept by a trigger on tasks) restricted to what the user can see, summing each
  // list with its own FILTER: the same conditions as the lists themselves, on a table of a few hundred rows.
  const centers = centerListCenters(user);
  const groups = [...user.groups];
  const centerCount =
    centers === undefined ? '0' : centers === 'all' ? 'sum(open_tasks)' : 'sum(open_tasks) filter (where center_code = any(?::text[]))';
  const bindings: Knex.RawBinding[] = [user.username, groups, ...(Array.isArray(centers) ? [[...centers]] : [])];
  const [row] = await knex('open_task_counts')
    .where(whereVisible(knex, user))
    .select(
      knex.raw(
        `sum(open_tasks) filter (where assignee = ?) as mine,
         sum(open_tasks) filter (where candidate_groups \\?| ?::text[]) as groups,
         sum(open_tasks) filter (where assignee is null) as unassigned,
         ${centerCount} as center`,
        bindings,
      ),
    );
  // sum() over no rows is null.
  return { mine: Number(row.mine ?? 0), groups: Number(row.groups ?? 0), unassigned: Number(row.unassigned ?? 0), center: Number(row.center ?? 0) };
}

function isFiltered(query: TaskQuery): boolean {
  return FILTERS.some((filter) => query[filter] !== undefined);
}

/**
 * The number of tasks of a filtered list, counted no further than TOTAL_COUNT_LIMIT past the page shown: an
 * exact count of a broad filter scans most of the table, which on PGlite costs more than the page itself.
 */
async function countFiltered(knex: Knex, selection: Knex.QueryBuilder, offset: number): Promise<Pick<TaskPage, 'total' | 'totalIsExact'>> {
  const limit = offset + TOTAL_COUNT_LIMIT;
  const [{ total }] = await knex
    .count<{ total: string | number }[]>({ total: '*' })
    .from(selection.select(knex.raw('1')).limit(limit + 1).as('counted'));
  const counted = Number(total);
  return counted > limit ? { total: limit, totalIsExact: false } : { total: counted, totalIsExact: true };
}

export async function listTasks(knex: Knex, user: SessionUser, query: TaskQuery, now: Date): Promise<TaskPage> {
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(query.pageSize ?? DEFAULT_PAGE_SIZE)));
  const page = Math.max(1, Math.trunc(query.page ?? 1));
  const sort = query.sort ?? 'due';
  const order = query.order ?? DEFAULT_ORDER[sort];
  const offset = (page - 1) * pageSize;
  const selection = () => knex('tasks').where('state', 'open').where(whereInList(knex, user, query.list)).where(whereFilters(query, now));
  const [rows, counts] = await Promise.all([
    selection()
      .orderBy([
        // Undated tasks last. Only due_at has nulls: naming NULLS LAST on the others would keep a descending
        // sort from reading its index backwards.
        { column: SORT_COLUMN[sort], order, ...(sort === 'due' ? { nulls: 'last' as const } : {}) },
        { column: 'job_key', order },
      ])
      .limit(pageSize)
      .offset(offset)
      .select<TaskRow[]>('*'),
    countLists(knex, user),
  ]);
  // Unfiltered, a list's total is its count; filtered, it is counted.
  const total = isFiltered(query) ? await countFiltered(knex, selection(), offset) : { total: counts[query.list], totalIsExact: true };
  return { tasks: rows.map(toTask), ...total, counts };
}

const JOB_KEY = /^\d{1,19}$/;

/** The task's row if the user may see it; TaskNotFound otherwise, exactly as for a key that does not exist. */
export async function visibleTaskRow(knex: Knex, user: SessionUser, jobKey: string): Promise<TaskRow> {
  if (!JOB_KEY.test(jobKey)) throw new TaskNotFound(jobKey);
  const row = await knex<TaskRow>('tasks').where({ job_key: jobKey }).first();
  if (!row || !canSee(user, row)) throw new TaskNotFound(jobKey);
  return row;
}

export async function getTask(knex: Knex, user: SessionUser, jobKey: string): Promise<Task> {
  return toTask(await visibleTaskRow(knex, user, jobKey));
}
