/**
 * The task inbox's background work, started once by the platform: task sourcing (activating user-task jobs into
 * `tasks`), taking tasks whose job disappeared out of the inbox (from the engine's records on the embedded engine,
 * by probing the gateway on a Camunda 8 cluster), and task notification mail.
 */
import type { Knex } from 'knex';
import type { ZBClient } from 'zeebe-node';
import type { Mailer } from '../mail/mailer';
import { every, type Periodic } from '../periodic';
import { sendAssignmentMails, sendOverdueMails, sendTaskDigests, type TaskMailContext } from './taskNotifications';
import { createTaskNameLookup } from './taskNames';
import { createRecordRemoval, probeOpenTasks, type RemovalSource } from './taskRemoval';
import { startTaskActivation, TASK_JOB_TIMEOUT_MS } from './taskSourcing';

export interface TaskSourcingOptions {
  knex: Knex;
  zbc: ZBClient;
  mailer: Mailer;
  /** `records` with the embedded engine (its records are in this database), `probe` with a Camunda 8 cluster. */
  mode: RemovalSource;
  now?: () => Date;
  /** Base of the links in task mail (default http://localhost:$PORT). */
  baseUrl?: string;
  jobTimeoutMs?: number;
  pollTimeoutMs?: number;
  /** How often records are read (default 250 ms) or open tasks probed (default 5 min). */
  removalIntervalMs?: number;
  /** Default 15 minutes. */
  digestIntervalMs?: number;
  /** Assignment and overdue mail (default 1 minute). */
  mailIntervalMs?: number;
  onError?: (error: unknown) => void;
}

export interface RunningTaskSourcing {
  close(): Promise<void>;
}

export async function startTaskSourcing(options: TaskSourcingOptions): Promise<RunningTaskSourcing> {
  const { knex, zbc, mailer, mode } = options;
  const now = options.now ?? (() => new Date());
  const onError = options.onError ?? ((error: unknown) => console.error('task sourcing:', error));
  const periodic: Periodic[] = [];

  const records = mode === 'records' ? createRecordRemoval(knex) : undefined;
  // Catch up before activating: tasks that ended while the platform was down leave before anything is added.
  if (records) {
    await records.catchUp();
    periodic.push(every(options.removalIntervalMs ?? 250, () => records.catchUp(), onError));
  } else {
    periodic.push(every(options.removalIntervalMs ?? 5 * 60_000, () => probeOpenTasks(knex, zbc, now()), onError));
  }

  const activation = startTaskActivation({
    knex,
    zbc,
    names: createTaskNameLookup(knex),
    now,
    isGone: records?.isGone,
    jobTimeoutMs: options.jobTimeoutMs ?? TASK_JOB_TIMEOUT_MS,
    pollTimeoutMs: options.pollTimeoutMs,
    onError,
  });

  const mail: TaskMailContext = { knex, mailer, baseUrl: options.baseUrl ?? `http://localhost:${process.env.PORT ?? 3000}` };
  periodic.push(every(options.mailIntervalMs ?? 60_000, async () => {
    await sendAssignmentMails(mail);
    await sendOverdueMails(mail, now());
  }, onError));
  periodic.push(every(options.digestIntervalMs ?? 15 * 60_000, () => sendTaskDigests(mail, now()), onError));

  return {
    async close() {
      await activation.close();
      await Promise.all(periodic.map((p) => p.close()));
    },
  };
}

export { sendAssignmentMails, sendOverdueMails, sendTaskDigests, type TaskMailContext } from './taskNotifications';
export { createRecordRemoval, probeOpenTasks, isNotFound, type RemovalSource } from './taskRemoval';
export { TASK_JOB_TIMEOUT_MS } from './taskSourcing';
