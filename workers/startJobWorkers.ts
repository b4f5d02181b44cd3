/**
 * Registers job workers with zeebe-node, against the embedded engine or a Camunda 8 cluster alike. This is the one
 * place where a handler's outcome becomes CompleteJob, ThrowError or FailJob.
 */
import { JOB_ACTION_ACKNOWLEDGEMENT, type JSONDoc, type ZBClient, type ZBWorker, type ZeebeJob } from 'zeebe-node';
import type { z } from 'zod';
import { PermanentJobFailure, type JobInfo, type JobWorkerDefinition, type WorkerContext } from './jobWorker';

type JobActionAcknowledgement = typeof JOB_ACTION_ACKNOWLEDGEMENT;

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRY_BACK_OFF_MS = 5_000;

export interface RunningJobWorkers {
  types: string[];
  close(): Promise<void>;
}

export interface StartJobWorkersOptions {
  /** Name the engine records as the job's worker. */
  workerName?: string;
  /** Time between polls when no job came; zeebe-node's default (300 ms) is fine in production. */
  pollIntervalMs?: number;
}

export function startJobWorkers(
  zbc: ZBClient,
  definitions: readonly JobWorkerDefinition[],
  context: WorkerContext,
  options: StartJobWorkersOptions = {},
): RunningJobWorkers {
  const handlerContext: WorkerContext = { ...context, zbc: context.zbc ?? zbc };
  const workers: ZBWorker<any, any, any>[] = definitions.map((definition) =>
    zbc.createWorker({
      id: options.workerName ?? `cs-workers-${process.pid}`,
      taskType: definition.type,
      fetchVariable: Object.keys(definition.input.shape),
      timeout: definition.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxJobsToActivate: 32,
      pollInterval: options.pollIntervalMs ?? 300,
      // Our handler settles every job itself; zeebe-node must not fail a whole instance on an exception.
      failProcessOnException: false,
      loglevel: 'NONE',
      taskHandler: (job: ZeebeJob) => runJob(definition, job, handlerContext),
    }),
  );
  return {
    types: definitions.map((definition) => definition.type),
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}

async function runJob(definition: JobWorkerDefinition, job: ZeebeJob, context: WorkerContext): Promise<JobActionAcknowledgement> {
  const settle = await outcomeOf(definition, job, context);
  try {
    return await settle();
  } catch (error) {
    // The engine could not be told (it is restarting, say). zeebe-node would answer a rejected handler with a
    // FailJob it never awaits, whose rejection ends the process; the job instead becomes activatable again when
    // its time-out passes, and is run again.
    const message = error instanceof Error ? error.message : String(error);
    console.error(`workers: ${definition.type}: the outcome of job ${job.key} could not be reported; it is retried after its time-out: ${message}`);
    return JOB_ACTION_ACKNOWLEDGEMENT;
  }
}

/** Runs the handler and says which of CompleteJob, ThrowError or FailJob reports its outcome. */
async function outcomeOf(definition: JobWorkerDefinition, job: ZeebeJob, context: WorkerContext): Promise<() => Promise<JobActionAcknowledgement>> {
  const parsed = definition.input.safeParse(job.variables);
  if (!parsed.success) {
    // Wrong or missing variables do not heal by retrying: an incident at once, naming the fields, so an operator
    // can set the variables and resolve it.
    return () => job.fail({ errorMessage: `${definition.type}: invalid input variables: ${describeIssues(parsed.error)}`, retries: 0 });
  }
  try {
    const outcome = await definition.handle(parsed.data, jobInfo(job), context);
    if (outcome.kind === 'complete') return () => job.complete(outcome.variables);
    return () => job.error({ errorCode: outcome.errorCode, errorMessage: outcome.errorMessage, variables: outcome.variables as JSONDoc });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const retries = error instanceof PermanentJobFailure ? 0 : Math.max(job.retries - 1, 0);
    return () => job.fail({ errorMessage: `${definition.type}: ${message}`, retries, retryBackOff: definition.retryBackOffMs ?? DEFAULT_RETRY_BACK_OFF_MS });
  }
}

function jobInfo(job: ZeebeJob): JobInfo {
  return {
    key: job.key,
    type: job.type,
    processInstanceKey: job.processInstanceKey,
    bpmnProcessId: job.bpmnProcessId,
    elementId: job.elementId,
    retries: job.retries,
    customHeaders: job.customHeaders as Record<string, string>,
  };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(variables)'}: ${issue.message}`).join('; ');
}
