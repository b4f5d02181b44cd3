/**
 * Bad input at the gateway: models Zeebe refuses to deploy, keys that name nothing, variables documents that
 * are too big or not JSON objects, and racing completions. Each is answered with the gRPC status Zeebe answers
 * with and a message that says what was wrong and where; none of it may change state or hurt the engine,
 * which the last test checks by running a normal process afterwards.
 */
import { status as grpcStatus } from '@grpc/grpc-js';
import type { JSONDoc } from 'zeebe-node';
import { chain, flow, processXml, taskProcess } from '../support/bpmn';
import { deployXml, useTestEngine } from '../support/engineHarness';
import { createInstanceRequest, grpcErrorOf, useRawGateway } from '../support/rawGateway';
import { waitForCompletion } from '../support/records';

const suite = useTestEngine();
const raw = useRawGateway(suite);

/** A job key of partition 1 that no job in a fresh engine has. */
const UNKNOWN_JOB_KEY = '2251799813999999';

/** Deploys `xml` expecting a rejection; checks it is INVALID_ARGUMENT and returns its message. */
async function rejectedDeployment(name: string, xml: string): Promise<string> {
  const error = await grpcErrorOf(deployXml(suite.zbc, name, xml));
  expect(error.code).toBe(grpcStatus.INVALID_ARGUMENT);
  expect(error.details).toContain(`'${name}'`);
  return error.details;
}

/** The process was not deployed: starting it finds no definition. */
async function expectNotDeployed(processId: string): Promise<void> {
  const error = await grpcErrorOf(suite.zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} }));
  expect(error.code).toBe(grpcStatus.NOT_FOUND);
}

/** Starts an instance of a deployed task process and returns the key of its activated job. */
async function startAndActivate(processId: string, jobType: string, variables: JSONDoc = {}) {
  const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: processId, variables });
  const jobs = await suite.zbc.activateJobs({ type: jobType, worker: 'bad-input', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 5000 });
  expect(jobs).toHaveLength(1);
  expect(jobs[0].processInstanceKey).toBe(processInstanceKey);
  return { processInstanceKey, job: jobs[0] };
}

