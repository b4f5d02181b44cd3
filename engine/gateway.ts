/**
 * Zeebe's gateway gRPC API, served over an EngineApi. The service definition is the zeebe.proto that
 * zeebe-node ships, loaded the way zeebe-node loads it, so both sides agree on every field. This layer only
 * decodes, checks what Zeebe's gateway (or the broker, before touching state) checks, and maps errors to gRPC
 * status codes; the engine owns behaviour. Where Zeebe answers a bad request with a broker rejection, the
 * message has the shape of Zeebe's rejection ("Command 'X' rejected with code 'Y': ...") so that clients see
 * the same text they would see against Zeebe.
 */
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { EngineError } from './api';
import type {
  ActivatedJobView,
  CreateInstanceRequest,
  EngineApi,
  ProcessMetadataView,
  ResourceInput,
  TopologyView,
  Variables,
} from './api';

const PROTO_PATH = path.join(path.dirname(require.resolve('zeebe-node/package.json')), 'proto', 'zeebe.proto');

/** Zeebe's name for the only tenant there is when multi-tenancy is disabled. */
const DEFAULT_TENANT = '<default>';

/** How long close() lets in-flight calls finish before cutting the connections. */
const SHUTDOWN_GRACE_MS = 5000;

/** A JSON document longer than this is cut short when quoted back in an error message (it travels in a header). */
const QUOTED_JSON_MAX = 200;

/** int64 fields decode to decimal strings (proto-loader `longs: String`). */
type Int64 = string;

interface ActivateJobsRequest {
  type: string;
  worker: string;
  timeout: Int64;
  maxJobsToActivate: number;
  fetchVariable: string[];
  requestTimeout: Int64;
  tenantIds: string[];
}

interface StreamActivatedJobsRequest {
  type: string;
  worker: string;
  timeout: Int64;
  fetchVariable: string[];
  tenantIds: string[];
}

interface CreateProcessInstanceRequest {
  processDefinitionKey: Int64;
  bpmnProcessId: string;
  version: number;
  variables: string;
  startInstructions: { elementId: string }[];
  tenantId: string;
}

interface CreateProcessInstanceResponse {
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  processInstanceKey: string;
  tenantId: string;
}

interface CreateProcessInstanceWithResultRequest {
  /** Message fields decode to null when absent. */
  request: CreateProcessInstanceRequest | null;
  requestTimeout: Int64;
  fetchVariables: string[];
}

interface CreateProcessInstanceWithResultResponse extends CreateProcessInstanceResponse {
  variables: string;
}

interface DeployProcessRequest {
  processes: { name: string; definition: Buffer }[];
}

interface DeployProcessResponse {
  key: string;
  processes: ProcessMetadataView[];
}

interface DeployResourceRequest {
  resources: { name: string; content: Buffer }[];
  tenantId: string;
}

interface DeployResourceResponse {
  key: string;
  deployments: { process: ProcessMetadataView }[];
  tenantId: string;
}

interface CancelProcessInstanceRequest {
  processInstanceKey: Int64;
}

interface CompleteJobRequest {
  jobKey: Int64;
  variables: string;
}

interface FailJobRequest {
  jobKey: Int64;
  retries: number;
  errorMessage: string;
  retryBackOff: Int64;
  variables: string;
}

interface ThrowErrorRequest {
  jobKey: Int64;
  errorCode: string;
  errorMessage: string;
  variables: string;
}

interface PublishMessageRequest {
  name: string;
  correlationKey: string;
  timeToLive: Int64;
  messageId: string;
  variables: string;
  tenantId: string;
}

interface ResolveIncidentRequest {
  incidentKey: Int64;
}

interface SetVariablesRequest {
  elementInstanceKey: Int64;
  variables: string;
  local: boolean;
}

interface UpdateJobRetriesRequest {
  jobKey: Int64;
  retries: number;
}

interface ModifyProcessInstanceRequest {
  processInstanceKey: Int64;
  activateInstructions: {
    elementId: string;
    ancestorElementInstanceKey: Int64;
    variableInstructions: { variables: string; scopeId: string }[];
  }[];
  terminateInstructions: { elementInstanceKey: Int64 }[];
}

