/**
 * Nested scopes through the gateway: embedded sub-processes, event sub-processes (interrupting message,
 * non-interrupting timer), call activities (variable propagation both ways, output mappings, a process id
 * given by FEEL) and escalations caught by a non-interrupting boundary event.
 */
import { useTestEngine, waitFor } from '../support/engineHarness';
import { activateJobs, chain, completeNextJob, deployProcess, ioMapping, message, runToEnd, scriptTask, serviceTask, startInstance } from '../support/bpmn';
import { element, ofType, trailOf, waitForRecords } from '../support/records';

const suite = useTestEngine();

describe('embedded sub-process', () => {
  it('runs its children inside its own scope and completes before the flow goes on', async () => {
    const id = 'embedded-sub';
    await deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart" />
        ${serviceTask('inner', 'embedded-sub-inner')}
        <bpmn:endEvent id="subEnd" />
        ${chain('subStart', 'inner', 'subEnd')}
      </bpmn:subProcess>
      ${scriptTask('after', '=innerResult + 1', 'afterResult')}
      <bpmn:endEvent id="end" />
      ${chain('start', 'sub', 'after', 'end')}`,
    );
    const finished = runToEnd(suite.zbc, id);
    const job = await completeNextJob(suite.zbc, 'embedded-sub-inner', { innerResult: 41 });
    const result = await finished;
    expect(result.variables).toEqual({ innerResult: 41, afterResult: 42 });

    const records = await suite.engine.recordsOf(result.processInstanceKey);
    const elements = records.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.intent === 'ELEMENT_ACTIVATED');
    const sub = elements.find((r) => r.value.elementId === 'sub')!;
    // The children's flow scope is the sub-process instance, whose own flow scope is the process instance.
    expect(sub.value.flowScopeKey).toBe(result.processInstanceKey);
    expect(elements.find((r) => r.value.elementId === 'inner')!.key).toBe(job.elementInstanceKey);
    for (const child of ['subStart', 'inner', 'subEnd']) {
      expect(elements.find((r) => r.value.elementId === child)!.value.flowScopeKey).toBe(sub.key);
    }
    const entries = await trailOf(suite.engine, result.processInstanceKey);
    const at = (entry: string) => entries.indexOf(entry);
    expect(at('sub:ELEMENT_ACTIVATED')).toBeLessThan(at('subStart:ELEMENT_ACTIVATING'));
    expect(at('subEnd:ELEMENT_COMPLETED')).toBeLessThan(at('sub:ELEMENT_COMPLETING'));
    expect(at('sub:ELEMENT_COMPLETED')).toBeLessThan(at('after:ELEMENT_ACTIVATING'));
  });
});

describe('event sub-process', () => {
  it('interrupting (message): terminates the running flow and completes the process through the event sub-process', async () => {
    const id = 'esp-interrupting';
    await deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      ${serviceTask('work', 'esp-interrupting-work')}
      <bpmn:endEvent id="end" />
      ${chain('start', 'work', 'end')}
      <bpmn:subProcess id="onCancel" triggeredByEvent="true">
        <bpmn:startEvent id="cancelStart" isInterrupting="true">
          <bpmn:messageEventDefinition messageRef="cancelMessage" />
        </bpmn:startEvent>
        ${scriptTask('markCancelled', '="cancelled because " + reason', 'state')}
        <bpmn:endEvent id="cancelEnd" />
        ${chain('cancelStart', 'markCancelled', 'cancelEnd')}
      </bpmn:subProcess>`,
      message('cancelMessage', 'cancel-order', '=orderId'),
    );
    const finished = runToEnd(suite.zbc, id, { orderId: 'esp-1' });
    const [job] = await activateJobs(suite.zbc, 'esp-interrupting-work');
    await suite.zbc.publishMessage({ name: 'cancel-order', correlationKey: 'esp-1', variables: { reason: 'customer' }, timeToLive: 0 });
    const result = await finished;
    expect(result.variables).toEqual({ orderId: 'esp-1', reason: 'customer', state: 'cancelled because customer' });

    const entries = await trailOf(suite.engine, result.processInstanceKey);
    expect(entries).toContain('work:ELEMENT_TERMINATED');
    expect(entries).not.toContain('end:ELEMENT_ACTIVATING');
    expect(entries.indexOf('work:ELEMENT_TERMINATED')).toBeLessThan(entries.indexOf('onCancel:ELEMENT_ACTIVATING'));
    expect(entries[entries.length - 1]).toBe(`${id}:ELEMENT_COMPLETED`);
    // The job went with its task.
    await expect(suite.zbc.completeJob({ jobKey: job.key, variables: {} })).rejects.toThrow(/NOT_FOUND/);
  });

  it('non-interrupting (timer): runs next to the flow, and the process waits for both', async () => {
    const id = 'esp-non-interrupting';
    await deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      ${serviceTask('work', 'esp-ni-work')}
      <bpmn:endEvent id="end" />
      ${chain('start', 'work', 'end')}
      <bpmn:subProcess id="reminder" triggeredByEvent="true">
        <bpmn:startEvent id="reminderStart" isInterrupting="false">
          <bpmn:timerEventDefinition><bpmn:timeDuration>PT10M</bpmn:timeDuration></bpmn:timerEventDefinition>
        </bpmn:startEvent>
        ${serviceTask('remind', 'esp-ni-remind')}
        <bpmn:endEvent id="reminderEnd" />
        ${chain('reminderStart', 'remind', 'reminderEnd')}
      </bpmn:subProcess>`,
    );
    const finished = runToEnd(suite.zbc, id);
    const [work] = await activateJobs(suite.zbc, 'esp-ni-work');
    const processInstanceKey = work.processInstanceKey;
    await waitForRecords(suite.engine, processInstanceKey, ofType('TIMER', 'CREATED'));

    await suite.engine.advanceClock(10 * 60 * 1000 + 1000);
    const [remind] = await activateJobs(suite.zbc, 'esp-ni-remind');
    expect(remind.processInstanceKey).toBe(processInstanceKey);

    // The main flow was not interrupted: its job completes normally and reaches the end event ...
    await suite.zbc.completeJob({ jobKey: work.key, variables: { worked: true } });
    await waitForRecords(suite.engine, processInstanceKey, element('end', 'ELEMENT_COMPLETED'));
    // ... but the process stays active while the event sub-process runs.
    expect(await trailOf(suite.engine, processInstanceKey)).not.toContain(`${id}:ELEMENT_COMPLETING`);

    await suite.zbc.completeJob({ jobKey: remind.key, variables: { reminded: true } });
    const result = await finished;
    expect(result.variables).toEqual({ worked: true, reminded: true });
    const entries = await trailOf(suite.engine, processInstanceKey);
    expect(entries).not.toContain('work:ELEMENT_TERMINATED');
    expect(entries.indexOf('reminder:ELEMENT_COMPLETED')).toBeLessThan(entries.indexOf(`${id}:ELEMENT_COMPLETED`));
  });

  it('inside an embedded sub-process: interrupts only that sub-process, which then completes and the flow goes on', async () => {
    const id = 'esp-in-sub';
    await deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      ${serviceTask('outside', 'esp-in-sub-outside')}
      <bpmn:endEvent id="outsideEnd" />
      <bpmn:parallelGateway id="fork" />
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart" />
        ${serviceTask('inside', 'esp-in-sub-inside')}
        <bpmn:endEvent id="subEnd" />
        ${chain('subStart', 'inside', 'subEnd')}
        <bpmn:subProcess id="abort" triggeredByEvent="true">
          <bpmn:startEvent id="abortStart" isInterrupting="true">
            <bpmn:messageEventDefinition messageRef="abortMessage" />
          </bpmn:startEvent>
          <bpmn:endEvent id="abortEnd" />
          ${chain('abortStart', 'abortEnd')}
        </bpmn:subProcess>
      </bpmn:subProcess>
      ${scriptTask('after', '="after sub"', 'state')}
      <bpmn:endEvent id="end" />
      ${chain('start', 'fork', 'sub', 'after', 'end')}
      ${chain('fork', 'outside', 'outsideEnd')}`,
      message('abortMessage', 'abort-sub', '=key'),
    );
    const finished = runToEnd(suite.zbc, id, { key: 'esp-in-sub-1' });
    const [inside] = await activateJobs(suite.zbc, 'esp-in-sub-inside');
    const [outside] = await activateJobs(suite.zbc, 'esp-in-sub-outside');
    await suite.zbc.publishMessage({ name: 'abort-sub', correlationKey: 'esp-in-sub-1', variables: {}, timeToLive: 0 });

    // The sub-process completes through its event sub-process and the flow after it runs ...
    await waitForRecords(suite.engine, inside.processInstanceKey, element('after', 'ELEMENT_COMPLETED'));
    const entries = await trailOf(suite.engine, inside.processInstanceKey);
    expect(entries).toContain('inside:ELEMENT_TERMINATED');
    expect(entries).toContain('sub:ELEMENT_COMPLETED');
    expect(entries).not.toContain('outside:ELEMENT_TERMINATED');
    // ... while the branch outside the sub-process was not touched and still holds the process open.
    await suite.zbc.completeJob({ jobKey: outside.key, variables: {} });
    const result = await finished;
    expect(result.variables).toEqual({ key: 'esp-in-sub-1', state: 'after sub' });
  });
});

