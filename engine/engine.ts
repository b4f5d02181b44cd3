/**
 * The engine: one ordered command stream, like a single Zeebe partition. Commands are applied to the in-memory
 * state one after another; every batch of commands (group commit) is written to the database in one
 * transaction, and only then are the commands answered and their effects (pushed jobs, finished instances)
 * released. If a commit fails, the batch is answered with an error and the state is reloaded from the database,
 * so memory never runs ahead of what is durable.
 */
import { createHash } from 'node:crypto';
import {
  EngineError,
  type ActivateJobsRequest,
  type ActivatedJobView,
  type CreateInstanceRequest,
  type CreatedInstanceView,
  type DeploymentView,
  type EngineApi,
  type JobStreamRequest,
  type ModifyInstanceRequest,
  type ResourceInput,
  type TopologyView,
  type Variables,
} from './api';
import type { EngineClock } from './clock';
import { useEngineClock } from './feel';
import { compileBpmn } from './model/compile';
import { ModelValidationError } from './model/types';
import { Batch } from './processing/batch';
import { deleteResource, deploy, type CompiledDeploymentResource } from './processing/deployment';
import { resolveIncident } from './processing/incidents';
import { cancelInstance, createInstance, modifyInstance, setVariables } from './processing/instances';
import {
  activateJobs,
  completeJob,
  failJob,
  recurJob,
  throwJobError,
  timeOutJob,
  updateJobRetries,
  yieldJob,
} from './processing/jobs';
import { expireMessage, publishMessage } from './processing/messages';
import { broadcastSignal } from './processing/signals';
import { fireTimer } from './processing/timerEvents';
import { EngineState } from './state/engineState';
import type { ProcessDefinition } from './state/entities';
import type { EngineStore } from './state/store';

export const ENGINE_VERSION = '8.3.0';

/** Default of EngineOptions.maxQueuedCommands. */
export const DEFAULT_MAX_QUEUED_COMMANDS = 20_000;
/** How many commands one transaction takes at most. */
const MAX_BATCH = 2_000;
const DEFAULT_LONG_POLL_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
/** ENGINE_PROFILE=1 logs every batch: commands, records, state changes, processing and commit time. */
const PROFILE = process.env.ENGINE_PROFILE === '1';

interface Command {
  /** performance.now() when queued, for the profile's queue wait. */
  queuedAt: number;
  apply(batch: Batch): unknown;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface LongPoll {
  request: ActivateJobsRequest;
  /**
   * Answers the poll, once: also stops its time-out and abort listener, which would otherwise keep the whole
   * finished call reachable until the client's request timeout (tens of seconds of garbage per delivered poll).
   */
  answer(jobs: ActivatedJobView[]): void;
  done: boolean;
}

interface JobStream {
  request: JobStreamRequest;
  push(job: ActivatedJobView): boolean;
}

interface ResultWaiter {
  fetchVariables: string[];
  resolve(variables: Variables): void;
  reject(error: Error): void;
}

export interface EngineOptions {
  store: EngineStore;
  clock: EngineClock;
  /** Commands waiting beyond this are refused with RESOURCE_EXHAUSTED (back-pressure). */
  maxQueuedCommands?: number;
}

export class Engine implements EngineApi {
  private state = new EngineState();
  private position = 0;
  private queue: Command[] = [];
  private processing = false;
  private closed = false;
  private dueTimer: NodeJS.Timeout | undefined;
  private dueAt = Infinity;
  private readonly longPolls = new Map<string, LongPoll[]>();
  private readonly streams = new Map<string, JobStream[]>();
  private readonly resultWaiters = new Map<string, ResultWaiter>();
  private readonly unsubscribeClock: () => void;
  private gatewayAddress: { host: string; port: number } | undefined;

  private constructor(private readonly options: EngineOptions) {
    this.unsubscribeClock = options.clock.onChange(() => this.scheduleDueCheck(true));
  }

  static async open(options: EngineOptions): Promise<Engine> {
    useEngineClock(() => options.clock.now());
    const engine = new Engine(options);
    await engine.load();
    engine.scheduleDueCheck(true);
    return engine;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribeClock();
    if (this.dueTimer) clearTimeout(this.dueTimer);
    while (this.processing) await new Promise((resolve) => setTimeout(resolve, 5));
    for (const command of this.queue) command.reject(new EngineError('UNAVAILABLE', 'the engine is shutting down'));
    this.queue = [];
    // A copy: answering a poll takes it off its list.
    for (const poll of [...this.longPolls.values()].flat()) this.finishPoll(poll, []);
    for (const waiter of this.resultWaiters.values()) waiter.reject(new EngineError('UNAVAILABLE', 'the engine is shutting down'));
    this.resultWaiters.clear();
    await this.options.store.close();
  }

