/**
 * Small builders for BPMN XML in engine tests. They only save the boilerplate (namespaces, definitions,
 * sequence flows); the process body stays plain XML in the test, so what is deployed is visible there.
 * Plus a few helpers that drive processes through the gateway as an application does: deploy, start, and
 * activate and complete jobs by hand, in the order a test chooses.
 */
import type { Job, JSONDoc, ZBClient } from 'zeebe-node';
import { deployXml } from './engineHarness';

const NAMESPACES = [
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"',
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
].join(' ');

/** Escapes text for an XML attribute or element body (FEEL conditions often hold `<`, `>` or quotes). */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A complete document from root elements (processes, messages, errors, escalations). */
export function definitions(rootElements: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NAMESPACES} id="definitions" targetNamespace="http://bpmn.io/schema/bpmn">
${rootElements}
</bpmn:definitions>`;
}

/** A document with one executable process; `rootElements` go next to it (e.g. `<bpmn:message>`). */
export function processXml(processId: string, body: string, rootElements = ''): string {
  return definitions(`<bpmn:process id="${processId}" isExecutable="true">
${body}
</bpmn:process>
${rootElements}`);
}

/** A sequence flow, with an optional FEEL condition (given without escaping, e.g. `=x > 1`). */
export function flow(source: string, target: string, options: { id?: string; condition?: string } = {}): string {
  const id = options.id ?? `${source}_to_${target}`;
  if (options.condition === undefined) return `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}" />`;
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}">
  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${xmlEscape(options.condition)}</bpmn:conditionExpression>
</bpmn:sequenceFlow>`;
}

/** Sequence flows through `ids` in order: chain('a', 'b', 'c') is a -> b -> c. */
export function chain(...ids: string[]): string {
  return ids.slice(1).map((target, i) => flow(ids[i], target)).join('\n');
}

/** A service task with a job type, optional retries, extension XML (io mappings, headers) and inner XML (loops). */
export function serviceTask(id: string, jobType: string, options: { retries?: number; extensions?: string; inner?: string } = {}): string {
  const retries = options.retries === undefined ? '' : ` retries="${options.retries}"`;
  return `<bpmn:serviceTask id="${id}">
  <bpmn:extensionElements>
    <zeebe:taskDefinition type="${xmlEscape(jobType)}"${retries} />
    ${options.extensions ?? ''}
  </bpmn:extensionElements>
  ${options.inner ?? ''}
</bpmn:serviceTask>`;
}

/** `zeebe:ioMapping` from [source, target] pairs; sources are FEEL (`=...`) or static values, unescaped. */
export function ioMapping(mappings: { inputs?: [string, string][]; outputs?: [string, string][] }): string {
  const input = (mappings.inputs ?? []).map(([s, t]) => `<zeebe:input source="${xmlEscape(s)}" target="${t}" />`);
  const output = (mappings.outputs ?? []).map(([s, t]) => `<zeebe:output source="${xmlEscape(s)}" target="${t}" />`);
  return `<zeebe:ioMapping>${[...input, ...output].join('')}</zeebe:ioMapping>`;
}

/** A message with the correlation key its catch events subscribe with (an expression, e.g. `=orderId`). */
export function message(id: string, name: string, correlationKey?: string): string {
  const subscription =
    correlationKey === undefined
      ? ''
      : `<bpmn:extensionElements><zeebe:subscription correlationKey="${xmlEscape(correlationKey)}" /></bpmn:extensionElements>`;
  return `<bpmn:message id="${id}" name="${xmlEscape(name)}">${subscription}</bpmn:message>`;
}

/** A signal, for signal start, catch, boundary, throw and end events to refer to. */
export function signal(id: string, name: string): string {
  return `<bpmn:signal id="${id}" name="${xmlEscape(name)}" />`;
}

/** A script task evaluating FEEL into `resultVariable` (the engine runs it; no worker involved). */
export function scriptTask(id: string, expression: string, resultVariable: string, options: { extensions?: string; inner?: string } = {}): string {
  return `<bpmn:scriptTask id="${id}">
  <bpmn:extensionElements>
    <zeebe:script expression="${xmlEscape(expression)}" resultVariable="${resultVariable}" />
    ${options.extensions ?? ''}
  </bpmn:extensionElements>
  ${options.inner ?? ''}
