/**
 * BPMN errors: thrown by a job worker (ThrowError) or by an error end event, caught by error boundary events
 * (by code or catch-all), by error event sub-processes and across call activities; an error nothing catches
 * becomes an incident. Jobs are driven with zeebe-node's raw calls; what happened is read from the records.
 */
import type { JSONDoc } from 'zeebe-node';
import type { EngineRecord } from '../../engine/records';
import { useTestEngine } from '../support/engineHarness';
import { activateOne, chain, deployProcess, flow, ioMapping, runToEnd, serviceTask, startInstance } from '../support/bpmn';
import { ofType, recordsWhen, trail, waitForCompletion } from '../support/records';
import { grpcErrorOf } from '../support/rawGateway';

const suite = useTestEngine();

function error(id: string, code: string): string {
  return `<bpmn:error id="${id}" name="${id}" errorCode="${code}" />`;
}

/** An error boundary event on `attachedTo`; without `errorRef` it catches every error. */
function errorBoundary(id: string, attachedTo: string, errorRef?: string, extensions = ''): string {
  const reference = errorRef === undefined ? '' : ` errorRef="${errorRef}"`;
  const extensionElements = extensions === '' ? '' : `<bpmn:extensionElements>${extensions}</bpmn:extensionElements>`;
  return `<bpmn:boundaryEvent id="${id}" attachedToRef="${attachedTo}">
    ${extensionElements}
    <bpmn:errorEventDefinition${reference} />
  </bpmn:boundaryEvent>`;
}

/** Starts an instance with `variables` and has the worker of its job of `type` throw `thrown` (ThrowError). */
async function startAndThrow(
  processId: string,
  type: string,
  thrown: { errorCode: string; errorMessage: string; variables?: JSONDoc },
  variables: JSONDoc = {},
) {
  const processInstanceKey = await startInstance(suite.zbc, processId, variables);
  const job = await activateOne(suite.zbc, type);
  await suite.zbc.throwError({ jobKey: job.key, ...thrown });
  return { processInstanceKey, job };
}

/** Asserts that `expected` entries occur in `actual` in this order (other entries may come between). */
function expectSubsequence(actual: string[], expected: string[]): void {
  let at = 0;
  for (const entry of actual) if (entry === expected[at]) at += 1;
  if (at < expected.length) {
    throw new Error(`expected the subsequence\n  ${expected.join('\n  ')}\nbut '${expected[at]}' is missing after its predecessors in\n  ${actual.join('\n  ')}`);
  }
}

function variablesNamed(records: EngineRecord[], name: string): EngineRecord[] {
  return records.filter((r) => r.valueType === 'VARIABLE' && r.value.name === name);
}

