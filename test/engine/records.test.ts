/**
 * The exported record stream, read through createRecordReader as the history, replay and statistics pages read
 * it. Zeebe's exporters see the same stream: PROCESS_INSTANCE lifecycle records in the engine's processing order,
 * one position per record with no gaps, keys laid out as partition id << 51 | counter, and record values shaped
 * like Zeebe's (bpmnProcessId, elementId, bpmnElementType, flowScopeKey, ...). The expected orders follow the
 * Zeebe engine: a task's job is created while the task activates, so JOB CREATED precedes its ELEMENT_ACTIVATED;
 * PROCESS CREATED precedes DEPLOYMENT CREATED; variables of the create command precede PROCESS_INSTANCE_CREATION.
 */
import type { EngineRecord } from '../../engine/records';
import { activateJobs, chain, completeNextJob, deployProcess, ioMapping, multiInstance, taskProcess } from '../support/bpmn';
import { deployXml, useTestEngine, waitFor } from '../support/engineHarness';
import { ofType, waitForCompletion, waitForRecords } from '../support/records';

const MINUTE = 60_000;
const PARTITION_ID = 1n;

const suite = useTestEngine();

async function allRecords(): Promise<EngineRecord[]> {
  return suite.engine.records.byPositionRange(1, Number.MAX_SAFE_INTEGER);
}

/** `valueType:intent`, with the element id for PROCESS_INSTANCE records and the variable name for VARIABLE ones. */
function story(records: EngineRecord[]): string[] {
  return records.map((r) => {
    if (r.valueType === 'PROCESS_INSTANCE') return `${r.value.elementId}:${r.intent}`;
    if (r.valueType === 'VARIABLE') return `VARIABLE:${r.intent}:${r.value.name}`;
    return `${r.valueType}:${r.intent}`;
  });
}

/** `elementId:intent` of the four lifecycle intents of an element that was activated and completed, in order. */
function lifecycle(elementId: string): string[] {
  return ['ACTIVATING', 'ACTIVATED', 'COMPLETING', 'COMPLETED'].map((intent) => `${elementId}:ELEMENT_${intent}`);
}

function isZeebeKey(key: unknown): boolean {
  return typeof key === 'string' && /^[1-9][0-9]*$/.test(key) && BigInt(key) >> 51n === PARTITION_ID;
}

