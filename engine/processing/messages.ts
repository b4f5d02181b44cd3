/**
 * Messages: publish, correlate to subscriptions and message start events, buffer for their time to live.
 * Zeebe's cardinality rule: a message is correlated at most once per process (bpmnProcessId), and a
 * message start event with a correlation key starts no second instance while one it started still runs.
 */
import { EngineError } from '../api';
import type { FlowNode } from '../model/types';
import type { BufferedMessage, ElementInstance, MessageSubscription, ProcessDefinition, Variables } from '../state/entities';
import type { Batch } from './batch';
import { startProcessInstance } from './instances';
import { TENANT } from './recordValues';
import { triggerEvent } from './subscriptions';

export function messageSubscriptionValue(s: MessageSubscription, messageKey = '-1', variables: Variables = {}): Record<string, unknown> {
  return {
    processInstanceKey: s.processInstanceKey,
    elementInstanceKey: s.elementInstanceKey,
    bpmnProcessId: s.bpmnProcessId,
    messageName: s.messageName,
    correlationKey: s.correlationKey,
    messageKey,
    interrupting: s.interrupting,
    variables,
    tenantId: TENANT,
  };
}

/** The process side of the same subscription: Zeebe's record adds the partition and the catch element. */
export function processMessageSubscriptionValue(s: MessageSubscription, messageKey = '-1', variables: Variables = {}): Record<string, unknown> {
  return { subscriptionPartitionId: 1, elementId: s.targetElementId, ...messageSubscriptionValue(s, messageKey, variables) };
}

function messageValue(m: BufferedMessage): Record<string, unknown> {
  return {
    name: m.name,
    correlationKey: m.correlationKey,
    messageId: m.messageId,
    timeToLive: m.timeToLive,
    deadline: m.deadline,
    variables: m.variables,
    tenantId: TENANT,
  };
}

export interface PublishRequest {
  name: string;
  correlationKey: string;
  timeToLiveMs: number;
  messageId: string;
  variables: Variables;
}

export function checkPublish(batch: Batch, request: PublishRequest): void {
  if (request.messageId && batch.state.messageWithId(request.name, request.correlationKey, request.messageId)) {
    throw new EngineError(
      'ALREADY_EXISTS',
      `Command 'PUBLISH' rejected with code 'ALREADY_EXISTS': Expected to publish a new message with id '${request.messageId}', but a message with that id was already published`,
    );
  }
}

export function publishMessage(batch: Batch, request: PublishRequest): string {
  checkPublish(batch, request);
  const message: BufferedMessage = {
    key: batch.state.nextKey(),
    name: request.name,
    correlationKey: request.correlationKey,
    messageId: request.messageId,
    variables: request.variables,
    timeToLive: request.timeToLiveMs,
    deadline: batch.now + request.timeToLiveMs,
    correlatedProcessIds: [],
  };
  batch.write('MESSAGE', 'PUBLISHED', message.key, messageValue(message));
  // Open subscriptions first, start events after (as Zeebe's MessagePublishProcessor): a process whose instance
  // is waiting for the message takes it there, and then starts no new instance by it.
  for (const subscription of batch.state.messageSubscriptionsFor(message.name, message.correlationKey)) {
    if (message.correlatedProcessIds.includes(subscription.bpmnProcessId)) continue;
    const owner = batch.state.elements.get(subscription.elementInstanceKey);
    if (!owner || owner.state !== 'ACTIVATED' || !batch.state.messageSubscriptions.has(subscription.key)) continue;
    correlate(batch, subscription, owner, message);
  }
  startByMessage(batch, message);
  if (request.timeToLiveMs > 0) batch.state.putMessage(message);
  else batch.write('MESSAGE', 'EXPIRED', message.key, messageValue(message));
  return message.key;
}

function startEventName(start: FlowNode): string {
  const name = start.message!.name;
  return name.kind === 'static' ? name.value : name.source;
}

/**
 * Key of the message start lock: one running instance per process and correlation key. JSON rather than a
 * control-character separator, because the lock is stored and Postgres text cannot hold NUL.
 */
function messageStartLock(bpmnProcessId: string, correlationKey: string): string {
  return JSON.stringify([bpmnProcessId, correlationKey]);
}

