/**
 * Timers, driven by the engine clock (moved through the management server, like Zeebe's clock actuator) so
 * that hours pass in milliseconds: intermediate timer events (duration, date), timer boundary events
 * (interrupting, and non-interrupting with a cycle), timer start events (cycle, date), and timers cancelled
 * when their element is left.
 */
import type { EngineRecord } from '../../engine/records';
import { activateOne, chain, completeNextJob, deployProcess, message, processXml, runToEnd, serviceTask } from '../support/bpmn';
import { deployXml, useTestEngine } from '../support/engineHarness';
import { and, element, inInstance, ofType, processActivated, recordStream } from '../support/records';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const suite = useTestEngine();
const records = recordStream(suite);

function timer(kind: 'timeDuration' | 'timeDate' | 'timeCycle', expression: string): string {
  return `<bpmn:timerEventDefinition><bpmn:${kind}>${expression}</bpmn:${kind}></bpmn:timerEventDefinition>`;
}

const timerOf = (targetElementId: string, intent: string) =>
  (r: EngineRecord) => r.valueType === 'TIMER' && r.intent === intent && r.value.targetElementId === targetElementId;

/** start -> timer catch (`definition`) -> end */
function timerCatchProcess(id: string, definition: string): string {
  return processXml(
    id,
    `<bpmn:startEvent id="start" />
    <bpmn:intermediateCatchEvent id="delay">${definition}</bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    ${chain('start', 'delay', 'end')}`,
  );
}

describe('intermediate timer events', () => {
  test('a duration from a FEEL expression: the timer is due that long after activation and fires only then', async () => {
    await deployXml(suite.zbc, 'timer-duration.bpmn', timerCatchProcess('timer-duration', timer('timeDuration', '=callbackAfter')));
    const short = await suite.zbc.createProcessInstance({ bpmnProcessId: 'timer-duration', variables: { callbackAfter: 'PT30M' } });
    const long = await suite.zbc.createProcessInstance({ bpmnProcessId: 'timer-duration', variables: { callbackAfter: 'PT1H' } });

    const [shortTimer] = await records.where(and(timerOf('delay', 'CREATED'), inInstance(short.processInstanceKey)));
    const [longTimer] = await records.where(and(timerOf('delay', 'CREATED'), inInstance(long.processInstanceKey)));
    expect(shortTimer.value.dueDate).toBe(shortTimer.timestamp + 30 * MINUTE);
    expect(longTimer.value.dueDate).toBe(longTimer.timestamp + HOUR);
    expect(longTimer.value.repetitions).toBe(1);

    await suite.engine.advanceClock(31 * MINUTE);
    await records.waitFor(and(element('timer-duration', 'ELEMENT_COMPLETED'), inInstance(short.processInstanceKey)), {
      description: 'the PT30M instance to complete',
    });
    // Due dates are checked all at once: had the PT1H timer been due, it would have fired with the other.
    expect(await records.where(and(timerOf('delay', 'TRIGGERED'), inInstance(long.processInstanceKey)))).toHaveLength(0);

    await suite.engine.advanceClock(30 * MINUTE);
    await records.waitFor(and(element('timer-duration', 'ELEMENT_COMPLETED'), inInstance(long.processInstanceKey)), {
      description: 'the PT1H instance to complete',
    });
    const ofLong = await records.where(inInstance(long.processInstanceKey));
    const triggered = ofLong.find(timerOf('delay', 'TRIGGERED'))!;
    const delayCompleted = ofLong.find(element('delay', 'ELEMENT_COMPLETED'))!;
    expect(triggered.key).toBe(longTimer.key);
    expect(triggered.timestamp).toBeGreaterThanOrEqual(longTimer.value.dueDate as number);
    expect(triggered.position).toBeLessThan(delayCompleted.position);
  });

  test('a date: the timer is due at that instant', async () => {
    await deployXml(suite.zbc, 'timer-date.bpmn', timerCatchProcess('timer-date', timer('timeDate', '=date and time(callbackAt)')));
    const callbackAt = new Date(Math.ceil(((await records.engineNow()) + 2 * HOUR) / 1000) * 1000).toISOString();
    const mark = await records.mark();
    const result = runToEnd(suite.zbc, 'timer-date', { callbackAt });
    const [created] = await records.waitFor(timerOf('delay', 'CREATED'), { fromPosition: mark, description: 'the date timer' });
    expect(created.value.dueDate).toBe(Date.parse(callbackAt));

    await suite.engine.advanceClock(2 * HOUR + 1000);
    const done = await result;
    expect(done.variables).toEqual({ callbackAt });
    expect(await records.where(and(timerOf('delay', 'TRIGGERED'), inInstance(done.processInstanceKey)))).toHaveLength(1);
  });

  test('a date already in the past fires at once', async () => {
    await deployXml(suite.zbc, 'timer-date-past.bpmn', timerCatchProcess('timer-date-past', timer('timeDate', '2020-01-01T00:00:00Z')));
    const done = await suite.zbc.createProcessInstanceWithResult({ bpmnProcessId: 'timer-date-past', variables: {}, requestTimeout: 5_000 });
    expect(await records.where(and(timerOf('delay', 'TRIGGERED'), inInstance(done.processInstanceKey)))).toHaveLength(1);
  });
});