interface DeleteResourceRequest {
  resourceKey: Int64;
}

interface BroadcastSignalRequest {
  signalName: string;
  variables: string;
}

type Empty = Record<string, never>;

export async function startGateway(
  engine: EngineApi,
  options: { host: string; port: number },
): Promise<{ port: number; close(): Promise<void> }> {
  const packageDefinition = await protoLoader.load(PROTO_PATH, {
    // The same options zeebe-node decodes with, so field names and value types match on both ends.
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const service = packageDefinition['gateway_protocol.Gateway'] as grpc.ServiceDefinition;

  /** Long polls and job streams, which would otherwise hold shutdown open until they time out. */
  const pendingActivations = new Set<AbortController>();
  const jobStreams = new Set<grpc.ServerWritableStream<StreamActivatedJobsRequest, ActivatedJobView>>();

  const activateJobs: grpc.handleServerStreamingCall<ActivateJobsRequest, { jobs: ActivatedJobView[] }> = (call) => {
    const controller = new AbortController();
    const abort = () => controller.abort();
    call.on('cancelled', abort);
    pendingActivations.add(controller);
    (async () => {
      const request = call.request;
      const jobs = await engine.activateJobs(toActivateJobsRequest(request), controller.signal);
      if (call.cancelled) {
        // The client is gone; like Zeebe, hand the jobs back rather than let them sit until they time out.
        await Promise.all(jobs.map((job) => giveBack(engine, job)));
        return;
      }
      // Zeebe ends a poll that found nothing without any message, but zeebe-node's activateJobs() resolves
      // only on a message and would then hang; an empty response is harmless to every other client.
      call.write({ jobs });
      call.end();
    })()
      .catch((error: unknown) => failStream(call, 'ActivateJobs', error))
      .finally(() => {
        pendingActivations.delete(controller);
        call.off('cancelled', abort);
      });
  };

  const streamActivatedJobs: grpc.handleServerStreamingCall<StreamActivatedJobsRequest, ActivatedJobView> = (call) => {
    let closeEngineStream: () => void;
    try {
      closeEngineStream = engine.openJobStream(toJobStreamRequest(call.request), (job) => {
        if (call.cancelled || !call.writable) return false;
        call.write(job);
        return true;
      });
    } catch (error) {
      failStream(call, 'StreamActivatedJobs', error);
      return;
    }
    let open = true;
    const close = () => {
      if (!open) return;
      open = false;
      jobStreams.delete(call);
      closeEngineStream();
    };
    jobStreams.add(call);
    call.on('cancelled', close);
    call.on('close', close);
    if (call.cancelled) close();
  };

  const handlers: grpc.UntypedServiceImplementation = {
    ActivateJobs: activateJobs,
    StreamActivatedJobs: streamActivatedJobs,

    CancelProcessInstance: unary<CancelProcessInstanceRequest, Empty>('CancelProcessInstance', async (request) => {
      await engine.cancelProcessInstance(requireKey(request.processInstanceKey, 'processInstanceKey'));
      return {};
    }),

    CompleteJob: unary<CompleteJobRequest, Empty>('CompleteJob', async (request) => {
      const jobKey = requireKey(request.jobKey, 'jobKey');
      await engine.completeJob(jobKey, parseVariables(request.variables));
      return {};
    }),

    CreateProcessInstance: unary<CreateProcessInstanceRequest, CreateProcessInstanceResponse>(
      'CreateProcessInstance',
      (request) => engine.createProcessInstance(toCreateInstanceRequest('CreateProcessInstance', request)),
    ),

    CreateProcessInstanceWithResult: unary<CreateProcessInstanceWithResultRequest, CreateProcessInstanceWithResultResponse>(
      'CreateProcessInstanceWithResult',
      async (request) => {
        const created = await engine.createProcessInstanceWithResult(
          toCreateInstanceRequest('CreateProcessInstanceWithResult', request.request ?? emptyCreateRequest()),
          { requestTimeoutMs: Number(request.requestTimeout), fetchVariables: request.fetchVariables },
        );
        const { variables, ...instance } = created;
        return { ...instance, variables: JSON.stringify(variables) };
      },
    ),

    EvaluateDecision: unary<unknown, never>('EvaluateDecision', () => {
      throw new EngineError('UNIMPLEMENTED', 'EvaluateDecision is not supported by this engine yet (no DMN)');
    }),

    DeployProcess: unary<DeployProcessRequest, DeployProcessResponse>('DeployProcess', async (request) => {
      const deployment = await engine.deployResources(
        requireResources(request.processes.map(({ name, definition }) => ({ name, content: definition }))),
      );
      return { key: deployment.key, processes: deployment.processes };
    }),

    DeployResource: unary<DeployResourceRequest, DeployResourceResponse>('DeployResource', async (request) => {
      requireDefaultTenant('DeployResource', request.tenantId);
      const deployment = await engine.deployResources(requireResources(request.resources));
      return {
        key: deployment.key,
        deployments: deployment.processes.map((process) => ({ process })),
        tenantId: deployment.tenantId,
      };
    }),

    FailJob: unary<FailJobRequest, Empty>('FailJob', async (request) => {
      const jobKey = requireKey(request.jobKey, 'jobKey');
      await engine.failJob(
        jobKey,
        request.retries,
        request.errorMessage,
        Number(request.retryBackOff),
        parseVariables(request.variables),
      );
      return {};
    }),

    ThrowError: unary<ThrowErrorRequest, Empty>('ThrowError', async (request) => {
      const jobKey = requireKey(request.jobKey, 'jobKey');
      await engine.throwError(jobKey, request.errorCode, request.errorMessage, parseVariables(request.variables));
      return {};
    }),

    PublishMessage: unary<PublishMessageRequest, { key: string; tenantId: string }>('PublishMessage', async (request) => {
      requireDefaultTenant('PublishMessage', request.tenantId);
      const { key } = await engine.publishMessage({
        name: request.name,
        correlationKey: request.correlationKey,
        timeToLiveMs: Number(request.timeToLive),
        messageId: request.messageId,
        variables: parseVariables(request.variables),
      });
      return { key, tenantId: DEFAULT_TENANT };
    }),

    ResolveIncident: unary<ResolveIncidentRequest, Empty>('ResolveIncident', async (request) => {
      await engine.resolveIncident(requireKey(request.incidentKey, 'incidentKey'));
      return {};
    }),

    SetVariables: unary<SetVariablesRequest, { key: string }>('SetVariables', (request) => {
      const elementInstanceKey = requireKey(request.elementInstanceKey, 'elementInstanceKey');
      return engine.setVariables(elementInstanceKey, parseVariables(request.variables), request.local);
    }),

    Topology: unary<unknown, TopologyView>('Topology', () => engine.topology()),

    UpdateJobRetries: unary<UpdateJobRetriesRequest, Empty>('UpdateJobRetries', async (request) => {
      const jobKey = requireKey(request.jobKey, 'jobKey');
      if (request.retries < 1) {
        throw rejected(
          'UPDATE_RETRIES',
          `Expected to update retries for job with key '${jobKey}' with a positive amount of retries, but the amount given was '${request.retries}'`,
        );
      }
      await engine.updateJobRetries(jobKey, request.retries);
      return {};
    }),

    ModifyProcessInstance: unary<ModifyProcessInstanceRequest, Empty>('ModifyProcessInstance', async (request) => {
      const processInstanceKey = requireKey(request.processInstanceKey, 'processInstanceKey');
      await engine.modifyProcessInstance({
        processInstanceKey,
        activate: request.activateInstructions.map((instruction) => ({
          elementId: instruction.elementId,
          // Zeebe documents -1 for "no ancestor given"; the engine's word for it is "0".
          ancestorElementInstanceKey: isKey(instruction.ancestorElementInstanceKey) ? instruction.ancestorElementInstanceKey : '0',
          variables: instruction.variableInstructions.map(({ scopeId, variables }) => ({
            scopeId,
            variables: parseVariables(variables),
          })),
        })),
        terminate: request.terminateInstructions.map(({ elementInstanceKey }) =>
          requireKey(elementInstanceKey, 'terminateInstructions.elementInstanceKey'),
        ),
      });
      return {};
    }),

    DeleteResource: unary<DeleteResourceRequest, Empty>('DeleteResource', async (request) => {
      await engine.deleteResource(requireKey(request.resourceKey, 'resourceKey'));
      return {};
    }),

    BroadcastSignal: unary<BroadcastSignalRequest, { key: string }>('BroadcastSignal', (request) =>
      engine.broadcastSignal(request.signalName, parseVariables(request.variables)),
    ),
  };

  const server = new grpc.Server({
    // zeebe-node pings every GRPC_KEEPALIVE_TIME_MS (360 s by default), also with no call open. grpc-js 1.14
    // does not police client pings at all; these pin the policy zeebe-node needs should a later version start to.
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 10_000,
    // Channelz keeps per-call statistics and trace events for a debugging service this gateway does not offer;
    // it costs a few objects on every call.
    'grpc.enable_channelz': 0,
  });
  // Every grpc-js client (zeebe-node included) ends each call with a RST_STREAM frame. Node's http2 server
  // treats more than 1000 of those in a burst (then 33/s) as a "rapid reset" attack and closes the connection
  // with INTERNAL_ERROR, which would cut off any busy worker. grpc-js has no option for these http2 settings,
  // so they are added to the options it hands to http2.createServer.
  const http2Options = (server as unknown as { commonServerOptions: Record<string, unknown> }).commonServerOptions;
  Object.assign(http2Options, { streamResetBurst: 1_000_000, streamResetRate: 1_000_000 });
  server.addService(service, handlers);
  const bindHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${bindHost}:${options.port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );

  let closing: Promise<void> | undefined;
  return {
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), SHUTDOWN_GRACE_MS);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
        // A long poll ends with what it has (nothing); a job stream ends so the worker reconnects elsewhere.
        for (const controller of pendingActivations) controller.abort();
        for (const call of jobStreams) call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'the gateway is shutting down' });
      });
      return closing;
    },
  };
}

