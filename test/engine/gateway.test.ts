/**
 * The gateway API as a whole, RPC by RPC, through zeebe-node as an application calls it (and through
 * @grpc/grpc-js for what zeebe-node 8.3.2 cannot send: DeleteResource, creating an instance by definition key).
 * Each test checks the answer of the call and what the engine then did: jobs it hands out, records it wrote.
 */
import { status as grpcStatus } from '@grpc/grpc-js';
import type { EngineRecord } from '../../engine/records';
import { activateOne, chain, processXml, scriptTask, serviceTask, taskProcess } from '../support/bpmn';
import { deployXml, useTestEngine } from '../support/engineHarness';
import { createInstanceRequest, grpcErrorOf, useRawGateway } from '../support/rawGateway';
import { processInstance, waitForCompletion } from '../support/records';

const suite = useTestEngine();
const raw = useRawGateway(suite);

/** A key no deployment, instance or job can have in a fresh engine (partition 1, counter far beyond use). */
const UNKNOWN_KEY = '2251799813999999';

async function deployOne(processId: string, xml: string) {
  const response = await deployXml(suite.zbc, `${processId}.bpmn`, xml);
  expect(response.deployments).toHaveLength(1);
  return { deploymentKey: response.key, ...response.deployments[0].process };
}

interface CreatedInstance {
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  processInstanceKey: string;
}

const activatedElements = (records: EngineRecord[]) =>
  records.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.intent === 'ELEMENT_ACTIVATED').map((r) => r.value.elementId);

describe('Topology', () => {
  it('reports a cluster of one broker that leads the one partition, with the gateway version', async () => {
    const topology = await suite.zbc.topology();
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
    const [host, port] = suite.engine.address.split(':');
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
    const onV1 = await suite.zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} });
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
    const onV2 = await suite.zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} });
    expect(onV2).toMatchObject({ version: 2, processDefinitionKey: v2.processDefinitionKey });

    const jobs = await suite.zbc.activateJobs({ type: 'gw-version-switch-task', worker: 'gateway-test', timeout: 60_000, maxJobsToActivate: 2, requestTimeout: 5000 });
    expect(jobs).toHaveLength(2);
    const byInstance = new Map(jobs.map((job) => [job.processInstanceKey, job]));
    expect(byInstance.get(onV1.processInstanceKey)?.processDefinitionVersion).toBe(1);
    expect(byInstance.get(onV2.processInstanceKey)?.processDefinitionVersion).toBe(2);
    for (const job of jobs) await suite.zbc.completeJob({ jobKey: job.key, variables: {} });

    const v1Records = await waitForCompletion(suite.engine, onV1.processInstanceKey);
    expect(activatedElements(v1Records)).toEqual([processId, 'start', 'task', 'end']);
    expect(v1Records.every((r) => r.valueType !== 'PROCESS_INSTANCE' || r.value.processDefinitionKey === v1.processDefinitionKey)).toBe(true);

    const v2Records = await waitForCompletion(suite.engine, onV2.processInstanceKey);
    expect(activatedElements(v2Records)).toEqual([processId, 'start', 'task', 'v2Only', 'end']);
  });
});

