/**
 * The gateway driven with @grpc/grpc-js directly, for what zeebe-node 8.3.2 hides or cannot send: its activateJobs
 * never resolves when a poll ends without jobs (Zeebe sends no response message then), it has no client for
 * StreamActivatedJobs or DeleteResource, its createProcessInstance drops processDefinitionKey, and it always sends
 * variables as JSON of an object. The service definition is the zeebe.proto zeebe-node ships, loaded once with the
 * options the gateway and zeebe-node use, so messages are encoded exactly as they are for real clients.
 */
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { SuiteEngine } from './engineHarness';

const PROTO_PATH = path.join(path.dirname(require.resolve('zeebe-node/package.json')), 'proto', 'zeebe.proto');

/** What a failed call rejects with: grpc-js's ServiceError (code and details, as from zeebe-node). */
export type GrpcError = Error & { code: grpc.status; details: string };

/** An ActivatedJob message as decoded (int64 fields as decimal strings, JSON documents as text). */
export interface RawJob {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  processDefinitionKey: string;
  elementId: string;
  elementInstanceKey: string;
  customHeaders: string;
  worker: string;
  retries: number;
  deadline: string;
  variables: string;
  tenantId: string;
}

export interface ActivateRequest {
  type: string;
  worker?: string;
  /** Job timeout, ms. */
  timeout?: number;
  maxJobsToActivate?: number;
  fetchVariable?: string[];
  /** Long-poll time, ms: 0 = the gateway's default, negative = answer at once. */
  requestTimeout: number;
}

export interface ActivateOutcome {
  jobs: RawJob[];
  /** How many response messages the call carried (Zeebe sends none when no job was activated). */
  responses: number;
  code: grpc.status;
  details: string;
  elapsedMs: number;
}

export interface RawJobStream {
  /** The next pushed job; rejects when none arrives within `timeoutMs`. */
  next(timeoutMs?: number): Promise<RawJob>;
  /** Jobs pushed so far and not yet taken with next(). */
  pending(): RawJob[];
  close(): void;
}

export interface RawGateway {
  activateJobs(request: ActivateRequest): Promise<ActivateOutcome>;
  streamJobs(request: { type: string; worker?: string; timeout?: number; fetchVariable?: string[] }): RawJobStream;
  /** Calls a unary RPC by its proto name (e.g. 'DeleteResource'); resolves with the decoded response. */
  call<Response = Record<string, unknown>>(rpc: string, request: object): Promise<Response>;
  close(): void;
}

type UnaryMethod = (request: object, callback: (error: grpc.ServiceError | null, response: unknown) => void) => void;

type GatewayClient = grpc.Client & {
  ActivateJobs(request: object): grpc.ClientReadableStream<{ jobs: RawJob[] }>;
  StreamActivatedJobs(request: object): grpc.ClientReadableStream<RawJob>;
};

type GatewayConstructor = new (address: string, credentials: grpc.ChannelCredentials) => GatewayClient;

let gatewayService: Promise<GatewayConstructor> | undefined;

/** The Gateway service of zeebe.proto, loaded on first use and shared by every client. */
function loadGatewayService(): Promise<GatewayConstructor> {
  gatewayService ??= protoLoader
    .load(PROTO_PATH, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true })
    .then((definition) => {
      const proto = grpc.loadPackageDefinition(definition) as unknown as { gateway_protocol: { Gateway: GatewayConstructor } };
      return proto.gateway_protocol.Gateway;
    });
  return gatewayService;
}

