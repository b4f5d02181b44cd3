/**
 * Durability across restarts. The engine keeps its state in the database and rebuilds memory from it on start,
 * as a Zeebe broker recovers from its log and snapshot: waiting jobs, timers and buffered messages, job
 * deadlines, the key counter, deployed versions and every acknowledged command must survive a stop and start.
 * Most tests restart the engine in-process (harness restart(): close, then open on the same database and ports);
 * the last one runs the engine as its own OS process and kills it with SIGKILL, as a crash would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import ClientPgLite from 'knex-pglite';
import type { ZBClient } from 'zeebe-node';
import { createRecordReader, type EngineRecord } from '../../engine/records';
import { migrateToLatest } from '../../db/migrate';
import { activateCount, activateJobs, activateOne, chain, completeNextJob, deployProcess, flow, message, processXml, serviceTask, taskProcess } from '../support/bpmn';
import { connect, deployXml, useTestEngine, waitFor } from '../support/engineHarness';
import { openRawGateway } from '../support/rawGateway';
import { ofType, processInstance, recordsWhen, waitForCompletion, waitForRecords } from '../support/records';
import { freePort } from '../support/freePort';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const suite = useTestEngine();

/** Jobs of `type` a worker could take right now, asked without a long poll (zeebe-node cannot do that). */
async function activatableNow(type: string): Promise<string[]> {
  const raw = await openRawGateway(suite.engine.address);
  try {
    const outcome = await raw.activateJobs({ type, requestTimeout: -1, maxJobsToActivate: 10, timeout: 1000 });
    return outcome.jobs.map((job) => job.key);
  } finally {
    raw.close();
  }
}

/** start -> service task `first` (job `<id>-first`) -> service task `second` (job `<id>-second`) -> end */
function twoTaskProcess(id: string): string {
  return processXml(
    id,
    `<bpmn:startEvent id="start" />${serviceTask('first', `${id}-first`)}${serviceTask('second', `${id}-second`)}<bpmn:endEvent id="end" />${chain('start', 'first', 'second', 'end')}`,
  );
}

/** Variables of the instance's own scope at the end, from its VARIABLE records (last write wins). */
function processVariables(records: EngineRecord[], processInstanceKey: string): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const r of records) {
    if (r.valueType === 'VARIABLE' && r.value.scopeKey === processInstanceKey) variables[r.value.name as string] = JSON.parse(r.value.value as string);
  }
  return variables;
}

function hostPort(address: string): { host: string; port: number } {
  const index = address.lastIndexOf(':');
  return { host: address.slice(0, index), port: Number(address.slice(index + 1)) };
}

