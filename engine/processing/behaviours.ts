/**
 * What each kind of BPMN element does at the points of its lifecycle (elements.ts drives the lifecycle).
 */
import {
  evaluateAny,
  evaluateBoolean,
  evaluateDateTime,
  evaluateList,
  evaluateNumber,
  evaluateString,
  evaluateStringList,
  type Evaluation,
} from '../feel';
import type { FlowNode } from '../model/types';
import type { ElementInstance, IncidentErrorType, ProcessDefinition, Variables } from '../state/entities';
import type { Batch } from './batch';
import {
  completeElement,
  completeScopeIfDone,
  enqueueActivation,
  isMultiInstanceBody,
  takeFlows,
  terminateChildren,
  terminateElement,
} from './elements';
import { throwErrorEvent, throwEscalation } from './errors';
import { startProcessInstance } from './instances';
import { cancelJobOf, type PreparedJob } from './jobs';
import { raiseIncident } from './incidents';
import { broadcastSignal } from './signals';
import { correlateBuffered } from './messages';
import { localVariables, mergeVariables, setLocalVariable, visibleVariables } from './variables';

export interface Prepared {
  job?: PreparedJob;
  flows?: string[];
  items?: unknown[];
  called?: ProcessDefinition;
  result?: Variables;
  errorCode?: string;
  escalationCode?: string;
  signalName?: string;
}

export type Preparation =
  | { ok: true; value: Prepared }
  | { ok: false; errorType: IncidentErrorType; message: string };

const USER_TASK_JOB_TYPE = 'io.camunda.zeebe:userTask';

function extractFailure(message: string): Preparation {
  return { ok: false, errorType: 'EXTRACT_VALUE_ERROR', message };
}

function prepareJob(batch: Batch, instance: ElementInstance, node: FlowNode): Preparation {
  const variables = visibleVariables(batch, instance.key);
  const headers: Record<string, string> = { ...node.taskHeaders };
  let type: Evaluation<string>;
  let retries: Evaluation<number>;
  if (node.userTask) {
    type = { ok: true, value: USER_TASK_JOB_TYPE };
    retries = { ok: true, value: 1 };
    const task = node.userTask;
    if (task.formKey) headers['io.camunda.zeebe:formKey'] = task.formKey;
    const single: [keyof typeof task, string, typeof evaluateString][] = [
      ['assignee', 'io.camunda.zeebe:assignee', evaluateString],
      ['dueDate', 'io.camunda.zeebe:dueDate', evaluateDateTime],
      ['followUpDate', 'io.camunda.zeebe:followUpDate', evaluateDateTime],
    ];
    for (const [field, header, evaluate] of single) {
      const expression = task[field];
      if (!expression || typeof expression === 'string') continue;
      const value = evaluate(expression, variables);
      if (!value.ok) return extractFailure(value.message);
      if (value.value) headers[header] = value.value;
    }
    const lists: [keyof typeof task, string][] = [
      ['candidateGroups', 'io.camunda.zeebe:candidateGroups'],
      ['candidateUsers', 'io.camunda.zeebe:candidateUsers'],
    ];
    for (const [field, header] of lists) {
      const expression = task[field];
      if (!expression || typeof expression === 'string') continue;
      const value = evaluateStringList(expression, variables);
      if (!value.ok) return extractFailure(value.message);
      headers[header] = JSON.stringify(value.value);
    }
  } else {
    type = evaluateString(node.job!.type, variables);
    retries = evaluateNumber(node.job!.retries, variables);
  }
  if (!type.ok) return extractFailure(type.message);
  if (!retries.ok) return extractFailure(retries.message);
  return { ok: true, value: { job: { type: type.value, retries: retries.value, customHeaders: headers } } };
}