</bpmn:scriptTask>`;
}

/** `bpmn:multiInstanceLoopCharacteristics` with its zeebe:loopCharacteristics, for a task's `inner` XML. */
export function multiInstance(options: {
  sequential?: boolean;
  inputCollection: string;
  inputElement?: string;
  outputCollection?: string;
  outputElement?: string;
  completionCondition?: string;
}): string {
  const attributes = [
    `inputCollection="${xmlEscape(options.inputCollection)}"`,
    options.inputElement ? `inputElement="${options.inputElement}"` : '',
    options.outputCollection ? `outputCollection="${options.outputCollection}"` : '',
    options.outputElement ? `outputElement="${xmlEscape(options.outputElement)}"` : '',
  ].join(' ');
  const condition =
    options.completionCondition === undefined
      ? ''
      : `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${xmlEscape(options.completionCondition)}</bpmn:completionCondition>`;
  return `<bpmn:multiInstanceLoopCharacteristics isSequential="${options.sequential === true}">
  <bpmn:extensionElements><zeebe:loopCharacteristics ${attributes} /></bpmn:extensionElements>
  ${condition}
</bpmn:multiInstanceLoopCharacteristics>`;
}

/** start -> one service task (job type `jobType`, element id `taskId`, default 'task') -> end. */
export function taskProcess(
  processId: string,
  jobType: string,
  task: { taskId?: string; retries?: number; extensions?: string } = {},
): string {
  const taskId = task.taskId ?? 'task';
  return processXml(
    processId,
    `<bpmn:startEvent id="start" />
${serviceTask(taskId, jobType, task)}
<bpmn:endEvent id="end" />
${chain('start', taskId, 'end')}`,
  );
}

/** Deploys a process made of `body` (and `rootElements` next to it) as the resource `<processId>.bpmn`. */
export async function deployProcess(zbc: ZBClient, processId: string, body: string, rootElements = ''): Promise<void> {
  await deployXml(zbc, `${processId}.bpmn`, processXml(processId, body, rootElements));
}

/** Starts an instance of the latest version of `processId` and returns its key. */
export async function startInstance(zbc: ZBClient, processId: string, variables: JSONDoc = {}): Promise<string> {
  const { processInstanceKey } = await zbc.createProcessInstance({ bpmnProcessId: processId, variables });
  return processInstanceKey;
}

/** Starts an instance and waits (up to 10 s) until it completed: resolves with its key and final variables. */
export function runToEnd(zbc: ZBClient, processId: string, variables: JSONDoc = {}) {
  return zbc.createProcessInstanceWithResult({ bpmnProcessId: processId, variables, requestTimeout: 10_000 });
}

/**
 * Activates jobs of a type through the gateway, waiting (long poll) until at least one is there; fails the
 * test when none comes. Tests drive jobs by hand so they decide the order in which jobs complete.
 */
export async function activateJobs(zbc: ZBClient, type: string, options: { max?: number; fetchVariable?: string[] } = {}): Promise<Job[]> {
  const jobs = await zbc.activateJobs({
    type,
    worker: 'bpmn-test',
    // Long enough that a test moving the engine clock (timers) does not time the job out under its feet.
    timeout: 24 * 60 * 60 * 1000,
    maxJobsToActivate: options.max ?? 1,
    requestTimeout: 5000,
    fetchVariable: options.fetchVariable,
  });
  if (jobs.length === 0) throw new Error(`no job of type '${type}' became activatable within 5 s`);
  return jobs;
}

/** Activates the one job of a type the test expects (it must exist or come within 5 s). */
export async function activateOne(zbc: ZBClient, type: string): Promise<Job> {
  const [job] = await activateJobs(zbc, type);
  return job;
}

/** Activates the next job of a type and completes it with `variables`; returns the job as activated. */
export async function completeNextJob(zbc: ZBClient, type: string, variables: Record<string, unknown> = {}): Promise<Job> {
  const job = await activateOne(zbc, type);
  await zbc.completeJob({ jobKey: job.key, variables });
  return job;
}

/** Activates exactly `count` jobs of a type, over as many polls as it takes (jobs may become activatable apart). */
export async function activateCount(zbc: ZBClient, type: string, count: number): Promise<Job[]> {
  const jobs: Job[] = [];
  while (jobs.length < count) jobs.push(...(await activateJobs(zbc, type, { max: count - jobs.length })));
  return jobs;
}
