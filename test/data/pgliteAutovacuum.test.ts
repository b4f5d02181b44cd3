/**
 * PGlite has no autovacuum; the platform's stand-in vacuums and analyses the tables Postgres' autovacuum would
 * take. On a Postgres server it stays out of the way of the server's own.
 */
import ClientPgLite from 'knex-pglite';
import { openScratchDatabase } from '../../db/connect';
import { startPgliteAutovacuum } from '../../db/pgliteAutovacuum';
import type { Periodic } from '../../server/periodic';
import { waitFor } from '../support/engineHarness';

let database: Awaited<ReturnType<typeof openScratchDatabase>>;
let autovacuum: Periodic | undefined;

beforeAll(async () => {
  database = await openScratchDatabase();
  await database.knex.schema.createTable('churn', (table) => {
    table.integer('id').primary();
    table.integer('version').notNullable();
  });
  await database.knex.schema.createTable('quiet', (table) => table.integer('id').primary());
  await database.knex.raw('insert into churn select n, 0 from generate_series(1, 2000) as n');
  await database.knex.raw('insert into quiet values (1)');
  // 1,900 dead rows against 100 live ones: far past autovacuum's 50 + 20 %.
  await database.knex('churn').where('id', '>', 100).delete();
});

afterAll(async () => {
  await autovacuum?.close();
  await database?.drop();
});

interface TableStats {
  relname: string;
  vacuum_count: number;
  analyze_count: number;
  n_dead_tup: number;
}

async function stats(table: string): Promise<TableStats> {
  const { rows } = await database.knex.raw<{ rows: TableStats[] }>(
    'select relname, vacuum_count::int, analyze_count::int, n_dead_tup::int from pg_stat_user_tables where relname = ?',
    [table],
  );
  return rows[0];
}

// openScratchDatabase gives PGlite unless DATABASE_URL names a Postgres server; the other test is reported skipped.
const onPostgres = Boolean(process.env.DATABASE_URL);
const testOnPglite = onPostgres ? test.skip : test;
const testOnPostgres = onPostgres ? test : test.skip;

testOnPglite('on PGlite, vacuums and analyses a table full of dead rows and leaves a quiet one alone', async () => {
  expect(database.knex.client.config.client).toBe(ClientPgLite);
  autovacuum = startPgliteAutovacuum(database.knex, { naptimeMs: 100 });
  // PGlite publishes table statistics at most once a second, as Postgres does.
  const churn = await waitFor(async () => {
    const current = await stats('churn');
    return current.vacuum_count >= 1 ? current : undefined;
  }, { timeoutMs: 10_000, description: 'a vacuum of churn' });
  expect(churn.analyze_count).toBeGreaterThanOrEqual(1);
  expect(churn.n_dead_tup).toBe(0);
  expect(await database.knex('churn').count({ n: '*' }).first()).toEqual({ n: 100 });
  expect((await stats('quiet')).vacuum_count).toBe(0);
  await autovacuum.close();
});

testOnPostgres('on Postgres, leaves vacuuming to the server', async () => {
  expect(database.knex.client.config.client).toBe('pg');
  autovacuum = startPgliteAutovacuum(database.knex, { naptimeMs: 50 });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  // vacuum_count counts only VACUUMs someone ran; the server's own are autovacuum_count.
  expect((await stats('churn')).vacuum_count).toBe(0);
  await autovacuum.close();
});
