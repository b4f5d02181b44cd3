/**
 * The gateway API as a whole, RPC by RPC, through zeebe-node as an application calls it (and through
 * @grpc/grpc-js for what zeebe-node 8.3.2 cannot send: DeleteResource, creating an instance by definition key).
 * Each test checks the answer of the call and what the engine then did: jobs it hands out, records it wrote.
 */
import { status as grpcStatus } from '@grpc/grpc-js';
import type { ZBClient } from 'zeebe-node';
import type { EngineRecord } from '../../engine/records';
import { chain, processXml, scriptTask, serviceTask } from '../support/bpmn';
import { deployXml, startTestEngine, waitFor, type TestEngine } from '../support/engineHarness';
import { grpcErrorOf, openRawUnaryGateway, type RawUnaryGateway } from '../support/rawUnary';

let engine: TestEngine;
let zbc: ZBClient;
let raw: RawUnaryGateway;

beforeAll(async () => {
  engine = await startTestEngine();
  zbc = engine.zbc();
  raw = await openRawUnaryGateway(engine.address);
});

afterAll(async () => {
  raw?.close();
  await engine?.stop();
});

/** A key no deployment, instance or job can have in a fresh engine (partition 1, counter far beyond use). */
const UNKNOWN_KEY = '2251799813999999';

/** start -> task (job type `jobType`) -> end */
function taskProcess(processId: string, jobType: string): string {
  return processXml(
    processId,
    `<bpmn:startEvent id="start" />
    ${serviceTask('task', jobType)}
    <bpmn:endEvent id="end" />
    ${chain('start', 'task', 'end')}`,
  );
}

async function deployOne(processId: string, xml: string) {
  const response = await deployXml(zbc, `${processId}.bpmn`, xml);
  expect(response.deployments).toHaveLength(1);
  return { deploymentKey: response.key, ...response.deployments[0].process };
}

/** Activates the one job of `jobType` the test expects, failing when there is none. */
async function activateOne(jobType: string) {
  const jobs = await zbc.activateJobs({ type: jobType, worker: 'gateway-test', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 5000 });
  if (jobs.length !== 1) throw new Error(`expected one job of type '${jobType}', got ${jobs.length}`);
  return jobs[0];
}

/** A raw CreateProcessInstance request (all fields, as the proto defines them). */
function createRequest(fields: { processDefinitionKey?: string; bpmnProcessId?: string; version?: number; variables?: string }) {
  return {
    processDefinitionKey: fields.processDefinitionKey ?? '0',
    bpmnProcessId: fields.bpmnProcessId ?? '',
    version: fields.version ?? -1,
    variables: fields.variables ?? '',
    startInstructions: [],
    tenantId: '',
  };
}

interface CreatedInstance {
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  processInstanceKey: string;
}

const isProcessRecord = (processInstanceKey: string, intent: string) => (r: EngineRecord) =>
  r.valueType === 'PROCESS_INSTANCE' && r.key === processInstanceKey && r.intent === intent;

/** The instance's records once one matches `predicate`. */
async function recordsOnce(processInstanceKey: string, predicate: (r: EngineRecord) => boolean, description: string) {
  return waitFor(
    async () => {
      const records = await engine.recordsOf(processInstanceKey);
      return records.some(predicate) ? records : undefined;
    },
    { description },
  );
}

const activatedElements = (records: EngineRecord[]) =>
  records.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.intent === 'ELEMENT_ACTIVATED').map((r) => r.value.elementId);

describe('Topology', () => {
  it('reports a cluster of one broker that leads the one partition, with the gateway version', async () => {
    const topology = await zbc.topology();
    expect(topology.clusterSize).toBe(1);
    expect(topology.partitionsCount).toBe(1);
    expect(topology.replicationFactor).toBe(1);
    expect(topology.gatewayVersion).toMatch(/^8\.3\.\d+/);
    expect(topology.brokers).toHaveLength(1);
    // zeebe-node's BrokerInfo type predates the broker `version` field the proto carries.
    const broker = topology.brokers[0] as (typeof topology.brokers)[0] & { version: string };
    expect(broker.nodeId).toBe(0);
    expect(broker.partitions).toEqual([{ partitionId: 1, role: 'LEADER', health: 'HEALTHY' }]);
    expect(broker.version).toBe(topology.gatewayVersion);
    // The broker is the gateway's own process: it names the address clients reach it at, not the bind port 0.
    const [host, port] = engine.address.split(':');
    expect(broker.host).toBe(host);
    expect(broker.port).toBe(Number(port));
  });
});

