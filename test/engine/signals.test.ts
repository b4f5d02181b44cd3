/**
 * Signals through the gateway: BroadcastSignal from zeebe-node starts signal start event processes and triggers
 * every waiting signal catch event and boundary event (1:N, unlike messages); signal end and throw events
 * broadcast from inside a process.
 */
import { activateOne, chain, completeNextJob, deployProcess, processXml, runToEnd, serviceTask, signal } from '../support/bpmn';
import { deployXml, useTestEngine } from '../support/engineHarness';
import { and, element, inInstance, ofType, processActivated, recordStream } from '../support/records';

const suite = useTestEngine();
const records = recordStream(suite);

/** signal start -> service task `${id}-work` -> end */
function signalStartProcess(id: string, signalName: string, endName = ''): string {
  return processXml(
    id,
    `<bpmn:startEvent id="bySignal"><bpmn:signalEventDefinition signalRef="${id}_sig" /></bpmn:startEvent>
    ${serviceTask('work', `${id}-work`)}
    <bpmn:endEvent id="end" name="${endName}" />
    ${chain('bySignal', 'work', 'end')}`,
    signal(`${id}_sig`, signalName),
  );
}

/** start -> signal catch -> end */
function signalCatchProcess(id: string, signalName: string): string {
  return processXml(
    id,
    `<bpmn:startEvent id="start" />
    <bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="${id}_sig" /></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    ${chain('start', 'wait', 'end')}`,
    signal(`${id}_sig`, signalName),
  );
}

const broadcasted = (signalName: string) =>
  and(ofType('SIGNAL', 'BROADCASTED'), (r) => r.value.signalName === signalName);

describe('signal start events', () => {
  test('a broadcast starts one instance of every process with a matching signal start event, with the signal variables', async () => {
    await deployXml(suite.zbc, 'sig-start-a.bpmn', signalStartProcess('sig-start-a', 'network-outage'));
    await deployXml(suite.zbc, 'sig-start-b.bpmn', signalStartProcess('sig-start-b', 'network-outage'));
    await deployXml(suite.zbc, 'sig-start-other.bpmn', signalStartProcess('sig-start-other', 'network-restored'));
    const mark = await records.mark();

    const response = await suite.zbc.broadcastSignal({ signalName: 'network-outage', variables: { region: 'Beijing', cells: 12 } });

    const [signalRecord] = await records.where(broadcasted('network-outage'), mark);
    expect(signalRecord.key).toBe(String(response.key));
    expect(signalRecord.value.variables).toEqual({ region: 'Beijing', cells: 12 });
    expect(await records.where(processActivated('sig-start-a'), mark)).toHaveLength(1);
    expect(await records.where(processActivated('sig-start-b'), mark)).toHaveLength(1);
    expect(await records.where(processActivated('sig-start-other'), mark)).toHaveLength(0);

    for (const id of ['sig-start-a', 'sig-start-b']) {
      const job = await activateOne(suite.zbc, `${id}-work`);
      expect(job.variables).toEqual({ region: 'Beijing', cells: 12 });
      await suite.zbc.completeJob({ jobKey: job.key, variables: {} });
    }
  });

  test('only the latest version of a process is started by a signal', async () => {
    await deployXml(suite.zbc, 'sig-start-versions.bpmn', signalStartProcess('sig-start-versions', 'tariff-changed'));
    const v2 = await deployXml(suite.zbc, 'sig-start-versions.bpmn', signalStartProcess('sig-start-versions', 'tariff-changed', 'v2'));
    expect(v2.deployments[0].process.version).toBe(2);
    const mark = await records.mark();

    await suite.zbc.broadcastSignal({ signalName: 'tariff-changed', variables: {} });

    const started = await records.where(processActivated('sig-start-versions'), mark);
    expect(started.map((r) => r.value.version)).toEqual([2]);
    await completeNextJob(suite.zbc, 'sig-start-versions-work');
  });
});

