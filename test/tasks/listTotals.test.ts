/**
 * A list's total: exact without filters (the per-list count); with filters, counted no further than
 * TOTAL_COUNT_LIMIT past the page shown, and then shown as "1000+" with a next page — through the store, the
 * JSON API and the list page.
 */
import { listTasks, type TaskQuery } from '../../server/tasks/taskStore';
import { TOTAL_COUNT_LIMIT } from '../../server/tasks/taskQueries';
import type { SessionUser } from '../../server/auth/sessionUser';
import { accessOf, findUserByUsername, toSessionUser } from '../../server/auth/users';
import { useTestServer } from '../support/serverHarness';
import { insertTasks } from './fixtures';

const server = useTestServer({ seed: false, workers: [] });
const MANY = TOTAL_COUNT_LIMIT + 40;
const FEW = 5;
let handler: SessionUser;

beforeAll(async () => {
  const now = server.now();
  await insertTasks(server.knex, [
    ...Array.from({ length: MANY }, (_, i) => ({ groups: ['city-gz'], center: 'gz', priority: 3, dueInHours: i })),
    ...Array.from({ length: FEW }, () => ({ groups: ['city-gz'], center: 'gz', priority: 1 })),
  ], now);
  const row = (await findUserByUsername(server.knex, 'handler-gz1'))!;
  handler = toSessionUser(row, await accessOf(server.knex, row.id));
});

const list = (query: Omit<TaskQuery, 'list'>) => listTasks(server.knex, handler, { list: 'groups', ...query }, server.now());

it('an unfiltered list has its exact total, however long', async () => {
  const page = await list({});
  expect(page).toMatchObject({ total: MANY + FEW, totalIsExact: true });
  expect(page.counts.groups).toBe(MANY + FEW);
});

it('a filtered list is counted exactly up to the limit past the page shown, then as a lower bound', async () => {
  expect(await list({ priority: 1 })).toMatchObject({ total: FEW, totalIsExact: true });
  expect(await list({ priority: 3 })).toMatchObject({ total: TOTAL_COUNT_LIMIT, totalIsExact: false });
  expect(await list({ priority: 3, page: 2 })).toMatchObject({ total: TOTAL_COUNT_LIMIT + 25, totalIsExact: false });
  expect(await list({ priority: 3, page: 3 })).toMatchObject({ total: MANY, totalIsExact: true });
  const last = await list({ priority: 3, page: Math.ceil(MANY / 25) });
  expect(last.tasks).toHaveLength(MANY % 25 || 25);
});

it('the API says whether the total is exact; the page shows a lower bound with "+" and offers the next page', async () => {
  const session = await server.login('handler-gz1');
  const api = await session.get('/api/tasks?list=groups&priority=3');
  expect(api.status).toBe(200);
  expect(api.json()).toMatchObject({ total: TOTAL_COUNT_LIMIT, totalIsExact: false });

  const page = await session.get('/tasks?list=groups&priority=3');
  expect(page.status).toBe(200);
  expect(page.text).toContain(`共 ${TOTAL_COUNT_LIMIT}+ 个任务`);
  expect(page.text).toContain(`第 1 / ${TOTAL_COUNT_LIMIT / 25}+ 页`);
  expect(page.text).toMatch(/rel="next" href="[^"]*page=2/);

  const exact = await session.get('/tasks?list=groups&priority=1');
  expect(exact.text).toContain(`共 ${FEW} 个任务`);
  expect(exact.text).not.toContain('rel="next"');
});