export async function openRawGateway(address: string): Promise<RawGateway> {
  const Gateway = await loadGatewayService();
  const client = new Gateway(address, grpc.credentials.createInsecure());
  const streams = new Set<grpc.ClientReadableStream<RawJob>>();

  return {
    activateJobs(request) {
      const started = Date.now();
      return new Promise((resolve) => {
        const jobs: RawJob[] = [];
        let responses = 0;
        const call = client.ActivateJobs({
          type: request.type,
          worker: request.worker ?? 'raw-worker',
          timeout: request.timeout ?? 60_000,
          maxJobsToActivate: request.maxJobsToActivate ?? 32,
          fetchVariable: request.fetchVariable ?? [],
          requestTimeout: request.requestTimeout,
          tenantIds: [],
        });
        call.on('data', (response: { jobs: RawJob[] }) => {
          responses += 1;
          jobs.push(...response.jobs);
        });
        // A non-OK status also arrives as 'error'; 'status' reports every outcome once, at the end.
        call.on('error', () => undefined);
        call.on('status', (status: grpc.StatusObject) =>
          resolve({ jobs, responses, code: status.code, details: status.details, elapsedMs: Date.now() - started }),
        );
      });
    },

    streamJobs(request) {
      const call = client.StreamActivatedJobs({
        type: request.type,
        worker: request.worker ?? 'raw-stream',
        timeout: request.timeout ?? 60_000,
        fetchVariable: request.fetchVariable ?? [],
        tenantIds: [],
      });
      streams.add(call);
      const received: RawJob[] = [];
      const waiters: ((job: RawJob) => void)[] = [];
      call.on('data', (job: RawJob) => {
        const waiter = waiters.shift();
        if (waiter) waiter(job);
        else received.push(job);
      });
      // Cancelling our own stream ends it with CANCELLED; nothing to report.
      call.on('error', () => undefined);
      return {
        next(timeoutMs = 5000) {
          const ready = received.shift();
          if (ready) return Promise.resolve(ready);
          return new Promise<RawJob>((resolve, reject) => {
            const timer = setTimeout(() => {
              waiters.splice(waiters.indexOf(deliver), 1);
              reject(new Error(`no job was pushed on the stream for '${request.type}' within ${timeoutMs} ms`));
            }, timeoutMs);
            const deliver = (job: RawJob) => {
              clearTimeout(timer);
              resolve(job);
            };
            waiters.push(deliver);
          });
        },
        pending: () => [...received],
        close() {
          streams.delete(call);
          call.cancel();
        },
      };
    },

    call<Response>(rpc: string, request: object) {
      const method = (client as unknown as Record<string, UnaryMethod>)[rpc];
      if (typeof method !== 'function') return Promise.reject(new Error(`zeebe.proto has no RPC '${rpc}'`));
      return new Promise<Response>((resolve, reject) =>
        method.call(client, request, (error, response) => (error ? reject(error) : resolve(response as Response))),
      );
    },

    close() {
      for (const call of streams) call.cancel();
      streams.clear();
      client.close();
    },
  };
}

/**
 * A raw gateway client for the suite's engine, opened in a beforeAll and closed in an afterAll. Call it after
 * useTestEngine (whose beforeAll starts the engine) and use the client only inside tests.
 */
export function useRawGateway(suite: Pick<SuiteEngine, 'engine'>): RawGateway {
  let opened: RawGateway | undefined;
  beforeAll(async () => {
    opened = await openRawGateway(suite.engine.address);
  });
  afterAll(() => opened?.close());
  const gateway = (): RawGateway => {
    if (!opened) throw new Error('the raw gateway is opened in beforeAll: use it inside tests');
    return opened;
  };
  return {
    activateJobs: (request) => gateway().activateJobs(request),
    streamJobs: (request) => gateway().streamJobs(request),
    call: <Response>(rpc: string, request: object) => gateway().call<Response>(rpc, request),
    close: () => gateway().close(),
  };
}

/** A CreateProcessInstance request with every field the proto defines, for call('CreateProcessInstance', ...). */
export function createInstanceRequest(fields: { processDefinitionKey?: string; bpmnProcessId?: string; version?: number; variables?: string }) {
  return {
    processDefinitionKey: fields.processDefinitionKey ?? '0',
    bpmnProcessId: fields.bpmnProcessId ?? '',
    version: fields.version ?? -1,
    variables: fields.variables ?? '',
    startInstructions: [],
    tenantId: '',
  };
}

/** The gRPC error a call failed with; fails the test when the call succeeded. */
export async function grpcErrorOf(call: Promise<unknown>): Promise<GrpcError> {
  const outcome = await call.then(
    (response) => ({ response }),
    (error: unknown) => ({ error: error as GrpcError }),
  );
  if ('response' in outcome) throw new Error(`expected the call to fail, but it answered ${JSON.stringify(outcome.response)}`);
  return outcome.error;
}