function unary<Request, Response>(
  rpc: string,
  handle: (request: Request) => Response | Promise<Response>,
): grpc.handleUnaryCall<Request, Response> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handle(call.request))
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(toStatus(rpc, error)),
      );
  };
}

function failStream(call: grpc.ServerWritableStream<unknown, unknown>, rpc: string, error: unknown): void {
  const status = toStatus(rpc, error);
  if (!call.cancelled) call.emit('error', status);
}

function toStatus(rpc: string, error: unknown): Partial<grpc.StatusObject> {
  if (error instanceof EngineError) return { code: grpc.status[error.code], details: error.message };
  console.error(`gateway: ${rpc} failed`, error);
  const message = error instanceof Error ? error.message : String(error);
  return { code: grpc.status.INTERNAL, details: `Unexpected error occurred during the request processing: ${message}` };
}

async function giveBack(engine: EngineApi, job: ActivatedJobView): Promise<void> {
  try {
    await engine.failJob(job.key, job.retries, 'Failed to send activated jobs to client', 0, {});
  } catch (error) {
    console.error(`gateway: could not make job ${job.key} activatable again after its poll was cancelled`, error);
  }
}

function toActivateJobsRequest(request: ActivateJobsRequest) {
  requireDefaultTenants('ActivateJobs', request.tenantIds);
  // The broker's checks, in the broker's order.
  if (request.maxJobsToActivate < 1) {
    throw rejected(
      'ACTIVATE',
      `Expected to activate job batch with max jobs to activate to be greater than zero, but it was '${request.maxJobsToActivate}'`,
    );
  }
  const timeoutMs = Number(request.timeout);
  if (timeoutMs < 1) {
    throw rejected('ACTIVATE', `Expected to activate job batch with timeout to be greater than zero, but it was '${request.timeout}'`);
  }
  if (request.type === '') {
    throw rejected('ACTIVATE', 'Expected to activate job batch with type to be present, but it was blank');
  }
  return {
    type: request.type,
    worker: request.worker,
    timeoutMs,
    maxJobsToActivate: request.maxJobsToActivate,
    fetchVariables: request.fetchVariable,
    requestTimeoutMs: Number(request.requestTimeout),
  };
}

