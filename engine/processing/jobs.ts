/**
 * Jobs: created by tasks, activated by workers (long polls and streams), completed, failed, timed out, retried.
 * Commands check every precondition before they change anything, so a rejection leaves no trace.
 */
import { EngineError, type ActivatedJobView } from '../api';
import type { ElementInstance, Job, JobState, Variables } from '../state/entities';
import type { Batch } from './batch';
import { completeElement } from './elements';
import { throwErrorEvent } from './errors';
import { raiseIncident } from './incidents';
import { jobValue, TENANT } from './recordValues';
import { setLocalVariables, visibleVariables } from './variables';

export interface PreparedJob {
  type: string;
  retries: number;
  customHeaders: Record<string, string>;
}

export function createJob(batch: Batch, instance: ElementInstance, prepared: PreparedJob): void {
  const job: Job = {
    key: batch.state.nextKey(),
    type: prepared.type,
    state: 'ACTIVATABLE',
    retries: prepared.retries,
    worker: '',
    deadline: -1,
    recurAt: -1,
    errorMessage: '',
    errorCode: '',
    customHeaders: prepared.customHeaders,
    elementId: instance.elementId,
    elementInstanceKey: instance.key,
    processInstanceKey: instance.processInstanceKey,
    processDefinitionKey: instance.processDefinitionKey,
    bpmnProcessId: instance.bpmnProcessId,
    processDefinitionVersion: instance.version,
    createdAt: batch.now,
  };
  batch.state.putJob(job);
  instance.jobKey = job.key;
  batch.state.putElement(instance);
  batch.write('JOB', 'CREATED', job.key, jobValue(job), job.processInstanceKey);
  batch.typesWithJobs.add(job.type);
}

export function cancelJobOf(batch: Batch, instance: ElementInstance): void {
  if (!instance.jobKey) return;
  const job = batch.state.jobs.get(instance.jobKey);
  delete instance.jobKey;
  if (!job) return;
  batch.state.deleteJob(job);
  batch.write('JOB', 'CANCELED', job.key, jobValue(job), job.processInstanceKey);
}

function requireJob(batch: Batch, jobKey: string, command: string, allowed: JobState[]): Job {
  const job = batch.state.jobs.get(jobKey);
  const verb = command.toLowerCase().replace('_', ' ');
  if (!job) {
    throw new EngineError(
      'NOT_FOUND',
      `Command '${command}' rejected with code 'NOT_FOUND': Expected to ${verb} job with key '${jobKey}', but no such job was found`,
    );
  }
  if (!allowed.includes(job.state)) {
    const state = job.state === 'ERROR_THROWN' ? 'ERROR_THROWN' : job.state === 'BACKOFF' ? 'FAILED' : job.state;
    throw new EngineError(
      'FAILED_PRECONDITION',
      `Command '${command}' rejected with code 'INVALID_STATE': Expected to ${verb} job with key '${jobKey}', but it is in state '${state}'`,
    );
  }
  return job;
}

const OPEN: JobState[] = ['ACTIVATABLE', 'ACTIVATED'];

function toView(batch: Batch, job: Job, fetchVariables: string[]): ActivatedJobView {
  return {
    key: job.key,
    type: job.type,
    processInstanceKey: job.processInstanceKey,
    bpmnProcessId: job.bpmnProcessId,
    processDefinitionVersion: job.processDefinitionVersion,
    processDefinitionKey: job.processDefinitionKey,
    elementId: job.elementId,
    elementInstanceKey: job.elementInstanceKey,
    customHeaders: JSON.stringify(job.customHeaders),
    worker: job.worker,
    retries: job.retries,
    deadline: job.deadline,
    variables: JSON.stringify(visibleVariables(batch, job.elementInstanceKey, fetchVariables)),
    tenantId: TENANT,
  };
}

/** Activates up to `max` activatable jobs of a type, oldest first. */
export function activateJobs(
  batch: Batch,
  request: { type: string; worker: string; timeoutMs: number; max: number; fetchVariables: string[] },
): ActivatedJobView[] {
  const keys = batch.state.activatableJobs.get(request.type);
  if (!keys || keys.size === 0) return [];
  const picked: Job[] = [];
  for (const key of keys) {
    picked.push(batch.state.jobs.get(key)!);
    if (picked.length >= request.max) break;
  }
  const views: ActivatedJobView[] = [];
  const values: Record<string, unknown>[] = [];
  for (const job of picked) {
    job.state = 'ACTIVATED';
    job.worker = request.worker;
    job.deadline = batch.now + request.timeoutMs;
    batch.state.putJob(job);
    const view = toView(batch, job, request.fetchVariables);
    views.push(view);
    values.push(jobValue(job, JSON.parse(view.variables) as Variables));
  }
  batch.write('JOB_BATCH', 'ACTIVATED', batch.state.nextKey(), {
    type: request.type,
    worker: request.worker,
    timeout: request.timeoutMs,
    maxJobsToActivate: request.max,
    jobKeys: picked.map((job) => job.key),
    jobs: values,
    truncated: false,
    tenantIds: [TENANT],
  });
  return views;
}