  /** Rebuilds memory from the database: at start, and after a failed commit. */
  private async load(): Promise<void> {
    const stored = await this.options.store.load();
    const state = new EngineState();
    for (const entry of stored.entries) state.restore(entry.kind, entry.key, entry.value);
    const compiled = new Map<string, Promise<Awaited<ReturnType<typeof compileBpmn>>>>();
    for (const definition of state.processes.values()) {
      if (!compiled.has(definition.checksum)) compiled.set(definition.checksum, compileBpmn(definition.resourceName, definition.resource));
      const resource = await compiled.get(definition.checksum)!;
      const model = resource.processes.find((p) => p.id === definition.bpmnProcessId);
      if (!model) throw new Error(`stored process ${definition.key} (${definition.bpmnProcessId}) no longer compiles`);
      state.indexProcess(definition, model);
    }
    this.state = state;
    this.position = stored.lastPosition;
  }

  // ---- the command stream

  private submit<T>(apply: (batch: Batch) => T): Promise<T> {
    if (this.closed) return Promise.reject(new EngineError('UNAVAILABLE', 'the engine is shutting down'));
    if (this.queue.length >= (this.options.maxQueuedCommands ?? DEFAULT_MAX_QUEUED_COMMANDS)) {
      return Promise.reject(
        new EngineError('RESOURCE_EXHAUSTED', 'Expected to handle gRPC request, but the engine is under back-pressure (too many commands in flight); try again later'),
      );
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ queuedAt: performance.now(), apply, resolve: resolve as (value: unknown) => void, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.processing || this.closed) return;
    this.processing = true;
    setImmediate(() => void this.processBatches());
  }

