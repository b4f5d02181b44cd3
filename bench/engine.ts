/**
 * `npm run bench:engine`: engine throughput and latency, measured the way an application sees them — the engine
 * runs as its own process (`npm run engine`), the load comes through zeebe-node over gRPC.
 *
 * 1. Throughput: 10,000 instances of start → service task → end, completed by 4 zeebe-node workers.
 * 2. Latency: CreateProcessInstanceWithResult of a 3-service-task model at a steady 50 instances/s.
 *
 * Runs on PGlite (a fresh data directory) and, when BENCH_DATABASE_URL or DATABASE_URL points at a Postgres
 * server, on a fresh database there; with BENCH_ZEEBE_ADDRESS, against that running gateway only. Options:
 * BENCH_INSTANCES (10000), BENCH_LATENCY_SECONDS (20), BENCH_IN_FLIGHT (400).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { ZBClient } from 'zeebe-node';
import { freePort } from '../test/support/freePort';
import { percentile } from './percentile';

const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 10_000);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);
const LATENCY_RATE = 50;
const WORKERS = 4;
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 400);

function serviceTasks(id: string, count: number): string {
  const tasks = Array.from({ length: count }, (_, i) => i + 1);
  const nodes = tasks
    .map((i) => `<bpmn:serviceTask id="task${i}"><bpmn:extensionElements><zeebe:taskDefinition type="${id}-work" /></bpmn:extensionElements></bpmn:serviceTask>`)
    .join('');
  const ids = ['start', ...tasks.map((i) => `task${i}`), 'end'];
  const flows = ids.slice(1).map((target, i) => `<bpmn:sequenceFlow id="f${i}" sourceRef="${ids[i]}" targetRef="${target}" />`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bench" targetNamespace="bench">
  <bpmn:process id="${id}" isExecutable="true"><bpmn:startEvent id="start" />${nodes}<bpmn:endEvent id="end" />${flows}</bpmn:process>
</bpmn:definitions>`;
}


interface Backend {
  name: string;
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

async function pgliteBackend(): Promise<Backend> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-pglite-'));
  return {
    name: 'PGlite',
    env: { PGLITE_DATA_DIR: dir, DATABASE_URL: '' },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresBackend(serverUrl: string): Promise<Backend> {
  const name = `bench_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name: 'Postgres',
    env: { DATABASE_URL: url.toString() },
    cleanup: async () => {
      await admin.raw(`drop database if exists ${name} with (force)`);
      await admin.destroy();
    },
  };
}

async function startEngineProcess(backend: Backend): Promise<{ address: string; child: ChildProcess }> {
  const port = await freePort();
  const managementPort = await freePort();
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, '..', 'engine', 'main.ts')], {
    env: {
      ...process.env,
      ...backend.env,
      ZEEBE_GATEWAY_HOST: '127.0.0.1',
      ZEEBE_GATEWAY_PORT: String(port),
      ZEEBE_MANAGEMENT_PORT: String(managementPort),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (process.env.ENGINE_PROFILE) process.stderr.write(chunk);
      if (chunk.toString().includes('engine: Zeebe gateway API')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`engine exited with ${code}`)));
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') console.error(`engine process ended unexpectedly (${code ?? signal})`);
  });
  return { address: `127.0.0.1:${port}`, child };
}

/**
 * zeebe-node polls again only on its poll tick (300 ms by default) after a long poll returned, which alone adds
 * ~150 ms per task on average; latency-sensitive workers set a short tick (a pending long poll blocks the tick,
 * so it costs nothing while waiting).
 */
const POLL_INTERVAL_MS = 5;

function client(address: string): ZBClient {
  return new ZBClient(address, {
    useTLS: false,
    retry: false,
    loglevel: 'NONE',
    oAuth: undefined,
    camundaCloud: undefined,
    pollInterval: POLL_INTERVAL_MS,
  });
}

async function measureThroughput(address: string): Promise<number> {
  const zbc = client(address);
  await zbc.deployResource({ name: 'bench-throughput.bpmn', process: Buffer.from(serviceTasks('bench-throughput', 1)) });
  let completed = 0;
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const workers = Array.from({ length: WORKERS }, () =>
    zbc.createWorker({
      taskType: 'bench-throughput-work',
      maxJobsToActivate: 128,
      timeout: 60_000,
      taskHandler: async (job) => {
        const result = await job.complete();
        if (++completed === INSTANCES) allDone();
        return result;
      },
    }),
  );
  const started = Date.now();
  let next = 0;
  const starter = async () => {
    while (next < INSTANCES) {
      next += 1;
      await zbc.createProcessInstance({ bpmnProcessId: 'bench-throughput', variables: { n: next } });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, starter));
  await done;
  const seconds = (Date.now() - started) / 1000;
  await Promise.all(workers.map((w) => w.close()));
  await zbc.close();
  return INSTANCES / seconds;
}

async function measureLatency(address: string): Promise<{ p50: number; p99: number; samples: number }> {
  const zbc = client(address);
  await zbc.deployResource({ name: 'bench-latency.bpmn', process: Buffer.from(serviceTasks('bench-latency', 3)) });
  const workers = Array.from({ length: WORKERS }, () =>
    zbc.createWorker({ taskType: 'bench-latency-work', maxJobsToActivate: 32, taskHandler: (job) => job.complete() }),
  );
  const latencies: number[] = [];
  const total = LATENCY_SECONDS * LATENCY_RATE;
  const pending: Promise<void>[] = [];
  const begin = Date.now();
  for (let i = 0; i < total; i++) {
    const due = begin + (i * 1000) / LATENCY_RATE;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    pending.push(
      zbc
        .createProcessInstanceWithResult({ bpmnProcessId: 'bench-latency', variables: { i }, requestTimeout: 10_000 })
        .then(() => void latencies.push(performance.now() - sent)),
    );
  }
  await Promise.all(pending);
  await Promise.all(workers.map((w) => w.close()));
  await zbc.close();
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), samples: latencies.length };
}

async function run(backend: Backend): Promise<void> {
  const { address, child } = await startEngineProcess(backend);
  try {
    await measure(backend.name, address);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await backend.cleanup();
  }
}

async function measure(name: string, address: string): Promise<void> {
  const throughput = await measureThroughput(address);
  console.log(`${name}: ${throughput.toFixed(0)} completed instances/s (start → service task → end, ${INSTANCES} instances, ${WORKERS} workers)`);
  const latency = await measureLatency(address);
  console.log(
    `${name}: CreateProcessInstanceWithResult, 3 service tasks at ${LATENCY_RATE}/s: p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms (${latency.samples} instances)`,
  );
}

async function main(): Promise<void> {
  // An engine (or Camunda 8 gateway) that is already running, e.g. one started under a profiler.
  const external = process.env.BENCH_ZEEBE_ADDRESS;
  if (external) return measure(external, external);
  await run(await pgliteBackend());
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL;
  if (serverUrl) await run(await postgresBackend(serverUrl));
  else console.log('Postgres: skipped (set BENCH_DATABASE_URL or DATABASE_URL to a Postgres server)');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