describe('timer boundary events', () => {
  function boundaryProcess(id: string, interrupting: boolean, definition: string): string {
    return processXml(
      id,
      `<bpmn:startEvent id="start" />
      ${serviceTask('work', `${id}-work`)}
      <bpmn:boundaryEvent id="onTimer" attachedToRef="work" cancelActivity="${interrupting}">${definition}</bpmn:boundaryEvent>
      ${serviceTask('escalate', `${id}-escalate`)}
      <bpmn:endEvent id="end" />
      <bpmn:endEvent id="escalated" />
      ${chain('start', 'work', 'end')}
      ${chain('onTimer', 'escalate', 'escalated')}`,
    );
  }

  test('an interrupting timer boundary event terminates the task when it fires', async () => {
    await deployXml(suite.zbc, 'timer-boundary-int.bpmn', boundaryProcess('timer-boundary-int', true, timer('timeDuration', 'PT15M')));
    const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: 'timer-boundary-int', variables: {} });
    const [job] = await records.where(and(ofType('JOB', 'CREATED'), inInstance(processInstanceKey)));

    await suite.engine.advanceClock(16 * MINUTE);
    await records.waitFor(and(element('onTimer', 'ELEMENT_COMPLETED'), inInstance(processInstanceKey)), { description: 'the boundary event' });

    const ofInstance = await records.where(inInstance(processInstanceKey));
    const intents = (elementId: string) =>
      ofInstance.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === elementId).map((r) => r.intent);
    expect(intents('work')).toEqual(['ELEMENT_ACTIVATING', 'ELEMENT_ACTIVATED', 'ELEMENT_TERMINATING', 'ELEMENT_TERMINATED']);
    expect(ofInstance.filter((r) => r.valueType === 'JOB' && r.key === job.key).map((r) => r.intent)).toEqual(['CREATED', 'CANCELED']);
    const triggered = ofInstance.find(timerOf('onTimer', 'TRIGGERED'))!;
    expect(triggered.position).toBeLessThan(ofInstance.find(element('work', 'ELEMENT_TERMINATED'))!.position);

    const escalate = await activateOne(suite.zbc, 'timer-boundary-int-escalate');
    expect(escalate.processInstanceKey).toBe(processInstanceKey);
    await suite.zbc.completeJob({ jobKey: escalate.key, variables: {} });
    expect(await records.where(and(element('timer-boundary-int', 'ELEMENT_COMPLETED'), inInstance(processInstanceKey)))).toHaveLength(1);
  });

  test('a non-interrupting cycle R3/PT10M fires three times, each time starting a path, while the task runs on', async () => {
    await deployXml(suite.zbc, 'timer-boundary-cycle.bpmn', boundaryProcess('timer-boundary-cycle', false, timer('timeCycle', 'R3/PT10M')));
    const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: 'timer-boundary-cycle', variables: {} });
    const timers = () => records.where(and(ofType('TIMER', 'CREATED'), inInstance(processInstanceKey)));
    const [first] = await timers();
    expect(first.value.dueDate).toBe(first.timestamp + 10 * MINUTE);
    expect(first.value.repetitions).toBe(3);

    for (let round = 1; round <= 3; round++) {
      await suite.engine.advanceClock(10 * MINUTE + 1000);
      await records.waitFor(and(timerOf('onTimer', 'TRIGGERED'), inInstance(processInstanceKey)), {
        count: round,
        description: `firing ${round}`,
      });
    }
    // The next timer of a cycle is created with the firing, one interval after the previous due date (not after
    // the moment it fired); after the third firing there is none.
    const created = await timers();
    expect(created.map((r) => r.value.repetitions)).toEqual([3, 2, 1]);
    for (let i = 1; i < created.length; i++) {
      expect(created[i].value.dueDate).toBe((created[i - 1].value.dueDate as number) + 10 * MINUTE);
    }

    const ofInstance = await records.where(inInstance(processInstanceKey));
    expect(ofInstance.filter(element('onTimer', 'ELEMENT_COMPLETED'))).toHaveLength(3);
    expect(ofInstance.filter((r) => r.valueType === 'JOB' && r.intent === 'CREATED' && r.value.type === 'timer-boundary-cycle-escalate')).toHaveLength(3);
    expect(ofInstance.filter(element('work', 'ELEMENT_TERMINATED'))).toHaveLength(0);

    await completeNextJob(suite.zbc, 'timer-boundary-cycle-work');
    // All three firings used up the cycle: nothing left to cancel.
    expect(await records.where(and(ofType('TIMER', 'CANCELED'), inInstance(processInstanceKey)))).toHaveLength(0);
    for (let i = 0; i < 3; i++) await completeNextJob(suite.zbc, 'timer-boundary-cycle-escalate');
    expect(await records.where(and(element('timer-boundary-cycle', 'ELEMENT_COMPLETED'), inInstance(processInstanceKey)))).toHaveLength(1);
  });

  test('a timer is cancelled when its task completes before it is due', async () => {
    await deployXml(suite.zbc, 'timer-cancel.bpmn', boundaryProcess('timer-cancel', true, timer('timeDuration', 'PT1H')));
    const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: 'timer-cancel', variables: {} });
    const [created] = await records.where(and(timerOf('onTimer', 'CREATED'), inInstance(processInstanceKey)));

    await completeNextJob(suite.zbc, 'timer-cancel-work');

    const ofInstance = await records.where(inInstance(processInstanceKey));
    const ofTimer = ofInstance.filter((r) => r.valueType === 'TIMER' && r.key === created.key);
    expect(ofTimer.map((r) => r.intent)).toEqual(['CREATED', 'CANCELED']);
    const workCompleted = ofInstance.find(element('work', 'ELEMENT_COMPLETED'))!;
    expect(ofTimer[1].position).toBeLessThan(workCompleted.position);
    expect(ofInstance.filter(element('timer-cancel', 'ELEMENT_COMPLETED'))).toHaveLength(1);

    // Its due date passing changes nothing any more. A buffered message expiring later is the witness that the
    // engine processed its due dates up to then.
    const witness = await suite.zbc.publishMessage({ name: 'timer-cancel-witness', correlationKey: 'w', timeToLive: HOUR + 30_000, variables: {} });
    await suite.engine.advanceClock(HOUR + MINUTE);
    await records.waitFor((r) => r.valueType === 'MESSAGE' && r.intent === 'EXPIRED' && r.key === String(witness.key), { description: 'the witness' });
    expect(await records.where(and(timerOf('onTimer', 'TRIGGERED'), inInstance(processInstanceKey)))).toHaveLength(0);
  });

  test('in an event-based gateway, the timer is cancelled when the message comes first', async () => {
    await deployProcess(
      suite.zbc,
      'timer-race',
      `<bpmn:startEvent id="start" />
      <bpmn:eventBasedGateway id="race" />
      <bpmn:intermediateCatchEvent id="answered"><bpmn:messageEventDefinition messageRef="answer" /></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="noAnswer">${timer('timeDuration', 'PT2M')}</bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="done" />
      <bpmn:endEvent id="timedOut" />
      ${chain('start', 'race')}
      ${chain('race', 'answered', 'done')}
      ${chain('race', 'noAnswer', 'timedOut')}`,
      message('answer', 'customer-answered', '=callId'),
    );
    const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: 'timer-race', variables: { callId: 'call-1' } });
    const [created] = await records.where(and(timerOf('noAnswer', 'CREATED'), inInstance(processInstanceKey)));

    await suite.zbc.publishMessage({ name: 'customer-answered', correlationKey: 'call-1', variables: {} });

    const ofInstance = await records.where(inInstance(processInstanceKey));
    expect(ofInstance.filter((r) => r.valueType === 'TIMER' && r.key === created.key).map((r) => r.intent)).toEqual(['CREATED', 'CANCELED']);
    expect(ofInstance.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.intent === 'ELEMENT_COMPLETED').map((r) => r.value.elementId)).toEqual([
      'start',
      'race',
      'answered',
      'done',
      'timer-race',
    ]);
  });
});