describe('call activity', () => {
  const child = 'ca-child';

  beforeAll(() =>
    deployProcess(
      suite.zbc,
      child,
      `<bpmn:startEvent id="start" />
      ${serviceTask('childWork', 'ca-child-work')}
      <bpmn:endEvent id="end" />
      ${chain('start', 'childWork', 'end')}`,
    ),
  );

  async function deployParent(id: string, calledElement: string, extensions = ''): Promise<void> {
    await deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      <bpmn:callActivity id="call">
        <bpmn:extensionElements>${calledElement}${extensions}</bpmn:extensionElements>
      </bpmn:callActivity>
      <bpmn:endEvent id="end" />
      ${chain('start', 'call', 'end')}`,
    );
  }

  it('passes the parent variables down and, by default, all child variables back up', async () => {
    const id = 'ca-default';
    await deployParent(id, `<zeebe:calledElement processId="${child}" />`);
    const finished = runToEnd(suite.zbc, id, { orderId: 'A1' });
    const job = await completeNextJob(suite.zbc, 'ca-child-work', { childResult: 'ok' });
    expect(job.variables).toEqual({ orderId: 'A1' });
    expect(job.bpmnProcessId).toBe(child);
    const result = await finished;
    expect(result.variables).toEqual({ orderId: 'A1', childResult: 'ok' });

    // The child is its own process instance, linked to the call activity that started it.
    const parentRecords = await suite.engine.recordsOf(result.processInstanceKey);
    const call = parentRecords.find((r) => r.value.elementId === 'call' && r.intent === 'ELEMENT_ACTIVATED')!;
    const childRecords = await suite.engine.recordsOf(job.processInstanceKey);
    const childProcess = childRecords.find((r) => r.value.elementId === child && r.intent === 'ELEMENT_ACTIVATED')!;
    expect(job.processInstanceKey).not.toBe(result.processInstanceKey);
    expect(childProcess.value).toMatchObject({ parentProcessInstanceKey: result.processInstanceKey, parentElementInstanceKey: call.key });
  });

  it('with propagateAllChildVariables="false" and no output mappings, hands nothing back', async () => {
    const id = 'ca-no-propagation';
    await deployParent(id, `<zeebe:calledElement processId="${child}" propagateAllChildVariables="false" />`);
    const finished = runToEnd(suite.zbc, id, { orderId: 'A2' });
    await completeNextJob(suite.zbc, 'ca-child-work', { childResult: 'ok' });
    const result = await finished;
    expect(result.variables).toEqual({ orderId: 'A2' });
  });

  it.each([
    ['false', 'ca-mapped-only'],
    ['true', 'ca-mapped-propagating'],
  ])('with propagateAllChildVariables="%s" and output mappings, hands back only the mapped variables', async (propagate, id) => {
    await deployParent(
      id,
      `<zeebe:calledElement processId="${child}" propagateAllChildVariables="${propagate}" />`,
      ioMapping({ outputs: [['=childResult', 'mappedResult']] }),
    );
    const finished = runToEnd(suite.zbc, id, { orderId: 'A3' });
    await completeNextJob(suite.zbc, 'ca-child-work', { childResult: 'ok', childNoise: 1 });
    const result = await finished;
    expect(result.variables).toEqual({ orderId: 'A3', mappedResult: 'ok' });
  });

  it('with propagateAllParentVariables="false" passes only the call activity\'s input mappings down', async () => {
    const id = 'ca-parent-local';
    await deployParent(
      id,
      `<zeebe:calledElement processId="${child}" propagateAllParentVariables="false" />`,
      ioMapping({ inputs: [['=orderId', 'childOrderId']] }),
    );
    const finished = runToEnd(suite.zbc, id, { orderId: 'A4', secret: 'stays in parent' });
    const job = await completeNextJob(suite.zbc, 'ca-child-work', {});
    expect(job.variables).toEqual({ childOrderId: 'A4' });
    const result = await finished;
    // The child's `childOrderId` does come back, but merges into the call activity's own local variable of that
    // name (from the input mapping) and ends with it; the process scope never gets it.
    expect(result.variables).toEqual({ orderId: 'A4', secret: 'stays in parent' });
  });

  it('calls the process whose id a FEEL expression gives', async () => {
    const id = 'ca-dynamic';
    await deployParent(id, `<zeebe:calledElement processId="=&quot;ca-&quot; + childKind" />`);
    const finished = runToEnd(suite.zbc, id, { childKind: 'child' });
    const job = await completeNextJob(suite.zbc, 'ca-child-work', { fromDynamicChild: true });
    expect(job.bpmnProcessId).toBe(child);
    const result = await finished;
    expect(result.variables).toEqual({ childKind: 'child', fromDynamicChild: true });
  });

  it('interrupted by a boundary event: terminates the child instance and hands none of its variables back', async () => {
    const id = 'ca-interrupted';
    await deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      <bpmn:callActivity id="call">
        <bpmn:extensionElements><zeebe:calledElement processId="${child}" /></bpmn:extensionElements>
      </bpmn:callActivity>
      <bpmn:boundaryEvent id="tooLate" attachedToRef="call">
        <bpmn:timerEventDefinition><bpmn:timeDuration>PT5M</bpmn:timeDuration></bpmn:timerEventDefinition>
      </bpmn:boundaryEvent>
      <bpmn:endEvent id="end" />
      <bpmn:endEvent id="timedOut" />
      ${chain('start', 'call', 'end')}
      ${chain('tooLate', 'timedOut')}`,
    );
    const finished = runToEnd(suite.zbc, id, { orderId: 'A5' });
    const [job] = await activateJobs(suite.zbc, 'ca-child-work');
    // A variable that only the child has: it must not reach the parent when the child is cut off.
    await suite.zbc.setVariables({ elementInstanceKey: job.processInstanceKey, variables: { childOnly: true }, local: true });
    const parentKey = await waitFor(async () => {
      const childRecords = await suite.engine.recordsOf(job.processInstanceKey);
      return childRecords.find((r) => r.value.elementId === child)?.value.parentProcessInstanceKey as string | undefined;
    });
    await waitForRecords(suite.engine, parentKey, ofType('TIMER', 'CREATED'));
    await suite.engine.advanceClock(5 * 60 * 1000 + 1000);

    const result = await finished;
    expect(result.variables).toEqual({ orderId: 'A5' });
    const childEntries = await trailOf(suite.engine, job.processInstanceKey);
    expect(childEntries).toContain('childWork:ELEMENT_TERMINATED');
    expect(childEntries[childEntries.length - 1]).toBe(`${child}:ELEMENT_TERMINATED`);
    const parentEntries = await trailOf(suite.engine, parentKey);
    expect(parentEntries).toContain('call:ELEMENT_TERMINATED');
    expect(parentEntries).toContain('timedOut:ELEMENT_COMPLETED');
    await expect(suite.zbc.completeJob({ jobKey: job.key, variables: {} })).rejects.toThrow(/NOT_FOUND/);
  });

  it('raises a CALLED_ELEMENT_ERROR incident when the evaluated process id is not deployed', async () => {
    const id = 'ca-dynamic-missing';
    await deployParent(id, `<zeebe:calledElement processId="=childId" />`);
    const processInstanceKey = await startInstance(suite.zbc, id, { childId: 'ca-nowhere' });
    const [incident] = await waitForRecords(suite.engine, processInstanceKey, ofType('INCIDENT', 'CREATED'));
    expect(incident.value).toMatchObject({
      errorType: 'CALLED_ELEMENT_ERROR',
      elementId: 'call',
      errorMessage: expect.stringContaining("'ca-nowhere'"),
    });
  });
});

