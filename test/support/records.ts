/**
 * What the engine did, read from its exported records the way the history pages read them: predicates on
 * records, the element trail of an instance, waiting until an instance's records show something, and a view of
 * the whole stream for the event suites (messages, signals, timers), whose records are not all of one instance.
 */
import type { EngineRecord } from '../../engine/records';
import { waitFor, type SuiteEngine, type TestEngine } from './engineHarness';

export type RecordPredicate = (r: EngineRecord) => boolean;

/** Records of a value type, and of one intent when given. */
export function ofType(valueType: string, intent?: string): RecordPredicate {
  return (r) => r.valueType === valueType && (intent === undefined || r.intent === intent);
}

/** PROCESS_INSTANCE records of an element (by id) and lifecycle intent, in one process when given. */
export function element(elementId: string, intent: string, bpmnProcessId?: string): RecordPredicate {
  return (r) =>
    r.valueType === 'PROCESS_INSTANCE' &&
    r.intent === intent &&
    r.value.elementId === elementId &&
    (bpmnProcessId === undefined || r.value.bpmnProcessId === bpmnProcessId);
}

/** The PROCESS_INSTANCE record of the process instance itself (not of an element in it) with this intent. */
export function processInstance(processInstanceKey: string, intent: string): RecordPredicate {
  return (r) => r.valueType === 'PROCESS_INSTANCE' && r.key === processInstanceKey && r.intent === intent;
}

/** Process instances of `bpmnProcessId` that were activated (by any start: command, message, signal, timer). */
export function processActivated(bpmnProcessId: string): RecordPredicate {
  return (r) =>
    r.valueType === 'PROCESS_INSTANCE' &&
    r.intent === 'ELEMENT_ACTIVATED' &&
    r.value.bpmnElementType === 'PROCESS' &&
    r.value.bpmnProcessId === bpmnProcessId;
}

export function inInstance(processInstanceKey: string): RecordPredicate {
  return (r) => r.processInstanceKey === processInstanceKey;
}

export function and(...predicates: RecordPredicate[]): RecordPredicate {
  return (r) => predicates.every((p) => p(r));
}

/** `elementId:intent` of the PROCESS_INSTANCE records (elements and taken sequence flows), in stream order. */
export function trail(records: EngineRecord[]): string[] {
  return records.filter((r) => r.valueType === 'PROCESS_INSTANCE').map((r) => `${r.value.elementId}:${r.intent}`);
}

/** The trail of one instance, as far as the engine has recorded it. */
export async function trailOf(engine: TestEngine, processInstanceKey: string): Promise<string[]> {
  return trail(await engine.recordsOf(processInstanceKey));
}

/** All records of the instance, once `done` holds for them (polled until then). */
export function recordsWhen(
  engine: TestEngine,
  processInstanceKey: string,
  done: (records: EngineRecord[]) => boolean,
  description: string,
): Promise<EngineRecord[]> {
  return waitFor(
    async () => {
      const records = await engine.recordsOf(processInstanceKey);
      return done(records) ? records : undefined;
    },
    { description },
  );
}

/** The instance's records that match `predicate`, once at least `count` (default 1) of them are there. */
export async function waitForRecords(
  engine: TestEngine,
  processInstanceKey: string,
  predicate: RecordPredicate,
  options: { count?: number; description?: string } = {},
): Promise<EngineRecord[]> {
  const { count = 1, description = `${count} matching record(s) in instance ${processInstanceKey}` } = options;
  const records = await recordsWhen(engine, processInstanceKey, (all) => all.filter(predicate).length >= count, description);
  return records.filter(predicate);
}

/** All records of the instance, once the instance has completed. */
export function waitForCompletion(engine: TestEngine, processInstanceKey: string): Promise<EngineRecord[]> {
  return recordsWhen(
    engine,
    processInstanceKey,
    (records) => records.some(processInstance(processInstanceKey, 'ELEMENT_COMPLETED')),
    `instance ${processInstanceKey} to complete`,
  );
}

/**
 * A view of the whole record stream of the suite's engine. It reads `suite.engine` only when used, so a suite can
 * make it at its top, before its beforeAll has started the engine.
 */
export function recordStream(suite: Pick<SuiteEngine, 'engine'>) {
  const all = async (fromPosition = 0): Promise<EngineRecord[]> =>
    suite.engine.records.byPositionRange(fromPosition, Number.MAX_SAFE_INTEGER);

  return {
    all,
    /** Position of the last record so far: later records have greater positions. */
    mark: () => suite.engine.records.lastPosition(),
    /** Engine time: the timestamp of the last record (the engine's clock may have been moved). */
    async engineNow(): Promise<number> {
      const last = await suite.engine.records.lastPosition();
      const [record] = await suite.engine.records.byPositionRange(last, last);
      return record.timestamp;
    },
    /** Records matching `predicate`, after `fromPosition` when given. */
    async where(predicate: RecordPredicate, fromPosition = 0): Promise<EngineRecord[]> {
      return (await all(fromPosition)).filter(predicate);
    },
    /** Waits until at least `count` records match and resolves with all matching ones. */
    async waitFor(
      predicate: RecordPredicate,
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

export type RecordStream = ReturnType<typeof recordStream>;
