/** Process instances: create (by command, call activity, timer, message, signal), cancel, set variables, modify. */
import { EngineError, type CreateInstanceRequest, type ModifyInstanceRequest } from '../api';
import type { ElementInstance, ProcessDefinition, Variables } from '../state/entities';
import type { Batch } from './batch';
import { continueActivation, createElementInstance, enqueueActivation, terminateElement, writeElement } from './elements';
import { TENANT } from './recordValues';
import { mergeVariables, setLocalVariables } from './variables';

export interface StartOptions {
  startElementIds?: string[];
  /** Variables carried by the start event that fired (message, signal). */
  startVariables?: Variables;
  parent?: { processInstanceKey: string; elementInstanceKey: string };
  messageStartLock?: string;
}

export function startProcessInstance(batch: Batch, definition: ProcessDefinition, variables: Variables, options: StartOptions = {}): ElementInstance {
  const key = batch.state.nextKey();
  const instance: ElementInstance = {
    key,
    elementId: definition.bpmnProcessId,
    type: 'PROCESS',
    eventType: 'UNSPECIFIED',
    state: 'ACTIVATING',
    processInstanceKey: key,
    processDefinitionKey: definition.key,
    bpmnProcessId: definition.bpmnProcessId,
    version: definition.version,
    flowScopeKey: '-1',
    parentProcessInstanceKey: options.parent?.processInstanceKey ?? '-1',
    parentElementInstanceKey: options.parent?.elementInstanceKey ?? '-1',
    activeChildren: 0,
    pendingActivations: 0,
    epoch: 0,
  };
  if (options.messageStartLock) instance.messageStartLock = options.messageStartLock;
  if (options.startElementIds) {
    instance.pendingStart = { elementIds: options.startElementIds, variables: options.startVariables };
  }
  batch.state.putElement(instance);
  setLocalVariables(batch, key, variables);
  batch.write('PROCESS_INSTANCE_CREATION', 'CREATED', batch.state.nextKey(), {
    bpmnProcessId: definition.bpmnProcessId,
    processDefinitionKey: definition.key,
    version: definition.version,
    processInstanceKey: key,
    variables,
    startInstructions: (options.startElementIds ?? []).map((elementId) => ({ elementId })),
    tenantId: TENANT,
  }, key);
  writeElement(batch, instance, 'ELEMENT_ACTIVATING');
  continueActivation(batch, instance);
  return instance;
}

export function findDefinition(batch: Batch, request: Pick<CreateInstanceRequest, 'processDefinitionKey' | 'bpmnProcessId' | 'version'>): ProcessDefinition {
  if (request.processDefinitionKey && request.processDefinitionKey !== '0') {
    const definition = batch.state.processes.get(request.processDefinitionKey);
    if (!definition) {
      throw new EngineError('NOT_FOUND', `Command 'CREATE' rejected with code 'NOT_FOUND': Expected to find process definition with key '${request.processDefinitionKey}', but none found`);
    }
    return definition;
  }
  const id = request.bpmnProcessId ?? '';
  const versions = batch.state.versions.get(id);
  const definition = request.version < 0 ? versions?.[versions.length - 1] : versions?.find((d) => d.version === request.version);
  if (!definition) {
    const which = request.version < 0 ? '' : ` and version '${request.version}'`;
    throw new EngineError('NOT_FOUND', `Command 'CREATE' rejected with code 'NOT_FOUND': Expected to find process definition with process ID '${id}'${which}, but none found`);
  }
  return definition;
}

export function createInstance(batch: Batch, request: CreateInstanceRequest): ElementInstance {
  const definition = findDefinition(batch, request);
  const model = batch.state.model(definition.key);
  for (const elementId of request.startInstructions) {
    const node = model.nodes.get(elementId);
    if (!node || node.type === 'PROCESS') {
      throw new EngineError('INVALID_ARGUMENT', `Command 'CREATE' rejected with code 'INVALID_ARGUMENT': Expected to create instance of process with start instructions but no element found with id '${elementId}'.`);
    }
    if (node.scopeId !== model.id || node.type === 'BOUNDARY_EVENT' || node.type === 'EVENT_SUB_PROCESS') {
      throw new EngineError('INVALID_ARGUMENT', `Command 'CREATE' rejected with code 'INVALID_ARGUMENT': Expected to create instance of process with start instructions but the element with id '${elementId}' is not directly in the process (inside a sub-process, a boundary event or an event sub-process is not supported).`);
    }
  }
  if (request.startInstructions.length === 0 && !model.root.noneStartEventId) {
    throw new EngineError('FAILED_PRECONDITION', `Command 'CREATE' rejected with code 'INVALID_STATE': Expected to create instance of process with none start event, but there is no such event`);
  }
  return startProcessInstance(batch, definition, request.variables, {
    startElementIds: request.startInstructions.length > 0 ? request.startInstructions : undefined,
  });
}

