/**
 * Small helpers for the event suites (messages, signals, timers): BPMN documents written by hand, and reading
 * the engine's exported records the way a history page would, to see what happened and in which order.
 */
import type { ZBClient } from 'zeebe-node';
import type { EngineRecord } from '../../engine/records';
import { waitFor, type TestEngine } from './engineHarness';

/** A complete BPMN document around `body` (processes) and `rootElements` (messages, signals). */
export function bpmn(body: string, rootElements = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
${rootElements}
${body}
</bpmn:definitions>`;
}

/** Sequence flows through `ids` in order, named `<from>_to_<to>`. */
export function chain(...ids: string[]): string {
  const flows: string[] = [];
  for (let i = 0; i + 1 < ids.length; i++) flows.push(flow(ids[i], ids[i + 1]));
  return flows.join('\n');
}

export function flow(from: string, to: string): string {
  return `<bpmn:sequenceFlow id="${from}_to_${to}" sourceRef="${from}" targetRef="${to}" />`;
}

/** A message with a zeebe:subscription; `correlationKey` undefined for messages of message start events. */
export function message(id: string, name: string, correlationKey?: string): string {
  const subscription =
    correlationKey === undefined
      ? ''
      : `<bpmn:extensionElements><zeebe:subscription correlationKey="${correlationKey}" /></bpmn:extensionElements>`;
  return `<bpmn:message id="${id}" name="${name}">${subscription}</bpmn:message>`;
}

export function signal(id: string, name: string): string {
  return `<bpmn:signal id="${id}" name="${name}" />`;
}

export function serviceTask(id: string, type: string, attributes = ''): string {
  return `<bpmn:serviceTask id="${id}" ${attributes}><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;
}

export function deploy(zbc: ZBClient, name: string, xml: string) {
  return zbc.deployResource({ name: `${name}.bpmn`, process: Buffer.from(xml, 'utf8') });
}

/** Record views over one test engine. */
export function recordsOf(engine: TestEngine) {
  const all = async (fromPosition = 0): Promise<EngineRecord[]> =>
    engine.records.byPositionRange(fromPosition, Number.MAX_SAFE_INTEGER);

  return {
    all,
    /** Position of the last record so far: later records have greater positions. */
    mark: () => engine.records.lastPosition(),
    /** Engine time: the timestamp of the last record (the engine's clock may have been moved). */
    async engineNow(): Promise<number> {
      const last = await engine.records.lastPosition();
      const [record] = await engine.records.byPositionRange(last, last);
      return record.timestamp;
    },
    /** Records matching `predicate`, after `fromPosition` when given. */
    async where(predicate: (r: EngineRecord) => boolean, fromPosition = 0): Promise<EngineRecord[]> {
      return (await all(fromPosition)).filter(predicate);
    },
    /** Waits until at least `count` records match and resolves with all matching ones. */
    async waitFor(
      predicate: (r: EngineRecord) => boolean,
      options: { count?: number; fromPosition?: number; description?: string } = {},
    ): Promise<EngineRecord[]> {
      const { count = 1, fromPosition = 0, description = 'records' } = options;
      return waitFor(
        async () => {
          const found = (await all(fromPosition)).filter(predicate);
          return found.length >= count ? found : undefined;
        },
        { description },
      );
    },
  };
}

export type RecordsView = ReturnType<typeof recordsOf>;

/** A predicate on PROCESS_INSTANCE records of an element (by id) and lifecycle intent. */
export function element(elementId: string, intent: string, bpmnProcessId?: string) {
  return (r: EngineRecord) =>
    r.valueType === 'PROCESS_INSTANCE' &&
    r.intent === intent &&
    r.value.elementId === elementId &&
    (bpmnProcessId === undefined || r.value.bpmnProcessId === bpmnProcessId);
}

/** Process instances of `bpmnProcessId` that were activated (by any start: command, message, signal, timer). */
export function processActivated(bpmnProcessId: string) {
  return (r: EngineRecord) =>
    r.valueType === 'PROCESS_INSTANCE' &&
    r.intent === 'ELEMENT_ACTIVATED' &&
    r.value.bpmnElementType === 'PROCESS' &&
    r.value.bpmnProcessId === bpmnProcessId;
}

export function ofType(valueType: string, intent: string) {
  return (r: EngineRecord) => r.valueType === valueType && r.intent === intent;
}

export function and(...predicates: ((r: EngineRecord) => boolean)[]) {
  return (r: EngineRecord) => predicates.every((p) => p(r));
}

export function inInstance(processInstanceKey: string) {
  return (r: EngineRecord) => r.processInstanceKey === processInstanceKey;
}

/** Activates the one job of `type` the test expects to be waiting, and fails if there is none. */
export async function activateOne(zbc: ZBClient, type: string) {
  const jobs = await zbc.activateJobs({
    type,
    worker: 'event-suite',
    timeout: 60_000,
    maxJobsToActivate: 1,
    requestTimeout: 5_000,
  });
  if (jobs.length !== 1) throw new Error(`expected one job of type ${type}, got ${jobs.length}`);
  return jobs[0];
}