describe('DeployResource', () => {
  it('deploying an unchanged model again creates no new version; a changed one becomes the next version', async () => {
    const processId = 'gw-deploy-versions';
    const v1Xml = taskProcess(processId, 'gw-deploy-versions-a');
    const v2Xml = taskProcess(processId, 'gw-deploy-versions-b');

    const first = await deployOne(processId, v1Xml);
    expect(first).toMatchObject({ bpmnProcessId: processId, version: 1, resourceName: `${processId}.bpmn` });

    const again = await deployOne(processId, v1Xml);
    expect(again.version).toBe(1);
    expect(again.processDefinitionKey).toBe(first.processDefinitionKey);
    // Still a deployment of its own, as in Zeebe.
    expect(again.deploymentKey).not.toBe(first.deploymentKey);

    const changed = await deployOne(processId, v2Xml);
    expect(changed.version).toBe(2);
    expect(changed.processDefinitionKey).not.toBe(first.processDefinitionKey);

    // Duplicates are judged against the latest version: v1's model is now a change again.
    const back = await deployOne(processId, v1Xml);
    expect(back.version).toBe(3);
  });

  it('starts new instances on the latest version while an instance of version 1 keeps running on version 1', async () => {
    const processId = 'gw-version-switch';
    const v1 = await deployOne(processId, taskProcess(processId, 'gw-version-switch-task'));
    const onV1 = await zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} });
    expect(onV1.version).toBe(1);

    // v2 puts a script task after the same service task.
    const v2 = await deployOne(
      processId,
      processXml(
        processId,
        `<bpmn:startEvent id="start" />
        ${serviceTask('task', 'gw-version-switch-task')}
        ${scriptTask('v2Only', '="v2"', 'path')}
        <bpmn:endEvent id="end" />
        ${chain('start', 'task', 'v2Only', 'end')}`,
      ),
    );
    expect(v2.version).toBe(2);
    const onV2 = await zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} });
    expect(onV2).toMatchObject({ version: 2, processDefinitionKey: v2.processDefinitionKey });

    const jobs = await zbc.activateJobs({ type: 'gw-version-switch-task', worker: 'gateway-test', timeout: 60_000, maxJobsToActivate: 2, requestTimeout: 5000 });
    expect(jobs).toHaveLength(2);
    const byInstance = new Map(jobs.map((job) => [job.processInstanceKey, job]));
    expect(byInstance.get(onV1.processInstanceKey)?.processDefinitionVersion).toBe(1);
    expect(byInstance.get(onV2.processInstanceKey)?.processDefinitionVersion).toBe(2);
    for (const job of jobs) await zbc.completeJob({ jobKey: job.key, variables: {} });

    const v1Records = await recordsOnce(onV1.processInstanceKey, isProcessRecord(onV1.processInstanceKey, 'ELEMENT_COMPLETED'), 'the v1 instance to complete');
    expect(activatedElements(v1Records)).toEqual([processId, 'start', 'task', 'end']);
    expect(v1Records.every((r) => r.valueType !== 'PROCESS_INSTANCE' || r.value.processDefinitionKey === v1.processDefinitionKey)).toBe(true);

    const v2Records = await recordsOnce(onV2.processInstanceKey, isProcessRecord(onV2.processInstanceKey, 'ELEMENT_COMPLETED'), 'the v2 instance to complete');
    expect(activatedElements(v2Records)).toEqual([processId, 'start', 'task', 'v2Only', 'end']);
  });
});

