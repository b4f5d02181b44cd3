/**
 * A real engine per jest suite: its own scratch database, gRPC and management servers on free ports, and
 * zeebe-node clients wired to it the way an application would be, so suites exercise the real network path.
 */
import type { Knex } from 'knex';
import { ZBClient } from 'zeebe-node';
import type { DeployResourceResponse, ProcessDeployment, ZBCustomLogger } from 'zeebe-node';
import { openScratchDatabase } from '../../db/connect';
import { startEngine, type RunningEngine } from '../../engine/index';
import { createRecordReader, type EngineRecord, type RecordReader } from '../../engine/records';

const HOST = '127.0.0.1';

export interface TestEngine {
  /** host:port of the gateway; unchanged by restart(). */
  address: string;
  /** A new zeebe-node client for this engine; stop() closes it. */
  zbc(): ZBClient;
  /** Moves engine time forward through the management server's clock actuator. */
  advanceClock(ms: number): Promise<void>;
  /** Engine time (epoch ms), read from the clock actuator. */
  engineTime(): Promise<number>;
  /**
   * Closes the engine and starts a new one on the same database and ports, as after a crash-free restart;
   * `whileStopped` runs in between (an upgrade's migrations, say).
   */
  restart(whileStopped?: () => Promise<void>): Promise<void>;
  /** Closes the engine, then the clients (and the workers on them), and drops the scratch database. */
  stop(): Promise<void>;
  /** The engine's exported records, read from the database as the history pages read them. */
  records: RecordReader;
  /** The suite's scratch database, which also holds the business tables (migrated, empty). */
  knex: Knex;
  /** All records of one process instance, in stream order. */
  recordsOf(processInstanceKey: string): Promise<EngineRecord[]>;
}

const silent: ZBCustomLogger = { debug() {}, info() {}, error() {} };

/** A zeebe-node client for any gateway address (e.g. an engine run as a separate process), closed by the caller. */
export function connect(address: string): ZBClient {
  // Every option zeebe-node would otherwise take from ZEEBE_* variables is set here, so a developer's cloud
  // credentials or address in the environment cannot redirect or break the tests.
  return new ZBClient(address, {
    useTLS: false,
    oAuth: undefined,
    basicAuth: undefined,
    customSSL: undefined,
    camundaCloud: undefined,
    // '' is the proto default: no tenant, which the single-tenant gateway reads as <default>.
    tenantId: '',
    retry: false,
    eagerConnection: false,
    loglevel: 'NONE',
    // ZEEBE_NODE_LOG_LEVEL overrides `loglevel`; a silent logger does not care.
    stdout: silent,
    // Every answered call restarts a "channel ready" debounce timer of this length, which close() leaves running:
    // zeebe-node's default of 3 s kept each suite's process alive after its last test.
    connectionTolerance: 100,
  });
}

export interface TestEngineOptions {
  /** Default true: tests move time through the clock actuator. */
  controllableClock?: boolean;
  /** The engine's back-pressure limit (queued commands); the engine's default when absent. */
  maxQueuedCommands?: number;
  /** Rows of engine_state written or deleted between two VACUUMs; the engine's default when absent. */
  vacuumAfterStateWrites?: number;
}

export async function startTestEngine(options: TestEngineOptions = {}): Promise<TestEngine> {
  const controllableClock = options.controllableClock ?? true;
  const { maxQueuedCommands, vacuumAfterStateWrites } = options;
  const database = await openScratchDatabase();
  const engineOptions = { knex: database.knex, host: HOST, controllableClock, maxQueuedCommands, vacuumAfterStateWrites };
  let running: RunningEngine;
  try {
    running = await startEngine({ ...engineOptions, port: 0, managementPort: 0 });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const clients = new Set<ZBClient>();
  let stopping: Promise<void> | undefined;

  const records = createRecordReader(database.knex);
  return {
    address: running.address,
    records,
    knex: database.knex,
    recordsOf: (processInstanceKey) => records.byProcessInstance(processInstanceKey),

    zbc() {
      const client = connect(running.address);
      clients.add(client);
      return client;
    },

    async advanceClock(ms) {
      const response = await fetch(`http://${HOST}:${running.managementPort}/actuator/clock/add`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ offsetMilli: ms }),
      });
      if (!response.ok) throw new Error(`advanceClock(${ms}) answered ${response.status}: ${await response.text()}`);
    },

    async engineTime() {
      const response = await fetch(`http://${HOST}:${running.managementPort}/actuator/clock`);
      if (!response.ok) throw new Error(`engineTime() answered ${response.status}: ${await response.text()}`);
      return ((await response.json()) as { epochMilli: number }).epochMilli;
    },

    async restart(whileStopped) {
      // Zeebe keeps a moved clock across restarts; carry the offset over so engine time does not jump back.
      const offsetMs = running.clock.now() - Date.now();
      await running.close();
      await whileStopped?.();
      running = await startEngine({ ...engineOptions, port: running.port, managementPort: running.managementPort });
      if (controllableClock && offsetMs !== 0) running.clock.add(offsetMs);
      // zeebe-node clients of one address share a connection, which the downtime left in reconnect back-off
      // (up to 10 s): wait until it is up again, or a client's next call fails at once with UNAVAILABLE.
      const probe = connect(running.address);
      try {
        await waitFor(() => probe.topology(), { timeoutMs: 15_000, description: 'the restarted engine to answer zeebe-node' });
      } finally {
        await probe.close();
      }
    },

    stop() {
      stopping ??= (async () => {
        try {
          // The engine first: its gateway ends the workers' long polls. A zeebe-node worker that is closed with
          // a poll in flight cancels it, and its interceptor drops the CANCELLED status while closing, so the
          // poll's 31 s client-side time-out is never cleared and keeps jest's worker process alive.
          await running.close();
          await Promise.all([...clients].map((client) => client.close()));
        } finally {
          await database.drop();
        }
      })();
      return stopping;
    },
  };
}

/** The engine of a suite and its client; both are set once the suite's beforeAll has run. */
export interface SuiteEngine {
  engine: TestEngine;
  zbc: ZBClient;
}

/**
 * One engine for the calling suite: registers a beforeAll that starts it and an afterAll that stops it. Call it at
 * the top of a suite file and read `engine` and `zbc` only inside hooks and tests, where they are set.
 */
export function useTestEngine(options: TestEngineOptions = {}): SuiteEngine {
  const suite = {} as SuiteEngine;
  beforeAll(async () => {
    suite.engine = await startTestEngine(options);
    suite.zbc = suite.engine.zbc();
  });
  afterAll(async () => {
    await suite.engine?.stop();
  });
  return suite;
}

/** Deploys one BPMN document through the gateway, as the modeler or zbctl would. */
export function deployXml(zbc: ZBClient, name: string, xml: string): Promise<DeployResourceResponse<ProcessDeployment>> {
  return zbc.deployResource({ name, process: Buffer.from(xml, 'utf8') });
}

/**
 * Polls until `predicate` returns something truthy and resolves with it. A predicate that throws counts as
 * "not yet" (the thing looked for may not exist yet); the last error is reported on time-out.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number; description?: string } = {},
): Promise<NonNullable<T>> {
  const { timeoutMs = 5000, intervalMs = 25, description = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError === undefined ? '' : `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
      throw new Error(`waitFor: ${description} not met within ${timeoutMs} ms${cause}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
