import type { Knex } from 'knex';
import { EngineClock } from './clock';
import { DEFAULT_MAX_QUEUED_COMMANDS, Engine } from './engine';
import { startGateway } from './gateway';
import { startManagementServer } from './managementServer';
import { createEngineStore } from './state/store';

export interface RunningEngine {
  /** host:port of the Zeebe gateway API. */
  address: string;
  port: number;
  managementPort: number;
  clock: EngineClock;
  engine: Engine;
  /** Stops the gateway, the management server and the engine; the database stays open. */
  close(): Promise<void>;
}

/** The engine with its gRPC gateway and management port, configured like Zeebe's through the environment. */
export async function startEngine(options: {
  knex: Knex;
  host?: string;
  port?: number;
  managementPort?: number;
  controllableClock?: boolean;
  /** Commands queued beyond this get RESOURCE_EXHAUSTED; ZEEBE_BACKPRESSURE_LIMIT, default 20,000. */
  maxQueuedCommands?: number;
  /** Rows of engine_state written or deleted between two VACUUMs of it (see engine/state/stateVacuum.ts). */
  vacuumAfterStateWrites?: number;
}): Promise<RunningEngine> {
  const host = options.host ?? process.env.ZEEBE_GATEWAY_HOST ?? '0.0.0.0';
  const port = options.port ?? portFromEnv('ZEEBE_GATEWAY_PORT', 26500);
  const managementPort = options.managementPort ?? portFromEnv('ZEEBE_MANAGEMENT_PORT', 9600);
  const clock = new EngineClock(options.controllableClock ?? process.env.ZEEBE_CLOCK_CONTROLLED === 'true');

  const maxQueuedCommands = options.maxQueuedCommands ?? integerFromEnv('ZEEBE_BACKPRESSURE_LIMIT', DEFAULT_MAX_QUEUED_COMMANDS, 1, Number.MAX_SAFE_INTEGER, 'a positive whole number');
  const engine = await Engine.open({
    store: createEngineStore(options.knex, { vacuumAfterStateWrites: options.vacuumAfterStateWrites }),
    clock,
    maxQueuedCommands,
  });
  const stops: (() => Promise<void>)[] = [() => engine.close()];
  const stopAll = async () => {
    const failures: unknown[] = [];
    // Front to back: stop taking requests before the engine under them goes away.
    for (const stop of [...stops].reverse()) {
      try {
        await stop();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, 'the engine did not stop cleanly');
  };
  try {
    const gateway = await startGateway(engine, { host, port });
    stops.push(() => gateway.close());
    engine.setGatewayAddress({ host, port: gateway.port });
    const management = await startManagementServer({ host, port: managementPort, clock });
    stops.push(() => management.close());

    let closing: Promise<void> | undefined;
    return {
      address: `${host}:${gateway.port}`,
      port: gateway.port,
      managementPort: management.port,
      clock,
      engine,
      close: () => (closing ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function portFromEnv(name: string, fallback: number): number {
  return integerFromEnv(name, fallback, 0, 65535, 'a port number');
}

function integerFromEnv(name: string, fallback: number, min: number, max: number, what: string): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be ${what}, but it is '${text}'`);
  return value;
}