describe('DeployProcess (deprecated)', () => {
  it("deploys through zeebe-node's deployProcess and the process can be started", async () => {
    const processId = 'gw-deploy-process';
    const response = await zbc.deployProcess({ name: `${processId}.bpmn`, definition: Buffer.from(taskProcess(processId, 'gw-deploy-process-task')) });
    expect(response.processes).toHaveLength(1);
    const [process] = response.processes;
    expect(process).toMatchObject({ bpmnProcessId: processId, version: 1, resourceName: `${processId}.bpmn` });
    expect(process.processDefinitionKey).toMatch(/^[1-9][0-9]*$/);

    const created = await zbc.createProcessInstance({ bpmnProcessId: processId, variables: { via: 'DeployProcess' } });
    expect(created.processDefinitionKey).toBe(process.processDefinitionKey);
    const job = await activateOne('gw-deploy-process-task');
    expect(job.processInstanceKey).toBe(created.processInstanceKey);
    expect(job.variables).toEqual({ via: 'DeployProcess' });
    await zbc.completeJob({ jobKey: job.key, variables: {} });
  });

  it('rejects an invalid model with INVALID_ARGUMENT, as DeployResource does', async () => {
    const error = await grpcErrorOf(zbc.deployProcess({ name: 'gw-deploy-process-bad.bpmn', definition: Buffer.from('<bpmn:definitions') }));
    expect(error.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(error.details).toContain('gw-deploy-process-bad.bpmn');
  });
});

describe('CreateProcessInstance', () => {
  const processId = 'gw-create';
  let v1Key: string;
  let v2Key: string;

  beforeAll(async () => {
    v1Key = (await deployOne(processId, taskProcess(processId, 'gw-create-v1'))).processDefinitionKey;
    v2Key = (await deployOne(processId, taskProcess(processId, 'gw-create-v2'))).processDefinitionKey;
  });

  it('by definition key starts that very version, with the variables given', async () => {
    const created = await raw.call<CreatedInstance>('CreateProcessInstance', createRequest({ processDefinitionKey: v1Key, variables: '{"by":"key"}' }));
    expect(created).toMatchObject({ processDefinitionKey: v1Key, bpmnProcessId: processId, version: 1 });
    const job = await activateOne('gw-create-v1');
    expect(job.processInstanceKey).toBe(created.processInstanceKey);
    expect(job.variables).toEqual({ by: 'key' });
    await zbc.completeJob({ jobKey: job.key, variables: {} });
  });

  it('by process id starts the version asked for, or the latest without one', async () => {
    const onV1 = await zbc.createProcessInstance({ bpmnProcessId: processId, version: 1, variables: {} });
    expect(onV1).toMatchObject({ processDefinitionKey: v1Key, version: 1 });
    const latest = await zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} });
    expect(latest).toMatchObject({ processDefinitionKey: v2Key, version: 2 });

    const v1Job = await activateOne('gw-create-v1');
    expect(v1Job.processInstanceKey).toBe(onV1.processInstanceKey);
    const v2Job = await activateOne('gw-create-v2');
    expect(v2Job.processInstanceKey).toBe(latest.processInstanceKey);
    await zbc.completeJob({ jobKey: v1Job.key, variables: {} });
    await zbc.completeJob({ jobKey: v2Job.key, variables: {} });
  });

  it('answers NOT_FOUND for an unknown process id, version or key', async () => {
    const unknownId = await grpcErrorOf(zbc.createProcessInstance({ bpmnProcessId: 'gw-create-nobody', variables: {} }));
    expect(unknownId.code).toBe(grpcStatus.NOT_FOUND);
    expect(unknownId.details).toContain('gw-create-nobody');

    const unknownVersion = await grpcErrorOf(zbc.createProcessInstance({ bpmnProcessId: processId, version: 7, variables: {} }));
    expect(unknownVersion.code).toBe(grpcStatus.NOT_FOUND);
    expect(unknownVersion.details).toContain("'7'");

    const unknownKey = await grpcErrorOf(raw.call('CreateProcessInstance', createRequest({ processDefinitionKey: UNKNOWN_KEY })));
    expect(unknownKey.code).toBe(grpcStatus.NOT_FOUND);
    expect(unknownKey.details).toContain(UNKNOWN_KEY);
  });
});

