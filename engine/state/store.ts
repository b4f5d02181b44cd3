import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { runOnPostgres, runPrepared, type PreparedStatement } from '../../db/preparedStatement';
import { createStateVacuum, DEFAULT_VACUUM_AFTER_STATE_WRITES } from './stateVacuum';

/** One row of the record stream, as stored in engine_records. */
export interface RecordRow {
  position: number;
  /** int64 as a decimal string. */
  key: string;
  /** Epoch milliseconds. */
  timestamp: number;
  valueType: string;
  intent: string;
  recordType: 'EVENT' | 'COMMAND' | 'COMMAND_REJECTION';
  partitionId: number;
  processInstanceKey: string | null;
  value: Record<string, unknown>;
}

/** A write to the key/value state; `value: null` deletes the entry. */
export interface StateChange {
  kind: string;
  key: string;
  value: unknown | null;
}

export interface StoredState {
  entries: { kind: string; key: string; value: unknown }[];
  /** Position of the last committed record, 0 when there is none. */
  lastPosition: number;
}

export interface EngineStore {
  load(): Promise<StoredState>;
  /** One transaction: all records appended and all changes applied, or nothing. */
  commit(records: RecordRow[], changes: StateChange[]): Promise<void>;
  /** Waits for the store's background work; the database stays open. */
  close(): Promise<void>;
}

/*
 * Each batch travels as JSON documents, one bind parameter per table, unpacked by json_to_recordset. That
 * keeps every statement at a fixed number of parameters whatever the batch size (Postgres allows 65535) and
 * measured faster than multi-row VALUES or unnest() on both Postgres and PGlite. The jsonb column values ride
 * inside them as JSON strings and are cast with ::jsonb: letting json_to_recordset produce jsonb directly goes
 * through a much slower text round trip (about 1.6x the time per batch).
 */
const APPEND_RECORDS = `
  insert into engine_records
    (position, key, timestamp, value_type, intent, record_type, partition_id, process_instance_key, value)
  select p, k, t, vt, i, rt, pid, pik, v::jsonb
  from json_to_recordset($1::json)
    as r(p bigint, k text, t bigint, vt text, i text, rt text, pid int, pik text, v text)`;

const UPSERT_STATE = `
  insert into engine_state (kind, key, value)
  select kind, key, value::jsonb from json_to_recordset($2::json) as r(kind text, key text, value text)
  on conflict (kind, key) do update set value = excluded.value`;

const DELETE_STATE = `
  delete from engine_state s
  using json_to_recordset($3::json) as d(kind text, key text)
  where s.kind = d.kind and s.key = d.key`;

/*
 * Data-modifying CTEs run exactly once whether or not the outer query reads them, so a whole batch is one
 * statement: one round trip that is its own transaction, instead of BEGIN, three statements and COMMIT. Every
 * command of the batch waits for that commit, and so does every command that arrives meanwhile, so those saved
 * round trips come straight off each step's latency. The upserts and deletes never touch the same row (the
 * changes are reduced to the last write per key first), which is what one statement requires. It is prepared
 * once per connection: parsing and planning it was half the cost of a small batch.
 */
const WRITE_BATCH: PreparedStatement = {
  name: 'engine_write_batch',
  text: `with appended as (${APPEND_RECORDS}), upserted as (${UPSERT_STATE}), deleted as (${DELETE_STATE}) select 1`,
};
const NO_RECORDS = '[]';

/**
 * Postgres: from this many records on, a batch streams its records with COPY (about twice as fast per record as
 * the JSON route) in a transaction of its own; the small batches of a lightly loaded engine, where latency
 * matters, take the single statement.
 */
const COPY_FROM_RECORDS = 200;

export function createEngineStore(knex: Knex, options: { vacuumAfterStateWrites?: number } = {}): EngineStore {
  const canCopy = knex.client.config.client === 'pg';
  const vacuum = createStateVacuum(knex, options.vacuumAfterStateWrites ?? DEFAULT_VACUUM_AFTER_STATE_WRITES);
  return {
    async load() {
      const entries = await knex('engine_state').select('kind', 'key', 'value');
      const [{ last }] = await knex('engine_records').max({ last: 'position' });
      return { entries, lastPosition: last === null ? 0 : Number(last) };
    },

    async commit(records, changes) {
      // Postgres refuses an ON CONFLICT that touches the same row twice in one statement; the last write wins.
      const latest = new Map<string, StateChange>();
      for (const change of changes) latest.set(`${change.kind}\u0000${change.key}`, change);
      const upserts: { kind: string; key: string; value: string }[] = [];
      const deletes: { kind: string; key: string }[] = [];
      for (const { kind, key, value } of latest.values()) {
        if (value === null || value === undefined) deletes.push({ kind, key });
        else upserts.push({ kind, key, value: JSON.stringify(value) });
      }
      if (records.length === 0 && upserts.length === 0 && deletes.length === 0) return;
      const state = [JSON.stringify(upserts), JSON.stringify(deletes)];

      if (!canCopy || records.length < COPY_FROM_RECORDS) {
        await runPrepared(knex, WRITE_BATCH, [JSON.stringify(records.map(recordRow)), ...state]);
      } else {
        await knex.transaction(async (trx) => {
          const connection = (await trx.client.acquireConnection()) as PoolClient;
          await copyRecords(connection, records);
          await runOnPostgres(connection, WRITE_BATCH, [NO_RECORDS, ...state]);
        });
      }
      vacuum.noteWrites(upserts.length + deletes.length);
    },

    close: () => vacuum.close(),
  };
}

/** A record as one element of APPEND_RECORDS' JSON parameter (PGlite has no COPY FROM STDIN). */
function recordRow(r: RecordRow) {
  return {
    p: r.position,
    k: r.key,
    t: r.timestamp,
    vt: r.valueType,
    i: r.intent,
    rt: r.recordType,
    pid: r.partitionId,
    pik: r.processInstanceKey,
    v: JSON.stringify(r.value),
  };
}

/**
 * A record as one line of COPY's text format. Every field but the value is a number, a decimal key or one of
 * Zeebe's enum names, none of which holds a character COPY escapes; the value is JSON, in which JSON.stringify
 * has already escaped newlines, carriage returns and tabs, so only its backslashes need doubling.
 */
function copyLine(r: RecordRow): string {
  const value = JSON.stringify(r.value).replace(/\\/g, '\\\\');
  return `${r.position}\t${r.key}\t${r.timestamp}\t${r.valueType}\t${r.intent}\t${r.recordType}\t${r.partitionId}\t${r.processInstanceKey ?? '\\N'}\t${value}\n`;
}

/** Postgres: streams the records with COPY on the transaction's connection (see COPY_FROM_RECORDS). */
async function copyRecords(connection: PoolClient, records: RecordRow[]): Promise<void> {
  const lines = records.map(copyLine);
  const copy = connection.query(
    copyFrom('copy engine_records (position, key, timestamp, value_type, intent, record_type, partition_id, process_instance_key, value) from stdin'),
  );
  await pipeline(Readable.from([lines.join('')]), copy);
}