function startByMessage(batch: Batch, message: BufferedMessage): void {
  for (const versions of batch.state.versions.values()) {
    const definition = versions[versions.length - 1];
    const model = batch.state.model(definition.key);
    for (const startId of model.messageStartEventIds) {
      if (startEventName(model.nodes.get(startId)!) !== message.name) continue;
      if (message.correlatedProcessIds.includes(definition.bpmnProcessId)) continue;
      const lock = message.correlationKey ? messageStartLock(definition.bpmnProcessId, message.correlationKey) : undefined;
      if (lock && batch.state.messageStartLocks.has(lock)) continue;
      startFromMessage(batch, definition, startId, message, lock);
    }
  }
}

function startFromMessage(batch: Batch, definition: ProcessDefinition, startId: string, message: BufferedMessage, lock: string | undefined): void {
  const instance = startProcessInstance(batch, definition, {}, {
    startElementIds: [startId],
    startVariables: message.variables,
    messageStartLock: lock,
  });
  if (lock) batch.state.messageStartLocks.put(lock, instance.key);
  message.correlatedProcessIds.push(definition.bpmnProcessId);
  if (batch.state.messages.has(message.key)) batch.state.messages.put(message.key, message);
}

/**
 * An instance started by a message with a correlation key ended: the lock goes, and (as Zeebe's
 * BpmnBufferedMessageStartEventBehavior) the oldest live buffered message with that key which this process has
 * not taken yet starts the next instance of its latest version.
 */
export function releaseMessageStartLock(batch: Batch, lock: string): void {
  batch.state.messageStartLocks.delete(lock);
  const [bpmnProcessId, correlationKey] = JSON.parse(lock) as [string, string];
  const definition = batch.state.latestProcess(bpmnProcessId);
  if (!definition) return;
  const model = batch.state.model(definition.key);
  let next: { message: BufferedMessage; startId: string } | undefined;
  for (const startId of model.messageStartEventIds) {
    const candidate = batch.state
      .bufferedMessages(startEventName(model.nodes.get(startId)!), correlationKey)
      .find((m) => m.deadline > batch.now && !m.correlatedProcessIds.includes(bpmnProcessId));
    if (candidate && (!next || BigInt(candidate.key) < BigInt(next.message.key))) next = { message: candidate, startId };
  }
  if (next) startFromMessage(batch, definition, next.startId, next.message, lock);
}

function correlate(batch: Batch, subscription: MessageSubscription, owner: ElementInstance, message: BufferedMessage): void {
  batch.write('PROCESS_MESSAGE_SUBSCRIPTION', 'CORRELATED', subscription.key, processMessageSubscriptionValue(subscription, message.key, message.variables), subscription.processInstanceKey);
  batch.write('MESSAGE_SUBSCRIPTION', 'CORRELATED', subscription.key, messageSubscriptionValue(subscription, message.key, message.variables), subscription.processInstanceKey);
  message.correlatedProcessIds.push(subscription.bpmnProcessId);
  if (batch.state.messages.has(message.key)) batch.state.messages.put(message.key, message);
  if (subscription.interrupting) batch.state.deleteMessageSubscription(subscription);
  triggerEvent(batch, owner, subscription.targetElementId, message.variables, subscription.interrupting);
}

/** A new subscription looks for a buffered message it can take. */
export function correlateBuffered(batch: Batch, owner: ElementInstance): void {
  for (const subscription of batch.state.messageSubscriptionsOf(owner.key)) {
    for (const message of batch.state.bufferedMessages(subscription.messageName, subscription.correlationKey)) {
      const current = batch.state.elements.get(owner.key);
      if (!current || current.state !== 'ACTIVATED' || !batch.state.messageSubscriptions.has(subscription.key)) return;
      if (message.correlatedProcessIds.includes(subscription.bpmnProcessId)) continue;
      correlate(batch, subscription, current, message);
      if (subscription.interrupting) break;
    }
  }
}

export function expireMessage(batch: Batch, messageKey: string): void {
  const message = batch.state.messages.get(messageKey);
  if (!message || message.deadline > batch.now) return;
  batch.state.deleteMessage(message);
  batch.write('MESSAGE', 'EXPIRED', message.key, messageValue(message));
}