describe('signal catch events', () => {
  test('one broadcast triggers every instance waiting at a matching intermediate signal catch event, across processes', async () => {
    await deployXml(suite.zbc, 'sig-catch.bpmn', signalCatchProcess('sig-catch', 'shift-change'));
    await deployXml(suite.zbc, 'sig-catch-other.bpmn', signalCatchProcess('sig-catch-other', 'shift-change'));
    const results = [
      runToEnd(suite.zbc, 'sig-catch', { agent: 'a' }),
      runToEnd(suite.zbc, 'sig-catch', { agent: 'b' }),
      runToEnd(suite.zbc, 'sig-catch-other', { agent: 'c' }),
    ];
    const subscriptions = await records.waitFor(
      and(ofType('SIGNAL_SUBSCRIPTION', 'CREATED'), (r) => r.value.signalName === 'shift-change'),
      { count: 3, description: 'three signal subscriptions' },
    );
    expect(subscriptions.map((r) => r.value.catchEventId)).toEqual(['wait', 'wait', 'wait']);

    // Another signal name does nothing.
    await suite.zbc.broadcastSignal({ signalName: 'shift-changed', variables: { shift: 'late' } });
    expect(await records.where(element('wait', 'ELEMENT_COMPLETED', 'sig-catch'))).toHaveLength(0);

    await suite.zbc.broadcastSignal({ signalName: 'shift-change', variables: { shift: 'night' } });
    const done = await Promise.all(results);
    expect(done.map((d) => d.variables)).toEqual([
      { agent: 'a', shift: 'night' },
      { agent: 'b', shift: 'night' },
      { agent: 'c', shift: 'night' },
    ]);
    // Each subscription closed with its catch event.
    const deleted = await records.where(and(ofType('SIGNAL_SUBSCRIPTION', 'DELETED'), (r) => r.value.signalName === 'shift-change'));
    expect(deleted.map((r) => r.key).sort()).toEqual(subscriptions.map((r) => r.key).sort());
  });
});

describe('signal boundary events', () => {
  function boundaryProcess(id: string, interrupting: boolean): string {
    return processXml(
      id,
      `<bpmn:startEvent id="start" />
      ${serviceTask('work', `${id}-work`)}
      <bpmn:boundaryEvent id="onSignal" attachedToRef="work" cancelActivity="${interrupting}">
        <bpmn:signalEventDefinition signalRef="${id}_sig" />
      </bpmn:boundaryEvent>
      ${serviceTask('handle', `${id}-handle`)}
      <bpmn:endEvent id="end" />
      <bpmn:endEvent id="handled" />
      ${chain('start', 'work', 'end')}
      ${chain('onSignal', 'handle', 'handled')}`,
      signal(`${id}_sig`, `${id}-alarm`),
    );
  }

  test('an interrupting signal boundary event terminates the task and takes its own path', async () => {
    await deployXml(suite.zbc, 'sig-boundary-int.bpmn', boundaryProcess('sig-boundary-int', true));
    const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: 'sig-boundary-int', variables: {} });
    const [job] = await records.where(and(ofType('JOB', 'CREATED'), inInstance(processInstanceKey)));

    await suite.zbc.broadcastSignal({ signalName: 'sig-boundary-int-alarm', variables: { severity: 'major' } });

    const ofInstance = await records.where(inInstance(processInstanceKey));
    const intents = (elementId: string) =>
      ofInstance.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === elementId).map((r) => r.intent);
    expect(intents('work')).toEqual(['ELEMENT_ACTIVATING', 'ELEMENT_ACTIVATED', 'ELEMENT_TERMINATING', 'ELEMENT_TERMINATED']);
    expect(intents('onSignal')).toEqual(['ELEMENT_ACTIVATING', 'ELEMENT_ACTIVATED', 'ELEMENT_COMPLETING', 'ELEMENT_COMPLETED']);
    expect(ofInstance.filter((r) => r.valueType === 'JOB' && r.key === job.key).map((r) => r.intent)).toEqual(['CREATED', 'CANCELED']);

    const handle = await activateOne(suite.zbc, 'sig-boundary-int-handle');
    expect(handle.processInstanceKey).toBe(processInstanceKey);
    expect(handle.variables).toEqual({ severity: 'major' });
    await suite.zbc.completeJob({ jobKey: handle.key, variables: {} });
    expect(await records.where(and(element('sig-boundary-int', 'ELEMENT_COMPLETED'), inInstance(processInstanceKey)))).toHaveLength(1);
  });

  test('a non-interrupting signal boundary event fires on every broadcast while the task keeps running', async () => {
    await deployXml(suite.zbc, 'sig-boundary-non.bpmn', boundaryProcess('sig-boundary-non', false));
    const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: 'sig-boundary-non', variables: {} });

    await suite.zbc.broadcastSignal({ signalName: 'sig-boundary-non-alarm', variables: { round: 1 } });
    await suite.zbc.broadcastSignal({ signalName: 'sig-boundary-non-alarm', variables: { round: 2 } });

    const ofInstance = await records.where(inInstance(processInstanceKey));
    expect(ofInstance.filter(element('onSignal', 'ELEMENT_COMPLETED'))).toHaveLength(2);
    expect(ofInstance.filter(element('work', 'ELEMENT_TERMINATED'))).toHaveLength(0);
    expect(ofInstance.filter((r) => r.valueType === 'JOB' && r.intent === 'CREATED' && r.value.type === 'sig-boundary-non-handle')).toHaveLength(2);

    const work = await activateOne(suite.zbc, 'sig-boundary-non-work');
    expect(work.variables).toEqual({ round: 2 });
    await suite.zbc.completeJob({ jobKey: work.key, variables: {} });
    // Leaving the task closed the boundary's subscription.
    expect(await records.where(and(ofType('SIGNAL_SUBSCRIPTION', 'DELETED'), inInstance(processInstanceKey)))).toHaveLength(1);
    await suite.zbc.broadcastSignal({ signalName: 'sig-boundary-non-alarm', variables: {} });
    expect(await records.where(and(element('onSignal', 'ELEMENT_ACTIVATED'), inInstance(processInstanceKey)))).toHaveLength(2);

    for (let i = 0; i < 2; i++) await completeNextJob(suite.zbc, 'sig-boundary-non-handle');
    expect(await records.where(and(element('sig-boundary-non', 'ELEMENT_COMPLETED'), inInstance(processInstanceKey)))).toHaveLength(1);
  });
});

