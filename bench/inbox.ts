/**
 * `npm run bench:inbox`: the task inbox's store with 100,000 open tasks. Goals (issue 4): p95 of the filtered,
 * sorted first page for a group user < 100 ms; p95 of claim + complete < 50 ms excluding the engine.
 *
 * The tasks are spread like a province's backlog: city tasks over the three city groups, the rest over the
 * province and national groups, a tenth assigned, due dates from two days overdue to two weeks ahead.
 * "Excluding the engine" means completeTask runs against a client whose CompleteJob resolves at once, so the
 * figure is the store's own work (checks, update, audit, work-order event) — only acceptable in a benchmark.
 *
 * Runs on a scratch database: PGlite in memory, or a fresh database on BENCH_DATABASE_URL's Postgres server.
 * BENCH_TASKS and BENCH_SAMPLES change the sizes.
 */
import type { Knex } from 'knex';
import type { ZBClient } from 'zeebe-node';
import { openScratchDatabase } from '../db/connect';
import { insertRowsWithoutIds } from '../db/bulkInsert';
import { CENTERS } from '../db/seed/centers';
import { candidateGroupsOf, type Role, type SessionUser } from '../server/auth/sessionUser';
import { claimTask, completeTask, listTasks } from '../server/tasks/taskStore';
import { percentile } from './percentile';

const TASKS = Number(process.env.BENCH_TASKS ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const NOW = new Date('2026-11-25T06:00:00Z');
const HOUR = 3_600_000;

const GROUPS: { group: string; center: string; weight: number }[] = [
  { group: 'city-gz', center: 'gz', weight: 25 },
  { group: 'city-sz', center: 'sz', weight: 20 },
  { group: 'city-fs', center: 'fs', weight: 10 },
  { group: 'agent', center: 'gd', weight: 15 },
  { group: 'backoffice', center: 'gd', weight: 12 },
  { group: 'outbound-agent', center: 'gd', weight: 6 },
  { group: 'vip-manager', center: 'gd', weight: 4 },
  { group: 'supervisor', center: 'gd', weight: 3 },
  { group: 'national-agent', center: 'cn', weight: 5 },
];
const PROCESSES = ['city-complaint', 'complaint', 'consultation', 'bill-inquiry', 'service-order', 'vip-service'];

/** Deterministic pseudo-random numbers, so runs compare. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

async function insertTasks(knex: Knex): Promise<void> {
  await knex('centers').insert(CENTERS.map((c) => ({ ...c })));
  const next = random(42);
  const totalWeight = GROUPS.reduce((sum, g) => sum + g.weight, 0);
  const pick = () => {
    let r = next() * totalWeight;
    return GROUPS.find((g) => (r -= g.weight) < 0) ?? GROUPS[0]!;
  };
  const rows = [];
  for (let i = 0; i < TASKS; i++) {
    const { group, center } = pick();
    rows.push({
      job_key: String(2251799813685248n + BigInt(i)),
      process_instance_key: String(2251799900000000n + BigInt(i)),
      bpmn_process_id: PROCESSES[Math.floor(next() * PROCESSES.length)]!,
      process_definition_key: '2251799813685249',
      element_id: 'handle',
      element_instance_key: String(2251799950000000n + BigInt(i)),
      name: '核查处理并回单',
      form_key: 'city-complaint-handle',
      candidate_groups: [group],
      assignee: next() < 0.1 ? `${group}-user-${Math.floor(next() * 20)}` : null,
      due_at: new Date(NOW.getTime() + Math.round((next() * 16 - 2) * 24) * HOUR),
      priority: 1 + Math.floor(next() * 3),
      customer_number: `186${String(Math.floor(next() * 1e8)).padStart(8, '0')}`,
      center_code: center,
      variables: { cityCode: center, description: '宽带断网，客户要求当天上门' },
      retries: 3,
      state: 'open',
      created_at: new Date(NOW.getTime() - Math.floor(next() * 30 * 24) * HOUR),
    });
  }
  await insertRowsWithoutIds(knex, 'tasks', rows);
  await knex.raw('analyze tasks');
}

function user(username: string, roles: Role[], centers: string[]): SessionUser {
  return { id: 1, username, displayName: username, email: null, roles, centers, groups: candidateGroupsOf(roles, centers), locale: 'zh-CN' };
}

async function time(run: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main(): Promise<void> {
  if (process.env.BENCH_DATABASE_URL) process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
  const database = await openScratchDatabase();
  const { knex } = database;
  const where = process.env.DATABASE_URL ? 'Postgres' : 'PGlite';
  try {
    let started = Date.now();
    await insertTasks(knex);
    console.log(`${where}: ${TASKS.toLocaleString('en')} open tasks inserted in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const handler = user('gz-handler', ['city-handler'], ['gz']);
    const lead = user('gz-lead', ['team-lead'], ['gz']);
    const queries = [
      { who: 'city-gz handler, my groups, due this week, by due date', user: handler, query: { list: 'groups', due: 'week', sort: 'due' } as const },
      { who: 'city-gz handler, unassigned, priority 3, newest first', user: handler, query: { list: 'unassigned', priority: 3, sort: 'created' } as const },
      { who: 'gz team lead, center list, overdue, by priority', user: lead, query: { list: 'center', due: 'overdue', sort: 'priority' } as const },
    ];
    const results: { figure: string; p50: number; p95: number; goal: string }[] = [];
    for (const { who, user: u, query } of queries) {
      for (let i = 0; i < 5; i++) await listTasks(knex, u, query, NOW); // warm-up
      const samples = [];
      for (let i = 0; i < SAMPLES; i++) samples.push(await time(() => listTasks(knex, u, query, NOW)));
      results.push({ figure: `first page: ${who}`, p50: percentile(samples, 50), p95: percentile(samples, 95), goal: '< 100 ms' });
    }

    const engineless = { completeJob: async () => undefined } as unknown as ZBClient;
    const open: string[] = await knex('tasks').where({ state: 'open', center_code: 'gz' }).whereNull('assignee').orderBy('job_key').limit(SAMPLES + 5).pluck('job_key');
    const samples = [];
    started = Date.now();
    for (const [i, jobKey] of open.entries()) {
      const elapsed = await time(async () => {
        await claimTask(knex, handler, jobKey, NOW);
        await completeTask(knex, engineless, handler, jobKey, { handled: true }, NOW);
      });
      if (i >= 5) samples.push(elapsed);
    }
    results.push({ figure: 'claim + complete (store only, engine excluded)', p50: percentile(samples, 50), p95: percentile(samples, 95), goal: '< 50 ms' });

    console.log(`\n| Figure (${where}, ${TASKS.toLocaleString('en')} open tasks, ${SAMPLES} samples) | p50 | p95 | Goal |`);
    console.log('| --- | --- | --- | --- |');
    for (const r of results) console.log(`| ${r.figure} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.goal} |`);
  } finally {
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
