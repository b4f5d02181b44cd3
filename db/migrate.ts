import path from 'node:path';
import type { Knex } from 'knex';

/**
 * Applies the pending migrations in the top-level migrations/ folder. They are TypeScript files that knex
 * `require`s, which works wherever a TypeScript require hook is active: tsx in production, @swc/jest in tests.
 */
export async function migrateToLatest(knex: Knex): Promise<void> {
  await knex.migrate.latest({
    directory: path.resolve(__dirname, '..', 'migrations'),
    loadExtensions: ['.ts'],
  });
}