describe('escalation', () => {
  it('thrown in a sub-process is caught by a non-interrupting boundary event; the sub-process goes on', async () => {
    const id = 'escalation-boundary';
    await deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart" />
        <bpmn:intermediateThrowEvent id="raise"><bpmn:escalationEventDefinition escalationRef="lateEscalation" /></bpmn:intermediateThrowEvent>
        ${serviceTask('continueWork', 'escalation-continue')}
        <bpmn:endEvent id="subEnd" />
        ${chain('subStart', 'raise', 'continueWork', 'subEnd')}
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="onLate" attachedToRef="sub" cancelActivity="false">
        <bpmn:escalationEventDefinition escalationRef="lateEscalation" />
      </bpmn:boundaryEvent>
      ${serviceTask('notify', 'escalation-notify')}
      <bpmn:endEvent id="notifyEnd" />
      <bpmn:endEvent id="end" />
      ${chain('start', 'sub', 'end')}
      ${chain('onLate', 'notify', 'notifyEnd')}`,
      `<bpmn:escalation id="lateEscalation" name="late" escalationCode="LATE" />`,
    );
    const finished = runToEnd(suite.zbc, id);
    // Both paths have a job at the same time: the boundary path and the rest of the sub-process.
    const [notify] = await activateJobs(suite.zbc, 'escalation-notify');
    const [continued] = await activateJobs(suite.zbc, 'escalation-continue');
    expect(notify.processInstanceKey).toBe(continued.processInstanceKey);
    await suite.zbc.completeJob({ jobKey: notify.key, variables: { notified: true } });
    await suite.zbc.completeJob({ jobKey: continued.key, variables: { continued: true } });
    const result = await finished;
    expect(result.variables).toEqual({ notified: true, continued: true });

    const records = await suite.engine.recordsOf(result.processInstanceKey);
    const escalations = records.filter((r) => r.valueType === 'ESCALATION');
    expect(escalations.map((r) => [r.intent, r.value.escalationCode, r.value.throwElementId, r.value.catchElementId])).toEqual([
      ['ESCALATED', 'LATE', 'raise', 'onLate'],
    ]);
    const entries = await trailOf(suite.engine, result.processInstanceKey);
    expect(entries).not.toContain('sub:ELEMENT_TERMINATED');
    expect(entries).toContain('raise:ELEMENT_COMPLETED');
    expect(entries).toContain('onLate:ELEMENT_COMPLETED');
    expect(entries).toContain('sub:ELEMENT_COMPLETED');
  });

  it('that nothing catches is recorded as not escalated, and the throw event simply goes on', async () => {
    const id = 'escalation-uncaught';
    await deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      <bpmn:intermediateThrowEvent id="raise"><bpmn:escalationEventDefinition escalationRef="nobodyListens" /></bpmn:intermediateThrowEvent>
      ${scriptTask('after', '="went on"', 'state')}
      <bpmn:endEvent id="end" />
      ${chain('start', 'raise', 'after', 'end')}`,
      `<bpmn:escalation id="nobodyListens" name="quiet" escalationCode="QUIET" />`,
    );
    const result = await runToEnd(suite.zbc, id);
    expect(result.variables).toEqual({ state: 'went on' });
    const records = await suite.engine.recordsOf(result.processInstanceKey);
    expect(records.filter((r) => r.valueType === 'ESCALATION').map((r) => r.intent)).toEqual(['NOT_ESCALATED']);
  });
});
