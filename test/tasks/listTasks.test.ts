/**
 * The inbox lists: which tasks each list holds for whom, filters, sorting, paging and counts. Tasks are written
 * straight into `tasks` (what sourcing would have written), so each case controls dates and groups exactly.
 */
import type { Knex } from 'knex';
import { openScratchDatabase } from '../../db/connect';
import type { SessionUser } from '../../server/auth/sessionUser';
import { listTasks, TaskForbidden, type TaskQuery } from '../../server/tasks/taskStore';
import { insertCenters, insertTask, insertUser, type TaskFields } from './fixtures';

const NOW = new Date('2026-11-25T06:00:00Z'); // 14:00 in China
const HOUR = 3_600_000;
let database: { knex: Knex; drop(): Promise<void> };
let knex: Knex;
let gzHandler: SessionUser;
let gzLead: SessionUser;
let agent: SessionUser;
let auditor: SessionUser;

function task(fields: TaskFields): Promise<string> {
  return insertTask(knex, fields, NOW);
}

const keys: Record<string, string> = {};

beforeAll(async () => {
  database = await openScratchDatabase();
  knex = database.knex;
  await insertCenters(knex);
  gzHandler = await insertUser(knex, { username: 'gz1', roles: ['city-handler'], centers: ['gz'] });
  gzLead = await insertUser(knex, { username: 'lead-gz', roles: ['team-lead'], centers: ['gz'] });
  agent = await insertUser(knex, { username: 'agent1', roles: ['agent'], centers: ['gd'] });
  auditor = await insertUser(knex, { username: 'audit1', roles: ['auditor'], centers: [] });
  keys.overdue = await task({ groups: ['city-gz'], center: 'gz', dueInHours: -2, createdHoursAgo: 30, customerNumber: '18600000001' });
  keys.today = await task({ groups: ['city-gz'], center: 'gz', dueInHours: 3, createdHoursAgo: 5, priority: 3 });
  keys.mine = await task({ groups: ['city-gz'], center: 'gz', dueInHours: 30, createdHoursAgo: 2, assignee: 'gz1' });
  keys.otherHeld = await task({ groups: ['city-gz'], center: 'gz', dueInHours: 100, createdHoursAgo: 3, assignee: 'gz2' });
  keys.noDue = await task({ groups: ['city-gz'], center: 'gz', dueInHours: null, createdHoursAgo: 4, priority: 1 });
  keys.sz = await task({ groups: ['city-sz'], center: 'sz' });
  keys.agent = await task({ groups: ['agent'], center: 'gd', process: 'complaint', dueInHours: 200 });
  keys.done = await task({ groups: ['city-gz'], center: 'gz', state: 'completed' });
});

afterAll(async () => {
  await database?.drop();
});

const list = (user: SessionUser, query: TaskQuery) => listTasks(knex, user, query, NOW);
const keysOf = (page: { tasks: { jobKey: string }[] }) => page.tasks.map((t) => t.jobKey);

it('my groups: open tasks of my groups, soonest due first, undated last; counts per list', async () => {
  const page = await list(gzHandler, { list: 'groups' });
  expect(keysOf(page)).toEqual([keys.overdue, keys.today, keys.mine, keys.otherHeld, keys.noDue]);
  expect(page.total).toBe(5);
  expect(page.counts).toEqual({ mine: 1, groups: 5, unassigned: 3, center: 0 });
});

it('mine and unassigned', async () => {
  expect(keysOf(await list(gzHandler, { list: 'mine' }))).toEqual([keys.mine]);
  expect(keysOf(await list(gzHandler, { list: 'unassigned' }))).toEqual([keys.overdue, keys.today, keys.noDue]);
});

it('the center list is for team leads (their centers) and auditors, refused to others', async () => {
  const page = await list(gzLead, { list: 'center', sort: 'created', order: 'asc' });
  expect(keysOf(page)).toEqual([keys.overdue, keys.today, keys.noDue, keys.otherHeld, keys.mine]);
  expect(page.counts.center).toBe(5);
  expect((await list(auditor, { list: 'center' })).total).toBe(7);
  await expect(list(gzHandler, { list: 'center' })).rejects.toBeInstanceOf(TaskForbidden);
});

it('a handler never sees another city or another group', async () => {
  const page = await list(agent, { list: 'groups' });
  expect(keysOf(page)).toEqual([keys.agent]);
  expect(page.counts).toEqual({ mine: 0, groups: 1, unassigned: 1, center: 0 });
});

it('filters by due (overdue, today, week), priority, process, center, customer number and created date', async () => {
  const q = (query: Omit<TaskQuery, 'list'>) => list(gzLead, { list: 'center', ...query }).then(keysOf);
  expect(await q({ due: 'overdue' })).toEqual([keys.overdue]);
  expect(await q({ due: 'today' })).toEqual([keys.today]);
  expect(await q({ due: 'week' })).toEqual([keys.today, keys.mine, keys.otherHeld]);
  expect(await q({ priority: 3 })).toEqual([keys.today]);
  expect(await q({ customerNumber: '18600000001' })).toEqual([keys.overdue]);
  expect(await q({ process: 'complaint' })).toEqual([]);
  expect(await q({ center: 'sz' })).toEqual([]);
  expect(await q({ createdFrom: new Date(NOW.getTime() - 4.5 * HOUR), createdTo: new Date(NOW.getTime() - 2.5 * HOUR) })).toEqual([keys.otherHeld, keys.noDue]);
});

it('sorts by priority and pages', async () => {
  expect(keysOf(await list(gzLead, { list: 'center', sort: 'priority' }))[0]).toBe(keys.today);
  expect(keysOf(await list(gzLead, { list: 'center', sort: 'priority', order: 'asc' }))[0]).toBe(keys.noDue);
  const first = await list(gzHandler, { list: 'groups', pageSize: 2 });
  const second = await list(gzHandler, { list: 'groups', pageSize: 2, page: 2 });
  const third = await list(gzHandler, { list: 'groups', pageSize: 2, page: 3 });
  expect([keysOf(first), keysOf(second), keysOf(third)]).toEqual([[keys.overdue, keys.today], [keys.mine, keys.otherHeld], [keys.noDue]]);
  expect(third.total).toBe(5);
  expect((await list(gzHandler, { list: 'groups', pageSize: 10_000 })).tasks.length).toBe(5);
});