describe('models Zeebe refuses to deploy answer INVALID_ARGUMENT, naming the element and the reason', () => {
  it('malformed XML', async () => {
    const details = await rejectedDeployment('bad-malformed.bpmn', processXml('bad-malformed', '<bpmn:startEvent id="start">').replace('</bpmn:process>', ''));
    // No element to name: the parser's reason, and where it gave up so the author can find the spot.
    expect(details).toMatch(/'bad-malformed\.bpmn': Malformed BPMN XML: .+ \(line \d+, column \d+\)/);
    expect(details).not.toContain('Element:');
    await expectNotDeployed('bad-malformed');
  });

  it('an element the engine does not support (complex gateway)', async () => {
    const details = await rejectedDeployment(
      'bad-complex-gateway.bpmn',
      processXml(
        'bad-complex-gateway',
        `<bpmn:startEvent id="start" />
        <bpmn:complexGateway id="mergeAll" />
        <bpmn:endEvent id="end" />
        ${chain('start', 'mergeAll', 'end')}`,
      ),
    );
    expect(details).toContain('Element: mergeAll');
    expect(details).toContain("Elements of type 'ComplexGateway' are currently not supported");
    await expectNotDeployed('bad-complex-gateway');
  });

  it('a service task without a task type', async () => {
    const details = await rejectedDeployment(
      'bad-no-task-type.bpmn',
      processXml(
        'bad-no-task-type',
        `<bpmn:startEvent id="start" />
        <bpmn:serviceTask id="untyped">
          <bpmn:extensionElements><zeebe:taskDefinition retries="3" /></bpmn:extensionElements>
        </bpmn:serviceTask>
        <bpmn:serviceTask id="noDefinition" />
        <bpmn:endEvent id="end" />
        ${chain('start', 'untyped', 'noDefinition', 'end')}`,
      ),
    );
    // Every problem of the resource is listed, each under its element.
    expect(details).toMatch(/Element: untyped\s+- ERROR: Attribute 'type' must be present and not empty/);
    expect(details).toMatch(/Element: noDefinition\s+- ERROR: Must have exactly one 'zeebe:taskDefinition' extension element/);
    await expectNotDeployed('bad-no-task-type');
  });

  it('a sequence flow condition that is not valid FEEL', async () => {
    const details = await rejectedDeployment(
      'bad-feel-condition.bpmn',
      processXml(
        'bad-feel-condition',
        `<bpmn:startEvent id="start" />
        <bpmn:exclusiveGateway id="split" default="otherwise" />
        <bpmn:endEvent id="big" />
        <bpmn:endEvent id="small" />
        ${flow('start', 'split')}
        ${flow('split', 'big', { id: 'isBig', condition: '=amount >' })}
        ${flow('split', 'small', { id: 'otherwise' })}`,
      ),
    );
    expect(details).toContain('Element: isBig');
    expect(details).toMatch(/failed to parse expression 'amount >'/);
    await expectNotDeployed('bad-feel-condition');
  });

  it('one bad resource fails the whole deployment', async () => {
    const error = await grpcErrorOf(
      raw.call('DeployResource', {
        resources: [
          { name: 'bad-batch-good.bpmn', content: Buffer.from(taskProcess('bad-batch-good', 'bad-batch-good')) },
          { name: 'bad-batch-bad.bpmn', content: Buffer.from(processXml('bad-batch-bad', '<bpmn:complexGateway id="cg" />')) },
        ],
        tenantId: '',
      }),
    );
    expect(error.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(error.details).toContain('Element: cg');
    await expectNotDeployed('bad-batch-good');
  });
});

describe('jobs that do not exist (any more) are NOT_FOUND', () => {
  beforeAll(async () => {
    await deployXml(suite.zbc, 'bad-jobs.bpmn', taskProcess('bad-jobs', 'bad-jobs-task'));
  });

  it('every job command on an unknown key answers NOT_FOUND naming the key', async () => {
    const calls = {
      complete: suite.zbc.completeJob({ jobKey: UNKNOWN_JOB_KEY, variables: {} }),
      fail: suite.zbc.failJob({ jobKey: UNKNOWN_JOB_KEY, retries: 1, errorMessage: 'no such job', retryBackOff: 0 }),
      throwError: suite.zbc.throwError({ jobKey: UNKNOWN_JOB_KEY, errorCode: 'E', errorMessage: 'no such job' }),
      updateRetries: suite.zbc.updateJobRetries({ jobKey: UNKNOWN_JOB_KEY, retries: 3 }),
    };
    for (const [command, call] of Object.entries(calls)) {
      const error = await grpcErrorOf(call);
      expect({ command, code: error.code }).toEqual({ command, code: grpcStatus.NOT_FOUND });
      expect(error.details).toContain(UNKNOWN_JOB_KEY);
    }
  });

  it('completing a job twice: the second completion is NOT_FOUND and changes nothing', async () => {
    const { processInstanceKey, job } = await startAndActivate('bad-jobs', 'bad-jobs-task');
    await suite.zbc.completeJob({ jobKey: job.key, variables: { first: true } });
    const second = await grpcErrorOf(suite.zbc.completeJob({ jobKey: job.key, variables: { second: true } }));
    expect(second.code).toBe(grpcStatus.NOT_FOUND);

    const records = await waitForCompletion(suite.engine, processInstanceKey);
    expect(records.filter((r) => r.valueType === 'JOB' && r.intent === 'COMPLETED')).toHaveLength(1);
    expect(records.some((r) => r.valueType === 'VARIABLE' && r.value.name === 'second')).toBe(false);
  });

  it('concurrent completions of the same job: exactly one succeeds', async () => {
    const { processInstanceKey, job } = await startAndActivate('bad-jobs', 'bad-jobs-task');
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => suite.zbc.completeJob({ jobKey: job.key, variables: { winner: i } })),
    );
    const succeeded = attempts.flatMap((a, i) => (a.status === 'fulfilled' ? [i] : []));
    expect(succeeded).toHaveLength(1);
    for (const attempt of attempts) {
      if (attempt.status === 'rejected') expect((attempt.reason as { code: number }).code).toBe(grpcStatus.NOT_FOUND);
    }

    const records = await waitForCompletion(suite.engine, processInstanceKey);
    expect(records.filter((r) => r.valueType === 'JOB' && r.intent === 'COMPLETED')).toHaveLength(1);
    const task = records.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === 'task' && r.intent === 'ELEMENT_COMPLETED');
    expect(task).toHaveLength(1);
    // The variables that won are those of the completion that was answered OK.
    const winner = records.filter((r) => r.valueType === 'VARIABLE' && r.value.name === 'winner');
    expect(winner.map((r) => r.value.value)).toEqual([String(succeeded[0])]);
  });
});