export function cancelInstance(batch: Batch, processInstanceKey: string): void {
  const instance = batch.state.elements.get(processInstanceKey);
  if (!instance || instance.type !== 'PROCESS' || instance.state === 'TERMINATING') {
    throw new EngineError('NOT_FOUND', `Command 'CANCEL' rejected with code 'NOT_FOUND': Expected to cancel a process instance with key '${processInstanceKey}', but no such process was found`);
  }
  if (instance.parentProcessInstanceKey !== '-1') {
    throw new EngineError('FAILED_PRECONDITION', `Command 'CANCEL' rejected with code 'INVALID_STATE': Expected to cancel a process instance with key '${processInstanceKey}', but it is created by a parent process instance. Cancel the root process instance '${rootOf(batch, instance)}' instead.`);
  }
  terminateElement(batch, instance);
}

function rootOf(batch: Batch, instance: ElementInstance): string {
  let current = instance;
  while (current.parentProcessInstanceKey !== '-1') {
    const parent = batch.state.elements.get(current.parentProcessInstanceKey);
    if (!parent) break;
    current = parent;
  }
  return current.key;
}

export function setVariables(batch: Batch, elementInstanceKey: string, variables: Variables, local: boolean): string {
  const instance = batch.state.elements.get(elementInstanceKey);
  if (!instance) {
    throw new EngineError('NOT_FOUND', `Command 'UPDATE' rejected with code 'NOT_FOUND': Expected to update variables for element with key '${elementInstanceKey}', but no such element was found`);
  }
  const key = batch.state.nextKey();
  batch.write('VARIABLE_DOCUMENT', 'UPDATED', key, {
    scopeKey: elementInstanceKey,
    updateSemantics: local ? 'LOCAL' : 'PROPAGATE',
    variables,
    tenantId: TENANT,
  }, instance.processInstanceKey);
  if (local) setLocalVariables(batch, elementInstanceKey, variables);
  else mergeVariables(batch, elementInstanceKey, variables);
  return key;
}

function descendsFrom(batch: Batch, instance: ElementInstance, ancestorKey: string): boolean {
  let current: ElementInstance | undefined = instance;
  while (current) {
    if (current.key === ancestorKey) return true;
    current = current.flowScopeKey === '-1' ? undefined : batch.state.elements.get(current.flowScopeKey);
  }
  return false;
}

function rejectModification(reason: string): never {
  throw new EngineError('INVALID_ARGUMENT', `Command 'MODIFY' rejected with code 'INVALID_ARGUMENT': ${reason}`);
}

/** Finds (or creates) the instance of the element's flow scope that an activate instruction goes into. */
function flowScopeFor(batch: Batch, root: ElementInstance, elementId: string, ancestorKey: string): ElementInstance {
  const model = batch.state.model(root.processDefinitionKey);
  const chain: string[] = [];
  let scopeId = model.nodes.get(elementId)!.scopeId;
  while (scopeId !== model.id) {
    chain.unshift(scopeId);
    scopeId = model.nodes.get(scopeId)!.scopeId;
  }
  let scope = root;
  for (const containerId of chain) {
    const existing = batch.state.childrenOf(scope.key).filter((c) => c.elementId === containerId && c.state === 'ACTIVATED');
    const preferred = existing.find((c) => c.key === ancestorKey) ?? existing[0];
    if (preferred) {
      scope = preferred;
      continue;
    }
    const created = createElementInstance(batch, scope, model.nodes.get(containerId)!, false);
    writeElement(batch, created, 'ELEMENT_ACTIVATING');
    created.state = 'ACTIVATED';
    batch.state.putElement(created);
    writeElement(batch, created, 'ELEMENT_ACTIVATED');
    scope = created;
  }
  return scope;
}

