/**
 * The engine's state: persisted tables plus the in-memory indexes derived from them. Every write goes through
 * a method here so the indexes never drift from the tables.
 */
import type { ExecutableProcess } from '../model/types';
import { DueDates } from './dueDates';
import type {
  BufferedMessage,
  ElementInstance,
  Incident,
  Job,
  MessageSubscription,
  ProcessDefinition,
  SignalSubscription,
  Timer,
  ScopeVariables,
} from './entities';
import { ChangeTracker, Table } from './table';

function addTo<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) index.delete(key);
}

const nameKey = (name: string, correlationKey: string) => `${name}\u0000${correlationKey}`;

export interface Counters {
  /** Last key handed out (the counter part of partitionId << 51 | counter). */
  key: number;
}

export class EngineState {
  readonly tracker = new ChangeTracker();
  readonly meta = new Table<Counters>('meta', this.tracker);
  readonly processes = new Table<ProcessDefinition>('process', this.tracker);
  readonly elements = new Table<ElementInstance>('element', this.tracker);
  readonly variables = new Table<ScopeVariables>('variables', this.tracker);
  readonly jobs = new Table<Job>('job', this.tracker);
  readonly timers = new Table<Timer>('timer', this.tracker);
  readonly messageSubscriptions = new Table<MessageSubscription>('message-subscription', this.tracker);
  readonly messages = new Table<BufferedMessage>('message', this.tracker);
  readonly signalSubscriptions = new Table<SignalSubscription>('signal-subscription', this.tracker);
  readonly incidents = new Table<Incident>('incident', this.tracker);
  /** Message start events: JSON [bpmnProcessId, correlationKey] -> the running instance it started. */
  readonly messageStartLocks = new Table<string>('message-start-lock', this.tracker);
  /**
   * Highest version a process id had when one of its versions was deleted. Zeebe never gives a version number
   * out twice, and the versions left after a deletion no longer tell what the highest one was.
   */
  readonly deletedProcessVersions = new Table<number>('process-version', this.tracker);

  /** Compiled models by process definition key. */
  readonly models = new Map<string, ExecutableProcess>();
  /** Versions of each process id, ascending. */
  readonly versions = new Map<string, ProcessDefinition[]>();
  readonly children = new Map<string, Set<string>>();
  readonly activatableJobs = new Map<string, Set<string>>();
  readonly subscriptionsByMessage = new Map<string, Set<string>>();
  readonly subscriptionsByElement = new Map<string, Set<string>>();
  readonly messagesByName = new Map<string, Set<string>>();
  readonly messageIds = new Map<string, string>();
  readonly signalSubscriptionsByName = new Map<string, Set<string>>();
  readonly signalSubscriptionsByElement = new Map<string, Set<string>>();
  readonly timersByElement = new Map<string, Set<string>>();
  readonly incidentsByElement = new Map<string, Set<string>>();
  readonly dueDates = new DueDates();

  // ---- keys

  /** Zeebe's key layout: partition id in the top bits, a counter below. */
  nextKey(): string {
    const counters = this.meta.get('counters') ?? { key: 0 };
    counters.key += 1;
    this.meta.put('counters', counters);
    return ((1n << 51n) | BigInt(counters.key)).toString();
  }

  // ---- processes

  putProcess(definition: ProcessDefinition, model: ExecutableProcess): void {
    this.processes.put(definition.key, definition);
    this.indexProcess(definition, model);
  }

  deleteProcess(key: string): void {
    const definition = this.processes.get(key);
    if (!definition) return;
    this.processes.delete(key);
    this.models.delete(key);
    const highest = Math.max(this.nextProcessVersion(definition.bpmnProcessId) - 1, definition.version);
    this.deletedProcessVersions.put(definition.bpmnProcessId, highest);
    const versions = (this.versions.get(definition.bpmnProcessId) ?? []).filter((d) => d.key !== key);
    if (versions.length > 0) this.versions.set(definition.bpmnProcessId, versions);
    else this.versions.delete(definition.bpmnProcessId);
  }

  indexProcess(definition: ProcessDefinition, model: ExecutableProcess): void {
    this.models.set(definition.key, model);
    const versions = this.versions.get(definition.bpmnProcessId) ?? [];
    versions.push(definition);
    versions.sort((a, b) => a.version - b.version);
    this.versions.set(definition.bpmnProcessId, versions);
  }

  latestProcess(bpmnProcessId: string): ProcessDefinition | undefined {
    const versions = this.versions.get(bpmnProcessId);
    return versions?.[versions.length - 1];
  }