describe('CreateProcessInstanceWithResult', () => {
  const processId = 'gw-with-result';

  beforeAll(async () => {
    await deployOne(
      processId,
      processXml(
        processId,
        `<bpmn:startEvent id="start" />
        ${scriptTask('sum', '=a + b', 'sum')}
        <bpmn:endEvent id="end" />
        ${chain('start', 'sum', 'end')}`,
      ),
    );
  });

  it('answers with the variables of the completed instance', async () => {
    const result = await zbc.createProcessInstanceWithResult({ bpmnProcessId: processId, variables: { a: 1, b: 2 } });
    expect(result.bpmnProcessId).toBe(processId);
    expect(result.variables).toEqual({ a: 1, b: 2, sum: 3 });
    const records = await engine.recordsOf(result.processInstanceKey);
    expect(records.some(isProcessRecord(result.processInstanceKey, 'ELEMENT_COMPLETED'))).toBe(true);
  });

  it('with fetchVariables answers with only those variables', async () => {
    const result = await zbc.createProcessInstanceWithResult({ bpmnProcessId: processId, variables: { a: 20, b: 22 }, fetchVariables: ['sum', 'absent'] });
    expect(result.variables).toEqual({ sum: 42 });
  });

  it('answers DEADLINE_EXCEEDED (4) when the requestTimeout runs out; the instance keeps running', async () => {
    const waitingId = 'gw-with-result-timeout';
    await deployOne(waitingId, taskProcess(waitingId, 'gw-with-result-timeout-task'));
    const started = Date.now();
    const error = await grpcErrorOf(zbc.createProcessInstanceWithResult({ bpmnProcessId: waitingId, variables: {}, requestTimeout: 300 }));
    const elapsed = Date.now() - started;
    expect(error.code).toBe(grpcStatus.DEADLINE_EXCEEDED);
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(5000);

    // Only the wait was given up: the instance is there, at its task.
    const job = await activateOne('gw-with-result-timeout-task');
    await zbc.cancelProcessInstance(job.processInstanceKey);
  });
});

describe('CancelProcessInstance', () => {
  it('terminates the instance and cancels its job; cancelling it again or an unknown key is NOT_FOUND', async () => {
    const processId = 'gw-cancel';
    await deployOne(processId, taskProcess(processId, 'gw-cancel-task'));
    const { processInstanceKey } = await zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} });
    const job = await activateOne('gw-cancel-task');

    await zbc.cancelProcessInstance(processInstanceKey);

    const records = await engine.recordsOf(processInstanceKey);
    expect(records.some(isProcessRecord(processInstanceKey, 'ELEMENT_TERMINATED'))).toBe(true);
    expect(records.some((r) => r.valueType === 'JOB' && r.intent === 'CANCELED' && r.key === job.key)).toBe(true);
    expect(records.some(isProcessRecord(processInstanceKey, 'ELEMENT_COMPLETED'))).toBe(false);
    expect((await grpcErrorOf(zbc.completeJob({ jobKey: job.key, variables: {} }))).code).toBe(grpcStatus.NOT_FOUND);

    const again = await grpcErrorOf(zbc.cancelProcessInstance(processInstanceKey));
    expect(again.code).toBe(grpcStatus.NOT_FOUND);
    const unknown = await grpcErrorOf(zbc.cancelProcessInstance(UNKNOWN_KEY));
    expect(unknown.code).toBe(grpcStatus.NOT_FOUND);
    expect(unknown.details).toContain(UNKNOWN_KEY);
  });
});

