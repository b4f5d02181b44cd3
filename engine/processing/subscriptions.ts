/**
 * Event subscriptions of an element instance: the timers, message and signal subscriptions of its boundary
 * events, of the event sub-processes it contains, of itself (catch events, receive tasks) or of the events after
 * it (event-based gateway). Opened while the element activates, closed when it leaves, and triggerEvent is what
 * happens when one of them fires.
 */
import { evaluateAny, evaluateString } from '../feel';
import type { FlowNode } from '../model/types';
import { evaluateTimer, type TimerSchedule } from '../timers';
import type { ElementInstance, EventSubscription, MessageSubscription, SignalSubscription, Timer, Variables } from '../state/entities';
import type { Batch } from './batch';
import { completeElement, enqueueActivation, isMultiInstanceBody, terminateChildren, terminateElement } from './elements';
import { messageSubscriptionValue, processMessageSubscriptionValue } from './messages';
import { signalSubscriptionValue } from './signals';
import { timerValue } from './timerEvents';
import { visibleVariables } from './variables';

const CONTAINERS = new Set(['PROCESS', 'SUB_PROCESS', 'EVENT_SUB_PROCESS']);

/** The catch events whose subscriptions this instance owns. */
function subscribedEvents(batch: Batch, instance: ElementInstance, node: FlowNode): FlowNode[] {
  const model = batch.state.model(instance.processDefinitionKey);
  const events: FlowNode[] = [];
  if (isMultiInstanceBody(instance) || !node.multiInstance) {
    for (const id of node.boundaryEventIds) events.push(model.nodes.get(id)!);
  }
  if (isMultiInstanceBody(instance)) return events;
  if (CONTAINERS.has(node.type)) {
    for (const id of node.eventSubProcessStartEventIds) events.push(model.nodes.get(id)!);
  }
  if ((node.type === 'INTERMEDIATE_CATCH_EVENT' || node.type === 'RECEIVE_TASK') && !instance.eventTrigger) {
    events.push(node);
  }
  if (node.type === 'EVENT_BASED_GATEWAY') {
    for (const flowId of node.outgoing) events.push(model.nodes.get(model.flows.get(flowId)!.targetId)!);
  }
  return events;
}

type Opening =
  | { kind: 'timer'; event: FlowNode; schedule: TimerSchedule }
  | { kind: 'message'; event: FlowNode; name: string; correlationKey: string }
  | { kind: 'signal'; event: FlowNode; name: string };

function correlationKeyOf(value: unknown, event: FlowNode): { ok: true; value: string } | { ok: false; message: string } {
  if (typeof value === 'string') return { ok: true, value };
  if (typeof value === 'number') return { ok: true, value: String(value) };
  const source = event.message?.correlationKey?.raw ?? '';
  const actual = value === null || value === undefined ? 'NULL' : Array.isArray(value) ? 'ARRAY' : typeof value === 'boolean' ? 'BOOLEAN' : 'OBJECT';
  return {
    ok: false,
    message: `Failed to extract the correlation key for '${source}': The value must be either a string or a number, but was ${actual}.`,
  };
}

function evaluateOpenings(batch: Batch, instance: ElementInstance, events: FlowNode[]): { ok: true; value: Opening[] } | { ok: false; message: string } {
  const openings: Opening[] = [];
  let variables: Variables | undefined;
  const vars = () => (variables ??= visibleVariables(batch, instance.key));
  for (const event of events) {
    if (event.timer) {
      const schedule = evaluateTimer(event.timer, vars(), batch.now);
      if (!schedule.ok) return schedule;
      openings.push({ kind: 'timer', event, schedule: schedule.value });
    } else if (event.message) {
      const name = evaluateString(event.message.name, vars());
      if (!name.ok) return name;
      const key = event.message.correlationKey;
      let correlationKey = '';
      if (key) {
        const raw = key.kind === 'static' ? { ok: true as const, value: key.value } : evaluateAny(key, vars());
        if (!raw.ok) return raw;
        const checked = correlationKeyOf(raw.value, event);
        if (!checked.ok) return checked;
        correlationKey = checked.value;
      }
      openings.push({ kind: 'message', event, name: name.value, correlationKey });
    } else if (event.signal) {
      const name = evaluateString(event.signal.name, vars());
      if (!name.ok) return name;
      openings.push({ kind: 'signal', event, name: name.value });
    }
  }
  return { ok: true, value: openings };
}