  /** The version the next deployment of a changed model gets: never one given out before, even if deleted. */
  nextProcessVersion(bpmnProcessId: string): number {
    const latest = this.latestProcess(bpmnProcessId)?.version ?? 0;
    return Math.max(latest, this.deletedProcessVersions.get(bpmnProcessId) ?? 0) + 1;
  }

  model(processDefinitionKey: string): ExecutableProcess {
    const model = this.models.get(processDefinitionKey);
    if (!model) throw new Error(`no model for process definition ${processDefinitionKey}`);
    return model;
  }

  // ---- element instances

  putElement(instance: ElementInstance): void {
    if (!this.elements.has(instance.key) && instance.flowScopeKey !== '-1') {
      addTo(this.children, instance.flowScopeKey, instance.key);
    }
    this.elements.put(instance.key, instance);
  }

  deleteElement(instance: ElementInstance): void {
    this.elements.delete(instance.key);
    this.variables.delete(instance.key);
    if (instance.flowScopeKey !== '-1') removeFrom(this.children, instance.flowScopeKey, instance.key);
  }

  childrenOf(scopeKey: string): ElementInstance[] {
    const keys = this.children.get(scopeKey);
    if (!keys) return [];
    return [...keys].map((key) => this.elements.get(key)!).filter(Boolean);
  }

  // ---- jobs

  putJob(job: Job): void {
    const previous = this.jobs.get(job.key);
    if (previous && previous !== job) throw new Error('a job must be changed in place');
    this.jobs.put(job.key, job);
    this.indexJob(job);
  }

  deleteJob(job: Job): void {
    this.jobs.delete(job.key);
    removeFrom(this.activatableJobs, job.type, job.key);
  }

  indexJob(job: Job): void {
    if (job.state === 'ACTIVATABLE') addTo(this.activatableJobs, job.type, job.key);
    else removeFrom(this.activatableJobs, job.type, job.key);
    if (job.state === 'ACTIVATED') this.dueDates.add({ due: job.deadline, kind: 'jobDeadline', key: job.key });
    if (job.state === 'BACKOFF') this.dueDates.add({ due: job.recurAt, kind: 'jobBackoff', key: job.key });
  }

  // ---- timers

  putTimer(timer: Timer): void {
    this.timers.put(timer.key, timer);
    this.indexTimer(timer);
  }

  indexTimer(timer: Timer): void {
    addTo(this.timersByElement, timer.elementInstanceKey, timer.key);
    this.dueDates.add({ due: timer.dueDate, kind: 'timer', key: timer.key });
  }

  deleteTimer(timer: Timer): void {
    this.timers.delete(timer.key);
    removeFrom(this.timersByElement, timer.elementInstanceKey, timer.key);
  }

  timersOf(elementInstanceKey: string): Timer[] {
    return [...(this.timersByElement.get(elementInstanceKey) ?? [])].map((k) => this.timers.get(k)!);
  }

  // ---- message subscriptions and messages

  putMessageSubscription(subscription: MessageSubscription): void {
    this.messageSubscriptions.put(subscription.key, subscription);
    this.indexMessageSubscription(subscription);
  }

  indexMessageSubscription(s: MessageSubscription): void {
    addTo(this.subscriptionsByMessage, nameKey(s.messageName, s.correlationKey), s.key);
    addTo(this.subscriptionsByElement, s.elementInstanceKey, s.key);
  }

  deleteMessageSubscription(s: MessageSubscription): void {
    this.messageSubscriptions.delete(s.key);
    removeFrom(this.subscriptionsByMessage, nameKey(s.messageName, s.correlationKey), s.key);
    removeFrom(this.subscriptionsByElement, s.elementInstanceKey, s.key);
  }

  messageSubscriptionsFor(name: string, correlationKey: string): MessageSubscription[] {
    const keys = this.subscriptionsByMessage.get(nameKey(name, correlationKey));
    return keys ? [...keys].map((k) => this.messageSubscriptions.get(k)!) : [];
  }

  messageSubscriptionsOf(elementInstanceKey: string): MessageSubscription[] {
    const keys = this.subscriptionsByElement.get(elementInstanceKey);
    return keys ? [...keys].map((k) => this.messageSubscriptions.get(k)!) : [];
  }

  putMessage(message: BufferedMessage): void {
    this.messages.put(message.key, message);
    this.indexMessage(message);
  }

  indexMessage(m: BufferedMessage): void {
    addTo(this.messagesByName, nameKey(m.name, m.correlationKey), m.key);
    if (m.messageId) this.messageIds.set(`${nameKey(m.name, m.correlationKey)}\u0000${m.messageId}`, m.key);
    this.dueDates.add({ due: m.deadline, kind: 'messageExpiry', key: m.key });
  }