describe('SetVariables', () => {
  it('merges the document into the instance, where the next job sees it; an unknown scope is NOT_FOUND', async () => {
    const processId = 'gw-set-variables';
    await deployOne(processId, taskProcess(processId, 'gw-set-variables-task'));
    const { processInstanceKey } = await zbc.createProcessInstance({ bpmnProcessId: processId, variables: { kept: 1, replaced: 'old' } });

    // zeebe-node types the answer as void; the SetVariablesResponse it resolves with carries the key.
    const response = (await zbc.setVariables({ elementInstanceKey: processInstanceKey, variables: { replaced: 'new', added: [1, 2] }, local: false })) as unknown as { key: string };
    expect(response.key).toMatch(/^[1-9][0-9]*$/);

    const job = await activateOne('gw-set-variables-task');
    expect(job.variables).toEqual({ kept: 1, replaced: 'new', added: [1, 2] });
    await zbc.completeJob({ jobKey: job.key, variables: {} });

    const unknown = await grpcErrorOf(zbc.setVariables({ elementInstanceKey: UNKNOWN_KEY, variables: { x: 1 }, local: false }));
    expect(unknown.code).toBe(grpcStatus.NOT_FOUND);
  });
});

describe('ModifyProcessInstance', () => {
  const processId = 'gw-modify';

  beforeAll(async () => {
    await deployOne(
      processId,
      processXml(
        processId,
        `<bpmn:startEvent id="start" />
        ${serviceTask('first', 'gw-modify-first')}
        ${serviceTask('second', 'gw-modify-second')}
        <bpmn:endEvent id="end" />
        ${chain('start', 'first', 'second', 'end')}`,
      ),
    );
  });

  it('terminates an element and activates another one, with variables', async () => {
    const { processInstanceKey } = await zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} });
    const firstJob = await activateOne('gw-modify-first');

    await zbc.modifyProcessInstance({
      processInstanceKey,
      activateInstructions: [{ elementId: 'second', ancestorElementInstanceKey: '-1', variableInstructions: [{ scopeId: '', variables: { movedBy: 'modification' } }] }],
      terminateInstructions: [{ elementInstanceKey: firstJob.elementInstanceKey }],
    });

    const secondJob = await activateOne('gw-modify-second');
    expect(secondJob.processInstanceKey).toBe(processInstanceKey);
    expect(secondJob.variables).toEqual({ movedBy: 'modification' });
    // The terminated task took its job with it.
    expect((await grpcErrorOf(zbc.completeJob({ jobKey: firstJob.key, variables: {} }))).code).toBe(grpcStatus.NOT_FOUND);

    await zbc.completeJob({ jobKey: secondJob.key, variables: {} });
    const records = await recordsOnce(processInstanceKey, isProcessRecord(processInstanceKey, 'ELEMENT_COMPLETED'), 'the modified instance to complete');
    const first = records.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === 'first').map((r) => r.intent);
    expect(first).toEqual(['ELEMENT_ACTIVATING', 'ELEMENT_ACTIVATED', 'ELEMENT_TERMINATING', 'ELEMENT_TERMINATED']);
    expect(activatedElements(records)).toEqual([processId, 'start', 'first', 'second', 'end']);
  });

  it('rejects an unknown element with INVALID_ARGUMENT naming it, and changes nothing', async () => {
    const { processInstanceKey } = await zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} });
    const job = await activateOne('gw-modify-first');

    const error = await grpcErrorOf(
      zbc.modifyProcessInstance({
        processInstanceKey,
        activateInstructions: [{ elementId: 'no-such-element', ancestorElementInstanceKey: '-1', variableInstructions: [] }],
        terminateInstructions: [{ elementInstanceKey: job.elementInstanceKey }],
      }),
    );
    expect(error.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(error.details).toContain("'no-such-element'");

    // The rejected command terminated nothing: the job is still there to complete.
    await zbc.completeJob({ jobKey: job.key, variables: {} });
    const secondJob = await activateOne('gw-modify-second');
    expect(secondJob.processInstanceKey).toBe(processInstanceKey);
    await zbc.completeJob({ jobKey: secondJob.key, variables: {} });
  });

  it('answers NOT_FOUND for an unknown process instance', async () => {
    const error = await grpcErrorOf(zbc.modifyProcessInstance({ processInstanceKey: UNKNOWN_KEY, activateInstructions: [], terminateInstructions: [] }));
    expect(error.code).toBe(grpcStatus.NOT_FOUND);
  });
});