describe('ThrowError caught by an error boundary event', () => {
  const processId = 'errors-boundary-by-code';
  const type = 'errors-port-number';

  beforeAll(() =>
    deployProcess(
      suite.zbc,
      processId,
      `<bpmn:startEvent id="start" />
      ${serviceTask('portNumber', type)}
      ${errorBoundary('onBlocked', 'portNumber', 'numberBlocked')}
      ${errorBoundary('onCreditLimit', 'portNumber', 'creditLimit')}
      <bpmn:endEvent id="done" />
      <bpmn:endEvent id="blockedEnd" />
      <bpmn:endEvent id="creditEnd" />
      ${chain('start', 'portNumber', 'done')}
      ${chain('onBlocked', 'blockedEnd')}
      ${chain('onCreditLimit', 'creditEnd')}`,
      `${error('numberBlocked', 'NUMBER_BLOCKED')}\n${error('creditLimit', 'CREDIT_LIMIT')}`,
    ),
  );

  it('terminates the task and continues at the boundary event whose code matches', async () => {
    const { processInstanceKey } = await startAndThrow(processId, type, { errorCode: 'CREDIT_LIMIT', errorMessage: 'customer is over the credit limit' });

    const records = await waitForCompletion(suite.engine, processInstanceKey);
    expectSubsequence(trail(records), [
      'portNumber:ELEMENT_TERMINATING',
      'portNumber:ELEMENT_TERMINATED',
      'onCreditLimit:ELEMENT_ACTIVATING',
      'onCreditLimit:ELEMENT_ACTIVATED',
      'onCreditLimit:ELEMENT_COMPLETED',
      'creditEnd:ELEMENT_COMPLETED',
      `${processId}:ELEMENT_COMPLETED`,
    ]);
    expect(trail(records).some((entry) => entry.startsWith('onBlocked:') || entry.startsWith('done:'))).toBe(false);
    const jobRecords = records.filter((r) => r.valueType === 'JOB');
    expect(jobRecords.map((r) => r.intent)).toEqual(['CREATED', 'ERROR_THROWN']);
    expect(jobRecords[1].value).toMatchObject({ errorCode: 'CREDIT_LIMIT', errorMessage: 'customer is over the credit limit' });
    expect(records.some((r) => r.valueType === 'INCIDENT')).toBe(false);
  });

  it('routes each code to its own boundary event', async () => {
    const { processInstanceKey } = await startAndThrow(processId, type, { errorCode: 'NUMBER_BLOCKED', errorMessage: '' });

    const records = await waitForCompletion(suite.engine, processInstanceKey);
    expectSubsequence(trail(records), ['portNumber:ELEMENT_TERMINATED', 'onBlocked:ELEMENT_COMPLETED', 'blockedEnd:ELEMENT_COMPLETED']);
    expect(trail(records).some((entry) => entry.startsWith('onCreditLimit:'))).toBe(false);
  });

  it('does not accept a second command for the job once the error was thrown', async () => {
    const { processInstanceKey, job } = await startAndThrow(processId, type, { errorCode: 'NUMBER_BLOCKED', errorMessage: '' });
    await waitForCompletion(suite.engine, processInstanceKey);

    const completion = await grpcErrorOf(suite.zbc.completeJob({ jobKey: job.key, variables: {} }));
    expect(completion.code).toBe(5); // NOT_FOUND: the job went with its task
  });
});

describe('catch-all error boundary event', () => {
  const processId = 'errors-catch-all';
  const type = 'errors-activate-sim';

  beforeAll(() =>
    deployProcess(
      suite.zbc,
      processId,
      `<bpmn:startEvent id="start" />
      ${serviceTask('activateSim', type)}
      ${errorBoundary('onSimFault', 'activateSim', 'simFault')}
      ${errorBoundary('onAnyError', 'activateSim')}
      <bpmn:endEvent id="done" />
      <bpmn:endEvent id="simFaultEnd" />
      <bpmn:endEvent id="anyErrorEnd" />
      ${chain('start', 'activateSim', 'done')}
      ${chain('onSimFault', 'simFaultEnd')}
      ${chain('onAnyError', 'anyErrorEnd')}`,
      error('simFault', 'SIM_FAULT'),
    ),
  );

  it('catches a code no other boundary event names', async () => {
    const { processInstanceKey } = await startAndThrow(processId, type, { errorCode: 'HLR_TIMEOUT', errorMessage: 'home location register did not answer' });

    const records = await waitForCompletion(suite.engine, processInstanceKey);
    expectSubsequence(trail(records), ['activateSim:ELEMENT_TERMINATED', 'onAnyError:ELEMENT_COMPLETED', 'anyErrorEnd:ELEMENT_COMPLETED']);
    expect(trail(records).some((entry) => entry.startsWith('onSimFault:'))).toBe(false);
  });

  it('leaves an error with a matching code to the boundary event that names it', async () => {
    const { processInstanceKey } = await startAndThrow(processId, type, { errorCode: 'SIM_FAULT', errorMessage: '' });

    const records = await waitForCompletion(suite.engine, processInstanceKey);
    expectSubsequence(trail(records), ['activateSim:ELEMENT_TERMINATED', 'onSimFault:ELEMENT_COMPLETED', 'simFaultEnd:ELEMENT_COMPLETED']);
    expect(trail(records).some((entry) => entry.startsWith('onAnyError:'))).toBe(false);
  });
});