function toJobStreamRequest(request: StreamActivatedJobsRequest) {
  // Zeebe's gateway checks these itself, with this wording.
  if (request.type.trim() === '') {
    throw invalidArgument('Expected to stream activated jobs with type to be present, but it was blank');
  }
  const timeoutMs = Number(request.timeout);
  if (timeoutMs < 1) {
    throw invalidArgument(`Expected to stream activated jobs with timeout to be greater than zero, but it was ${request.timeout}`);
  }
  requireDefaultTenants('StreamActivatedJobs', request.tenantIds);
  return { type: request.type, worker: request.worker, timeoutMs, fetchVariables: request.fetchVariable };
}

function toCreateInstanceRequest(rpc: string, request: CreateProcessInstanceRequest): CreateInstanceRequest {
  requireDefaultTenant(rpc, request.tenantId);
  const common = {
    version: request.version,
    variables: parseVariables(request.variables),
    startInstructions: request.startInstructions.map(({ elementId }) => elementId),
  };
  // Like Zeebe, a process id wins over a key when both are given.
  if (request.bpmnProcessId !== '') return { ...common, bpmnProcessId: request.bpmnProcessId };
  if (isKey(request.processDefinitionKey)) return { ...common, processDefinitionKey: request.processDefinitionKey };
  throw rejected('CREATE', 'Expected at least a bpmnProcessId or a key greater than -1, but none given');
}