describe('DeployProcess (deprecated)', () => {
  it("deploys through zeebe-node's deployProcess and the process can be started", async () => {
    const processId = 'gw-deploy-process';
    const response = await suite.zbc.deployProcess({ name: `${processId}.bpmn`, definition: Buffer.from(taskProcess(processId, 'gw-deploy-process-task')) });
    expect(response.processes).toHaveLength(1);
    const [process] = response.processes;
    expect(process).toMatchObject({ bpmnProcessId: processId, version: 1, resourceName: `${processId}.bpmn` });
    expect(process.processDefinitionKey).toMatch(/^[1-9][0-9]*$/);

    const created = await suite.zbc.createProcessInstance({ bpmnProcessId: processId, variables: { via: 'DeployProcess' } });
    expect(created.processDefinitionKey).toBe(process.processDefinitionKey);
    const job = await activateOne(suite.zbc, 'gw-deploy-process-task');
    expect(job.processInstanceKey).toBe(created.processInstanceKey);
    expect(job.variables).toEqual({ via: 'DeployProcess' });
    await suite.zbc.completeJob({ jobKey: job.key, variables: {} });
  });

  it('rejects an invalid model with INVALID_ARGUMENT, as DeployResource does', async () => {
    const error = await grpcErrorOf(suite.zbc.deployProcess({ name: 'gw-deploy-process-bad.bpmn', definition: Buffer.from('<bpmn:definitions') }));
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
    const created = await raw.call<CreatedInstance>('CreateProcessInstance', createInstanceRequest({ processDefinitionKey: v1Key, variables: '{"by":"key"}' }));
    expect(created).toMatchObject({ processDefinitionKey: v1Key, bpmnProcessId: processId, version: 1 });
    const job = await activateOne(suite.zbc, 'gw-create-v1');
    expect(job.processInstanceKey).toBe(created.processInstanceKey);
    expect(job.variables).toEqual({ by: 'key' });
    await suite.zbc.completeJob({ jobKey: job.key, variables: {} });
  });

  it('by process id starts the version asked for, or the latest without one', async () => {
    const onV1 = await suite.zbc.createProcessInstance({ bpmnProcessId: processId, version: 1, variables: {} });
    expect(onV1).toMatchObject({ processDefinitionKey: v1Key, version: 1 });
    const latest = await suite.zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} });
    expect(latest).toMatchObject({ processDefinitionKey: v2Key, version: 2 });

    const v1Job = await activateOne(suite.zbc, 'gw-create-v1');
    expect(v1Job.processInstanceKey).toBe(onV1.processInstanceKey);
    const v2Job = await activateOne(suite.zbc, 'gw-create-v2');
    expect(v2Job.processInstanceKey).toBe(latest.processInstanceKey);
    await suite.zbc.completeJob({ jobKey: v1Job.key, variables: {} });
    await suite.zbc.completeJob({ jobKey: v2Job.key, variables: {} });
  });

  it('answers NOT_FOUND for an unknown process id, version or key', async () => {
    const unknownId = await grpcErrorOf(suite.zbc.createProcessInstance({ bpmnProcessId: 'gw-create-nobody', variables: {} }));
    expect(unknownId.code).toBe(grpcStatus.NOT_FOUND);
    expect(unknownId.details).toContain('gw-create-nobody');

    const unknownVersion = await grpcErrorOf(suite.zbc.createProcessInstance({ bpmnProcessId: processId, version: 7, variables: {} }));
    expect(unknownVersion.code).toBe(grpcStatus.NOT_FOUND);
    expect(unknownVersion.details).toContain("'7'");

    const unknownKey = await grpcErrorOf(raw.call('CreateProcessInstance', createInstanceRequest({ processDefinitionKey: UNKNOWN_KEY })));
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
    const result = await suite.zbc.createProcessInstanceWithResult({ bpmnProcessId: processId, variables: { a: 1, b: 2 } });
    expect(result.bpmnProcessId).toBe(processId);
    expect(result.variables).toEqual({ a: 1, b: 2, sum: 3 });
    const records = await suite.engine.recordsOf(result.processInstanceKey);
    expect(records.some(processInstance(result.processInstanceKey, 'ELEMENT_COMPLETED'))).toBe(true);
  });

  it('with fetchVariables answers with only those variables', async () => {
    const result = await suite.zbc.createProcessInstanceWithResult({ bpmnProcessId: processId, variables: { a: 20, b: 22 }, fetchVariables: ['sum', 'absent'] });
    expect(result.variables).toEqual({ sum: 42 });
  });

  it('answers DEADLINE_EXCEEDED (4) when the requestTimeout runs out; the instance keeps running', async () => {
    const waitingId = 'gw-with-result-timeout';
    await deployOne(waitingId, taskProcess(waitingId, 'gw-with-result-timeout-task'));
    const started = Date.now();
    const error = await grpcErrorOf(suite.zbc.createProcessInstanceWithResult({ bpmnProcessId: waitingId, variables: {}, requestTimeout: 300 }));
    const elapsed = Date.now() - started;
    expect(error.code).toBe(grpcStatus.DEADLINE_EXCEEDED);
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(5000);

    // Only the wait was given up: the instance is there, at its task.
    const job = await activateOne(suite.zbc, 'gw-with-result-timeout-task');
    await suite.zbc.cancelProcessInstance(job.processInstanceKey);
  });
});