function chooseFlows(batch: Batch, instance: ElementInstance, node: FlowNode): Preparation {
  const model = batch.state.model(instance.processDefinitionKey);
  const variables = visibleVariables(batch, instance.key);
  const chosen: string[] = [];
  for (const flowId of node.outgoing) {
    const flow = model.flows.get(flowId)!;
    if (flowId === node.defaultFlowId) continue;
    if (!flow.condition) {
      chosen.push(flowId);
    } else {
      const result = evaluateBoolean(flow.condition, variables);
      // Zeebe reports a condition that fails to evaluate (or yields no boolean) like any failed expression;
      // CONDITION_ERROR is only for "no flow could be taken".
      if (!result.ok) return extractFailure(result.message);
      if (result.value) chosen.push(flowId);
    }
    if (chosen.length > 0 && node.type === 'EXCLUSIVE_GATEWAY') break;
  }
  if (chosen.length === 0 && node.defaultFlowId) chosen.push(node.defaultFlowId);
  if (chosen.length === 0 && node.outgoing.length > 0) {
    return {
      ok: false,
      errorType: 'CONDITION_ERROR',
      message: 'Expected at least one condition to evaluate to true, or to have a default flow',
    };
  }
  return { ok: true, value: { flows: chosen } };
}

function findCalledProcess(batch: Batch, instance: ElementInstance, node: FlowNode): Preparation {
  const id = evaluateString(node.calledElement!.processId, visibleVariables(batch, instance.key));
  if (!id.ok) return extractFailure(id.message);
  const definition = batch.state.latestProcess(id.value);
  if (!definition) {
    return {
      ok: false,
      errorType: 'CALLED_ELEMENT_ERROR',
      message: `Expected process with BPMN process id '${id.value}' to be deployed, but not found.`,
    };
  }
  return { ok: true, value: { called: definition } };
}

export function onActivating(batch: Batch, instance: ElementInstance, node: FlowNode): Preparation {
  if (isMultiInstanceBody(instance)) {
    const items = evaluateList(node.multiInstance!.inputCollection, visibleVariables(batch, instance.key));
    return items.ok ? { ok: true, value: { items: items.value } } : extractFailure(items.message);
  }
  if (node.job || node.userTask) return prepareJob(batch, instance, node);
  switch (node.type) {
    case 'SCRIPT_TASK': {
      const result = evaluateAny(node.script!.expression, visibleVariables(batch, instance.key));
      if (!result.ok) return extractFailure(result.message);
      return { ok: true, value: { result: { [node.script!.resultVariable]: result.value } } };
    }
    case 'EXCLUSIVE_GATEWAY':
    case 'INCLUSIVE_GATEWAY':
      return chooseFlows(batch, instance, node);
    case 'CALL_ACTIVITY':
      return findCalledProcess(batch, instance, node);
    default:
      break;
  }
  const variables = () => visibleVariables(batch, instance.key);
  if (node.error?.code && (node.type === 'END_EVENT' || node.type === 'INTERMEDIATE_THROW_EVENT')) {
    const code = evaluateString(node.error.code, variables());
    return code.ok ? { ok: true, value: { errorCode: code.value } } : extractFailure(code.message);
  }
  if (node.escalation?.code && (node.type === 'END_EVENT' || node.type === 'INTERMEDIATE_THROW_EVENT')) {
    const code = evaluateString(node.escalation.code, variables());
    return code.ok ? { ok: true, value: { escalationCode: code.value } } : extractFailure(code.message);
  }
  if (node.signal && (node.type === 'END_EVENT' || node.type === 'INTERMEDIATE_THROW_EVENT')) {
    const name = evaluateString(node.signal.name, variables());
    return name.ok ? { ok: true, value: { signalName: name.value } } : extractFailure(name.message);
  }
  return { ok: true, value: {} };
}

function startChildren(batch: Batch, instance: ElementInstance, node: FlowNode): void {
  const start = instance.pendingStart;
  delete instance.pendingStart;
  batch.state.putElement(instance);
  if (start) {
    const eventTrigger = start.variables ? { variables: start.variables } : undefined;
    for (const elementId of start.elementIds) enqueueActivation(batch, instance, { elementId, eventTrigger });
  } else if (node.noneStartEventId) {
    enqueueActivation(batch, instance, { elementId: node.noneStartEventId });
  } else {
    completeScopeIfDone(batch, instance);
  }
}

