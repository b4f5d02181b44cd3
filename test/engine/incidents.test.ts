/**
 * Incidents: a job that runs out of retries and an expression that cannot be evaluated stop the instance with an
 * incident (INCIDENT CREATED with its errorType); fixing the cause (UpdateJobRetries, SetVariables) and
 * ResolveIncident let it go on. Everything is driven through the gateway with zeebe-node; incidents are found in
 * the engine's exported records, as Operate finds them.
 */
import { status as grpcStatus } from '@grpc/grpc-js';
import type { EngineRecord } from '../../engine/records';
import { useTestEngine } from '../support/engineHarness';
import { activateOne, chain, deployProcess, ioMapping, serviceTask, startInstance } from '../support/bpmn';
import { grpcErrorOf, useRawGateway } from '../support/rawGateway';
import { recordsWhen, waitForCompletion } from '../support/records';

const suite = useTestEngine();
const raw = useRawGateway(suite);

function incidents(records: EngineRecord[], intent: 'CREATED' | 'RESOLVED'): EngineRecord[] {
  return records.filter((r) => r.valueType === 'INCIDENT' && r.intent === intent);
}

/** Waits until the instance has `count` INCIDENT CREATED records and returns all its records. */
function waitForIncidents(processInstanceKey: string, count = 1): Promise<EngineRecord[]> {
  const description = `${count} incident(s) in instance ${processInstanceKey}`;
  return recordsWhen(suite.engine, processInstanceKey, (records) => incidents(records, 'CREATED').length >= count, description);
}

/** `valueType:intent` of the records that matter for an incident's story, in stream order. */
function story(records: EngineRecord[]): string[] {
  return records
    .filter((r) => r.valueType === 'JOB' || r.valueType === 'INCIDENT' || (r.valueType === 'PROCESS_INSTANCE' && r.key === r.processInstanceKey))
    .map((r) => `${r.valueType}:${r.intent}`);
}

