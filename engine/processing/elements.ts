/**
 * The lifecycle of element instances: activate, complete, terminate, take sequence flows, complete scopes.
 * Element-specific behaviour lives in behaviours.ts; this module is the part every element shares.
 */
import { evaluateMappings } from '../feel';
import type { FlowNode } from '../model/types';
import type { ElementInstance, Variables } from '../state/entities';
import type { Batch } from './batch';
import { afterCompleted, onActivated, onActivating, onCompleting, onTerminating } from './behaviours';
import { closeEventSubscriptions, openEventSubscriptions } from './subscriptions';
import { raiseIncident, resolveIncidentsOf } from './incidents';
import { createJob } from './jobs';
import { releaseMessageStartLock } from './messages';
import { processInstanceValue } from './recordValues';
import { localVariables, mergeVariables, setLocalVariables, visibleVariables } from './variables';

export function nodeOf(batch: Batch, instance: ElementInstance): FlowNode {
  const node = batch.state.model(instance.processDefinitionKey).nodes.get(instance.elementId);
  if (!node) throw new Error(`element '${instance.elementId}' not in process ${instance.processDefinitionKey}`);
  return node;
}

export function isMultiInstanceBody(instance: ElementInstance): boolean {
  return instance.type === 'MULTI_INSTANCE_BODY';
}

export function writeElement(batch: Batch, instance: ElementInstance, intent: string): void {
  batch.write('PROCESS_INSTANCE', intent, instance.key, processInstanceValue(instance), instance.processInstanceKey);
}

export interface ActivationRequest {
  elementId: string;
  /** Activate the inner instance of a multi-instance activity, not its body. */
  inner?: { loopCounter: number; localVariables: Variables };
  eventTrigger?: { variables: Variables };
  localVariables?: Variables;
  pendingStart?: ElementInstance['pendingStart'];
}

/** Queues the activation of an element in a scope; the scope counts it as active from now on. */
export function enqueueActivation(batch: Batch, scope: ElementInstance, request: ActivationRequest): void {
  scope.pendingActivations += 1;
  batch.state.putElement(scope);
  const epoch = scope.epoch;
  batch.enqueue(() => {
    const current = batch.state.elements.get(scope.key);
    if (!current || current.epoch !== epoch || current.state === 'TERMINATING') return;
    current.pendingActivations -= 1;
    activateElement(batch, current, request);
  });
}

export function createElementInstance(
  batch: Batch,
  scope: ElementInstance,
  node: FlowNode,
  asBody: boolean,
): ElementInstance {
  const instance: ElementInstance = {
    key: batch.state.nextKey(),
    elementId: node.id,
    type: asBody ? 'MULTI_INSTANCE_BODY' : node.type,
    eventType: asBody ? 'UNSPECIFIED' : node.eventType,
    state: 'ACTIVATING',
    processInstanceKey: scope.processInstanceKey,
    processDefinitionKey: scope.processDefinitionKey,
    bpmnProcessId: scope.bpmnProcessId,
    version: scope.version,
    flowScopeKey: scope.key,
    parentProcessInstanceKey: '-1',
    parentElementInstanceKey: '-1',
    activeChildren: 0,
    pendingActivations: 0,
    epoch: 0,
  };
  scope.activeChildren += 1;
  batch.state.putElement(scope);
  batch.state.putElement(instance);
  return instance;
}

function activateElement(batch: Batch, scope: ElementInstance, request: ActivationRequest): void {
  const node = batch.state.model(scope.processDefinitionKey).nodes.get(request.elementId)!;
  const asBody = node.multiInstance !== undefined && request.inner === undefined;
  const instance = createElementInstance(batch, scope, node, asBody);
  if (request.inner) instance.loopCounter = request.inner.loopCounter;
  if (request.eventTrigger) instance.eventTrigger = request.eventTrigger;
  if (request.pendingStart) instance.pendingStart = request.pendingStart;
  batch.state.putElement(instance);
  writeElement(batch, instance, 'ELEMENT_ACTIVATING');
  if (request.inner) setLocalVariables(batch, instance.key, request.inner.localVariables);
  if (request.localVariables) setLocalVariables(batch, instance.key, request.localVariables);
  continueActivation(batch, instance);
}