describe('variables documents', () => {
  const processId = 'bad-variables';

  beforeAll(async () => {
    await deployXml(suite.zbc, `${processId}.bpmn`, taskProcess(processId, 'bad-variables-task'));
  });

  it('a 5 MB document is refused with RESOURCE_EXHAUSTED and creates nothing', async () => {
    const before = await suite.engine.records.lastPosition();
    const huge = { blob: 'x'.repeat(5 * 1024 * 1024) };
    const error = await grpcErrorOf(suite.zbc.createProcessInstance({ bpmnProcessId: processId, variables: huge }));
    expect(error.code).toBe(grpcStatus.RESOURCE_EXHAUSTED);
    const created = (await suite.engine.records.byPositionRange(before + 1, Number.MAX_SAFE_INTEGER)).filter(
      (r) => r.valueType === 'PROCESS_INSTANCE_CREATION',
    );
    expect(created).toEqual([]);
  });

  it('a 5 MB completion is refused with RESOURCE_EXHAUSTED and the job can still be completed', async () => {
    const { processInstanceKey, job } = await startAndActivate(processId, 'bad-variables-task');
    const error = await grpcErrorOf(suite.zbc.completeJob({ jobKey: job.key, variables: { blob: 'y'.repeat(5 * 1024 * 1024) } }));
    expect(error.code).toBe(grpcStatus.RESOURCE_EXHAUSTED);
    await suite.zbc.completeJob({ jobKey: job.key, variables: { small: 1 } });
    await waitForCompletion(suite.engine, processInstanceKey);
  });

  it.each([
    ['an array', '[1, 2]', /root level object, but was 'ARRAY'/],
    ['a string', '"text"', /root level object, but was 'STRING'/],
    ['a number', '42', /root level object, but was 'INTEGER'/],
    ['broken JSON', '{"a": ', /Invalid JSON/],
  ])('a document that is %s is INVALID_ARGUMENT and creates nothing', async (_what, variables, reason) => {
    const before = await suite.engine.records.lastPosition();
    const error = await grpcErrorOf(
      raw.call('CreateProcessInstance', createInstanceRequest({ bpmnProcessId: processId, variables })),
    );
    expect(error.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(error.details).toMatch(reason);
    expect(await suite.engine.records.lastPosition()).toBe(before);
  });

  it('completing a job with an array is INVALID_ARGUMENT; the job stays open', async () => {
    const { processInstanceKey, job } = await startAndActivate(processId, 'bad-variables-task');
    const error = await grpcErrorOf(suite.zbc.completeJob({ jobKey: job.key, variables: ['not', 'an', 'object'] as unknown as JSONDoc }));
    expect(error.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(error.details).toMatch(/'variables'/);
    await suite.zbc.completeJob({ jobKey: job.key, variables: { fine: true } });
    const records = await waitForCompletion(suite.engine, processInstanceKey);
    expect(records.filter((r) => r.valueType === 'JOB' && r.intent === 'COMPLETED')).toHaveLength(1);
  });
});

describe('after all of that', () => {
  it('the engine still deploys and runs a process normally', async () => {
    const processId = 'bad-input-afterwards';
    const deployed = await deployXml(suite.zbc, `${processId}.bpmn`, taskProcess(processId, 'bad-input-afterwards-task'));
    expect(deployed.deployments[0].process).toMatchObject({ bpmnProcessId: processId, version: 1 });
    const { processInstanceKey, job } = await startAndActivate(processId, 'bad-input-afterwards-task', { n: 1 });
    expect(job.variables).toEqual({ n: 1 });
    await suite.zbc.completeJob({ jobKey: job.key, variables: { n: 2 } });
    const records = await waitForCompletion(suite.engine, processInstanceKey);
    const elements = records.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.intent === 'ELEMENT_COMPLETED').map((r) => r.value.elementId);
    expect(elements).toEqual(['start', 'task', 'end', processId]);
  });
});
