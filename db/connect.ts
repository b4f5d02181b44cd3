import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import knexFactory, { Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { migrateToLatest } from './migrate';

const MEMORY = 'memory://';

/**
 * Postgres when a URL is given (or DATABASE_URL is set), else embedded PGlite in `dataDir`, so the platform
 * runs with no database server at all. Both speak the same SQL, so the same migrations and queries serve both.
 */
export async function openDatabase(options: { url?: string; dataDir?: string } = {}): Promise<Knex> {
  const url = options.url ?? process.env.DATABASE_URL;
  if (url) return openPostgres(url);
  const dataDir = options.dataDir ?? process.env.PGLITE_DATA_DIR ?? './data/pglite';
  if (dataDir !== MEMORY) mkdirSync(dataDir, { recursive: true });
  // knex-pglite pins the pool to a single connection itself and refuses a `pool` option.
  const knex = knexFactory({ client: ClientPgLite, connection: { filename: dataDir } });
  await knex.raw('select 1');
  return knex;
}

async function openPostgres(url: string): Promise<Knex> {
  // min 0: idle connections close, so a scratch database can be dropped once its users are done.
  const knex = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 10 } });
  await knex.raw('select 1');
  return knex;
}

/** Where the data lives, for start-up logs; never includes credentials. */
export function describeDatabase(knex: Knex): string {
  const config = knex.client.config as Knex.Config;
  if (config.client === ClientPgLite) {
    return `pglite at ${(config.connection as { filename: string }).filename}`;
  }
  // knex keeps the URL parsed into fields, which lets the password be left out.
  const { host, port, database } = config.connection as Knex.PgConnectionConfig;
  return `postgres at ${host}:${port ?? 5432}/${database}`;
}

/**
 * A migrated database of its own for one test suite, so suites can run in parallel against one Postgres
 * server: a fresh `test_<random>` database there when DATABASE_URL is set, else in-memory PGlite.
 */
export async function openScratchDatabase(): Promise<{ knex: Knex; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  let opened: { knex: Knex; drop(): Promise<void> };
  if (serverUrl) {
    const name = `test_${randomBytes(6).toString('hex')}`;
    await onServer(serverUrl, (admin) => admin.raw(`create database ${name}`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const knex = await openPostgres(url.toString());
    opened = {
      knex,
      async drop() {
        await knex.destroy();
        await onServer(serverUrl, (admin) => admin.raw(`drop database if exists ${name} with (force)`));
      },
    };
  } else {
    const knex = await openDatabase({ dataDir: MEMORY });
    opened = { knex, drop: () => knex.destroy() };
  }
  try {
    await migrateToLatest(opened.knex);
  } catch (error) {
    await opened.drop();
    throw error;
  }
  return opened;
}

async function onServer(url: string, action: (admin: Knex) => Promise<unknown>): Promise<void> {
  const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  try {
    await action(admin);
  } finally {
    await admin.destroy();
  }
}