export function completeJob(batch: Batch, jobKey: string, variables: Variables): void {
  const job = requireJob(batch, jobKey, 'COMPLETE', OPEN);
  batch.state.deleteJob(job);
  batch.write('JOB', 'COMPLETED', job.key, jobValue(job, variables), job.processInstanceKey);
  const instance = batch.state.elements.get(job.elementInstanceKey);
  if (!instance) return;
  delete instance.jobKey;
  completeElement(batch, instance, variables);
}

export function failJob(
  batch: Batch,
  jobKey: string,
  retries: number,
  errorMessage: string,
  retryBackOffMs: number,
  variables: Variables,
): void {
  const job = requireJob(batch, jobKey, 'FAIL', OPEN);
  const instance = batch.state.elements.get(job.elementInstanceKey);
  if (instance && Object.keys(variables).length > 0) setLocalVariables(batch, instance.key, variables);
  job.retries = retries;
  job.errorMessage = errorMessage;
  job.worker = '';
  if (retries > 0 && retryBackOffMs > 0) {
    job.state = 'BACKOFF';
    job.recurAt = batch.now + retryBackOffMs;
  } else {
    job.state = retries > 0 ? 'ACTIVATABLE' : 'FAILED';
  }
  batch.state.putJob(job);
  batch.write('JOB', 'FAILED', job.key, jobValue(job), job.processInstanceKey);
  if (job.state === 'ACTIVATABLE') batch.typesWithJobs.add(job.type);
  if (job.state === 'FAILED' && instance) {
    raiseIncident(batch, instance, 'JOB_NO_RETRIES', errorMessage || 'No more retries left.', job.key);
  }
}

export function throwJobError(
  batch: Batch,
  jobKey: string,
  errorCode: string,
  errorMessage: string,
  variables: Variables,
): void {
  const job = requireJob(batch, jobKey, 'THROW_ERROR', OPEN);
  job.errorCode = errorCode;
  job.errorMessage = errorMessage;
  batch.write('JOB', 'ERROR_THROWN', job.key, jobValue(job, variables), job.processInstanceKey);
  const instance = batch.state.elements.get(job.elementInstanceKey);
  if (!instance) return batch.state.deleteJob(job);
  batch.state.deleteJob(job);
  delete instance.jobKey;
  if (throwErrorEvent(batch, instance, errorCode, errorMessage, variables)) return;
  // Not caught: the job stays, in ERROR_THROWN, until the incident is resolved.
  job.state = 'ERROR_THROWN';
  batch.state.putJob(job);
  instance.jobKey = job.key;
  batch.state.putElement(instance);
  raiseIncident(
    batch,
    instance,
    'UNHANDLED_ERROR_EVENT',
    `Expected to throw an error event with the code '${errorCode}' with message '${errorMessage}', but it was not caught. No error events are available in the scope.`,
    job.key,
  );
}

export function updateJobRetries(batch: Batch, jobKey: string, retries: number): void {
  if (retries < 1) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Command 'UPDATE_RETRIES' rejected with code 'INVALID_ARGUMENT': Expected to update retries for job with key '${jobKey}' with a positive amount of retries, but the amount given was '${retries}'`,
    );
  }
  const job = requireJob(batch, jobKey, 'UPDATE_RETRIES', ['ACTIVATABLE', 'ACTIVATED', 'FAILED', 'BACKOFF', 'ERROR_THROWN']);
  job.retries = retries;
  batch.state.putJob(job);
  batch.write('JOB', 'RETRIES_UPDATED', job.key, jobValue(job), job.processInstanceKey);
}

/** A job handed back to the pool: written under `intent`, and offered to waiting workers in this batch. */
function makeActivatable(batch: Batch, job: Job, intent: string): void {
  job.state = 'ACTIVATABLE';
  job.worker = '';
  batch.state.putJob(job);
  batch.write('JOB', intent, job.key, jobValue(job), job.processInstanceKey);
  batch.typesWithJobs.add(job.type);
}

/** Due-date follow-ups: an activation that timed out, a back-off that ended. Stale entries are ignored. */
export function timeOutJob(batch: Batch, jobKey: string): void {
  const job = batch.state.jobs.get(jobKey);
  if (job && job.state === 'ACTIVATED' && job.deadline <= batch.now) makeActivatable(batch, job, 'TIMED_OUT');
}

export function recurJob(batch: Batch, jobKey: string): void {
  const job = batch.state.jobs.get(jobKey);
  if (job && job.state === 'BACKOFF' && job.recurAt <= batch.now) makeActivatable(batch, job, 'RECURRED_AFTER_BACKOFF');
}

/** A pushed job that could not be delivered goes back to the pool. */
export function yieldJob(batch: Batch, jobKey: string): void {
  const job = batch.state.jobs.get(jobKey);
  if (job && job.state === 'ACTIVATED') makeActivatable(batch, job, 'YIELDED');
}
