/**
 * What one job worker is: the job type it serves, the variables it needs (a zod schema, checked once), and a
 * handler that turns them into an outcome. Handlers never talk to zeebe-node themselves; startJobWorkers does,
 * so every worker fails, retries and throws BPMN errors the same way.
 */
import type { Knex } from 'knex';
import type { ZBClient } from 'zeebe-node';
import type { z } from 'zod';
import type { Mailer } from '../server/mail/mailer';

/** What handlers may use; tests build it on a scratch database and the mail catcher. */
export interface WorkerContext {
  knex: Knex;
  mailer: Mailer;
  /** Wall-clock time, replaceable so due dates a worker computes follow a test's engine clock. */
  now(): Date;
  /** The client the workers run on, for handlers that start instances or publish messages; startJobWorkers sets it. */
  zbc?: ZBClient;
}

/** The parts of a job a handler may read besides its variables. */
export interface JobInfo {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  retries: number;
  customHeaders: Readonly<Record<string, string>>;
}

export type JobOutcome =
  | { kind: 'complete'; variables: Record<string, unknown> }
  /** A business outcome the model catches with an error boundary event (客户不存在, 信用不足 ...). */
  | { kind: 'bpmnError'; errorCode: string; errorMessage: string; variables: Record<string, unknown> };

export function completeWith(variables: Record<string, unknown> = {}): JobOutcome {
  return { kind: 'complete', variables };
}

export function bpmnError(errorCode: string, errorMessage: string, variables: Record<string, unknown> = {}): JobOutcome {
  return { kind: 'bpmnError', errorCode, errorMessage, variables };
}

export interface JobWorkerDefinition<Schema extends z.ZodObject = z.ZodObject> {
  type: string;
  /** The job's variables this worker reads; only these are fetched. */
  input: Schema;
  /**
   * Does the work. Must be idempotent: after a time-out or a lost answer the same job (same key) comes again,
   * so writes are keyed by the job key. Throwing is a technical failure: the job is failed with one retry
   * fewer and back-off, and becomes an incident at zero retries.
   */
  handle(input: z.infer<Schema>, job: JobInfo, context: WorkerContext): Promise<JobOutcome>;
  /** How long a job stays locked to this worker; default 30 s. */
  timeoutMs?: number;
  /** Back-off before a failed job is offered again; default 5 s. */
  retryBackOffMs?: number;
}

/** Keeps the schema's type attached to the handler's input. */
export function defineJobWorker<Schema extends z.ZodObject>(definition: JobWorkerDefinition<Schema>): JobWorkerDefinition<Schema> {
  return definition;
}

/** Lets a handler's error say it is not worth retrying (bad data, not a network hiccup): straight to an incident. */
export class PermanentJobFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobFailure';
  }
}

/**
 * The task header `name`, which the model sets to one of `choices` (a stage, a reason, a template). A model that
 * sets anything else cannot be helped by a retry: a permanent failure, naming what it got.
 */
export function headerChoice<const Choices extends readonly [string, ...string[]]>(job: JobInfo, name: string, choices: Choices): Choices[number] {
  const value = job.customHeaders[name];
  if (value !== undefined && (choices as readonly string[]).includes(value)) return value;
  const expected = choices.length === 2 ? `${choices[0]} or ${choices[1]}` : `one of ${choices.join(', ')}`;
  throw new PermanentJobFailure(`header ${name} must be ${expected}, got ${JSON.stringify(value)}`);
}
