/**
 * Runs one worker through the real path: a tiny process whose only service task has the worker's job type (and
 * the task headers a model would give it), started through zeebe-node and worked by the registered worker.
 */
import type { JSONDoc, ZBClient } from 'zeebe-node';
import type { JobWorkerDefinition } from '../../workers/jobWorker';
import { deployProcess, serviceTask, startInstance, xmlEscape } from '../support/bpmn';
import type { SuitePlatform } from '../support/platformHarness';
import { and, inInstance, ofType, waitForCompletion, waitForRecords } from '../support/records';

export async function deploySingleTask(zbc: ZBClient, processId: string, jobType: string, headers: Record<string, string> = {}): Promise<void> {
  const headerXml = Object.entries(headers)
    .map(([key, value]) => `<zeebe:header key="${xmlEscape(key)}" value="${xmlEscape(value)}" />`)
    .join('');
  await deployProcess(
    zbc,
    processId,
    `<bpmn:startEvent id="start" />
${serviceTask('task', jobType, { retries: 1, extensions: headerXml ? `<zeebe:taskHeaders>${headerXml}</zeebe:taskHeaders>` : '' })}
<bpmn:endEvent id="end" />
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" /><bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />`,
  );
}

/** Starts the process and resolves with the variables the task completed with, once the instance has ended. */
export async function runToCompletion(suite: SuitePlatform, processId: string, variables: JSONDoc): Promise<{ key: string; output: Record<string, unknown> }> {
  const key = await startInstance(suite.zbc, processId, variables);
  const records = await waitForCompletion(suite.engine, key);
  const completed = records.find((r) => r.valueType === 'JOB' && r.intent === 'COMPLETED');
  return { key, output: (completed?.value.variables ?? {}) as Record<string, unknown> };
}

/** Starts the process and resolves with the error message of the incident it runs into. */
export async function runToIncident(suite: SuitePlatform, processId: string, variables: JSONDoc): Promise<string> {
  const key = await startInstance(suite.zbc, processId, variables);
  const [incident] = await waitForRecords(suite.engine, key, and(inInstance(key), ofType('INCIDENT', 'CREATED')));
  return String(incident.value.errorMessage);
}

/**
 * The worker under job type `type`, except that its first run holds the job past its (short) lock, so the engine
 * hands the same job out again: a job delivered twice. The first run does its work only after a later delivery
 * has done all of its own; runs never overlap, so the test checks idempotency and not the timing of a busy machine.
 */
export function deliveredTwice<W extends JobWorkerDefinition<any>>(worker: W, type: string): W & { runs(): number } {
  let runs = 0;
  let previous: Promise<unknown> = Promise.resolve();
  let laterRunDone!: () => void;
  const redelivered = new Promise<void>((resolve) => (laterRunDone = resolve));
  return {
    ...worker,
    type,
    timeoutMs: 400,
    async handle(input, job, context) {
      const run = ++runs;
      if (run === 1) await redelivered;
      const outcome = previous.then(() => worker.handle(input, job, context));
      previous = outcome.catch(() => undefined);
      const result = await outcome;
      if (run > 1) laterRunDone();
      return result;
    },
    runs: () => runs,
  };
}