describe('signal throw and end events', () => {
  test('an intermediate signal throw event and a signal end event broadcast from inside a process', async () => {
    await deployXml(suite.zbc, 'sig-listener.bpmn', signalCatchProcess('sig-listener', 'ticket-closed'));
    await deployXml(suite.zbc, 'sig-report.bpmn', signalStartProcess('sig-report', 'queue-drained'));
    await deployProcess(
      suite.zbc,
      'sig-thrower',
      `<bpmn:startEvent id="start" />
      <bpmn:intermediateThrowEvent id="announce">
        <bpmn:extensionElements>
          <zeebe:ioMapping><zeebe:input source="=ticket.id" target="ticketId" /></zeebe:ioMapping>
        </bpmn:extensionElements>
        <bpmn:signalEventDefinition signalRef="closed" />
      </bpmn:intermediateThrowEvent>
      <bpmn:endEvent id="drained"><bpmn:signalEventDefinition signalRef="drained_sig" /></bpmn:endEvent>
      ${chain('start', 'announce', 'drained')}`,
      signal('closed', 'ticket-closed') + signal('drained_sig', 'queue-drained'),
    );
    const listener = runToEnd(suite.zbc, 'sig-listener');
    await records.waitFor(and(ofType('SIGNAL_SUBSCRIPTION', 'CREATED'), (r) => r.value.bpmnProcessId === 'sig-listener'));
    const mark = await records.mark();

    const { processInstanceKey } = await suite.zbc.createProcessInstance({
      bpmnProcessId: 'sig-thrower',
      variables: { ticket: { id: 'T-42', queue: 'billing' } },
    });

    // The throw event's local variables (its input mappings) travel with the signal.
    const [closed] = await records.where(broadcasted('ticket-closed'), mark);
    expect(closed.value.variables).toEqual({ ticketId: 'T-42' });
    expect((await listener).variables).toEqual({ ticketId: 'T-42' });

    const [drained] = await records.where(broadcasted('queue-drained'), mark);
    expect(drained.position).toBeGreaterThan(closed.position);
    const [reportStarted] = await records.where(processActivated('sig-report'), mark);
    expect(reportStarted.position).toBeGreaterThan(drained.position);

    const thrown = await records.where(and(ofType('PROCESS_INSTANCE', 'ELEMENT_COMPLETED'), inInstance(processInstanceKey)));
    expect(thrown.map((r) => r.value.elementId)).toEqual(['start', 'announce', 'drained', 'sig-thrower']);
    const report = await activateOne(suite.zbc, 'sig-report-work');
    expect(report.processInstanceKey).toBe(reportStarted.processInstanceKey);
    await suite.zbc.completeJob({ jobKey: report.key, variables: {} });
  });
});