describe('a process instance: start -> service task -> end', () => {
  const id = 'records-simple';
  const type = 'records-simple-work';
  let processDefinitionKey: string;
  let processInstanceKey: string;
  let jobKey: string;
  let taskKey: string;
  let records: EngineRecord[];
  let firstPosition: number;
  let lastPosition: number;

  beforeAll(async () => {
    const deployed = await deployXml(suite.zbc, `${id}.bpmn`, taskProcess(id, type));
    processDefinitionKey = deployed.deployments[0].process.processDefinitionKey;
    firstPosition = (await suite.engine.records.lastPosition()) + 1;
    ({ processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: id, variables: { amount: 1, plan: 'basic' } }));
    const [job] = await suite.zbc.activateJobs({ type, worker: 'records-worker', timeout: 5 * MINUTE, maxJobsToActivate: 1, requestTimeout: 5000 });
    jobKey = job.key;
    taskKey = job.elementInstanceKey;
    await suite.zbc.completeJob({ jobKey, variables: { amount: 2, receipt: { id: 'R-1', lines: [1, 2] } } });
    records = await waitForCompletion(suite.engine, processInstanceKey);
    lastPosition = await suite.engine.records.lastPosition();
  });

  test("PROCESS_INSTANCE records follow Zeebe's lifecycle order, with the process completed last", () => {
    expect(story(records.filter((r) => r.valueType === 'PROCESS_INSTANCE'))).toEqual([
      `${id}:ELEMENT_ACTIVATING`,
      `${id}:ELEMENT_ACTIVATED`,
      ...lifecycle('start'),
      'start_to_task:SEQUENCE_FLOW_TAKEN',
      ...lifecycle('task'),
      'task_to_end:SEQUENCE_FLOW_TAKEN',
      ...lifecycle('end'),
      `${id}:ELEMENT_COMPLETING`,
      `${id}:ELEMENT_COMPLETED`,
    ]);
  });

  test('the whole instance story: variables, creation, the job inside the task activation, output before completion', () => {
    expect(story(records)).toEqual([
      // The create command's variables are set before the instance is created and activated.
      'VARIABLE:CREATED:amount',
      'VARIABLE:CREATED:plan',
      'PROCESS_INSTANCE_CREATION:CREATED',
      `${id}:ELEMENT_ACTIVATING`,
      `${id}:ELEMENT_ACTIVATED`,
      ...lifecycle('start'),
      'start_to_task:SEQUENCE_FLOW_TAKEN',
      'task:ELEMENT_ACTIVATING',
      'JOB:CREATED',
      'task:ELEMENT_ACTIVATED',
      'JOB:COMPLETED',
      'task:ELEMENT_COMPLETING',
      'VARIABLE:UPDATED:amount',
      'VARIABLE:CREATED:receipt',
      'task:ELEMENT_COMPLETED',
      'task_to_end:SEQUENCE_FLOW_TAKEN',
      ...lifecycle('end'),
      `${id}:ELEMENT_COMPLETING`,
      `${id}:ELEMENT_COMPLETED`,
    ]);
  });

  test('JOB CREATED, then JOB_BATCH ACTIVATED (carrying the job), then JOB COMPLETED', async () => {
    const jobRecords = await suite.engine.records.byPositionRange(firstPosition, lastPosition, { valueTypes: ['JOB', 'JOB_BATCH'] });
    expect(jobRecords.map((r) => `${r.valueType}:${r.intent}`)).toEqual(['JOB:CREATED', 'JOB_BATCH:ACTIVATED', 'JOB:COMPLETED']);
    const [created, batch, completed] = jobRecords;
    expect(created.key).toBe(jobKey);
    expect(completed.key).toBe(jobKey);
    expect(created.value).toMatchObject({
      type,
      retries: 3,
      worker: '',
      deadline: -1,
      elementId: 'task',
      elementInstanceKey: taskKey,
      processInstanceKey,
      processDefinitionKey,
      bpmnProcessId: id,
      processDefinitionVersion: 1,
      tenantId: '<default>',
    });
    expect(batch.processInstanceKey).toBeNull();
    expect(batch.value).toMatchObject({ type, worker: 'records-worker', timeout: 5 * MINUTE, maxJobsToActivate: 1, jobKeys: [jobKey] });
    const [activated] = batch.value.jobs as Record<string, unknown>[];
    expect(activated).toMatchObject({ type, worker: 'records-worker', elementInstanceKey: taskKey, variables: { amount: 1, plan: 'basic' } });
    expect(activated.deadline).toBe(batch.timestamp + 5 * MINUTE);
    expect(completed.value).toMatchObject({ worker: 'records-worker', variables: { amount: 2, receipt: { id: 'R-1', lines: [1, 2] } } });
  });

  test('VARIABLE records carry the value as JSON text, in the scope that holds it', () => {
    const variables = records.filter((r) => r.valueType === 'VARIABLE');
    expect(variables.map((r) => [r.intent, r.value.name, r.value.value])).toEqual([
      ['CREATED', 'amount', '1'],
      ['CREATED', 'plan', '"basic"'],
      ['UPDATED', 'amount', '2'],
      ['CREATED', 'receipt', '{"id":"R-1","lines":[1,2]}'],
    ]);
    for (const r of variables) {
      expect(r.value).toMatchObject({ scopeKey: processInstanceKey, processInstanceKey, processDefinitionKey, bpmnProcessId: id, tenantId: '<default>' });
      expect(JSON.parse(r.value.value as string)).toBeDefined();
    }
    // An update keeps the variable's key.
    const amount = variables.filter((r) => r.value.name === 'amount');
    expect(amount[1].key).toBe(amount[0].key);
  });

  test('PROCESS_INSTANCE values: element ids, types, event types, flow scopes and keys', () => {
    const first = (elementId: string) => records.find((r) => r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === elementId)!;
    const common = {
      bpmnProcessId: id,
      version: 1,
      processDefinitionKey,
      processInstanceKey,
      parentProcessInstanceKey: '-1',
      parentElementInstanceKey: '-1',
      tenantId: '<default>',
    };
    expect(first(id).value).toEqual({ ...common, elementId: id, bpmnElementType: 'PROCESS', bpmnEventType: 'UNSPECIFIED', flowScopeKey: '-1' });
    expect(first(id).key).toBe(processInstanceKey);
    expect(first('start').value).toEqual({ ...common, elementId: 'start', bpmnElementType: 'START_EVENT', bpmnEventType: 'NONE', flowScopeKey: processInstanceKey });
    expect(first('task').value).toEqual({ ...common, elementId: 'task', bpmnElementType: 'SERVICE_TASK', bpmnEventType: 'UNSPECIFIED', flowScopeKey: processInstanceKey });
    expect(first('task').key).toBe(taskKey);
    expect(first('start_to_task').value).toEqual({
      ...common,
      elementId: 'start_to_task',
      bpmnElementType: 'SEQUENCE_FLOW',
      bpmnEventType: 'UNSPECIFIED',
      flowScopeKey: processInstanceKey,
    });
    expect(first('end').value).toEqual({ ...common, elementId: 'end', bpmnElementType: 'END_EVENT', bpmnEventType: 'NONE', flowScopeKey: processInstanceKey });
    // One key per element instance through its whole lifecycle; every instance its own.
    const lifecycleKeys = new Map<string, Set<string>>();
    for (const r of records.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.intent !== 'SEQUENCE_FLOW_TAKEN')) {
      lifecycleKeys.set(r.value.elementId as string, (lifecycleKeys.get(r.value.elementId as string) ?? new Set()).add(r.key));
    }
    expect([...lifecycleKeys.values()].map((keys) => keys.size)).toEqual([1, 1, 1, 1]);
    expect(new Set([...lifecycleKeys.values()].map((keys) => [...keys][0])).size).toBe(4);
    for (const r of records) {
      expect(r.recordType).toBe('EVENT');
      expect(r.partitionId).toBe(1);
      expect(r.processInstanceKey).toBe(processInstanceKey);
    }
    const creation = records.find((r) => r.valueType === 'PROCESS_INSTANCE_CREATION')!;
    expect(creation.value).toMatchObject({ bpmnProcessId: id, version: 1, processDefinitionKey, processInstanceKey, variables: { amount: 1, plan: 'basic' } });
  });

  test('positions: strictly increasing, no gaps; timestamps never go back', async () => {
    const range = await suite.engine.records.byPositionRange(firstPosition, lastPosition);
    expect(range.map((r) => r.position)).toEqual(range.map((_, i) => firstPosition + i));
    const all = await allRecords();
    expect(all.map((r) => r.position)).toEqual(all.map((_, i) => i + 1));
    for (let i = 1; i < all.length; i++) expect(all[i].timestamp).toBeGreaterThanOrEqual(all[i - 1].timestamp);
    // The instance's records are the stream's, in the same order.
    const positions = records.map((r) => r.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  test("keys are int64 decimal strings with Zeebe's layout (partition 1 in the bits above 51)", async () => {
    for (const r of await allRecords()) expect(isZeebeKey(r.key)).toBe(true);
    for (const key of [processInstanceKey, processDefinitionKey, jobKey, taskKey]) expect(isZeebeKey(key)).toBe(true);
    // The counter below the partition bits starts low, as on a fresh Zeebe partition.
    expect(BigInt(processInstanceKey) & ((1n << 51n) - 1n)).toBeLessThan(1000n);
  });

  test('byPositionRange filters by value type and limits, in stream order', async () => {
    const range = await suite.engine.records.byPositionRange(firstPosition, lastPosition);
    const filtered = await suite.engine.records.byPositionRange(firstPosition, lastPosition, { valueTypes: ['VARIABLE', 'JOB'] });
    expect(filtered).toEqual(range.filter((r) => r.valueType === 'VARIABLE' || r.valueType === 'JOB'));
    expect(filtered.length).toBe(6);
    const limited = await suite.engine.records.byPositionRange(firstPosition, lastPosition, { valueTypes: ['PROCESS_INSTANCE'], limit: 3 });
    expect(limited.map((r) => r.position)).toEqual(range.filter((r) => r.valueType === 'PROCESS_INSTANCE').slice(0, 3).map((r) => r.position));
    const middle = range[5].position;
    expect((await suite.engine.records.byPositionRange(middle, middle)).map((r) => r.position)).toEqual([middle]);
    // byProcessInstance pages with afterPosition.
    const afterJob = await suite.engine.records.byProcessInstance(processInstanceKey, { afterPosition: records.find((r) => r.valueType === 'JOB')!.position, limit: 2 });
    expect(story(afterJob)).toEqual(['task:ELEMENT_ACTIVATED', 'JOB:COMPLETED']);
  });
});

describe('deployments', () => {
  test('PROCESS CREATED for each new process, then DEPLOYMENT CREATED; a duplicate resource creates no process', async () => {
    const id = 'records-deploy';
    const mark = await suite.engine.records.lastPosition();
    const xml = taskProcess(id, 'records-deploy-work');
    const deployed = await deployXml(suite.zbc, `${id}.bpmn`, xml);
    const process = deployed.deployments[0].process;
    const written = await suite.engine.records.byPositionRange(mark + 1, Number.MAX_SAFE_INTEGER);
    expect(written.map((r) => `${r.valueType}:${r.intent}`)).toEqual(['PROCESS:CREATED', 'DEPLOYMENT:CREATED']);
    const [processCreated, deploymentCreated] = written;
    expect(processCreated.key).toBe(process.processDefinitionKey);
    expect(processCreated.value).toMatchObject({
      bpmnProcessId: id,
      version: 1,
      processDefinitionKey: process.processDefinitionKey,
      resourceName: `${id}.bpmn`,
      resource: xml,
      duplicate: false,
      tenantId: '<default>',
    });
    expect(processCreated.value.checksum).toMatch(/^[0-9a-f]+$/);
    expect(deploymentCreated.key).toBe(deployed.key);
    expect(deploymentCreated.value.processesMetadata).toEqual([
      expect.objectContaining({ bpmnProcessId: id, version: 1, processDefinitionKey: process.processDefinitionKey, resourceName: `${id}.bpmn`, duplicate: false }),
    ]);
    expect(deploymentCreated.value.resources).toEqual([{ resourceName: `${id}.bpmn`, resource: xml }]);
    for (const r of written) expect(r.processInstanceKey).toBeNull();

    const mark2 = await suite.engine.records.lastPosition();
    const again = await deployXml(suite.zbc, `${id}.bpmn`, xml);
    const second = await suite.engine.records.byPositionRange(mark2 + 1, Number.MAX_SAFE_INTEGER);
    expect(second.map((r) => `${r.valueType}:${r.intent}`)).toEqual(['DEPLOYMENT:CREATED']);
    expect(second[0].key).toBe(again.key);
    expect(second[0].value.processesMetadata).toEqual([expect.objectContaining({ version: 1, processDefinitionKey: process.processDefinitionKey, duplicate: true })]);
  });
});

describe('incidents', () => {
  test('INCIDENT CREATED after the job FAILED without retries, RESOLVED with the same key after ResolveIncident', async () => {
    const id = 'records-incident';
    const type = 'records-incident-work';
    await deployXml(suite.zbc, `${id}.bpmn`, taskProcess(id, type));
    const { processInstanceKey, processDefinitionKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: id, variables: {} });
    const [job] = await activateJobs(suite.zbc, type);
    await suite.zbc.failJob({ jobKey: job.key, retries: 0, errorMessage: 'billing system down', retryBackOff: 0 });
    const [created] = await waitForRecords(suite.engine, processInstanceKey, ofType('INCIDENT'));
    expect(created.intent).toBe('CREATED');
    expect(isZeebeKey(created.key)).toBe(true);
    expect(created.value).toEqual({
      errorType: 'JOB_NO_RETRIES',
      errorMessage: 'billing system down',
      bpmnProcessId: id,
      processDefinitionKey,
      processInstanceKey,
      elementId: 'task',
      elementInstanceKey: job.elementInstanceKey,
      jobKey: job.key,
      variableScopeKey: job.elementInstanceKey,
      tenantId: '<default>',
    });

    await suite.zbc.updateJobRetries({ jobKey: job.key, retries: 1 });
    await suite.zbc.resolveIncident({ incidentKey: created.key });
    await completeNextJob(suite.zbc, type);
    const records = await waitForCompletion(suite.engine, processInstanceKey);
    expect(records.filter((r) => r.valueType === 'JOB' || r.valueType === 'INCIDENT').map((r) => `${r.valueType}:${r.intent}`)).toEqual([
      'JOB:CREATED',
      'JOB:FAILED',
      'INCIDENT:CREATED',
      'JOB:RETRIES_UPDATED',
      'INCIDENT:RESOLVED',
      'JOB:COMPLETED',
    ]);
    const resolved = records.find((r) => r.valueType === 'INCIDENT' && r.intent === 'RESOLVED')!;
    expect(resolved.key).toBe(created.key);
    expect(resolved.value).toMatchObject({ errorType: 'JOB_NO_RETRIES', jobKey: job.key, elementInstanceKey: job.elementInstanceKey });
  });
});