export function openEventSubscriptions(batch: Batch, instance: ElementInstance, node: FlowNode): { ok: true } | { ok: false; message: string } {
  const events = subscribedEvents(batch, instance, node);
  if (events.length === 0) return { ok: true };
  const evaluated = evaluateOpenings(batch, instance, events);
  if (!evaluated.ok) return evaluated;
  // A retried activation (after an incident) must not open the same subscriptions twice.
  closeEventSubscriptions(batch, instance);
  for (const opening of evaluated.value) {
    const interrupting = opening.event.type === 'INTERMEDIATE_CATCH_EVENT' || opening.event.type === 'RECEIVE_TASK' || opening.event.interrupting;
    if (opening.kind === 'timer') {
      createTimer(batch, instance, opening.event.id, opening.schedule);
      continue;
    }
    const base: EventSubscription = {
      key: batch.state.nextKey(),
      elementInstanceKey: instance.key,
      processInstanceKey: instance.processInstanceKey,
      processDefinitionKey: instance.processDefinitionKey,
      bpmnProcessId: instance.bpmnProcessId,
      targetElementId: opening.event.id,
      interrupting,
    };
    if (opening.kind === 'message') {
      const subscription: MessageSubscription = { ...base, messageName: opening.name, correlationKey: opening.correlationKey };
      batch.state.putMessageSubscription(subscription);
      batch.write('PROCESS_MESSAGE_SUBSCRIPTION', 'CREATED', subscription.key, processMessageSubscriptionValue(subscription), instance.processInstanceKey);
      batch.write('MESSAGE_SUBSCRIPTION', 'CREATED', subscription.key, messageSubscriptionValue(subscription), instance.processInstanceKey);
    } else {
      const subscription: SignalSubscription = { ...base, signalName: opening.name };
      batch.state.putSignalSubscription(subscription);
      batch.write('SIGNAL_SUBSCRIPTION', 'CREATED', subscription.key, signalSubscriptionValue(subscription), instance.processInstanceKey);
    }
  }
  return { ok: true };
}

export function createTimer(batch: Batch, owner: ElementInstance | undefined, targetElementId: string, schedule: TimerSchedule, processDefinitionKey?: string): Timer {
  const timer: Timer = {
    key: batch.state.nextKey(),
    elementInstanceKey: owner?.key ?? '-1',
    processInstanceKey: owner?.processInstanceKey ?? '-1',
    processDefinitionKey: owner?.processDefinitionKey ?? processDefinitionKey!,
    targetElementId,
    dueDate: schedule.dueDate,
    repetitions: schedule.repetitions,
    interval: schedule.interval,
  };
  batch.state.putTimer(timer);
  batch.write('TIMER', 'CREATED', timer.key, timerValue(timer), owner?.processInstanceKey ?? null);
  return timer;
}

/** Closes what the instance owns; `onlyTargets` limits it to some catch events (the event sub-process starts). */
export function closeEventSubscriptions(batch: Batch, instance: ElementInstance, onlyTargets?: Set<string>): void {
  const keep = (target: string) => onlyTargets !== undefined && !onlyTargets.has(target);
  for (const timer of batch.state.timersOf(instance.key)) {
    if (keep(timer.targetElementId)) continue;
    batch.state.deleteTimer(timer);
    batch.write('TIMER', 'CANCELED', timer.key, timerValue(timer), timer.processInstanceKey);
  }
  for (const subscription of batch.state.messageSubscriptionsOf(instance.key)) {
    if (keep(subscription.targetElementId)) continue;
    batch.state.deleteMessageSubscription(subscription);
    batch.write('PROCESS_MESSAGE_SUBSCRIPTION', 'DELETED', subscription.key, processMessageSubscriptionValue(subscription), subscription.processInstanceKey);
    batch.write('MESSAGE_SUBSCRIPTION', 'DELETED', subscription.key, messageSubscriptionValue(subscription), subscription.processInstanceKey);
  }
  for (const subscription of batch.state.signalSubscriptionsOf(instance.key)) {
    if (keep(subscription.targetElementId)) continue;
    batch.state.deleteSignalSubscription(subscription);
    batch.write('SIGNAL_SUBSCRIPTION', 'DELETED', subscription.key, signalSubscriptionValue(subscription), subscription.processInstanceKey);
  }
}

/** A subscription fired: continue at the catch event it belongs to. */
export function triggerEvent(batch: Batch, owner: ElementInstance, targetElementId: string, variables: Variables, interrupting: boolean): void {
  const model = batch.state.model(owner.processDefinitionKey);
  const target = model.nodes.get(targetElementId)!;
  if (target.type === 'BOUNDARY_EVENT') {
    const scope = batch.state.elements.get(owner.flowScopeKey)!;
    if (interrupting) terminateElement(batch, owner);
    return enqueueActivation(batch, scope, { elementId: target.id, eventTrigger: { variables } });
  }
  if (target.type === 'START_EVENT') {
    const eventSubProcessId = target.scopeId;
    if (interrupting) {
      const model = batch.state.model(owner.processDefinitionKey);
      const starts = new Set(model.nodes.get(owner.elementId)!.eventSubProcessStartEventIds);
      closeEventSubscriptions(batch, owner, starts);
      terminateChildren(batch, owner);
      owner.interrupted = true;
      batch.state.putElement(owner);
    }
    return enqueueActivation(batch, owner, {
      elementId: eventSubProcessId,
      pendingStart: { elementIds: [target.id], variables },
    });
  }
  if (owner.type === 'EVENT_BASED_GATEWAY') {
    const flowId = owner && model.nodes.get(owner.elementId)!.outgoing.find((id) => model.flows.get(id)!.targetId === target.id)!;
    owner.forwardTrigger = { flowId, targetId: target.id, variables };
    batch.state.putElement(owner);
    return completeElement(batch, owner);
  }
  completeElement(batch, owner, variables);
}
