import type { Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { every, type Periodic } from '../server/periodic';

/** Like Postgres' autovacuum_naptime. */
export const AUTOVACUUM_NAPTIME_MS = 60_000;

/**
 * Postgres runs autovacuum in worker processes; PGlite is Postgres in single-user mode, which has none, so without
 * this its tables only ever grow dead rows and its planner keeps the statistics of an empty database. Once a
 * naptime this finds the tables that autovacuum would take (by Postgres' own autovacuum settings and the table
 * statistics PGlite does keep) and vacuums or analyses them one statement at a time, so that other queries on the
 * single connection wait for one table at most. On Postgres it does nothing: the server's autovacuum is there.
 */
export function startPgliteAutovacuum(knex: Knex, options: { naptimeMs?: number } = {}): Periodic {
  if (knex.client.config.client !== ClientPgLite) return { close: async () => undefined };
  let closed = false;
  const rounds = every(
    options.naptimeMs ?? AUTOVACUUM_NAPTIME_MS,
    () => runAutovacuumRound(knex, () => closed),
    (error) => console.error('database: autovacuum round failed', error),
  );
  return {
    async close() {
      closed = true;
      await rounds.close();
    },
  };
}

interface TableDue {
  table: string;
  /** Vacuum (and analyse); otherwise analyse only. */
  vacuum: boolean;
}

/**
 * The tables past a threshold of Postgres' autovacuum (vacuum, insert-triggered vacuum, analyze), read from its
 * settings and applied to every user table.
 */
const TABLES_DUE = `
  select "table", needs_vacuum as vacuum from (
    select relname as "table",
      (n_dead_tup > current_setting('autovacuum_vacuum_threshold')::float8
                    + current_setting('autovacuum_vacuum_scale_factor')::float8 * n_live_tup
       or n_ins_since_vacuum > current_setting('autovacuum_vacuum_insert_threshold')::float8
                    + current_setting('autovacuum_vacuum_insert_scale_factor')::float8 * n_live_tup) as needs_vacuum,
      n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float8
                    + current_setting('autovacuum_analyze_scale_factor')::float8 * n_live_tup as needs_analyze
    from pg_stat_user_tables
    where schemaname = current_schema()
  ) as thresholds
  where needs_vacuum or needs_analyze`;

async function runAutovacuumRound(knex: Knex, closed: () => boolean): Promise<void> {
  const { rows } = await knex.raw<{ rows: TableDue[] }>(TABLES_DUE);
  for (const { table, vacuum } of rows) {
    if (closed()) return;
    await knex.raw(vacuum ? 'vacuum (analyze) ??' : 'analyze ??', [table]);
  }
}