describe('CancelProcessInstance', () => {
  it('terminates the instance and cancels its job; cancelling it again or an unknown key is NOT_FOUND', async () => {
    const processId = 'gw-cancel';
    await deployOne(processId, taskProcess(processId, 'gw-cancel-task'));
    const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} });
    const job = await activateOne(suite.zbc, 'gw-cancel-task');

    await suite.zbc.cancelProcessInstance(processInstanceKey);

    const records = await suite.engine.recordsOf(processInstanceKey);
    expect(records.some(processInstance(processInstanceKey, 'ELEMENT_TERMINATED'))).toBe(true);
    expect(records.some((r) => r.valueType === 'JOB' && r.intent === 'CANCELED' && r.key === job.key)).toBe(true);
    expect(records.some(processInstance(processInstanceKey, 'ELEMENT_COMPLETED'))).toBe(false);
    expect((await grpcErrorOf(suite.zbc.completeJob({ jobKey: job.key, variables: {} }))).code).toBe(grpcStatus.NOT_FOUND);

    const again = await grpcErrorOf(suite.zbc.cancelProcessInstance(processInstanceKey));
    expect(again.code).toBe(grpcStatus.NOT_FOUND);
    const unknown = await grpcErrorOf(suite.zbc.cancelProcessInstance(UNKNOWN_KEY));
    expect(unknown.code).toBe(grpcStatus.NOT_FOUND);
    expect(unknown.details).toContain(UNKNOWN_KEY);
  });
});