describe('in-process restart', () => {
  test('Topology reports the port the gateway bound (it was asked for port 0), before and after a restart', async () => {
    const { host, port } = hostPort(suite.engine.address);
    expect(port).toBeGreaterThan(0);
    const before = await suite.zbc.topology();
    expect(before.brokers.map((b) => [b.host, b.port])).toEqual([[host, port]]);

    await suite.engine.restart();
    const after = await suite.zbc.topology();
    expect(after.brokers.map((b) => [b.host, b.port])).toEqual([[host, port]]);
  });

  test('a pending job, a waiting timer and a buffered message survive a restart, and the instance completes', async () => {
    const id = 'restart-survivors';
    // Two paths that meet again: the job, then a message catch (its subscription opens only after the job);
    // and a one-hour timer. The summary task sees what both paths produced.
    await deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      <bpmn:parallelGateway id="fork" />
      ${serviceTask('reserve', `${id}-reserve`)}
      <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="paymentMessage" /></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="cooling">
        <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
      </bpmn:intermediateCatchEvent>
      <bpmn:parallelGateway id="join" />
      ${serviceTask('summary', `${id}-summary`)}
      <bpmn:endEvent id="end" />
      ${chain('start', 'fork', 'reserve', 'paid', 'join', 'summary', 'end')}
      ${flow('fork', 'cooling')}
      ${flow('cooling', 'join')}`,
      message('paymentMessage', 'restart-payment', '=orderId'),
    );
    const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: id, variables: { orderId: 'ORD-7' } });
    // Published before anything subscribes: the engine buffers it for its time to live.
    const published = await suite.zbc.publishMessage({
      name: 'restart-payment',
      correlationKey: 'ORD-7',
      timeToLive: 2 * HOUR,
      variables: { paymentRef: 'PAY-1' },
    });
    const beforeRestart = await recordsWhen(
      suite.engine,
      processInstanceKey,
      (records) => records.some(ofType('JOB', 'CREATED')) && records.some(ofType('TIMER', 'CREATED')),
      'the job and the timer to be created',
    );
    const timerCreated = beforeRestart.find((r) => r.valueType === 'TIMER' && r.intent === 'CREATED')!;
    // Half of the hour passes before the restart: the timer must not start counting anew afterwards.
    await suite.engine.advanceClock(30 * MINUTE);

    await suite.engine.restart();

    expect(await suite.engine.recordsOf(processInstanceKey)).toHaveLength(beforeRestart.length);
    const [job] = await activateJobs(suite.zbc, `${id}-reserve`);
    expect(job.processInstanceKey).toBe(processInstanceKey);
    expect(job.variables).toEqual({ orderId: 'ORD-7' });
    await suite.zbc.completeJob({ jobKey: job.key, variables: { reserved: true } });

    // The catch event subscribes now and takes the buffered message at once.
    const [correlated] = await waitForRecords(
      suite.engine,
      processInstanceKey,
      (r) => r.valueType === 'PROCESS_MESSAGE_SUBSCRIPTION' && r.intent === 'CORRELATED' && r.value.elementId === 'paid',
      { description: 'the buffered message to correlate' },
    );
    expect(correlated.value.messageKey).toBe(published.key);
    expect((await suite.engine.recordsOf(processInstanceKey)).some((r) => r.valueType === 'TIMER' && r.intent === 'TRIGGERED')).toBe(false);

    await suite.engine.advanceClock(31 * MINUTE);
    const [summary] = await activateJobs(suite.zbc, `${id}-summary`);
    expect(summary.variables).toEqual({ orderId: 'ORD-7', reserved: true, paymentRef: 'PAY-1' });
    await suite.zbc.completeJob({ jobKey: summary.key, variables: { closed: true } });

    const records = await waitForCompletion(suite.engine, processInstanceKey);
    const triggered = records.find((r) => r.valueType === 'TIMER' && r.intent === 'TRIGGERED')!;
    expect(triggered.key).toBe(timerCreated.key);
    expect(triggered.timestamp).toBeGreaterThanOrEqual(timerCreated.value.dueDate as number);
    // Due one hour of engine time after it was created, not one hour after the restart.
    expect(timerCreated.value.dueDate).toBe(timerCreated.timestamp + HOUR);
    expect(processVariables(records, processInstanceKey)).toEqual({ orderId: 'ORD-7', reserved: true, paymentRef: 'PAY-1', closed: true });
  });

  test('an activated job whose timeout passes after a restart becomes activatable again', async () => {
    const id = 'restart-job-timeout';
    const type = `${id}-work`;
    await deployXml(suite.zbc, `${id}.bpmn`, taskProcess(id, type, { taskId: 'work' }));
    const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: id, variables: {} });
    const [taken] = await suite.zbc.activateJobs({ type, worker: 'before-restart', timeout: 5 * MINUTE, maxJobsToActivate: 1, requestTimeout: 5000 });
    expect(taken.processInstanceKey).toBe(processInstanceKey);

    await suite.engine.restart();

    // Still activated: the deadline came back with the job, it did not turn activatable by the restart.
    expect(await activatableNow(type)).toEqual([]);
    await suite.engine.advanceClock(6 * MINUTE);
    const [again] = await suite.zbc.activateJobs({ type, worker: 'after-restart', timeout: 5 * MINUTE, maxJobsToActivate: 1, requestTimeout: 5000 });
    expect(again.key).toBe(taken.key);
    expect(again.worker).toBe('after-restart');
    await suite.zbc.completeJob({ jobKey: again.key, variables: {} });

    const records = await waitForCompletion(suite.engine, processInstanceKey);
    expect(records.filter((r) => r.valueType === 'JOB').map((r) => r.intent)).toEqual(['CREATED', 'TIMED_OUT', 'COMPLETED']);
  });

  test('keys keep growing and positions continue without gaps after a restart (no key is handed out twice)', async () => {
    const id = 'restart-keys';
    await deployXml(suite.zbc, `${id}.bpmn`, taskProcess(id, `${id}-work`, { taskId: 'work' }));
    const old = await suite.zbc.createProcessInstance({ bpmnProcessId: id, variables: {} });
    // Answered means committed: every record of the creation is in the stream now.
    const lastBefore = await suite.engine.records.lastPosition();
    const before = await suite.engine.records.byPositionRange(1, lastBefore);
    const highestKeyBefore = before.reduce((max, r) => (BigInt(r.key) > max ? BigInt(r.key) : max), 0n);

    await suite.engine.restart();

    const created = await suite.zbc.createProcessInstance({ bpmnProcessId: id, variables: {} });
    expect(BigInt(created.processInstanceKey)).toBeGreaterThan(highestKeyBefore);
    const jobs = await activateCount(suite.zbc, `${id}-work`, 2);
    const oldJob = jobs.find((job) => job.processInstanceKey === old.processInstanceKey)!;
    const newJob = jobs.find((job) => job.processInstanceKey === created.processInstanceKey)!;
    expect(BigInt(oldJob.key)).toBeLessThanOrEqual(highestKeyBefore);
    expect(BigInt(newJob.key)).toBeGreaterThan(highestKeyBefore);

    const ofNewInstance = await suite.engine.recordsOf(created.processInstanceKey);
    for (const r of ofNewInstance) expect(BigInt(r.key)).toBeGreaterThan(highestKeyBefore);
    const all = await suite.engine.records.byPositionRange(1, Number.MAX_SAFE_INTEGER);
    expect(all.map((r) => r.position)).toEqual(all.map((_, i) => i + 1));
    expect(ofNewInstance[0].position).toBeGreaterThan(lastBefore);
  });

  test('deployed processes keep their versions; after a restart the latest is still the default and a redeploy of it is no new version', async () => {
    const id = 'restart-versions';
    const xml = (jobType: string) => taskProcess(id, jobType, { taskId: 'work' });
    const v1 = await deployXml(suite.zbc, `${id}.bpmn`, xml(`${id}-one`));
    const v2 = await deployXml(suite.zbc, `${id}.bpmn`, xml(`${id}-two`));
    expect([v1.deployments[0].process.version, v2.deployments[0].process.version]).toEqual([1, 2]);

    await suite.engine.restart();

    const latest = await suite.zbc.createProcessInstance({ bpmnProcessId: id, variables: {} });
    expect(latest.version).toBe(2);
    expect(latest.processDefinitionKey).toBe(v2.deployments[0].process.processDefinitionKey);
    const first = await suite.zbc.createProcessInstance({ bpmnProcessId: id, version: 1, variables: {} });
    expect(first.processDefinitionKey).toBe(v1.deployments[0].process.processDefinitionKey);
    // Each instance runs the model of its own version.
    expect((await activateJobs(suite.zbc, `${id}-two`))[0].processInstanceKey).toBe(latest.processInstanceKey);
    expect((await activateJobs(suite.zbc, `${id}-one`))[0].processInstanceKey).toBe(first.processInstanceKey);

    const again = await deployXml(suite.zbc, `${id}.bpmn`, xml(`${id}-two`));
    expect(again.deployments[0].process).toMatchObject({ version: 2, processDefinitionKey: v2.deployments[0].process.processDefinitionKey });
    const v3 = await deployXml(suite.zbc, `${id}.bpmn`, xml(`${id}-three`));
    expect(v3.deployments[0].process.version).toBe(3);
  });

  test('acknowledged commands are never lost: completions answered just before the restart have their effect after it', async () => {
    const id = 'restart-acknowledged';
    await deployXml(suite.zbc, `${id}.bpmn`, twoTaskProcess(id));
    const count = 12;
    const created = await Promise.all(Array.from({ length: count }, (_, i) => suite.zbc.createProcessInstance({ bpmnProcessId: id, variables: { line: i } })));
    const jobs = await activateCount(suite.zbc, `${id}-first`, count);
    // All at once, so the completions share group commits; each answer means "durable".
    await Promise.all(jobs.map((job) => suite.zbc.completeJob({ jobKey: job.key, variables: { handledLine: job.variables.line } })));

    await suite.engine.restart();

    expect(await activatableNow(`${id}-first`)).toEqual([]);
    const next = await activateCount(suite.zbc, `${id}-second`, count);
    expect(new Set(next.map((job) => job.processInstanceKey))).toEqual(new Set(created.map((c) => c.processInstanceKey)));
    for (const job of next) expect(job.variables.handledLine).toBe(job.variables.line);
    await Promise.all(next.map((job) => suite.zbc.completeJob({ jobKey: job.key, variables: {} })));
    for (const { processInstanceKey } of created) {
      const records = await waitForCompletion(suite.engine, processInstanceKey);
      expect(records.filter((r) => r.valueType === 'JOB' && r.intent === 'COMPLETED')).toHaveLength(2);
    }
  });

  test('state saved before variables and their keys shared one row is converted on upgrade, and the instance goes on', async () => {
    const id = 'restart-upgrade';
    await deployXml(suite.zbc, `${id}.bpmn`, twoTaskProcess(id));
    const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: id, variables: { orderId: 'ORD-9', lines: [1, 2] } });
    await completeNextJob(suite.zbc, `${id}-first`, { status: 'reserved' });
    const before = await recordsWhen(suite.engine, processInstanceKey, (records) => records.filter(ofType('JOB', 'CREATED')).length === 2, 'the second job');
    const createdKey = (name: string) => before.find((r) => r.valueType === 'VARIABLE' && r.intent === 'CREATED' && r.value.name === name)!.key;
    const knex = suite.engine.knex;

    await suite.engine.restart(async () => {
      // Back to the old layout, as the engine wrote it then: values in the 'variables' row, keys in 'variable-key'.
      const scopes = await knex('engine_state').where({ kind: 'variables' });
      expect(scopes.length).toBeGreaterThan(0);
      for (const scope of scopes) {
        await knex('engine_state').where({ kind: 'variables', key: scope.key }).update({ value: JSON.stringify(scope.value.values) });
        await knex('engine_state').insert({ kind: 'variable-key', key: scope.key, value: JSON.stringify(scope.value.keys) });
      }
      await knex('knex_migrations').where('name', 'like', '%_engine_scope_variables.ts').delete();
      await migrateToLatest(knex);
    });

    expect(await knex('engine_state').where({ kind: 'variable-key' })).toEqual([]);
    const second = await activateOne(suite.zbc, `${id}-second`);
    expect(second.variables).toEqual({ orderId: 'ORD-9', lines: [1, 2], status: 'reserved' });
    await suite.zbc.completeJob({ jobKey: second.key, variables: { status: 'shipped' } });
    const records = await waitForCompletion(suite.engine, processInstanceKey);
    // The update is written under the key the variable was created with, as before the upgrade.
    const updated = records.find((r) => r.valueType === 'VARIABLE' && r.intent === 'UPDATED' && r.value.name === 'status')!;
    expect(updated.key).toBe(createdKey('status'));
    expect(processVariables(records, processInstanceKey)).toEqual({ orderId: 'ORD-9', lines: [1, 2], status: 'shipped' });
  });
});

// ---- the engine as its own process, killed with SIGKILL

const REPO_ROOT = path.resolve(__dirname, '..', '..');


interface EngineProcess {
  child: ChildProcess;
  output(): string;
}

/**
 * `npm run engine` (tsx engine/main.ts) as node runs it, without npx in between (it only adds start-up time), in
 * its own process group, so a kill reaches every process of it.
 */
async function spawnEngine(dataDir: string, port: number, managementPort: number): Promise<EngineProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // PGlite on a data directory; no Postgres server and no developer ZEEBE_* settings leak in.
  delete env.DATABASE_URL;
  for (const name of Object.keys(env)) if (name.startsWith('ZEEBE_')) delete env[name];
  Object.assign(env, {
    PGLITE_DATA_DIR: dataDir,
    ZEEBE_GATEWAY_HOST: '127.0.0.1',
    ZEEBE_GATEWAY_PORT: String(port),
    ZEEBE_MANAGEMENT_PORT: String(managementPort),
    ZEEBE_CLOCK_CONTROLLED: 'true',
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'engine/main.ts'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code, signal) => reject(new Error(`engine process exited (${code ?? signal}) before it was up:\n${output}`))));
  exited.catch(() => undefined);
  const up = waitFor(() => output.includes('engine: Zeebe gateway API on'), { timeoutMs: 60_000, intervalMs: 50, description: 'the engine process to start' });
  up.catch(() => undefined);
  await Promise.race([up, exited]);
  return { child, output: () => output };
}

/** Signals the whole process group and waits until the engine process has exited. */
async function killEngine(engineProcess: EngineProcess, signal: NodeJS.Signals): Promise<void> {
  const { child } = engineProcess;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid!, signal);
  await exited;
  if (signal !== 'SIGKILL') {
    // A process of the group may outlive the one we started: wait until the whole group is gone.
    await waitFor(
      () => {
        try {
          process.kill(-child.pid!, 0);
          return false;
        } catch {
          return true;
        }
      },
      { timeoutMs: 15_000, description: 'the engine process group to exit' },
    );
  }
}

describe('process restart after a crash (SIGKILL), engine on a PGlite data directory', () => {
  let dataDir: string | undefined;
  let running: EngineProcess | undefined;
  const clients: ZBClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    if (running) await killEngine(running, 'SIGKILL');
    running = undefined;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  test('nothing acknowledged before the kill is lost, and the instances complete after the engine is started again', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'engine-crash-'));
    const port = await freePort();
    const managementPort = await freePort();
    const address = `127.0.0.1:${port}`;
    const id = 'crash-restart';
    const count = 8;

    running = await spawnEngine(dataDir, port, managementPort);
    const before = connect(address);
    clients.push(before);
    const deployed = await deployXml(before, `${id}.bpmn`, twoTaskProcess(id));
    const created = await Promise.all(Array.from({ length: count }, (_, i) => before.createProcessInstance({ bpmnProcessId: id, variables: { line: i } })));
    const firstJobs = await activateCount(before, `${id}-first`, count);
    await Promise.all(firstJobs.map((job) => before.completeJob({ jobKey: job.key, variables: { handledLine: job.variables.line } })));
    // The last completion was answered: crash now, with no chance to flush or close anything.
    await killEngine(running, 'SIGKILL');
    running = undefined;
    await before.close();

    running = await spawnEngine(dataDir, port, managementPort);
    const after = connect(address);
    clients.push(after);
    const raw = await openRawGateway(address);
    try {
      expect((await raw.activateJobs({ type: `${id}-first`, requestTimeout: -1, maxJobsToActivate: count })).jobs).toEqual([]);
    } finally {
      raw.close();
    }
    const secondJobs = await activateCount(after, `${id}-second`, count);
    expect(new Set(secondJobs.map((job) => job.processInstanceKey))).toEqual(new Set(created.map((c) => c.processInstanceKey)));
    for (const job of secondJobs) expect(job.variables.handledLine).toBe(job.variables.line);
    await Promise.all(secondJobs.map((job) => after.completeJob({ jobKey: job.key, variables: {} })));
    // The deployment survived too, and new keys lie above every key handed out before the crash.
    const highestBefore = [...created.map((c) => BigInt(c.processInstanceKey)), ...firstJobs.map((job) => BigInt(job.key))].reduce((a, b) => (a > b ? a : b));
    const fresh = await after.createProcessInstance({ bpmnProcessId: id, variables: { line: count } });
    expect(fresh.processDefinitionKey).toBe(deployed.deployments[0].process.processDefinitionKey);
    expect(BigInt(fresh.processInstanceKey)).toBeGreaterThan(highestBefore);
    await after.cancelProcessInstance(fresh.processInstanceKey);

    // Read what the engine exported once it has stopped (PGlite allows one process on a data directory).
    await killEngine(running, 'SIGTERM');
    running = undefined;
    const knex = knexFactory({ client: ClientPgLite, connection: { filename: dataDir } });
    try {
      const reader = createRecordReader(knex);
      for (const { processInstanceKey } of created) {
        const records = await reader.byProcessInstance(processInstanceKey);
        expect(records.some(processInstance(processInstanceKey, 'ELEMENT_COMPLETED'))).toBe(true);
        // Each completion happened exactly once: none lost in the crash, none replayed after it.
        expect(records.filter((r) => r.valueType === 'JOB' && r.intent === 'COMPLETED').map((r) => r.value.elementId)).toEqual(['first', 'second']);
      }
      const all = await reader.byPositionRange(1, Number.MAX_SAFE_INTEGER);
      expect(all.map((r) => r.position)).toEqual(all.map((_, i) => i + 1));
    } finally {
      await knex.destroy();
    }
  }, 120_000);
});
