/**
 * The engine as the gateway sees it: one method per gateway RPC, plain typed values in and out.
 * Keys are int64 values carried as decimal strings. Every method that changes state resolves only after
 * the change is committed to the database.
 */

/** gRPC status names the engine answers with (mapped to @grpc/grpc-js status codes by the gateway). */
export type EngineErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'RESOURCE_EXHAUSTED'
  | 'DEADLINE_EXCEEDED'
  | 'UNIMPLEMENTED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export type Variables = Record<string, unknown>;

export interface ResourceInput {
  name: string;
  content: Buffer;
}

export interface ProcessMetadataView {
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: string;
  resourceName: string;
  tenantId: string;
}

export interface DeploymentView {
  key: string;
  processes: ProcessMetadataView[];
  tenantId: string;
}

export interface CreateInstanceRequest {
  /** Either a definition key, or a process id with a version (-1 = latest). */
  processDefinitionKey?: string;
  bpmnProcessId?: string;
  version: number;
  variables: Variables;
  /** Element ids to start before, instead of the none start event. */
  startInstructions: string[];
}

export interface CreatedInstanceView {
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  processInstanceKey: string;
  tenantId: string;
}

export interface ActivatedJobView {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  processDefinitionKey: string;
  elementId: string;
  elementInstanceKey: string;
  /** JSON object text */
  customHeaders: string;
  worker: string;
  retries: number;
  /** epoch milliseconds */
  deadline: number;
  /** JSON object text */
  variables: string;
  tenantId: string;
}

export interface ActivateJobsRequest {
  type: string;
  worker: string;
  timeoutMs: number;
  maxJobsToActivate: number;
  fetchVariables: string[];
  /** 0 = the engine's default long-poll time; negative = answer at once. */
  requestTimeoutMs: number;
}

export interface JobStreamRequest {
  type: string;
  worker: string;
  timeoutMs: number;
  fetchVariables: string[];
}

export interface ModifyInstanceRequest {
  processInstanceKey: string;
  activate: {
    elementId: string;
    /** "0" or "" = let the engine find the flow scope. */
    ancestorElementInstanceKey: string;
    variables: { scopeId: string; variables: Variables }[];
  }[];
  terminate: string[];
}

export interface TopologyView {
  brokers: {
    nodeId: number;
    host: string;
    port: number;
    partitions: { partitionId: number; role: 'LEADER'; health: 'HEALTHY' | 'UNHEALTHY' }[];
    version: string;
  }[];
  clusterSize: number;
  partitionsCount: number;
  replicationFactor: number;
  gatewayVersion: string;
}

export interface EngineApi {
  topology(): TopologyView;
  deployResources(resources: ResourceInput[]): Promise<DeploymentView>;
  createProcessInstance(request: CreateInstanceRequest): Promise<CreatedInstanceView>;
  /** Resolves when the instance completes; DEADLINE_EXCEEDED after requestTimeoutMs (0 = engine default). */
  createProcessInstanceWithResult(
    request: CreateInstanceRequest,
    options: { requestTimeoutMs: number; fetchVariables: string[] },
  ): Promise<CreatedInstanceView & { variables: Variables }>;
  cancelProcessInstance(processInstanceKey: string): Promise<void>;
  /**
   * Activates up to maxJobsToActivate jobs. With a long poll, waits until at least one job is activated or the
   * request time runs out (then resolves with []). `signal` aborts the wait when the client goes away.
   */
  activateJobs(request: ActivateJobsRequest, signal: AbortSignal): Promise<ActivatedJobView[]>;
  /**
   * Registers a job stream: from now on, jobs of this type that become activatable are activated for the
   * stream and handed to `push`. `push` returns false when it could not deliver; the job is then made
   * activatable again. The returned function closes the stream.
   */
  openJobStream(request: JobStreamRequest, push: (job: ActivatedJobView) => boolean): () => void;
  completeJob(jobKey: string, variables: Variables): Promise<void>;
  failJob(jobKey: string, retries: number, errorMessage: string, retryBackOffMs: number, variables: Variables): Promise<void>;
  throwError(jobKey: string, errorCode: string, errorMessage: string, variables: Variables): Promise<void>;
  updateJobRetries(jobKey: string, retries: number): Promise<void>;
  publishMessage(message: {
    name: string;
    correlationKey: string;
    timeToLiveMs: number;
    messageId: string;
    variables: Variables;
  }): Promise<{ key: string }>;
  resolveIncident(incidentKey: string): Promise<void>;
  setVariables(elementInstanceKey: string, variables: Variables, local: boolean): Promise<{ key: string }>;
  modifyProcessInstance(request: ModifyInstanceRequest): Promise<void>;
  deleteResource(resourceKey: string): Promise<void>;
  broadcastSignal(signalName: string, variables: Variables): Promise<{ key: string }>;
}
