/**
 * BPMN errors and escalations: find the nearest catch event, from the throwing element outwards, across call
 * activities. At each level a catch event with the exact code wins over a catch-all one.
 */
import type { FlowNode } from '../model/types';
import type { ElementInstance, Variables } from '../state/entities';
import type { Batch } from './batch';
import { isMultiInstanceBody, nodeOf } from './elements';
import { triggerEvent } from './subscriptions';

type CatchKind = 'error' | 'escalation';

interface CatchPoint {
  owner: ElementInstance;
  targetId: string;
  interrupting: boolean;
}

function staticCode(node: FlowNode, kind: CatchKind): string | undefined {
  const code = kind === 'error' ? node.error?.code : node.escalation?.code;
  return code?.kind === 'static' ? code.value : undefined;
}

function pick(candidates: FlowNode[], kind: CatchKind, code: string): FlowNode | undefined {
  const catching = candidates.filter((n) => (kind === 'error' ? n.error : n.escalation) !== undefined);
  return catching.find((n) => staticCode(n, kind) === code) ?? catching.find((n) => staticCode(n, kind) === undefined);
}

function catchAt(batch: Batch, instance: ElementInstance, kind: CatchKind, code: string, isThrower: boolean): CatchPoint | undefined {
  const model = batch.state.model(instance.processDefinitionKey);
  const node = nodeOf(batch, instance);
  const isContainer = ['PROCESS', 'SUB_PROCESS', 'EVENT_SUB_PROCESS'].includes(instance.type);
  if (isContainer && !instance.interrupted) {
    const starts = node.eventSubProcessStartEventIds.map((id) => model.nodes.get(id)!);
    const start = pick(starts, kind, code);
    if (start) return { owner: instance, targetId: start.id, interrupting: start.interrupting };
  }
  // Boundary events sit on the multi-instance body, not on its inner instances; escalations are not caught on the thrower itself.
  const carriesBoundaries = isMultiInstanceBody(instance) || !node.multiInstance;
  if (carriesBoundaries && !(kind === 'escalation' && isThrower)) {
    const boundaries = node.boundaryEventIds.map((id) => model.nodes.get(id)!);
    const boundary = pick(boundaries, kind, code);
    if (boundary) return { owner: instance, targetId: boundary.id, interrupting: boundary.interrupting };
  }
  return undefined;
}

function findCatch(batch: Batch, from: ElementInstance, kind: CatchKind, code: string): CatchPoint | undefined {
  let current: ElementInstance | undefined = from;
  let isThrower = true;
  while (current) {
    const found = catchAt(batch, current, kind, code, isThrower);
    if (found) return found;
    isThrower = false;
    const parentKey: string =
      current.flowScopeKey !== '-1' ? current.flowScopeKey : current.parentElementInstanceKey;
    current = parentKey === '-1' ? undefined : batch.state.elements.get(parentKey);
  }
  return undefined;
}

/** Returns false when nothing catches the error (the caller raises the incident). */
export function throwErrorEvent(
  batch: Batch,
  from: ElementInstance,
  code: string,
  message: string,
  variables: Variables,
): boolean {
  const found = findCatch(batch, from, 'error', code);
  if (!found) return false;
  triggerEvent(batch, found.owner, found.targetId, variables, true);
  return true;
}

export function throwEscalation(batch: Batch, from: ElementInstance, code: string): void {
  const found = findCatch(batch, from, 'escalation', code);
  const value = {
    processInstanceKey: from.processInstanceKey,
    escalationCode: code,
    throwElementId: from.elementId,
    catchElementId: found?.targetId ?? '',
    tenantId: '<default>',
  };
  batch.write('ESCALATION', found ? 'ESCALATED' : 'NOT_ESCALATED', batch.state.nextKey(), value, from.processInstanceKey);
  if (found) triggerEvent(batch, found.owner, found.targetId, {}, found.interrupting);
}