function startLoop(batch: Batch, body: ElementInstance, node: FlowNode, items: unknown[]): void {
  const loop = node.multiInstance!;
  body.loop = { size: items.length, completed: 0, started: 0, items: loop.sequential ? items : undefined };
  batch.state.putElement(body);
  if (loop.outputCollection) setLocalVariable(batch, body.key, loop.outputCollection, items.map(() => null));
  if (items.length === 0) return completeElement(batch, body);
  const count = loop.sequential ? 1 : items.length;
  for (let i = 0; i < count; i++) startInnerInstance(batch, body, node, items[i]);
}

function startInnerInstance(batch: Batch, body: ElementInstance, node: FlowNode, item: unknown): void {
  const loop = node.multiInstance!;
  body.loop!.started += 1;
  const loopCounter = body.loop!.started;
  const localVariables: Variables = { loopCounter };
  if (loop.inputElement) localVariables[loop.inputElement] = item;
  enqueueActivation(batch, body, { elementId: node.id, inner: { loopCounter, localVariables } });
}

export function onActivated(batch: Batch, instance: ElementInstance, node: FlowNode, prepared: Prepared): void {
  if (isMultiInstanceBody(instance)) return startLoop(batch, instance, node, prepared.items ?? []);
  // The job was created while activating (elements.ts); the task now waits for it.
  if (prepared.job) return;
  switch (node.type) {
    case 'PROCESS':
    case 'SUB_PROCESS':
    case 'EVENT_SUB_PROCESS':
      return startChildren(batch, instance, node);
    case 'SCRIPT_TASK':
      return completeElement(batch, instance, prepared.result);
    case 'EXCLUSIVE_GATEWAY':
    case 'INCLUSIVE_GATEWAY':
      instance.chosenFlows = prepared.flows;
      return completeElement(batch, instance);
    case 'INTERMEDIATE_CATCH_EVENT':
    case 'RECEIVE_TASK':
      if (instance.eventTrigger) return completeElement(batch, instance);
      return correlateBuffered(batch, instance);
    case 'EVENT_BASED_GATEWAY':
      return correlateBuffered(batch, instance);
    case 'CALL_ACTIVITY':
      return startCalledProcess(batch, instance, node, prepared.called!);
    default:
      break;
  }
  if (prepared.errorCode !== undefined) {
    const caught = throwErrorEvent(batch, instance, prepared.errorCode, '', {});
    if (!caught) {
      raiseIncident(
        batch,
        instance,
        'UNHANDLED_ERROR_EVENT',
        `Expected to throw an error event with the code '${prepared.errorCode}', but it was not caught. No error events are available in the scope.`,
      );
    }
    return;
  }
  if (prepared.escalationCode !== undefined) throwEscalation(batch, instance, prepared.escalationCode);
  if (prepared.signalName !== undefined) broadcastSignal(batch, prepared.signalName, localVariables(batch, instance.key));
  const current = batch.state.elements.get(instance.key);
  if (current && current.state === 'ACTIVATED') completeElement(batch, current);
}

function startCalledProcess(batch: Batch, instance: ElementInstance, node: FlowNode, definition: ProcessDefinition): void {
  const variables = node.calledElement!.propagateAllParentVariables
    ? visibleVariables(batch, instance.key)
    : localVariables(batch, instance.key);
  const child = startProcessInstance(batch, definition, variables, {
    parent: { processInstanceKey: instance.processInstanceKey, elementInstanceKey: instance.key },
  });
  instance.calledProcessInstanceKey = child.key;
  batch.state.putElement(instance);
}