describe('error event sub-process', () => {
  const processId = 'errors-event-sub-process';
  const type = 'errors-verify-identity';
  const handlerType = 'errors-notify-agent';

  beforeAll(() =>
    deployProcess(
      suite.zbc,
      processId,
      `<bpmn:subProcess id="onFraud" triggeredByEvent="true">
        <bpmn:startEvent id="fraudStart" isInterrupting="true">
          <bpmn:errorEventDefinition errorRef="fraud" />
        </bpmn:startEvent>
        ${serviceTask('notifyAgent', handlerType)}
        <bpmn:endEvent id="fraudEnd" />
        ${chain('fraudStart', 'notifyAgent', 'fraudEnd')}
      </bpmn:subProcess>
      <bpmn:startEvent id="start" />
      ${serviceTask('verifyIdentity', type)}
      <bpmn:endEvent id="done" />
      ${chain('start', 'verifyIdentity', 'done')}`,
      error('fraud', 'FRAUD_SUSPECTED'),
    ),
  );

  it('interrupts the process scope and runs the event sub-process, with the error variables in the process', async () => {
    const { processInstanceKey } = await startAndThrow(
      processId,
      type,
      { errorCode: 'FRAUD_SUSPECTED', errorMessage: 'id card reported stolen', variables: { fraudScore: 97 } },
      { customerId: 'C-77' },
    );
    const handlerJob = await activateOne(suite.zbc, handlerType);

    expect(handlerJob.processInstanceKey).toBe(processInstanceKey);
    expect(handlerJob.variables).toEqual({ customerId: 'C-77', fraudScore: 97 });
    await suite.zbc.completeJob({ jobKey: handlerJob.key, variables: {} });
    const records = await waitForCompletion(suite.engine, processInstanceKey);
    expectSubsequence(trail(records), [
      'verifyIdentity:ELEMENT_TERMINATED',
      'onFraud:ELEMENT_ACTIVATED',
      'fraudStart:ELEMENT_COMPLETED',
      'notifyAgent:ELEMENT_COMPLETED',
      'onFraud:ELEMENT_COMPLETED',
      `${processId}:ELEMENT_COMPLETED`,
    ]);
    expect(trail(records).some((entry) => entry.startsWith('done:'))).toBe(false);
    // Zeebe creates the error variables of an event sub-process start in the process instance scope.
    expect(variablesNamed(records, 'fraudScore').map((r) => [r.intent, r.value.scopeKey, r.value.value])).toEqual([
      ['CREATED', processInstanceKey, '97'],
    ]);
  });
});

describe('errors across a call activity', () => {
  it('an error thrown in the called process is caught by a boundary event on the call activity', async () => {
    const type = 'errors-child-credit-check';
    await deployProcess(
      suite.zbc,
      'errors-child',
      `<bpmn:startEvent id="childStart" />
      ${serviceTask('creditCheck', type)}
      <bpmn:endEvent id="childEnd" />
      ${chain('childStart', 'creditCheck', 'childEnd')}`,
    );
    await deployProcess(
      suite.zbc,
      'errors-parent',
      `<bpmn:startEvent id="start" />
      <bpmn:callActivity id="callCheck">
        <bpmn:extensionElements><zeebe:calledElement processId="errors-child" /></bpmn:extensionElements>
      </bpmn:callActivity>
      ${errorBoundary('onRejected', 'callCheck', 'rejected')}
      <bpmn:endEvent id="approved" />
      <bpmn:endEvent id="rejectedEnd" />
      ${chain('start', 'callCheck', 'approved')}
      ${chain('onRejected', 'rejectedEnd')}`,
      error('rejected', 'CREDIT_REJECTED'),
    );
    const { processInstanceKey: parentKey, job } = await startAndThrow('errors-parent', type, { errorCode: 'CREDIT_REJECTED', errorMessage: 'score below 550' });
    const childKey = job.processInstanceKey;
    expect(childKey).not.toBe(parentKey);

    const parentRecords = await waitForCompletion(suite.engine, parentKey);
    expectSubsequence(trail(parentRecords), [
      'callCheck:ELEMENT_TERMINATING',
      'callCheck:ELEMENT_TERMINATED',
      'onRejected:ELEMENT_ACTIVATING',
      'onRejected:ELEMENT_COMPLETED',
      'rejectedEnd:ELEMENT_COMPLETED',
      'errors-parent:ELEMENT_COMPLETED',
    ]);
    expect(trail(parentRecords).some((entry) => entry.startsWith('approved:'))).toBe(false);
    const childRecords = await suite.engine.recordsOf(childKey);
    expectSubsequence(trail(childRecords), [
      'creditCheck:ELEMENT_TERMINATING',
      'creditCheck:ELEMENT_TERMINATED',
      'errors-child:ELEMENT_TERMINATED',
    ]);
    expect(trail(childRecords)).not.toContain('errors-child:ELEMENT_COMPLETED');
  });
});

