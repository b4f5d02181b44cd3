import type { Knex } from 'knex';

/**
 * Every instance writes and then deletes about twenty rows of engine_state, so the table is almost all dead rows
 * unless it is vacuumed often. PGlite has no autovacuum at all, and Postgres' comes at most once a minute. The
 * dead rows made each small commit 3-4 times as slow (1 → 3.8 ms on PGlite, 0.7 → 3.2 ms on Postgres, after
 * 10,000 instances); a VACUUM every 10,000 written rows took 5 ms at the median and kept commits at 1 ms.
 */
export const DEFAULT_VACUUM_AFTER_STATE_WRITES = 10_000;

export interface StateVacuum {
  /** Counts rows written or deleted by a commit; past the threshold a VACUUM starts in the background. */
  noteWrites(rows: number): void;
  /** Waits for a VACUUM that is under way. */
  close(): Promise<void>;
}

export function createStateVacuum(knex: Knex, afterStateWrites: number): StateVacuum {
  let written = 0;
  let running: Promise<void> | undefined;
  return {
    noteWrites(rows) {
      written += rows;
      if (written < afterStateWrites || running) return;
      written = 0;
      // Not awaited: on Postgres it runs beside the commits; PGlite's one connection makes the next commit wait.
      running = knex
        .raw('vacuum engine_state')
        .then(
          () => undefined,
          (error: unknown) => console.error('engine: vacuum of engine_state failed', error),
        )
        .finally(() => (running = undefined));
    },
    async close() {
      await running;
    },
  };
}