describe('DeleteResource', () => {
  it('answers NOT_FOUND for an unknown key', async () => {
    const error = await grpcErrorOf(raw.call('DeleteResource', { resourceKey: UNKNOWN_KEY }));
    expect(error.code).toBe(grpcStatus.NOT_FOUND);
    expect(error.details).toContain(UNKNOWN_KEY);
  });

  it('refuses a version with running instances and deletes an unused one, which can then not be started', async () => {
    const processId = 'gw-delete';
    const v1 = await deployOne(processId, taskProcess(processId, 'gw-delete-v1'));
    const v2 = await deployOne(processId, taskProcess(processId, 'gw-delete-v2'));
    const running = await zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} });
    expect(running.version).toBe(2);

    const refused = await grpcErrorOf(raw.call('DeleteResource', { resourceKey: v2.processDefinitionKey }));
    expect(refused.code).toBe(grpcStatus.FAILED_PRECONDITION);
    expect(refused.details).toContain(v2.processDefinitionKey);

    await raw.call('DeleteResource', { resourceKey: v1.processDefinitionKey });
    expect((await grpcErrorOf(zbc.createProcessInstance({ bpmnProcessId: processId, version: 1, variables: {} }))).code).toBe(grpcStatus.NOT_FOUND);
    expect((await grpcErrorOf(raw.call('CreateProcessInstance', createRequest({ processDefinitionKey: v1.processDefinitionKey })))).code).toBe(grpcStatus.NOT_FOUND);
    expect((await grpcErrorOf(raw.call('DeleteResource', { resourceKey: v1.processDefinitionKey }))).code).toBe(grpcStatus.NOT_FOUND);

    // Version 2 was refused, so it is untouched: it still starts, and the running instance still runs.
    const another = await zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} });
    expect(another).toMatchObject({ version: 2, processDefinitionKey: v2.processDefinitionKey });
    const jobs = await zbc.activateJobs({ type: 'gw-delete-v2', worker: 'gateway-test', timeout: 60_000, maxJobsToActivate: 2, requestTimeout: 5000 });
    expect(jobs.map((job) => job.processInstanceKey).sort()).toEqual([running.processInstanceKey, another.processInstanceKey].sort());
    for (const job of jobs) await zbc.completeJob({ jobKey: job.key, variables: {} });
  });

  it('never gives a deleted version number out again', async () => {
    const processId = 'gw-delete-version-numbers';
    await deployOne(processId, taskProcess(processId, 'gw-delete-version-numbers-v1'));
    const v2 = await deployOne(processId, taskProcess(processId, 'gw-delete-version-numbers-v2'));
    await raw.call('DeleteResource', { resourceKey: v2.processDefinitionKey });

    // Deleting the latest version makes the one before it the latest.
    expect(await zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} })).toMatchObject({ version: 1 });
    await zbc.cancelProcessInstance((await activateOne('gw-delete-version-numbers-v1')).processInstanceKey);

    // The highest version is remembered durably, not only in memory.
    await engine.restart();
    const v3 = await deployOne(processId, taskProcess(processId, 'gw-delete-version-numbers-v3'));
    expect(v3.version).toBe(3);
  });
});

describe('BroadcastSignal', () => {
  it('answers with the key of the signal', async () => {
    const response = await zbc.broadcastSignal({ signalName: 'gw-signal-nobody-listens', variables: { x: 1 } });
    expect(response.key).toMatch(/^[1-9][0-9]*$/);
  });
});

describe('EvaluateDecision', () => {
  it('answers UNIMPLEMENTED (12) and says DMN is not supported', async () => {
    const error = await grpcErrorOf(zbc.evaluateDecision({ decisionId: 'gw-decision', variables: { season: 'Fall' } }));
    expect(error.code).toBe(grpcStatus.UNIMPLEMENTED);
    expect(error.details).toMatch(/EvaluateDecision/);
    expect(error.details).toMatch(/DMN/);
  });
});
