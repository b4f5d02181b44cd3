/**
 * Task sourcing, the way Camunda's Tasklist does it on Zeebe 8.3: one worker activates every
 * `io.camunda.zeebe:userTask` job with a long time-out and keeps it in `tasks` until a user completes it there.
 * A job activated again after its time-out keeps its row (the key is the primary key); what the inbox did to the
 * row (claim, completion, removal) is never overwritten by a later activation.
 */
import type { Knex } from 'knex';
import type { ZBClient } from 'zeebe-node';
import { USER_TASK_JOB_TYPE } from '../../processes/catalogue';
import { loadCenters, taskRowOf, type ActivatedJob } from './taskFromJob';
import type { TaskNameLookup } from './taskNames';

/** Camunda Tasklist's default: a job stays with the inbox for 30 days before the engine offers it again. */
export const TASK_JOB_TIMEOUT_MS = 30 * 24 * 60 * 60 * 1000;

export interface TaskActivationOptions {
  knex: Knex;
  zbc: ZBClient;
  names: TaskNameLookup;
  now: () => Date;
  /** Job keys known to be gone before their row was written (records seen ahead of the activation answer). */
  isGone?: (jobKey: string) => boolean;
  jobTimeoutMs?: number;
  /** Long-poll time of one ActivateJobs call; close() waits at most this long. */
  pollTimeoutMs?: number;
  workerName?: string;
  onError?: (error: unknown) => void;
}

export interface RunningTaskActivation {
  close(): Promise<void>;
}

const MAX_JOBS = 100;
const RETRY_DELAY_MS = 1000;

/** Writes one activated job into `tasks`; a row the inbox already completed or removed stays as it is. */
export async function upsertTaskFromJob(knex: Knex, row: Awaited<ReturnType<typeof taskRowOf>>): Promise<void> {
  await knex('tasks')
    .insert({ ...row, state: 'open', candidate_groups: JSON.stringify(row.candidate_groups), variables: JSON.stringify(row.variables) })
    .onConflict('job_key')
    .merge({ variables: JSON.stringify(row.variables), retries: row.retries })
    .where('tasks.state', 'open');
}

export function startTaskActivation(options: TaskActivationOptions): RunningTaskActivation {
  const { knex, zbc, names, now } = options;
  const onError = options.onError ?? ((error: unknown) => console.error('task sourcing:', error));
  let closed = false;
  let wake: (() => void) | undefined;

  async function store(job: ActivatedJob, centers: Awaited<ReturnType<typeof loadCenters>>): Promise<void> {
    if (options.isGone?.(job.key)) return;
    try {
      await upsertTaskFromJob(knex, await taskRowOf(job, names, centers, now()));
    } catch (error) {
      // Not stored means not shown for 30 days: hand the job straight back so the next poll takes it again.
      onError(error);
      await zbc.failJob({ jobKey: job.key, retries: job.retries, errorMessage: 'task inbox could not store the task', retryBackOff: RETRY_DELAY_MS }).catch(onError);
    }
  }

  const loop = (async () => {
    while (!closed) {
      try {
        const jobs = await zbc.activateJobs({
          type: USER_TASK_JOB_TYPE,
          worker: options.workerName ?? 'task-inbox',
          timeout: options.jobTimeoutMs ?? TASK_JOB_TIMEOUT_MS,
          maxJobsToActivate: MAX_JOBS,
          requestTimeout: options.pollTimeoutMs ?? 5000,
        });
        if (jobs.length === 0) continue;
        const centers = await loadCenters(knex);
        for (const job of jobs) await store(job as ActivatedJob, centers);
      } catch (error) {
        if (closed) break;
        onError(error);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, RETRY_DELAY_MS).unref();
        });
      }
    }
  })();

  return {
    async close() {
      closed = true;
      wake?.();
      // A poll in flight may still bring jobs, which must be stored; but a client closed under it never answers.
      const pollTimeoutMs = options.pollTimeoutMs ?? 5000;
      await Promise.race([loop, new Promise((resolve) => setTimeout(resolve, pollTimeoutMs + 1000).unref())]);
    },
  };
}