/** The part of activation that may raise an incident; resolving the incident runs it again. */
export function continueActivation(batch: Batch, instance: ElementInstance): void {
  const node = nodeOf(batch, instance);
  if (!isMultiInstanceBody(instance) && node.inputMappings.length > 0) {
    const mapped = evaluateMappings(node.inputMappings, visibleVariables(batch, instance.key));
    if (!mapped.ok) return raiseIncident(batch, instance, 'EXTRACT_VALUE_ERROR', mapped.message);
    setLocalVariables(batch, instance.key, mapped.value);
  }
  const prepared = onActivating(batch, instance, node);
  if (!prepared.ok) return raiseIncident(batch, instance, prepared.errorType, prepared.message);
  const subscribed = openEventSubscriptions(batch, instance, node);
  if (!subscribed.ok) return raiseIncident(batch, instance, 'EXTRACT_VALUE_ERROR', subscribed.message);
  // Zeebe creates a task's job while activating it: JOB CREATED comes before the task's ELEMENT_ACTIVATED.
  if (prepared.value.job) createJob(batch, instance, prepared.value.job);
  instance.state = 'ACTIVATED';
  batch.state.putElement(instance);
  writeElement(batch, instance, 'ELEMENT_ACTIVATED');
  onActivated(batch, instance, node, prepared.value);
}

/** Starts completing an activated element; `triggerVariables` are the job result, message variables, etc. */
export function completeElement(batch: Batch, instance: ElementInstance, triggerVariables?: Variables): void {
  if (instance.state !== 'ACTIVATED') return;
  if (triggerVariables && Object.keys(triggerVariables).length > 0) instance.triggerVariables = triggerVariables;
  instance.state = 'COMPLETING';
  batch.state.putElement(instance);
  writeElement(batch, instance, 'ELEMENT_COMPLETING');
  continueCompletion(batch, instance);
}

/** Variables the element hands to its scope when it completes (output mappings or propagation). */
function applyOutput(batch: Batch, instance: ElementInstance, node: FlowNode): { ok: true } | { ok: false; message: string } {
  if (isMultiInstanceBody(instance)) return { ok: true };
  const trigger = instance.triggerVariables ?? instance.eventTrigger?.variables;
  const propagateTrigger = !(node.type === 'CALL_ACTIVITY' && !node.calledElement!.propagateAllChildVariables);
  // Zeebe keeps the variables of a caught error (ThrowError) local to the error boundary event; only its
  // output mappings carry them on.
  const keepTriggerLocal = node.type === 'BOUNDARY_EVENT' && node.error !== undefined;
  if (node.outputMappings.length > 0) {
    if (trigger) setLocalVariables(batch, instance.key, trigger);
    const mapped = evaluateMappings(node.outputMappings, visibleVariables(batch, instance.key));
    if (!mapped.ok) return mapped;
    mergeVariables(batch, instance.flowScopeKey, mapped.value);
  } else if (trigger && keepTriggerLocal) {
    setLocalVariables(batch, instance.key, trigger);
  } else if (trigger && propagateTrigger) {
    mergeVariables(batch, instance.key, trigger);
  }
  return { ok: true };
}

export function continueCompletion(batch: Batch, instance: ElementInstance): void {
  const node = nodeOf(batch, instance);
  const output = applyOutput(batch, instance, node);
  if (!output.ok) return raiseIncident(batch, instance, 'EXTRACT_VALUE_ERROR', output.message);
  const completing = onCompleting(batch, instance, node);
  if (!completing.ok) return raiseIncident(batch, instance, 'EXTRACT_VALUE_ERROR', completing.message);
  closeEventSubscriptions(batch, instance);
  writeElement(batch, instance, 'ELEMENT_COMPLETED');
  const endedProcessVariables = instance.flowScopeKey === '-1' ? localVariables(batch, instance.key) : undefined;
  const scope = removeInstance(batch, instance);
  if (endedProcessVariables) afterProcessEnded(batch, instance, endedProcessVariables);
  afterCompleted(batch, instance, node, scope, completing.value, endedProcessVariables);
}

/** Deletes a finished instance and returns its flow scope (undefined for a process instance). */
function removeInstance(batch: Batch, instance: ElementInstance): ElementInstance | undefined {
  batch.state.deleteElement(instance);
  if (instance.flowScopeKey === '-1') return undefined;
  const scope = batch.state.elements.get(instance.flowScopeKey);
  if (scope) {
    scope.activeChildren -= 1;
    batch.state.putElement(scope);
  }
  return scope;
}