describe('timer start events', () => {
  test('a cycle starts an instance each time it is due, as the clock moves, and stops after its repetitions', async () => {
    const mark = await records.mark();
    await deployProcess(
      suite.zbc,
      'timer-start-cycle',
      `<bpmn:startEvent id="every">${timer('timeCycle', 'R3/PT1H')}</bpmn:startEvent>
      ${serviceTask('report', 'timer-start-cycle-report')}
      <bpmn:endEvent id="end" />
      ${chain('every', 'report', 'end')}`,
    );
    const started = () => records.where(processActivated('timer-start-cycle'), mark);
    const [first] = await records.where(timerOf('every', 'CREATED'), mark);
    expect(first.processInstanceKey).toBeNull();
    expect(first.value.processInstanceKey).toBe('-1');
    expect(first.value.dueDate).toBe(first.timestamp + HOUR);
    expect(await started()).toHaveLength(0);

    for (let round = 1; round <= 3; round++) {
      await suite.engine.advanceClock(HOUR + 1000);
      const instances = await records.waitFor(processActivated('timer-start-cycle'), {
        fromPosition: mark,
        count: round,
        description: `instance ${round}`,
      });
      expect(instances).toHaveLength(round);
    }
    const startedInstances = await started();
    expect(new Set(startedInstances.map((r) => r.processInstanceKey)).size).toBe(3);
    for (const instance of startedInstances) {
      expect(await records.where(and(element('every', 'ELEMENT_COMPLETED'), inInstance(instance.processInstanceKey!)))).toHaveLength(1);
    }
    // The firing that used the last repetition created no further timer.
    expect((await records.where(timerOf('every', 'CREATED'), mark)).map((r) => r.value.repetitions)).toEqual([3, 2, 1]);
    expect(await records.where(timerOf('every', 'TRIGGERED'), mark)).toHaveLength(3);
  });

  test('a new version replaces the start timer of the previous one', async () => {
    const xml = (name: string) =>
      processXml(
        'timer-start-redeploy',
        `<bpmn:startEvent id="every" name="${name}">${timer('timeCycle', 'R/PT1H')}</bpmn:startEvent>
        <bpmn:endEvent id="end" />
        ${chain('every', 'end')}`,
      );
    const mark = await records.mark();
    await deployXml(suite.zbc, 'timer-start-redeploy.bpmn', xml('v1'));
    const [v1Timer] = await records.where(timerOf('every', 'CREATED'), mark);
    await deployXml(suite.zbc, 'timer-start-redeploy.bpmn', xml('v2'));
    const timersNow = await records.where((r) => r.valueType === 'TIMER' && r.value.targetElementId === 'every', mark);
    expect(timersNow.map((r) => [r.intent, r.key === v1Timer.key])).toEqual([
      ['CREATED', true],
      ['CANCELED', true],
      ['CREATED', false],
    ]);

    await suite.engine.advanceClock(HOUR + 1000);
    const [instance] = await records.waitFor(processActivated('timer-start-redeploy'), { fromPosition: mark, description: 'an instance' });
    expect(instance.value.version).toBe(2);
  });

  test('a date starts one instance at that instant', async () => {
    const at = new Date(Math.ceil(((await records.engineNow()) + 3 * HOUR) / 1000) * 1000).toISOString();
    const mark = await records.mark();
    await deployProcess(
      suite.zbc,
      'timer-start-date',
      `<bpmn:startEvent id="at">${timer('timeDate', at)}</bpmn:startEvent>
      <bpmn:endEvent id="end" />
      ${chain('at', 'end')}`,
    );
    const [created] = await records.where(timerOf('at', 'CREATED'), mark);
    expect(created.value.dueDate).toBe(Date.parse(at));

    await suite.engine.advanceClock(2 * HOUR);
    // A witness due in between proves the clock was processed up to then without starting anything.
    await suite.zbc.publishMessage({ name: 'timer-start-date-witness', correlationKey: 'w', timeToLive: MINUTE, variables: {} });
    const [published] = await records.where((r) => r.valueType === 'MESSAGE' && r.value.name === 'timer-start-date-witness', mark);
    await suite.engine.advanceClock(2 * MINUTE);
    await records.waitFor((r) => r.valueType === 'MESSAGE' && r.intent === 'EXPIRED' && r.key === published.key, { description: 'the witness' });
    expect(await records.where(processActivated('timer-start-date'), mark)).toHaveLength(0);

    await suite.engine.advanceClock(HOUR);
    const [instance] = await records.waitFor(processActivated('timer-start-date'), { fromPosition: mark, description: 'the instance' });
    expect(await records.where(and(element('timer-start-date', 'ELEMENT_COMPLETED'), inInstance(instance.processInstanceKey!)))).toHaveLength(1);
    expect((await records.where((r) => r.valueType === 'TIMER' && r.value.targetElementId === 'at', mark)).map((r) => r.intent)).toEqual([
      'CREATED',
      'TRIGGERED',
    ]);
  });
});
