/**
 * How a task whose job disappeared (instance cancelled, element interrupted by a boundary event, job completed or
 * errored by someone else) leaves the inbox. Two sources, chosen by where the engine runs:
 *
 * - `records` (embedded engine): JOB records of user-task jobs in engine_records, read incrementally by position.
 *   The last position read is kept in task_sourcing_position, so a restart carries on where it stopped (a record
 *   read twice removes nothing twice). TIMED_OUT is not a removal: task sourcing activates the job again under
 *   the same key and row.
 * - `probe` (Camunda 8 cluster, which exports no records to us): every open task's job is asked for periodically
 *   with UpdateJobRetries at its current retries, which changes nothing for a live job and answers NOT_FOUND for
 *   a gone one — Zeebe's gateway and the embedded engine alike. Completing or claiming a gone job answers
 *   NOT_FOUND too (see taskStore).
 */
import type { Knex } from 'knex';
import type { ZBClient } from 'zeebe-node';
import { createRecordReader } from '../../engine/records';
import { USER_TASK_JOB_TYPE } from '../../processes/catalogue';
import { removeTask, type RemovalReason } from './task';

export type RemovalSource = 'records' | 'probe';

const REMOVING_INTENTS: Record<string, RemovalReason> = {
  CANCELED: 'canceled',
  COMPLETED: 'completed-elsewhere',
  ERROR_THROWN: 'error-thrown',
};

/** gRPC status NOT_FOUND, as zeebe-node reports it (code 5, or in the message of its wrapped errors). */
export function isNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 5 || (typeof message === 'string' && /\b5 NOT_FOUND\b/.test(message));
}

const RECORD_BATCH = 5000;
const REMEMBERED_GONE_KEYS = 10_000;

export interface RecordRemoval {
  /** Reads every record committed so far and removes the tasks they end; resolves with the new position. */
  catchUp(): Promise<number>;
  /** Whether a record said the job is gone; an activation answer that arrives after it must not add the task. */
  isGone(jobKey: string): boolean;
}

export function createRecordRemoval(knex: Knex): RecordRemoval {
  const reader = createRecordReader(knex);
  const gone = new Set<string>();
  // Only this removal moves the stored position, so it is read once and then kept here.
  let position: number | undefined;

  async function storedPosition(): Promise<number> {
    const row = await knex('task_sourcing_position').where({ id: 1 }).first('position');
    if (row) return Number(row.position);
    // First start: no task has been sourced yet, so nothing before this position can concern the tasks table.
    const start = await reader.lastPosition();
    await knex('task_sourcing_position').insert({ id: 1, position: start }).onConflict('id').ignore();
    return Number((await knex('task_sourcing_position').where({ id: 1 }).first('position')).position);
  }

  function remember(jobKey: string): void {
    gone.add(jobKey);
    if (gone.size > REMEMBERED_GONE_KEYS) gone.delete(gone.values().next().value!);
  }

  return {
    isGone: (jobKey) => gone.has(jobKey),
    async catchUp() {
      position ??= await storedPosition();
      const last = await reader.lastPosition();
      while (position < last) {
        const to = Math.min(position + RECORD_BATCH, last);
        const records = await reader.byPositionRange(position + 1, to, { valueTypes: ['JOB'] });
        for (const record of records) {
          const reason = REMOVING_INTENTS[record.intent];
          if (!reason || record.value.type !== USER_TASK_JOB_TYPE) continue;
          remember(record.key);
          await removeTask(knex, record.key, reason, new Date(record.timestamp));
        }
        await knex('task_sourcing_position').where({ id: 1 }).update({ position: to });
        position = to;
      }
      return position;
    },
  };
}

/** Asks the engine for the job of every open task; removes the tasks whose job is gone. Resolves with how many. */
export async function probeOpenTasks(knex: Knex, zbc: ZBClient, now: Date, concurrency = 8): Promise<number> {
  const open: { job_key: string; retries: number }[] = await knex('tasks').where({ state: 'open' }).select('job_key', 'retries');
  let removed = 0;
  let next = 0;
  async function probeNext(): Promise<void> {
    while (next < open.length) {
      const task = open[next++]!;
      try {
        await zbc.updateJobRetries({ jobKey: task.job_key, retries: task.retries });
      } catch (error) {
        if (!isNotFound(error)) throw error;
        if (await removeTask(knex, task.job_key, 'job-not-found', now)) removed += 1;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, probeNext));
  return removed;
}