function emptyCreateRequest(): CreateProcessInstanceRequest {
  return { processDefinitionKey: '0', bpmnProcessId: '', version: -1, variables: '', startInstructions: [], tenantId: '' };
}

function requireResources(resources: ResourceInput[]): ResourceInput[] {
  if (resources.length === 0) throw rejected('CREATE', 'Expected to deploy at least one resource, but none given');
  return resources;
}

function isKey(value: Int64): boolean {
  return /^[1-9][0-9]*$/.test(value);
}

function requireKey(value: Int64, field: string): string {
  if (!isKey(value)) throw invalidArgument(`Expected ${field} to be a key greater than zero, but it was '${value}'`);
  return value;
}

/**
 * A variables document as Zeebe's gateway reads it: blank or `null` is no variables, anything else must be
 * JSON whose root is an object. The messages are Zeebe's.
 */
function parseVariables(text: string): Variables {
  if (text.trim() === '') return {};
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const quoted = text.length > QUOTED_JSON_MAX ? `${text.slice(0, QUOTED_JSON_MAX)}...` : text;
    throw invalidArgument(`Invalid JSON value: ${quoted} (${(error as Error).message})`);
  }
  if (document === null) return {};
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw invalidArgument(
      `Property 'variables' is invalid: Expected document to be a root level object, but was '${documentType(document)}'`,
    );
  }
  return document as Variables;
}

/** The MessagePack type Zeebe names in its message. */
function documentType(value: unknown): string {
  if (Array.isArray(value)) return 'ARRAY';
  if (typeof value === 'number') return Number.isInteger(value) ? 'INTEGER' : 'FLOAT';
  if (typeof value === 'boolean') return 'BOOLEAN';
  return 'STRING';
}

function requireDefaultTenant(rpc: string, tenantId: string): void {
  if (tenantId.trim() !== '' && tenantId !== DEFAULT_TENANT) {
    throw invalidArgument(`Expected to handle gRPC request ${rpc} with tenant identifier '${tenantId}', but multi-tenancy is disabled`);
  }
}

function requireDefaultTenants(rpc: string, tenantIds: string[]): void {
  for (const tenantId of tenantIds) requireDefaultTenant(rpc, tenantId);
}

function invalidArgument(message: string): EngineError {
  return new EngineError('INVALID_ARGUMENT', message);
}

/** What Zeebe answers when the broker rejects a command for a bad argument. */
function rejected(intent: string, reason: string): EngineError {
  return invalidArgument(`Command '${intent}' rejected with code 'INVALID_ARGUMENT': ${reason}`);
}