/** Inner instances of a multi-instance body report their output and may satisfy the completion condition. */
export function onCompleting(
  batch: Batch,
  instance: ElementInstance,
  node: FlowNode,
): { ok: true; value: { completionConditionMet: boolean } } | { ok: false; message: string } {
  const loop = node.multiInstance;
  if (!loop) return { ok: true, value: { completionConditionMet: false } };
  if (isMultiInstanceBody(instance)) {
    if (loop.outputCollection) {
      const collected = localVariables(batch, instance.key)[loop.outputCollection];
      mergeVariables(batch, instance.flowScopeKey, { [loop.outputCollection]: collected });
    }
    return { ok: true, value: { completionConditionMet: false } };
  }
  const body = batch.state.elements.get(instance.flowScopeKey)!;
  const variables = visibleVariables(batch, instance.key);
  if (loop.outputCollection && loop.outputElement) {
    const element = evaluateAny(loop.outputElement, variables);
    if (!element.ok) return element;
    const collection = [...((localVariables(batch, body.key)[loop.outputCollection] as unknown[]) ?? [])];
    collection[(instance.loopCounter ?? 1) - 1] = element.value;
    setLocalVariable(batch, body.key, loop.outputCollection, collection);
  }
  if (!loop.completionCondition) return { ok: true, value: { completionConditionMet: false } };
  const progress = body.loop!;
  const met = evaluateBoolean(loop.completionCondition, {
    ...variables,
    numberOfInstances: progress.size,
    numberOfCompletedInstances: progress.completed + 1,
    numberOfActiveInstances: body.activeChildren - 1,
  });
  if (!met.ok) return met;
  return { ok: true, value: { completionConditionMet: met.value } };
}

export function afterCompleted(
  batch: Batch,
  instance: ElementInstance,
  node: FlowNode,
  scope: ElementInstance | undefined,
  completing: { completionConditionMet: boolean },
  endedProcessVariables: Variables | undefined,
): void {
  if (node.type === 'PROCESS') {
    if (instance.parentElementInstanceKey === '-1') return;
    const callActivity = batch.state.elements.get(instance.parentElementInstanceKey);
    if (callActivity) {
      delete callActivity.calledProcessInstanceKey;
      completeElement(batch, callActivity, endedProcessVariables);
    }
    return;
  }
  if (!scope) return;
  if (node.multiInstance && !isMultiInstanceBody(instance)) {
    return continueLoop(batch, scope, node, completing.completionConditionMet);
  }
  if (node.type === 'END_EVENT' && node.eventType === 'TERMINATE') {
    terminateChildren(batch, scope);
    return completeScopeIfDone(batch, scope);
  }
  if (node.link && node.type === 'INTERMEDIATE_THROW_EVENT') {
    const model = batch.state.model(instance.processDefinitionKey);
    const target = [...model.nodes.values()].find(
      (n) => n.type === 'INTERMEDIATE_CATCH_EVENT' && n.link?.name === node.link!.name && n.scopeId === node.scopeId,
    )!;
    return enqueueActivation(batch, scope, { elementId: target.id, eventTrigger: { variables: {} } });
  }
  if (instance.forwardTrigger) {
    const { flowId, targetId, variables } = instance.forwardTrigger;
    return takeFlows(batch, scope, [flowId], { targetId, variables });
  }
  const flows = instance.chosenFlows ?? node.outgoing;
  if (flows.length > 0) return takeFlows(batch, scope, flows);
  completeScopeIfDone(batch, scope);
}

function continueLoop(batch: Batch, body: ElementInstance, node: FlowNode, conditionMet: boolean): void {
  const progress = body.loop!;
  progress.completed += 1;
  batch.state.putElement(body);
  if (conditionMet) {
    terminateChildren(batch, body);
    return completeElement(batch, body);
  }
  if (node.multiInstance!.sequential && progress.started < progress.size) {
    return startInnerInstance(batch, body, node, progress.items![progress.started]);
  }
  if (progress.completed >= progress.size && body.activeChildren === 0) completeElement(batch, body);
}

export function onTerminating(batch: Batch, instance: ElementInstance): void {
  cancelJobOf(batch, instance);
  if (instance.calledProcessInstanceKey) {
    const child = batch.state.elements.get(instance.calledProcessInstanceKey);
    if (child) terminateElement(batch, child);
  }
}