  private async processBatches(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.closed) {
        const commands = this.queue.splice(0, MAX_BATCH);
        await this.processBatch(commands);
      }
    } finally {
      this.processing = false;
      if (this.queue.length > 0 && !this.closed) this.kick();
    }
  }

  private async processBatch(commands: Command[]): Promise<void> {
    const t0 = performance.now();
    const batch = new Batch(this.state, this.options.clock, this.position);
    const answered: { command: Command; value: unknown }[] = [];
    let broken: Error | undefined;
    for (const command of commands) {
      batch.refreshTime();
      try {
        const value = command.apply(batch);
        batch.drain();
        answered.push({ command, value });
      } catch (error) {
        if (error instanceof EngineError) {
          command.reject(error);
          continue;
        }
        // A bug left the state half-changed: nothing of this batch may be committed.
        broken = error as Error;
        console.error('engine: command failed unexpectedly, reloading state', error);
        command.reject(new EngineError('INTERNAL', `Unexpected error while processing the command: ${broken.message}`));
        break;
      }
    }
    if (!broken) this.dispatchJobs(batch);
    if (broken) {
      const remaining = commands.slice(answered.length + 1);
      for (const { command } of answered) command.reject(new EngineError('UNAVAILABLE', 'the command could not be processed; please retry'));
      this.queue.unshift(...remaining);
      await this.reload();
      return;
    }
    const t1 = performance.now();
    const changes = this.state.tracker.drain();
    try {
      await this.options.store.commit(batch.records, changes);
      if (PROFILE) {
        const commitMs = (performance.now() - t1).toFixed(1);
        const waitedMs = (t0 - commands[0].queuedAt).toFixed(1);
        console.log(`batch at ${t0.toFixed(0)} ms: ${commands.length} cmds ${batch.records.length} recs ${changes.length} changes waited ${waitedMs} ms process ${(t1 - t0).toFixed(1)} ms commit ${commitMs} ms`);
      }
    } catch (error) {
      console.error('engine: commit failed, reloading state', error);
      for (const { command } of answered) command.reject(new EngineError('UNAVAILABLE', `the command could not be stored: ${(error as Error).message}`));
      await this.reload();
      return;
    }
    this.position = batch.lastPosition;
    for (const { command, value } of answered) command.resolve(value);
    for (const effect of batch.afterCommit) effect();
    for (const ended of batch.endedInstances) this.finishResultWaiter(ended.processInstanceKey, ended.variables, ended.terminated);
    this.scheduleDueCheck(false);
  }

  private async reload(): Promise<void> {
    this.state.tracker.drain();
    await this.load();
    this.scheduleDueCheck(true);
  }

  // ---- due dates: timers, job time-outs and back-offs, message expiry

  private scheduleDueCheck(now: boolean): void {
    if (this.closed) return;
    const next = now ? this.options.clock.now() : this.state.dueDates.nextDue();
    if (next === undefined) return;
    // A pending check was timed in wall-clock ms for the old engine time; after a clock jump (`now`) it may lie
    // far in the real future although its due date has passed, so it is always replaced.
    if (this.dueTimer && !now && next >= this.dueAt) return;
    if (this.dueTimer) clearTimeout(this.dueTimer);
    this.dueAt = next;
    const delay = Math.max(0, Math.min(next - this.options.clock.now(), 2_147_000_000));
    this.dueTimer = setTimeout(() => {
      this.dueTimer = undefined;
      this.dueAt = Infinity;
      void this.submit((batch) => this.processDue(batch)).catch(() => undefined).finally(() => this.scheduleDueCheck(false));
    }, delay);
  }

  private processDue(batch: Batch): void {
    for (const entry of this.state.dueDates.popDue(batch.now)) {
      switch (entry.kind) {
        case 'timer':
          fireTimer(batch, entry.key, entry.due);
          break;
        case 'jobDeadline':
          timeOutJob(batch, entry.key);
          break;
        case 'jobBackoff':
          recurJob(batch, entry.key);
          break;
        case 'messageExpiry':
          expireMessage(batch, entry.key);
          break;
      }
      batch.drain();
    }
  }

  // ---- handing out jobs: streams first, then waiting long polls

  private dispatchJobs(batch: Batch): void {
    for (const type of batch.typesWithJobs) {
      const streams = this.streams.get(type) ?? [];
      let next = 0;
      while (streams.length > 0 && this.hasActivatableJobs(type)) {
        const stream = streams[next++ % streams.length];
        const [job] = activateJobs(batch, { ...stream.request, max: 1, timeoutMs: stream.request.timeoutMs });
        batch.onCommit(() => {
          if (!stream.push(job)) void this.submit((b) => yieldJob(b, job.key)).catch(() => undefined);
        });
      }
      const polls = this.longPolls.get(type) ?? [];
      while (polls.length > 0 && this.hasActivatableJobs(type)) {
        const poll = polls.shift()!;
        if (poll.done) continue;
        const jobs = activateJobs(batch, this.activationOf(poll.request));
        batch.onCommit(() => this.finishPoll(poll, jobs));
      }
    }
  }

  private hasActivatableJobs(type: string): boolean {
    return (this.state.activatableJobs.get(type)?.size ?? 0) > 0;
  }

  private activationOf(request: ActivateJobsRequest) {
    return {
      type: request.type,
      worker: request.worker,
      timeoutMs: request.timeoutMs,
      max: request.maxJobsToActivate,
      fetchVariables: request.fetchVariables,
    };
  }

  private finishPoll(poll: LongPoll, jobs: ActivatedJobView[]): void {
    if (poll.done) {
      // The client left after the jobs were taken for it: give them back.
      for (const job of jobs) void this.submit((b) => yieldJob(b, job.key)).catch(() => undefined);
      return;
    }
    poll.answer(jobs);
  }

  // ---- CreateProcessInstanceWithResult

  private finishResultWaiter(processInstanceKey: string, variables: Variables, terminated: boolean): void {
    const waiter = this.resultWaiters.get(processInstanceKey);
    if (!waiter) return;
    this.resultWaiters.delete(processInstanceKey);
    if (terminated) {
      waiter.reject(new EngineError('FAILED_PRECONDITION', `Expected the process instance '${processInstanceKey}' to complete, but it was terminated`));
      return;
    }
    const names = waiter.fetchVariables;
    waiter.resolve(names.length === 0 ? variables : Object.fromEntries(names.filter((n) => n in variables).map((n) => [n, variables[n]])));
  }

  // ---- EngineApi

  /**
   * The address the gateway actually bound. The engine opens before the gateway listens, so a gateway on port 0
   * (any free port) only knows its port afterwards; Topology must report that port, not 0.
   */
  setGatewayAddress(address: { host: string; port: number }): void {
    this.gatewayAddress = address;
  }

  topology(): TopologyView {
    const address = this.gatewayAddress ?? { host: '0.0.0.0', port: 26500 };
    return {
      brokers: [
        {
          nodeId: 0,
          host: address.host,
          port: address.port,
          partitions: [{ partitionId: 1, role: 'LEADER', health: 'HEALTHY' }],
          version: ENGINE_VERSION,
        },
      ],
      clusterSize: 1,
      partitionsCount: 1,
      replicationFactor: 1,
      gatewayVersion: ENGINE_VERSION,
    };
  }

  async deployResources(resources: ResourceInput[]): Promise<DeploymentView> {
    if (resources.length === 0) {
      throw new EngineError('INVALID_ARGUMENT', 'Expected to deploy at least one resource, but none given');
    }
    const compiled: CompiledDeploymentResource[] = [];
    const problems: string[] = [];
    for (const resource of resources) {
      if (!/\.(bpmn|xml)$/i.test(resource.name)) {
        problems.push(`'${resource.name}': Resource type is not supported. Supported resource types are: [.bpmn, .xml]`);
        continue;
      }
      const content = resource.content.toString('utf8');
      try {
        const { processes } = await compileBpmn(resource.name, content);
        compiled.push({ name: resource.name, content, processes, checksum: createHash('sha256').update(resource.content).digest('hex') });
      } catch (error) {
        if (!(error instanceof ModelValidationError)) throw error;
        problems.push(error.message);
      }
    }
    if (problems.length > 0) {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `Command 'CREATE' rejected with code 'INVALID_ARGUMENT': Expected to deploy new resources, but encountered the following errors:\n${problems.join('\n')}`,
      );
    }
    return this.submit((batch) => deploy(batch, compiled));
  }

  createProcessInstance(request: CreateInstanceRequest): Promise<CreatedInstanceView> {
    return this.submit((batch) => this.viewOf(createInstance(batch, request).key));
  }

  async createProcessInstanceWithResult(
    request: CreateInstanceRequest,
    options: { requestTimeoutMs: number; fetchVariables: string[] },
  ): Promise<CreatedInstanceView & { variables: Variables }> {
    let resolveResult!: (variables: Variables) => void;
    let rejectResult!: (error: Error) => void;
    const result = new Promise<Variables>((resolve, reject) => {
      resolveResult = resolve;
      rejectResult = reject;
    });
    const created = await this.submit((batch) => {
      const instance = createInstance(batch, request);
      // Registered inside the command, so an instance that ends in this very batch is still caught.
      this.resultWaiters.set(instance.key, { fetchVariables: options.fetchVariables, resolve: resolveResult, reject: rejectResult });
      return this.viewOf(instance.key);
    });
    const timeoutMs = options.requestTimeoutMs > 0 ? options.requestTimeoutMs : DEFAULT_REQUEST_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.resultWaiters.delete(created.processInstanceKey);
        reject(new EngineError('DEADLINE_EXCEEDED', `Time out between gateway and broker: Request timed out after ${timeoutMs} ms while waiting for process instance '${created.processInstanceKey}' to complete`));
      }, timeoutMs);
    });
    try {
      const variables = await Promise.race([result, timeout]);
      return { ...created, variables };
    } finally {
      clearTimeout(timer);
    }
  }

  private viewOf(processInstanceKey: string): CreatedInstanceView {
    const instance = this.state.elements.get(processInstanceKey);
    const definition = instance ? this.state.processes.get(instance.processDefinitionKey) : undefined;
    return {
      processDefinitionKey: definition?.key ?? '',
      bpmnProcessId: definition?.bpmnProcessId ?? '',
      version: definition?.version ?? 0,
      processInstanceKey,
      tenantId: '<default>',
    };
  }

  cancelProcessInstance(processInstanceKey: string): Promise<void> {
    return this.submit((batch) => cancelInstance(batch, processInstanceKey));
  }

  async activateJobs(request: ActivateJobsRequest, signal: AbortSignal): Promise<ActivatedJobView[]> {
    // With no activatable job there is nothing to activate and nothing to commit, so a long poll waits at once
    // instead of queueing behind the commit in flight: every job created meanwhile is then handed to it in the
    // batch that creates it, while a worker that registered late would only learn of it with its next poll.
    if (this.closed || request.requestTimeoutMs < 0 || this.hasActivatableJobs(request.type)) {
      const jobs = await this.submit((batch) => activateJobs(batch, this.activationOf(request)));
      if (jobs.length > 0 || request.requestTimeoutMs < 0) return jobs;
    }
    const waitMs = request.requestTimeoutMs === 0 ? DEFAULT_LONG_POLL_MS : request.requestTimeoutMs;
    return new Promise<ActivatedJobView[]>((resolve) => {
      const leave = () => poll.answer([]);
      const timer = setTimeout(leave, waitMs);
      const poll: LongPoll = {
        request,
        done: false,
        answer: (jobs) => {
          if (poll.done) return;
          poll.done = true;
          clearTimeout(timer);
          signal.removeEventListener('abort', leave);
          this.forgetLongPoll(poll);
          resolve(jobs);
        },
      };
      const polls = this.longPolls.get(request.type) ?? [];
      polls.push(poll);
      this.longPolls.set(request.type, polls);
      signal.addEventListener('abort', leave, { once: true });
      // Jobs may have become activatable between the first attempt and registering.
      if (this.hasActivatableJobs(request.type)) {
        void this.submit((batch) => batch.typesWithJobs.add(request.type)).catch(() => undefined);
      }
    });
  }

  /** Takes a poll off its type's waiting list (dispatchJobs has already taken off the ones it serves). */
  private forgetLongPoll(poll: LongPoll): void {
    const list = this.longPolls.get(poll.request.type);
    if (!list) return;
    const index = list.indexOf(poll);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) this.longPolls.delete(poll.request.type);
  }

  openJobStream(request: JobStreamRequest, push: (job: ActivatedJobView) => boolean): () => void {
    const stream: JobStream = { request, push };
    const list = this.streams.get(request.type) ?? [];
    list.push(stream);
    this.streams.set(request.type, list);
    if (this.hasActivatableJobs(request.type)) {
      void this.submit((batch) => batch.typesWithJobs.add(request.type)).catch(() => undefined);
    }
    return () => {
      const current = this.streams.get(request.type);
      if (!current) return;
      const index = current.indexOf(stream);
      if (index >= 0) current.splice(index, 1);
      if (current.length === 0) this.streams.delete(request.type);
    };
  }

  completeJob(jobKey: string, variables: Variables): Promise<void> {
    return this.submit((batch) => completeJob(batch, jobKey, variables));
  }

  failJob(jobKey: string, retries: number, errorMessage: string, retryBackOffMs: number, variables: Variables): Promise<void> {
    return this.submit((batch) => failJob(batch, jobKey, retries, errorMessage, retryBackOffMs, variables));
  }

  throwError(jobKey: string, errorCode: string, errorMessage: string, variables: Variables): Promise<void> {
    return this.submit((batch) => throwJobError(batch, jobKey, errorCode, errorMessage, variables));
  }

  updateJobRetries(jobKey: string, retries: number): Promise<void> {
    return this.submit((batch) => updateJobRetries(batch, jobKey, retries));
  }

  async publishMessage(message: { name: string; correlationKey: string; timeToLiveMs: number; messageId: string; variables: Variables }): Promise<{ key: string }> {
    const key = await this.submit((batch) => publishMessage(batch, message));
    return { key };
  }

  resolveIncident(incidentKey: string): Promise<void> {
    return this.submit((batch) => resolveIncident(batch, incidentKey));
  }

  async setVariables(elementInstanceKey: string, variables: Variables, local: boolean): Promise<{ key: string }> {
    const key = await this.submit((batch) => setVariables(batch, elementInstanceKey, variables, local));
    return { key };
  }

  modifyProcessInstance(request: ModifyInstanceRequest): Promise<void> {
    return this.submit((batch) => modifyInstance(batch, request));
  }

  deleteResource(resourceKey: string): Promise<void> {
    return this.submit((batch) => deleteResource(batch, resourceKey));
  }

  async broadcastSignal(signalName: string, variables: Variables): Promise<{ key: string }> {
    const key = await this.submit((batch) => broadcastSignal(batch, signalName, variables));
    return { key };
  }

  // ---- read access for the platform (monitor, tests of the embedded engine)

  /** The process definitions deployed, every version. */
  processDefinitions(): ProcessDefinition[] {
    return [...this.state.versions.values()].flat();
  }
}