describe('timers', () => {
  test('TIMER CREATED while the catch event activates, TRIGGERED with the same key before it completes', async () => {
    const id = 'records-timer';
    await deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT10M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="end" />
      ${chain('start', 'wait', 'end')}`,
    );
    const { processInstanceKey, processDefinitionKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: id, variables: {} });
    const waiting = await suite.engine.recordsOf(processInstanceKey);
    const created = waiting.find((r) => r.valueType === 'TIMER')!;
    const catchEvent = waiting.find((r) => r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === 'wait')!;
    expect(story(waiting).slice(-3)).toEqual(['wait:ELEMENT_ACTIVATING', 'TIMER:CREATED', 'wait:ELEMENT_ACTIVATED']);
    expect(created.value).toEqual({
      elementInstanceKey: catchEvent.key,
      processInstanceKey,
      processDefinitionKey,
      targetElementId: 'wait',
      dueDate: created.timestamp + 10 * MINUTE,
      repetitions: 1,
      tenantId: '<default>',
    });

    await suite.engine.advanceClock(11 * MINUTE);
    const records = await waitForCompletion(suite.engine, processInstanceKey);
    const activated = records.find((r) => r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === 'wait' && r.intent === 'ELEMENT_ACTIVATED')!;
    const afterActivated = story(records.filter((r) => r.position > activated.position));
    expect(afterActivated.slice(0, 3)).toEqual(['TIMER:TRIGGERED', 'wait:ELEMENT_COMPLETING', 'wait:ELEMENT_COMPLETED']);
    const triggered = records.find((r) => r.valueType === 'TIMER' && r.intent === 'TRIGGERED')!;
    expect(triggered.key).toBe(created.key);
    expect(triggered.value).toMatchObject({ targetElementId: 'wait', elementInstanceKey: catchEvent.key, dueDate: created.value.dueDate });
    expect(triggered.timestamp).toBeGreaterThanOrEqual(created.value.dueDate as number);
  });
});

describe('messages', () => {
  test('MESSAGE PUBLISHED with name, correlation key, id, time to live and variables; EXPIRED with the same key when unclaimed', async () => {
    const mark = await suite.engine.records.lastPosition();
    const published = await suite.zbc.publishMessage({
      name: 'records-message',
      correlationKey: 'C-42',
      messageId: 'msg-42',
      timeToLive: 5 * MINUTE,
      variables: { topUp: 30 },
    });
    // zeebe-node types the int64 key as a number; on the wire (and at run time) it is a decimal string.
    const messageKey = String(published.key);
    const [record] = await suite.engine.records.byPositionRange(mark + 1, Number.MAX_SAFE_INTEGER, { valueTypes: ['MESSAGE'] });
    expect(record.intent).toBe('PUBLISHED');
    expect(record.key).toBe(messageKey);
    expect(isZeebeKey(record.key)).toBe(true);
    expect(record.processInstanceKey).toBeNull();
    expect(record.value).toEqual({
      name: 'records-message',
      correlationKey: 'C-42',
      messageId: 'msg-42',
      timeToLive: 5 * MINUTE,
      deadline: record.timestamp + 5 * MINUTE,
      variables: { topUp: 30 },
      tenantId: '<default>',
    });

    await suite.engine.advanceClock(6 * MINUTE);
    const [expired] = await waitFor(async () => {
      const found = (await suite.engine.records.byPositionRange(record.position + 1, Number.MAX_SAFE_INTEGER, { valueTypes: ['MESSAGE'] })).filter(
        (r) => r.key === messageKey,
      );
      return found.length > 0 ? found : undefined;
    });
    expect(expired.intent).toBe('EXPIRED');
    expect(expired.value).toMatchObject({ name: 'records-message', correlationKey: 'C-42', messageId: 'msg-42' });
  });
});

describe('record values round-trip whatever text they carry', () => {
  it('keeps backslashes, tabs, newlines, quotes and Chinese text in variables exactly, in small and large batches', async () => {
    // Postgres receives a batch of 200 records or more through COPY's text format, where these characters need
    // escaping, and a smaller one as JSON. The 60 copies of a multi-instance task make one instance write over
    // 300 records in the batch that starts it; each copy carries the text in a local variable.
    const awkward = 'C:\\工单\\2026\t"加急"\n第二行\r\\N 不是空值';
    const copies = `<bpmn:manualTask id="copies">
      <bpmn:extensionElements>${ioMapping({ inputs: [['=note', 'copy']] })}</bpmn:extensionElements>
      ${multiInstance({ inputCollection: '=for i in 1..60 return i', inputElement: 'i' })}
    </bpmn:manualTask>`;
    await deployProcess(suite.zbc, 'records-awkward-text', `<bpmn:startEvent id="start" />${copies}<bpmn:endEvent id="end" />${chain('start', 'copies', 'end')}`);
    const { processInstanceKey } = await suite.zbc.createProcessInstanceWithResult({
      bpmnProcessId: 'records-awkward-text',
      variables: { note: awkward, nested: { list: [awkward, ''] } },
    });
    const records = await suite.engine.recordsOf(processInstanceKey);
    expect(records.length).toBeGreaterThan(300);
    const variables = records.filter(ofType('VARIABLE'));
    const values = (name: string) => variables.filter((r) => r.value.name === name).map((r) => JSON.parse(String(r.value.value)));
    expect(values('note')).toEqual([awkward]);
    expect(values('nested')).toEqual([{ list: [awkward, ''] }]);
    expect(values('copy')).toEqual(Array(60).fill(awkward));
  });
});