describe('a job without retries left', () => {
  const processId = 'incidents-no-retries';
  const type = 'incidents-port-in';

  beforeAll(() =>
    deployProcess(
      suite.zbc,
      processId,
      `<bpmn:startEvent id="start" />
      ${serviceTask('portIn', type, { retries: 2 })}
      <bpmn:endEvent id="end" />
      ${chain('start', 'portIn', 'end')}`,
    ),
  );

  it('raises JOB_NO_RETRIES; after UpdateJobRetries and ResolveIncident the job runs again and the instance completes', async () => {
    const processInstanceKey = await startInstance(suite.zbc, processId, { msisdn: '18600000001' });
    const job = await activateOne(suite.zbc, type);
    expect(job.retries).toBe(2);

    await suite.zbc.failJob({ jobKey: job.key, retries: 0, errorMessage: 'number portability gateway down', retryBackOff: 0 });

    const [incident] = incidents(await waitForIncidents(processInstanceKey), 'CREATED');
    expect(incident.value).toMatchObject({
      errorType: 'JOB_NO_RETRIES',
      errorMessage: 'number portability gateway down',
      jobKey: job.key,
      elementId: 'portIn',
      elementInstanceKey: job.elementInstanceKey,
      processInstanceKey,
      bpmnProcessId: processId,
    });
    // A job with an open incident is not handed out, not even after its retries were raised.
    expect((await raw.activateJobs({ type, requestTimeout: -1 })).jobs).toEqual([]);
    await suite.zbc.updateJobRetries({ jobKey: job.key, retries: 3 });
    expect((await raw.activateJobs({ type, requestTimeout: -1 })).jobs).toEqual([]);

    await suite.zbc.resolveIncident({ incidentKey: incident.key });
    const again = await activateOne(suite.zbc, type);
    expect(again.key).toBe(job.key);
    expect(again.retries).toBe(3);
    await suite.zbc.completeJob({ jobKey: again.key, variables: { portedIn: true } });

    const records = await waitForCompletion(suite.engine, processInstanceKey);
    expect(story(records)).toEqual([
      'PROCESS_INSTANCE:ELEMENT_ACTIVATING',
      'PROCESS_INSTANCE:ELEMENT_ACTIVATED',
      'JOB:CREATED',
      'JOB:FAILED',
      'INCIDENT:CREATED',
      'JOB:RETRIES_UPDATED',
      'INCIDENT:RESOLVED',
      'JOB:COMPLETED',
      'PROCESS_INSTANCE:ELEMENT_COMPLETING',
      'PROCESS_INSTANCE:ELEMENT_COMPLETED',
    ]);
    expect(incidents(records, 'RESOLVED').map((r) => r.key)).toEqual([incident.key]);
    expect(records.find((r) => r.valueType === 'JOB' && r.intent === 'RETRIES_UPDATED')!.value.retries).toBe(3);
  });

  it('is resolved even when the retries were not raised; the job comes back without retries and fails into a new incident', async () => {
    const processInstanceKey = await startInstance(suite.zbc, processId);
    const job = await activateOne(suite.zbc, type);
    await suite.zbc.failJob({ jobKey: job.key, retries: 0, errorMessage: 'HLR unreachable', retryBackOff: 0 });
    const [first] = incidents(await waitForIncidents(processInstanceKey), 'CREATED');

    // Zeebe does not refuse this (Operate raises the retries first, the API does not have to).
    await suite.zbc.resolveIncident({ incidentKey: first.key });
    const again = await activateOne(suite.zbc, type);
    expect(again.key).toBe(job.key);
    expect(again.retries).toBe(0);
    await suite.zbc.failJob({ jobKey: again.key, retries: 0, errorMessage: 'HLR still unreachable', retryBackOff: 0 });

    const records = await waitForIncidents(processInstanceKey, 2);
    const created = incidents(records, 'CREATED');
    expect(created[1].key).not.toBe(first.key);
    expect(created[1].value).toMatchObject({ errorType: 'JOB_NO_RETRIES', errorMessage: 'HLR still unreachable', jobKey: job.key });
    expect(story(records).slice(2)).toEqual(['JOB:CREATED', 'JOB:FAILED', 'INCIDENT:CREATED', 'INCIDENT:RESOLVED', 'JOB:FAILED', 'INCIDENT:CREATED']);
    await suite.zbc.cancelProcessInstance(processInstanceKey);
  });

  it('names the missing retries in the incident when the worker gave no error message', async () => {
    const processInstanceKey = await startInstance(suite.zbc, processId);
    const job = await activateOne(suite.zbc, type);

    await suite.zbc.failJob({ jobKey: job.key, retries: 0, errorMessage: '', retryBackOff: 0 });

    const [incident] = incidents(await waitForIncidents(processInstanceKey), 'CREATED');
    expect(incident.value).toMatchObject({ errorType: 'JOB_NO_RETRIES', errorMessage: 'No more retries left.', jobKey: job.key });
    await suite.zbc.cancelProcessInstance(processInstanceKey);
  });
});

