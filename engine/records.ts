import type { Knex } from 'knex';
import type { RecordRow } from './state/store';

/** A committed record as the history, replay and statistics pages read it. */
export interface EngineRecord extends RecordRow {}

export interface RecordReader {
  /** The instance's records in stream order, after `afterPosition` when given (for paging and live tails). */
  byProcessInstance(processInstanceKey: string, options?: { afterPosition?: number; limit?: number }): Promise<EngineRecord[]>;
  /** Records with `fromPosition <= position <= toPosition`, in stream order. */
  byPositionRange(
    fromPosition: number,
    toPosition: number,
    options?: { valueTypes?: string[]; limit?: number },
  ): Promise<EngineRecord[]>;
  /** Position of the last committed record, 0 when there is none. */
  lastPosition(): Promise<number>;
}

interface StoredRecord {
  position: string | number;
  key: string;
  timestamp: string | number;
  value_type: string;
  intent: string;
  record_type: EngineRecord['recordType'];
  partition_id: number;
  process_instance_key: string | null;
  value: Record<string, unknown>;
}

const COLUMNS = [
  'position',
  'key',
  'timestamp',
  'value_type',
  'intent',
  'record_type',
  'partition_id',
  'process_instance_key',
  'value',
];

// bigint columns arrive as strings from node-pg and as numbers from PGlite; positions and epoch milliseconds
// stay far below 2^53, so both become plain numbers.
function toRecord(row: StoredRecord): EngineRecord {
  return {
    position: Number(row.position),
    key: row.key,
    timestamp: Number(row.timestamp),
    valueType: row.value_type,
    intent: row.intent,
    recordType: row.record_type,
    partitionId: row.partition_id,
    processInstanceKey: row.process_instance_key,
    value: row.value,
  };
}

export function createRecordReader(knex: Knex): RecordReader {
  return {
    async byProcessInstance(processInstanceKey, options = {}) {
      const query = knex('engine_records')
        .select<StoredRecord[]>(COLUMNS)
        .where('process_instance_key', processInstanceKey)
        .orderBy('position');
      if (options.afterPosition !== undefined) query.where('position', '>', options.afterPosition);
      if (options.limit !== undefined) query.limit(options.limit);
      return (await query).map(toRecord);
    },

    async byPositionRange(fromPosition, toPosition, options = {}) {
      const query = knex('engine_records')
        .select<StoredRecord[]>(COLUMNS)
        .whereBetween('position', [fromPosition, toPosition])
        .orderBy('position');
      if (options.valueTypes !== undefined) query.whereIn('value_type', options.valueTypes);
      if (options.limit !== undefined) query.limit(options.limit);
      return (await query).map(toRecord);
    },

    async lastPosition() {
      const [{ last }] = await knex('engine_records').max({ last: 'position' });
      return last === null ? 0 : Number(last);
    },
  };
}
