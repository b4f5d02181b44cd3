import { protocol, type PGlite } from '@electric-sql/pglite';
import type { Knex } from 'knex';
import type { PoolClient } from 'pg';
import ClientPgLite from 'knex-pglite';

/** A statement that is parsed and planned once per connection, then only bound and executed. */
export interface PreparedStatement {
  /** Unique among the prepared statements of the process: it names the statement on every connection. */
  name: string;
  /** SQL with `$1`, `$2`… placeholders. */
  text: string;
}

/**
 * Runs `statement` with text `values` as a named prepared statement on a connection of knex's pool, as its
 * own transaction. knex cannot name a statement, so a statement run through it is parsed, analysed and planned
 * anew each time; for a statement that is run hundreds of times a second (the engine's commit) that was half
 * of its cost on both Postgres and PGlite.
 */
export async function runPrepared(knex: Knex, statement: PreparedStatement, values: string[]): Promise<void> {
  // Taking the connection from knex's pool keeps the statement out of a transaction someone else has open on it.
  const connection: unknown = await knex.client.acquireConnection();
  try {
    if (knex.client.config.client === ClientPgLite) await runOnPglite(connection as PGlite, statement, values);
    else await runOnPostgres(connection as PoolClient, statement, values);
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

/** On a Postgres connection the caller holds, for instance inside its transaction. */
export async function runOnPostgres(connection: PoolClient, statement: PreparedStatement, values: string[]): Promise<void> {
  // node-postgres parses a named statement on the first run per connection and remembers that it did.
  await connection.query({ name: statement.name, text: statement.text, values });
}

/** Names already parsed, per PGlite instance. */
const parsedOnPglite = new WeakMap<PGlite, Set<string>>();

/**
 * PGlite's own query() runs each statement unnamed, in six calls into the database. Here the whole exchange is
 * one buffer of protocol messages, ending in Sync, which commits the statement's implicit transaction.
 */
async function runOnPglite(pglite: PGlite, statement: PreparedStatement, values: string[]): Promise<void> {
  const { serialize } = protocol;
  const run = (messages: Uint8Array[]) => pglite.runExclusive(() => pglite.execProtocol(Buffer.concat([...messages, serialize.sync()])));
  let parsed = parsedOnPglite.get(pglite);
  if (!parsed) parsedOnPglite.set(pglite, (parsed = new Set()));
  // Parsed on its own, so that a statement whose first run fails is still known to exist.
  if (!parsed.has(statement.name)) {
    await run([serialize.parse({ name: statement.name, text: statement.text, types: [] })]);
    parsed.add(statement.name);
  }
  await run([serialize.bind({ statement: statement.name, values }), serialize.execute({})]);
}