  deleteMessage(m: BufferedMessage): void {
    this.messages.delete(m.key);
    removeFrom(this.messagesByName, nameKey(m.name, m.correlationKey), m.key);
    if (m.messageId) this.messageIds.delete(`${nameKey(m.name, m.correlationKey)}\u0000${m.messageId}`);
  }

  bufferedMessages(name: string, correlationKey: string): BufferedMessage[] {
    const keys = this.messagesByName.get(nameKey(name, correlationKey));
    if (!keys) return [];
    return [...keys].map((k) => this.messages.get(k)!).sort((a, b) => (BigInt(a.key) < BigInt(b.key) ? -1 : 1));
  }

  messageWithId(name: string, correlationKey: string, messageId: string): BufferedMessage | undefined {
    const key = this.messageIds.get(`${nameKey(name, correlationKey)}\u0000${messageId}`);
    return key ? this.messages.get(key) : undefined;
  }

  // ---- signals

  putSignalSubscription(s: SignalSubscription): void {
    this.signalSubscriptions.put(s.key, s);
    this.indexSignalSubscription(s);
  }

  indexSignalSubscription(s: SignalSubscription): void {
    addTo(this.signalSubscriptionsByName, s.signalName, s.key);
    addTo(this.signalSubscriptionsByElement, s.elementInstanceKey, s.key);
  }

  deleteSignalSubscription(s: SignalSubscription): void {
    this.signalSubscriptions.delete(s.key);
    removeFrom(this.signalSubscriptionsByName, s.signalName, s.key);
    removeFrom(this.signalSubscriptionsByElement, s.elementInstanceKey, s.key);
  }

  signalSubscriptionsFor(name: string): SignalSubscription[] {
    return [...(this.signalSubscriptionsByName.get(name) ?? [])].map((k) => this.signalSubscriptions.get(k)!);
  }

  signalSubscriptionsOf(elementInstanceKey: string): SignalSubscription[] {
    return [...(this.signalSubscriptionsByElement.get(elementInstanceKey) ?? [])].map(
      (k) => this.signalSubscriptions.get(k)!,
    );
  }

  // ---- incidents

  putIncident(incident: Incident): void {
    this.incidents.put(incident.key, incident);
    addTo(this.incidentsByElement, incident.elementInstanceKey, incident.key);
  }

  deleteIncident(incident: Incident): void {
    this.incidents.delete(incident.key);
    removeFrom(this.incidentsByElement, incident.elementInstanceKey, incident.key);
  }

  incidentsOf(elementInstanceKey: string): Incident[] {
    return [...(this.incidentsByElement.get(elementInstanceKey) ?? [])].map((k) => this.incidents.get(k)!);
  }

  // ---- loading

  /** Rebuilds the tables and every index from stored rows; models are compiled by the caller. */
  restore(kind: string, key: string, value: unknown): void {
    switch (kind) {
      case 'meta':
        this.meta.restore(key, value as Counters);
        break;
      case 'process':
        this.processes.restore(key, value as ProcessDefinition);
        break;
      case 'element': {
        const instance = value as ElementInstance;
        this.elements.restore(key, instance);
        if (instance.flowScopeKey !== '-1') addTo(this.children, instance.flowScopeKey, key);
        break;
      }
      case 'variables':
        this.variables.restore(key, value as ScopeVariables);
        break;
      case 'job':
        this.jobs.restore(key, value as Job);
        this.indexJob(value as Job);
        break;
      case 'timer':
        this.timers.restore(key, value as Timer);
        this.indexTimer(value as Timer);
        break;
      case 'message-subscription':
        this.messageSubscriptions.restore(key, value as MessageSubscription);
        this.indexMessageSubscription(value as MessageSubscription);
        break;
      case 'message':
        this.messages.restore(key, value as BufferedMessage);
        this.indexMessage(value as BufferedMessage);
        break;
      case 'signal-subscription':
        this.signalSubscriptions.restore(key, value as SignalSubscription);
        this.indexSignalSubscription(value as SignalSubscription);
        break;
      case 'incident': {
        const incident = value as Incident;
        this.incidents.restore(key, incident);
        addTo(this.incidentsByElement, incident.elementInstanceKey, key);
        break;
      }
      case 'message-start-lock':
        this.messageStartLocks.restore(key, value as string);
        break;
      case 'process-version':
        this.deletedProcessVersions.restore(key, value as number);
        break;
      default:
        throw new Error(`unknown engine state kind '${kind}'`);
    }
  }
}