describe('uncaught errors', () => {
  it('raise an UNHANDLED_ERROR_EVENT incident on the task, which stays active', async () => {
    const processId = 'errors-uncaught';
    const type = 'errors-uncaught-job';
    await deployProcess(
      suite.zbc,
      processId,
      `<bpmn:startEvent id="start" />
      ${serviceTask('openTicket', type)}
      ${errorBoundary('onOther', 'openTicket', 'other')}
      <bpmn:endEvent id="done" />
      <bpmn:endEvent id="otherEnd" />
      ${chain('start', 'openTicket', 'done')}
      ${chain('onOther', 'otherEnd')}`,
      error('other', 'SOMETHING_ELSE'),
    );
    const { processInstanceKey, job } = await startAndThrow(processId, type, { errorCode: 'TICKET_SYSTEM_DOWN', errorMessage: 'ticket system unreachable' });

    const records = await recordsWhen(suite.engine, processInstanceKey, (rs) => rs.some(ofType('INCIDENT', 'CREATED')), 'the incident');
    const incident = records.find((r) => r.valueType === 'INCIDENT')!;
    expect(incident.value).toMatchObject({
      errorType: 'UNHANDLED_ERROR_EVENT',
      errorMessage:
        "Expected to throw an error event with the code 'TICKET_SYSTEM_DOWN' with message 'ticket system unreachable', but it was not caught. No error events are available in the scope.",
      elementId: 'openTicket',
      elementInstanceKey: job.elementInstanceKey,
      jobKey: job.key,
      processInstanceKey,
    });
    const jobIntents = records.filter((r) => r.valueType === 'JOB').map((r) => r.intent);
    expect(jobIntents).toEqual(['CREATED', 'ERROR_THROWN']);
    const entries = trail(records);
    expect(entries).toContain('openTicket:ELEMENT_ACTIVATED');
    expect(entries.some((e) => e.startsWith('openTicket:ELEMENT_TERMINAT') || e.startsWith('onOther:'))).toBe(false);
    expect(records.findIndex((r) => r.valueType === 'INCIDENT')).toBeGreaterThan(
      records.findIndex((r) => r.valueType === 'JOB' && r.intent === 'ERROR_THROWN'),
    );

    // Cancelling the instance takes the incident with it.
    await suite.zbc.cancelProcessInstance(processInstanceKey);
    const after = await recordsWhen(
      suite.engine,
      processInstanceKey,
      (rs) => rs.some(ofType('INCIDENT', 'RESOLVED')),
      'the incident to be resolved by the cancellation',
    );
    expect(trail(after)).toContain(`${processId}:ELEMENT_TERMINATED`);
  });
});

describe('error end events', () => {
  it('an error end event inside a sub-process is caught by the boundary event of that sub-process', async () => {
    const processId = 'errors-end-event';
    await deployProcess(
      suite.zbc,
      processId,
      `<bpmn:startEvent id="start" />
      <bpmn:subProcess id="portOut">
        <bpmn:startEvent id="portStart" />
        <bpmn:exclusiveGateway id="eligible" default="toOk" />
        <bpmn:endEvent id="portRejected">
          <bpmn:errorEventDefinition errorRef="portOutRejected" />
        </bpmn:endEvent>
        <bpmn:endEvent id="portOk" />
        ${chain('portStart', 'eligible')}
        ${flow('eligible', 'portRejected', { id: 'toRejected', condition: '=contractMonths < 12' })}
        ${flow('eligible', 'portOk', { id: 'toOk' })}
      </bpmn:subProcess>
      ${errorBoundary('onPortOutRejected', 'portOut', 'portOutRejected')}
      <bpmn:endEvent id="done" />
      <bpmn:endEvent id="rejectedEnd" />
      ${chain('start', 'portOut', 'done')}
      ${chain('onPortOutRejected', 'rejectedEnd')}`,
      error('portOutRejected', 'PORT_OUT_REJECTED'),
    );

    const rejected = await runToEnd(suite.zbc, processId, { contractMonths: 6 });
    const records = await suite.engine.recordsOf(rejected.processInstanceKey);
    expectSubsequence(trail(records), [
      'portRejected:ELEMENT_ACTIVATED',
      'portOut:ELEMENT_TERMINATING',
      'portRejected:ELEMENT_TERMINATING',
      'portRejected:ELEMENT_TERMINATED',
      'portOut:ELEMENT_TERMINATED',
      'onPortOutRejected:ELEMENT_ACTIVATING',
      'onPortOutRejected:ELEMENT_COMPLETED',
      'rejectedEnd:ELEMENT_COMPLETED',
      `${processId}:ELEMENT_COMPLETED`,
    ]);
    expect(trail(records)).not.toContain('done:ELEMENT_ACTIVATING');

    // The control case: the sub-process completes normally and the boundary event stays unused.
    const accepted = await runToEnd(suite.zbc, processId, { contractMonths: 24 });
    const acceptedTrail = trail(await suite.engine.recordsOf(accepted.processInstanceKey));
    expectSubsequence(acceptedTrail, ['portOk:ELEMENT_COMPLETED', 'portOut:ELEMENT_COMPLETED', 'done:ELEMENT_COMPLETED']);
    expect(acceptedTrail.some((e) => e.startsWith('onPortOutRejected:'))).toBe(false);
  });
});