describe('SetVariables', () => {
  it('merges the document into the instance, where the next job sees it; an unknown scope is NOT_FOUND', async () => {
    const processId = 'gw-set-variables';
    await deployOne(processId, taskProcess(processId, 'gw-set-variables-task'));
    const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: processId, variables: { kept: 1, replaced: 'old' } });

    // zeebe-node types the answer as void; the SetVariablesResponse it resolves with carries the key.
    const response = (await suite.zbc.setVariables({ elementInstanceKey: processInstanceKey, variables: { replaced: 'new', added: [1, 2] }, local: false })) as unknown as { key: string };
    expect(response.key).toMatch(/^[1-9][0-9]*$/);

    const job = await activateOne(suite.zbc, 'gw-set-variables-task');
    expect(job.variables).toEqual({ kept: 1, replaced: 'new', added: [1, 2] });
    await suite.zbc.completeJob({ jobKey: job.key, variables: {} });

    const unknown = await grpcErrorOf(suite.zbc.setVariables({ elementInstanceKey: UNKNOWN_KEY, variables: { x: 1 }, local: false }));
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
    const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} });
    const firstJob = await activateOne(suite.zbc, 'gw-modify-first');

    await suite.zbc.modifyProcessInstance({
      processInstanceKey,
      activateInstructions: [{ elementId: 'second', ancestorElementInstanceKey: '-1', variableInstructions: [{ scopeId: '', variables: { movedBy: 'modification' } }] }],
      terminateInstructions: [{ elementInstanceKey: firstJob.elementInstanceKey }],
    });

    const secondJob = await activateOne(suite.zbc, 'gw-modify-second');
    expect(secondJob.processInstanceKey).toBe(processInstanceKey);
    expect(secondJob.variables).toEqual({ movedBy: 'modification' });
    // The terminated task took its job with it.
    expect((await grpcErrorOf(suite.zbc.completeJob({ jobKey: firstJob.key, variables: {} }))).code).toBe(grpcStatus.NOT_FOUND);

    await suite.zbc.completeJob({ jobKey: secondJob.key, variables: {} });
    const records = await waitForCompletion(suite.engine, processInstanceKey);
    const first = records.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === 'first').map((r) => r.intent);
    expect(first).toEqual(['ELEMENT_ACTIVATING', 'ELEMENT_ACTIVATED', 'ELEMENT_TERMINATING', 'ELEMENT_TERMINATED']);
    expect(activatedElements(records)).toEqual([processId, 'start', 'first', 'second', 'end']);
  });

  it('rejects an unknown element with INVALID_ARGUMENT naming it, and changes nothing', async () => {
    const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} });
    const job = await activateOne(suite.zbc, 'gw-modify-first');

    const error = await grpcErrorOf(
      suite.zbc.modifyProcessInstance({
        processInstanceKey,
        activateInstructions: [{ elementId: 'no-such-element', ancestorElementInstanceKey: '-1', variableInstructions: [] }],
        terminateInstructions: [{ elementInstanceKey: job.elementInstanceKey }],
      }),
    );
    expect(error.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(error.details).toContain("'no-such-element'");

    // The rejected command terminated nothing: the job is still there to complete.
    await suite.zbc.completeJob({ jobKey: job.key, variables: {} });
    const secondJob = await activateOne(suite.zbc, 'gw-modify-second');
    expect(secondJob.processInstanceKey).toBe(processInstanceKey);
    await suite.zbc.completeJob({ jobKey: secondJob.key, variables: {} });
  });

  it('answers NOT_FOUND for an unknown process instance', async () => {
    const error = await grpcErrorOf(suite.zbc.modifyProcessInstance({ processInstanceKey: UNKNOWN_KEY, activateInstructions: [], terminateInstructions: [] }));
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
    const running = await suite.zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} });
    expect(running.version).toBe(2);

    const refused = await grpcErrorOf(raw.call('DeleteResource', { resourceKey: v2.processDefinitionKey }));
    expect(refused.code).toBe(grpcStatus.FAILED_PRECONDITION);
    expect(refused.details).toContain(v2.processDefinitionKey);

    await raw.call('DeleteResource', { resourceKey: v1.processDefinitionKey });
    expect((await grpcErrorOf(suite.zbc.createProcessInstance({ bpmnProcessId: processId, version: 1, variables: {} }))).code).toBe(grpcStatus.NOT_FOUND);
    expect((await grpcErrorOf(raw.call('CreateProcessInstance', createInstanceRequest({ processDefinitionKey: v1.processDefinitionKey })))).code).toBe(grpcStatus.NOT_FOUND);
    expect((await grpcErrorOf(raw.call('DeleteResource', { resourceKey: v1.processDefinitionKey }))).code).toBe(grpcStatus.NOT_FOUND);

    // Version 2 was refused, so it is untouched: it still starts, and the running instance still runs.
    const another = await suite.zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} });
    expect(another).toMatchObject({ version: 2, processDefinitionKey: v2.processDefinitionKey });
    const jobs = await suite.zbc.activateJobs({ type: 'gw-delete-v2', worker: 'gateway-test', timeout: 60_000, maxJobsToActivate: 2, requestTimeout: 5000 });
    expect(jobs.map((job) => job.processInstanceKey).sort()).toEqual([running.processInstanceKey, another.processInstanceKey].sort());
    for (const job of jobs) await suite.zbc.completeJob({ jobKey: job.key, variables: {} });
  });

  it('never gives a deleted version number out again', async () => {
    const processId = 'gw-delete-version-numbers';
    await deployOne(processId, taskProcess(processId, 'gw-delete-version-numbers-v1'));
    const v2 = await deployOne(processId, taskProcess(processId, 'gw-delete-version-numbers-v2'));
    await raw.call('DeleteResource', { resourceKey: v2.processDefinitionKey });

    // Deleting the latest version makes the one before it the latest.
    expect(await suite.zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} })).toMatchObject({ version: 1 });
    await suite.zbc.cancelProcessInstance((await activateOne(suite.zbc, 'gw-delete-version-numbers-v1')).processInstanceKey);

    // The highest version is remembered durably, not only in memory.
    await suite.engine.restart();
    const v3 = await deployOne(processId, taskProcess(processId, 'gw-delete-version-numbers-v3'));
    expect(v3.version).toBe(3);
  });
});

describe('BroadcastSignal', () => {
  it('answers with the key of the signal', async () => {
    const response = await suite.zbc.broadcastSignal({ signalName: 'gw-signal-nobody-listens', variables: { x: 1 } });
    expect(response.key).toMatch(/^[1-9][0-9]*$/);
  });
});

describe('EvaluateDecision', () => {
  it('answers UNIMPLEMENTED (12) and says DMN is not supported', async () => {
    const error = await grpcErrorOf(suite.zbc.evaluateDecision({ decisionId: 'gw-decision', variables: { season: 'Fall' } }));
    expect(error.code).toBe(grpcStatus.UNIMPLEMENTED);
    expect(error.details).toMatch(/EvaluateDecision/);
    expect(error.details).toMatch(/DMN/);
  });
});