/** Takes sequence flows out of a completed element, activating their targets (joining at parallel gateways). */
export function takeFlows(
  batch: Batch,
  scope: ElementInstance,
  flowIds: string[],
  trigger?: { targetId: string; variables: Variables },
): void {
  const model = batch.state.model(scope.processDefinitionKey);
  for (const flowId of flowIds) {
    const flow = model.flows.get(flowId)!;
    batch.write(
      'PROCESS_INSTANCE',
      'SEQUENCE_FLOW_TAKEN',
      batch.state.nextKey(),
      {
        ...processInstanceValue(scope),
        elementId: flow.id,
        flowScopeKey: scope.key,
        bpmnElementType: 'SEQUENCE_FLOW',
        bpmnEventType: 'UNSPECIFIED',
        parentProcessInstanceKey: '-1',
        parentElementInstanceKey: '-1',
      },
      scope.processInstanceKey,
    );
    const target = model.nodes.get(flow.targetId)!;
    if (target.type === 'PARALLEL_GATEWAY' && target.incoming.length > 1) joinAt(batch, scope, target, flow.id);
    else {
      const eventTrigger = trigger?.targetId === target.id ? { variables: trigger.variables } : undefined;
      enqueueActivation(batch, scope, { elementId: target.id, eventTrigger });
    }
  }
}

function joinAt(batch: Batch, scope: ElementInstance, gateway: FlowNode, flowId: string): void {
  const tokens = (scope.joinTokens ??= {});
  const waiting = (tokens[gateway.id] ??= {});
  waiting[flowId] = (waiting[flowId] ?? 0) + 1;
  if (gateway.incoming.every((incoming) => (waiting[incoming] ?? 0) > 0)) {
    for (const incoming of gateway.incoming) {
      waiting[incoming] -= 1;
      if (waiting[incoming] === 0) delete waiting[incoming];
    }
    if (Object.keys(waiting).length === 0) delete tokens[gateway.id];
    if (Object.keys(tokens).length === 0) delete scope.joinTokens;
    enqueueActivation(batch, scope, { elementId: gateway.id });
  } else {
    batch.state.putElement(scope);
  }
}

/** A scope whose last child finished completes, unless tokens still wait at a join. */
export function completeScopeIfDone(batch: Batch, scope: ElementInstance | undefined): void {
  if (!scope || scope.state !== 'ACTIVATED' || isMultiInstanceBody(scope)) return;
  if (scope.activeChildren > 0 || scope.pendingActivations > 0 || scope.joinTokens) return;
  completeElement(batch, scope);
}

/** Terminates an instance and everything below it, writing the records Zeebe writes. */
export function terminateElement(batch: Batch, instance: ElementInstance): void {
  if (instance.state === 'TERMINATING') return;
  instance.state = 'TERMINATING';
  batch.state.putElement(instance);
  writeElement(batch, instance, 'ELEMENT_TERMINATING');
  terminateChildren(batch, instance);
  onTerminating(batch, instance);
  closeEventSubscriptions(batch, instance);
  resolveIncidentsOf(batch, instance);
  writeElement(batch, instance, 'ELEMENT_TERMINATED');
  removeInstance(batch, instance);
  if (instance.flowScopeKey === '-1') afterProcessEnded(batch, instance, undefined);
}

/** Terminates every child of a scope and drops what was queued for it (terminate end event, interrupting events). */
export function terminateChildren(batch: Batch, scope: ElementInstance): void {
  scope.epoch += 1;
  scope.pendingActivations = 0;
  delete scope.joinTokens;
  batch.state.putElement(scope);
  for (const child of batch.state.childrenOf(scope.key)) terminateElement(batch, child);
}

/** Bookkeeping when a process instance ends: completed (with its variables) or terminated. */
function afterProcessEnded(batch: Batch, instance: ElementInstance, variables: Variables | undefined): void {
  if (instance.messageStartLock) releaseMessageStartLock(batch, instance.messageStartLock);
  if (instance.parentElementInstanceKey === '-1') {
    batch.endedInstances.push({
      processInstanceKey: instance.key,
      variables: variables ?? {},
      terminated: variables === undefined,
    });
  }
}
