/**
 * Drives catalogue models through the gateway the way workers and the task inbox will: deploy the files from
 * processes/, then take the job of one element of one instance and complete it (with the variables a worker or
 * form sends) or throw a BPMN error from it.
 */
import { readFileSync } from 'node:fs';
import type { Job, ZBClient } from 'zeebe-node';
import { USER_TASK_JOB_TYPE, processFile } from '../../processes/catalogue';
import { deployXml, waitFor } from '../support/engineHarness';

export async function deployModels(zbc: ZBClient, ...processIds: string[]): Promise<void> {
  for (const id of processIds) await deployXml(zbc, `${id}.bpmn`, readFileSync(processFile(id), 'utf8'));
}

export interface TakeOptions {
  /** How long to wait for the job (default 10 s). */
  timeoutMs?: number;
  /** Picks one job among several of the same element (e.g. multi-instance), by its variables. */
  match?: (job: Job) => boolean;
}

/**
 * Activates the job of `elementId` in one instance (a user task when `type` is left out). Jobs of other
 * instances or elements that come along are handed back at once, so tests do not depend on each other's leftovers.
 */
export function takeJob(zbc: ZBClient, processInstanceKey: string, elementId: string, type = USER_TASK_JOB_TYPE, options: TakeOptions = {}): Promise<Job> {
  const { timeoutMs = 10_000, match = () => true } = options;
  return waitFor(
    async () => {
      const jobs = await zbc.activateJobs({ type, worker: 'process-test', timeout: 24 * 60 * 60 * 1000, maxJobsToActivate: 20, requestTimeout: 1000 });
      const mine = jobs.find((j) => j.processInstanceKey === processInstanceKey && j.elementId === elementId && match(j));
      for (const other of jobs.filter((j) => j !== mine)) {
        await zbc.failJob({ jobKey: other.key, retries: other.retries, errorMessage: 'handed back by the test', retryBackOff: 0 });
      }
      return mine;
    },
    { timeoutMs, description: `a '${type}' job of ${elementId} in instance ${processInstanceKey}` },
  );
}

/** Takes the job of `elementId` and completes it with `variables`; resolves with the job as activated. */
export async function complete(
  zbc: ZBClient,
  processInstanceKey: string,
  elementId: string,
  variables: Record<string, unknown> = {},
  type?: string,
  options?: TakeOptions,
): Promise<Job> {
  const job = await takeJob(zbc, processInstanceKey, elementId, type, options);
  await zbc.completeJob({ jobKey: job.key, variables });
  return job;
}

/** Takes the service-task job of `elementId` and throws the BPMN error `errorCode` from it, as a worker does. */
export async function throwFrom(zbc: ZBClient, processInstanceKey: string, elementId: string, type: string, errorCode: string): Promise<Job> {
  const job = await takeJob(zbc, processInstanceKey, elementId, type);
  await zbc.throwError({ jobKey: job.key, errorCode, errorMessage: `test: ${errorCode}` });
  return job;
}

/** Engine-side time of a due date header (ms since epoch). */
export function dueDateOf(job: Job): number {
  return Date.parse(String(job.customHeaders['io.camunda.zeebe:dueDate']));
}