describe('ThrowError variables', () => {
  const processId = 'errors-variables';
  const type = 'errors-check-coverage';
  const nextType = 'errors-offer-alternative';

  beforeAll(() =>
    deployProcess(
      suite.zbc,
      processId,
      `<bpmn:startEvent id="start" />
      ${serviceTask('checkCoverage', type)}
      ${errorBoundary('onNoCoverage', 'checkCoverage', 'noCoverage', ioMapping({ outputs: [['=reason', 'noCoverageReason']] }))}
      ${errorBoundary('onAnyError', 'checkCoverage')}
      ${serviceTask('offerAlternative', nextType)}
      <bpmn:endEvent id="done" />
      ${chain('start', 'checkCoverage', 'done')}
      ${chain('onNoCoverage', 'offerAlternative')}
      <bpmn:sequenceFlow id="anyToOffer" sourceRef="onAnyError" targetRef="offerAlternative" />
      <bpmn:endEvent id="offered" />
      ${chain('offerAlternative', 'offered')}`,
      error('noCoverage', 'NO_COVERAGE'),
    ),
  );

  it('are available after the catch through the output mappings of the catching boundary event', async () => {
    const { processInstanceKey } = await startAndThrow(
      processId,
      type,
      { errorCode: 'NO_COVERAGE', errorMessage: 'no fibre at this address', variables: { reason: 'no-fibre', checkedAt: '2024-05-01' } },
      { address: 'Chaoyang, Beijing' },
    );
    const next = await activateOne(suite.zbc, nextType);

    expect(next.processInstanceKey).toBe(processInstanceKey);
    expect(next.variables).toEqual({ address: 'Chaoyang, Beijing', noCoverageReason: 'no-fibre' });
    await suite.zbc.completeJob({ jobKey: next.key, variables: {} });
    const records = await waitForCompletion(suite.engine, processInstanceKey);
    const boundary = records.find((r) => r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === 'onNoCoverage')!;
    // As in Zeebe: the error variables are local variables of the catch event; only mapped ones reach the process.
    expect(variablesNamed(records, 'reason').map((r) => r.value.scopeKey)).toEqual([boundary.key]);
    expect(variablesNamed(records, 'checkedAt').map((r) => r.value.scopeKey)).toEqual([boundary.key]);
    expect(variablesNamed(records, 'noCoverageReason').map((r) => [r.value.scopeKey, r.value.value])).toEqual([
      [processInstanceKey, '"no-fibre"'],
    ]);
  });

  it('stay local to a boundary event without output mappings', async () => {
    const { processInstanceKey } = await startAndThrow(
      processId,
      type,
      { errorCode: 'SURVEY_PENDING', errorMessage: '', variables: { surveyId: 'S-9' } },
      { address: 'Pudong, Shanghai' },
    );
    const next = await activateOne(suite.zbc, nextType);

    expect(next.processInstanceKey).toBe(processInstanceKey);
    expect(next.variables).toEqual({ address: 'Pudong, Shanghai' });
    await suite.zbc.completeJob({ jobKey: next.key, variables: {} });
    const records = await waitForCompletion(suite.engine, processInstanceKey);
    const boundary = records.find((r) => r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === 'onAnyError')!;
    expect(variablesNamed(records, 'surveyId').map((r) => [r.intent, r.value.scopeKey, r.value.value])).toEqual([
      ['CREATED', boundary.key, '"S-9"'],
    ]);
  });
});
