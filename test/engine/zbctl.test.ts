/**
 * Camunda's own CLI against the engine: zbctl from the npm package `zbctl` (a Go binary built on Zeebe's Go
 * client), run as an operator runs it. What it prints is what Zeebe's gateway answers would print, so the
 * tests read zbctl's output (JSON for commands, text for `status`) and check the engine's state through
 * zeebe-node and the exported records.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chain, message, processXml, scriptTask, serviceTask } from '../support/bpmn';
import { useTestEngine } from '../support/engineHarness';
import { ofType, recordsWhen, waitForCompletion } from '../support/records';

const ZBCTL = path.join(path.dirname(require.resolve('zbctl/package.json')), 'bin', 'zbctl-cli.linux');

const suite = useTestEngine();
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'zbctl-test-'));
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

interface ZbctlRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs zbctl against the test engine. Its environment is bare, so no ZEEBE_* setting of the developer applies. */
function zbctl(...args: string[]): Promise<ZbctlRun> {
  return new Promise((resolve, reject) => {
    execFile(
      ZBCTL,
      [...args, '--address', suite.engine.address, '--insecure'],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workDir }, timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** Runs a zbctl command that must succeed and returns its JSON output. */
async function zbctlJson<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  const run = await zbctl(...args);
  if (run.code !== 0) throw new Error(`zbctl ${args.join(' ')} exited with ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

async function bpmnFile(name: string, xml: string): Promise<string> {
  const file = path.join(workDir, name);
  await writeFile(file, xml, 'utf8');
  return file;
}

/** Deploys a process made of `body` (and `rootElements`) with `zbctl deploy`, from the file `<processId>.bpmn`. */
async function deployWithZbctl(processId: string, body: string, rootElements = ''): Promise<void> {
  await zbctlJson('deploy', await bpmnFile(`${processId}.bpmn`, processXml(processId, body, rootElements)));
}

interface ProcessMetadata {
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: string;
  resourceName: string;
}

interface DeployProcessOutput {
  key: string;
  processes: ProcessMetadata[];
}

interface DeployResourceOutput {
  key: string;
  deployments: { process: ProcessMetadata }[];
}

interface CreateOutput {
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  processInstanceKey: string;
  /** JSON text, as the gateway sends it */
  variables?: string;
}

const KEY = /^[1-9][0-9]*$/;

describe('zbctl', () => {
  it('runs on this machine', async () => {
    // `version` talks to no gateway; it only proves the shipped binary executes here.
    const run = await new Promise<string>((resolve, reject) =>
      execFile(ZBCTL, ['version'], { env: { PATH: process.env.PATH ?? '' } }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    expect(run).toMatch(/^zbctl 8\.\d+\.\d+/);
  });

  it('status shows one broker leading partition 1 at the gateway address', async () => {
    const run = await zbctl('status');
    expect(run.code).toBe(0);
    const topology = await suite.zbc.topology();
    const lines = run.stdout.split('\n').map((line) => line.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        'Cluster size: 1',
        'Partitions count: 1',
        'Replication factor: 1',
        `Gateway version: ${topology.gatewayVersion}`,
        `Broker 0 - ${suite.engine.address}`,
        `Version: ${topology.gatewayVersion}`,
        'Partition 1 : Leader, Healthy',
      ]),
    );
  });

  it('deploy <file> (DeployProcess) and deploy resource <file> (DeployResource) deploy one version of an unchanged model', async () => {
    const processId = 'zbctl-deploy';
    const file = await bpmnFile(`${processId}.bpmn`, processXml(processId, `<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />${chain('start', 'end')}`));

    // The deprecated form goes through the DeployProcess RPC and prints its response.
    const first = await zbctlJson<DeployProcessOutput>('deploy', file);
    expect(first.key).toMatch(KEY);
    expect(first.processes).toHaveLength(1);
    const [process] = first.processes;
    expect(process).toMatchObject({ bpmnProcessId: processId, version: 1, resourceName: file });
    expect(process.processDefinitionKey).toMatch(KEY);

    const again = await zbctlJson<DeployResourceOutput>('deploy', 'resource', file);
    expect(again.key).toMatch(KEY);
    expect(again.key).not.toBe(first.key);
    expect(again.deployments).toHaveLength(1);
    expect(again.deployments[0].process).toEqual(process);

    // zeebe-node sees the same definition.
    const created = await suite.zbc.createProcessInstance({ bpmnProcessId: processId, variables: {} });
    expect(created.processDefinitionKey).toBe(process.processDefinitionKey);
  });

  it('deploy of an invalid model fails with the rejection', async () => {
    const file = await bpmnFile('zbctl-invalid.bpmn', processXml('zbctl-invalid', '<bpmn:complexGateway id="cg" />'));
    const run = await zbctl('deploy', file);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('InvalidArgument');
    expect(run.stderr).toContain("Elements of type 'ComplexGateway' are currently not supported");
  });

  it('create instance --withResult answers with the variables of a process run by a script task', async () => {
    const processId = 'zbctl-script';
    await deployWithZbctl(
      processId,
      `<bpmn:startEvent id="start" />
      ${scriptTask('greet', '="Hello " + name', 'greeting')}
      <bpmn:endEvent id="end" />
      ${chain('start', 'greet', 'end')}`,
    );
    const result = await zbctlJson<CreateOutput>('create', 'instance', processId, '--withResult', '--variables', '{"name":"Unicom"}');
    expect(result).toMatchObject({ bpmnProcessId: processId, version: 1 });
    expect(result.processInstanceKey).toMatch(KEY);
    expect(JSON.parse(result.variables ?? 'null')).toEqual({ name: 'Unicom', greeting: 'Hello Unicom' });

    const records = await suite.engine.recordsOf(result.processInstanceKey);
    const completed = records.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.intent === 'ELEMENT_COMPLETED').map((r) => r.value.elementId);
    expect(completed).toEqual(['start', 'greet', 'end', processId]);
  });

  it('create instance --withResult waits for a service task a zeebe-node worker completes', async () => {
    const processId = 'zbctl-worker';
    await deployWithZbctl(
      processId,
      `<bpmn:startEvent id="start" />
      ${serviceTask('lookup', 'zbctl-worker-lookup')}
      <bpmn:endEvent id="end" />
      ${chain('start', 'lookup', 'end')}`,
    );
    const seen: unknown[] = [];
    const worker = suite.zbc.createWorker<{ phone: string }>({
      taskType: 'zbctl-worker-lookup',
      loglevel: 'NONE',
      taskHandler: (job) => {
        seen.push(job.variables);
        return job.complete({ plan: `plan-of-${job.variables.phone}` });
      },
    });
    try {
      const result = await zbctlJson<CreateOutput>('create', 'instance', processId, '--withResult', '--variables', '{"phone":"10010"}');
      expect(JSON.parse(result.variables ?? 'null')).toEqual({ phone: '10010', plan: 'plan-of-10010' });
      expect(seen).toEqual([{ phone: '10010' }]);
    } finally {
      await worker.close();
    }
  });

  it('create instance of an unknown process fails with NotFound', async () => {
    const run = await zbctl('create', 'instance', 'zbctl-nobody');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('NotFound');
    expect(run.stderr).toContain('zbctl-nobody');
  });

  it('publish message correlates to the instance waiting for it, with its variables', async () => {
    const processId = 'zbctl-message';
    await deployWithZbctl(
      processId,
      `<bpmn:startEvent id="start" />
      <bpmn:intermediateCatchEvent id="waitForPayment"><bpmn:messageEventDefinition messageRef="paymentMessage" /></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="end" />
      ${chain('start', 'waitForPayment', 'end')}`,
      message('paymentMessage', 'zbctl-payment-received', '=orderId'),
    );
    const waiting = await zbctlJson<CreateOutput>('create', 'instance', processId, '--variables', '{"orderId":"order-7"}');
    const other = await zbctlJson<CreateOutput>('create', 'instance', processId, '--variables', '{"orderId":"order-8"}');
    for (const instance of [waiting, other]) {
      await recordsWhen(
        suite.engine,
        instance.processInstanceKey,
        (records) => records.some(ofType('PROCESS_MESSAGE_SUBSCRIPTION', 'CREATED')),
        `instance ${instance.processInstanceKey} to wait for the message`,
      );
    }

    const published = await zbctlJson<{ key: string; tenantId: string }>(
      'publish', 'message', 'zbctl-payment-received', '--correlationKey', 'order-7', '--variables', '{"amount":99.5}',
    );
    expect(published.key).toMatch(KEY);
    expect(published.tenantId).toBe('<default>');

    const records = await waitForCompletion(suite.engine, waiting.processInstanceKey);
    const correlated = records.filter((r) => r.valueType === 'PROCESS_MESSAGE_SUBSCRIPTION' && r.intent === 'CORRELATED');
    expect(correlated).toHaveLength(1);
    expect(correlated[0].value.messageKey).toBe(published.key);
    const amount = records.find((r) => r.valueType === 'VARIABLE' && r.value.name === 'amount');
    expect(amount?.value.value).toBe('99.5');

    // The message's correlation key matched only one instance.
    const otherRecords = await suite.engine.recordsOf(other.processInstanceKey);
    expect(otherRecords.some((r) => r.valueType === 'PROCESS_MESSAGE_SUBSCRIPTION' && r.intent === 'CORRELATED')).toBe(false);
    await suite.zbc.cancelProcessInstance(other.processInstanceKey);
  });
});