describe('an input mapping that cannot be evaluated', () => {
  const processId = 'incidents-input-mapping';
  const type = 'incidents-send-sms';

  beforeAll(() =>
    deployProcess(
      suite.zbc,
      processId,
      `<bpmn:startEvent id="start" />
      ${serviceTask('sendSms', type, { extensions: ioMapping({ inputs: [['=assert(msisdn, msisdn != null)', 'phone']] }) })}
      <bpmn:endEvent id="end" />
      ${chain('start', 'sendSms', 'end')}`,
    ),
  );

  it('raises EXTRACT_VALUE_ERROR before any job exists; SetVariables then ResolveIncident continues the instance', async () => {
    const processInstanceKey = await startInstance(suite.zbc, processId, { text: 'your bill is ready' });

    const records = await waitForIncidents(processInstanceKey);
    const [incident] = incidents(records, 'CREATED');
    const task = records.find((r) => r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === 'sendSms' && r.intent === 'ELEMENT_ACTIVATING')!;
    expect(incident.value).toMatchObject({
      errorType: 'EXTRACT_VALUE_ERROR',
      elementId: 'sendSms',
      elementInstanceKey: task.key,
      jobKey: '-1',
      processInstanceKey,
    });
    expect(incident.value.errorMessage).toContain("assert(msisdn, msisdn != null)");
    expect(incident.value.errorMessage).toContain('The condition is not fulfilled');
    // The task is stuck while activating: no job, not activated.
    expect(records.some((r) => r.valueType === 'JOB')).toBe(false);
    expect(records.some((r) => r.value.elementId === 'sendSms' && r.intent === 'ELEMENT_ACTIVATED')).toBe(false);

    await suite.zbc.setVariables({ elementInstanceKey: processInstanceKey, variables: { msisdn: '18612345678' }, local: false });
    await suite.zbc.resolveIncident({ incidentKey: incident.key });

    const job = await activateOne(suite.zbc, type);
    expect(job.processInstanceKey).toBe(processInstanceKey);
    expect(job.variables).toEqual({ text: 'your bill is ready', msisdn: '18612345678', phone: '18612345678' });
    await suite.zbc.completeJob({ jobKey: job.key, variables: {} });
    const done = await waitForCompletion(suite.engine, processInstanceKey);
    const resolved = incidents(done, 'RESOLVED');
    expect(resolved.map((r) => r.key)).toEqual([incident.key]);
    const position = (predicate: (r: EngineRecord) => boolean) => done.findIndex(predicate);
    expect(position((r) => r.valueType === 'VARIABLE' && r.value.name === 'msisdn')).toBeLessThan(
      position((r) => r.valueType === 'INCIDENT' && r.intent === 'RESOLVED'),
    );
    expect(position((r) => r.valueType === 'INCIDENT' && r.intent === 'RESOLVED')).toBeLessThan(
      position((r) => r.value.elementId === 'sendSms' && r.intent === 'ELEMENT_ACTIVATED'),
    );
  });

  it('raises a new incident when it is resolved without fixing the cause', async () => {
    const processInstanceKey = await startInstance(suite.zbc, processId);
    const [first] = incidents(await waitForIncidents(processInstanceKey), 'CREATED');

    await suite.zbc.resolveIncident({ incidentKey: first.key });

    const records = await waitForIncidents(processInstanceKey, 2);
    const created = incidents(records, 'CREATED');
    expect(created[1].key).not.toBe(first.key);
    expect(created[1].value).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'sendSms' });
    expect(story(records).filter((s) => s.startsWith('INCIDENT'))).toEqual(['INCIDENT:CREATED', 'INCIDENT:RESOLVED', 'INCIDENT:CREATED']);
    await suite.zbc.cancelProcessInstance(processInstanceKey);
  });
});

describe('an expression of the wrong type', () => {
  it('raises EXTRACT_VALUE_ERROR when a job type expression does not give a string, and continues once it does', async () => {
    const processId = 'incidents-job-type';
    await deployProcess(
      suite.zbc,
      processId,
      `<bpmn:startEvent id="start" />
      ${serviceTask('route', '=queue')}
      <bpmn:endEvent id="end" />
      ${chain('start', 'route', 'end')}`,
    );
    const processInstanceKey = await startInstance(suite.zbc, processId, { queue: 42 });

    const [incident] = incidents(await waitForIncidents(processInstanceKey), 'CREATED');
    expect(incident.value).toMatchObject({
      errorType: 'EXTRACT_VALUE_ERROR',
      errorMessage: "Expected result of the expression 'queue' to be 'STRING', but was 'NUMBER'.",
      elementId: 'route',
    });

    await suite.zbc.setVariables({ elementInstanceKey: processInstanceKey, variables: { queue: 'incidents-vip-queue' }, local: false });
    await suite.zbc.resolveIncident({ incidentKey: incident.key });
    const job = await activateOne(suite.zbc, 'incidents-vip-queue');
    expect(job.processInstanceKey).toBe(processInstanceKey);
    await suite.zbc.completeJob({ jobKey: job.key, variables: {} });
    await waitForCompletion(suite.engine, processInstanceKey);
  });
});

describe('ResolveIncident', () => {
  it('answers NOT_FOUND for an incident that does not exist, or no longer does', async () => {
    const unknown = await grpcErrorOf(suite.zbc.resolveIncident({ incidentKey: '2251799813999999' }));
    expect(unknown.code).toBe(grpcStatus.NOT_FOUND);

    const processInstanceKey = await startInstance(suite.zbc, 'incidents-input-mapping');
    const [incident] = incidents(await waitForIncidents(processInstanceKey), 'CREATED');
    await suite.zbc.cancelProcessInstance(processInstanceKey);
    const records = await suite.engine.recordsOf(processInstanceKey);
    // Cancelling the instance resolved the incident with it.
    expect(incidents(records, 'RESOLVED').map((r) => r.key)).toEqual([incident.key]);

    const gone = await grpcErrorOf(suite.zbc.resolveIncident({ incidentKey: incident.key }));
    expect(gone.code).toBe(grpcStatus.NOT_FOUND);
  });
});