export function checkModification(batch: Batch, request: ModifyInstanceRequest): ElementInstance {
  const root = batch.state.elements.get(request.processInstanceKey);
  if (!root || root.type !== 'PROCESS') {
    throw new EngineError('NOT_FOUND', `Command 'MODIFY' rejected with code 'NOT_FOUND': Expected to modify process instance but no process instance found with key '${request.processInstanceKey}'`);
  }
  const model = batch.state.model(root.processDefinitionKey);
  const unknown = request.activate.map((a) => a.elementId).filter((id) => !model.nodes.has(id) || id === model.id);
  if (unknown.length > 0) {
    rejectModification(`Expected to modify instance of process '${root.bpmnProcessId}' but it contains one or more activate instructions with an element that could not be found: '${unknown.join("', '")}'`);
  }
  for (const instruction of request.activate) {
    const node = model.nodes.get(instruction.elementId)!;
    if (node.type === 'BOUNDARY_EVENT' || (node.type === 'START_EVENT' && model.nodes.get(node.scopeId)?.type === 'EVENT_SUB_PROCESS')) {
      rejectModification(`Expected to modify instance of process '${root.bpmnProcessId}' but it contains one or more activate instructions for elements that are unsupported: '${node.id}'.`);
    }
    if (instruction.ancestorElementInstanceKey && instruction.ancestorElementInstanceKey !== '0' && instruction.ancestorElementInstanceKey !== '-1') {
      const ancestor = batch.state.elements.get(instruction.ancestorElementInstanceKey);
      if (!ancestor || ancestor.processInstanceKey !== root.key) {
        rejectModification(`Expected to modify instance of process '${root.bpmnProcessId}' but it contains one or more activate instructions with an ancestor scope key that does not exist, or is not in an active state: '${instruction.ancestorElementInstanceKey}'`);
      }
    }
  }
  for (const key of request.terminate) {
    const instance = batch.state.elements.get(key);
    if (!instance || instance.processInstanceKey !== root.key || instance.type === 'PROCESS') {
      rejectModification(`Expected to modify instance of process '${root.bpmnProcessId}' but it contains one or more terminate instructions with an element instance that could not be found: '${key}'`);
    }
  }
  return root;
}

export function modifyInstance(batch: Batch, request: ModifyInstanceRequest): void {
  const root = checkModification(batch, request);
  batch.write('PROCESS_INSTANCE_MODIFICATION', 'MODIFIED', root.key, {
    processInstanceKey: root.key,
    activateInstructions: request.activate,
    terminateInstructions: request.terminate.map((elementInstanceKey) => ({ elementInstanceKey })),
    tenantId: TENANT,
  }, root.key);
  for (const instruction of request.activate) {
    const scope = flowScopeFor(batch, root, instruction.elementId, instruction.ancestorElementInstanceKey);
    for (const variableInstruction of instruction.variables) {
      if (!variableInstruction.scopeId) setLocalVariables(batch, root.key, variableInstruction.variables);
    }
    const local = Object.assign({}, ...instruction.variables.filter((v) => v.scopeId === instruction.elementId).map((v) => v.variables));
    enqueueActivation(batch, scope, { elementId: instruction.elementId, localVariables: local });
  }
  for (const key of request.terminate) {
    const instance = batch.state.elements.get(key);
    if (!instance || !descendsFrom(batch, instance, root.key)) continue;
    const scope = batch.state.elements.get(instance.flowScopeKey);
    terminateElement(batch, instance);
    if (scope) batch.enqueue(() => completeScopeAfterModification(batch, scope.key));
  }
}

/** Zeebe completes a scope that a modification left without active elements. */
function completeScopeAfterModification(batch: Batch, scopeKey: string): void {
  const scope = batch.state.elements.get(scopeKey);
  if (!scope || scope.state !== 'ACTIVATED' || scope.activeChildren > 0 || scope.pendingActivations > 0) return;
  if (scope.type === 'PROCESS' && scope.flowScopeKey === '-1') return terminateElement(batch, scope);
  terminateElement(batch, scope);
  const parent = batch.state.elements.get(scope.flowScopeKey);
  if (parent) completeScopeAfterModification(batch, parent.key);
}
