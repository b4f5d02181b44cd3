/**
 * Builds one ExecutableProcess from a moddle bpmn:Process: walks the (sub-)process scopes, reads each flow
 * node, wires sequence flows and boundary events, and indexes start events per container.
 */
import { readExpression } from './expressions';
import { ACTIVITY_TYPES, emptyNode, isIgnoredFlowElement, isUnsupportedFlowElement, readFlowNode } from './elements';
import { attr, body, child, children, extensions, type El } from './moddle';
import type { Problems } from './problems';
import type { ExecutableProcess, FlowNode } from './types';

export function buildProcess(processEl: El, problems: Problems): ExecutableProcess {
  const root = emptyNode(processEl.id ?? '', attr(processEl, 'name'), 'PROCESS', '');
  const process: ExecutableProcess = {
    id: root.id,
    name: root.name,
    root,
    nodes: new Map([[root.id, root]]),
    flows: new Map(),
    timerStartEventIds: [],
    messageStartEventIds: [],
    signalStartEventIds: [],
  };
  const boundaries: [FlowNode, El][] = [];
  buildScope(processEl, root, process, boundaries, problems);
  // Attached after every scope is built: the activity may be declared after its boundary event.
  for (const [boundary, el] of boundaries) attach(boundary, child(el, 'attachedToRef'), process, problems);

  for (const node of containerChildren(process, root)) {
    if (node.type !== 'START_EVENT') continue;
    if (node.eventType === 'TIMER') process.timerStartEventIds.push(node.id);
    else if (node.eventType === 'MESSAGE') process.messageStartEventIds.push(node.id);
    else if (node.eventType === 'SIGNAL') process.signalStartEventIds.push(node.id);
  }

  for (const form of extensions(processEl, 'zeebe:UserTaskForm')) {
    if (!attr(form, 'body')?.trim()) {
      problems.add(form.id ?? root.id, 'User task form text content has to be present and not empty');
    }
  }
  return process;
}

function buildScope(
  containerEl: El,
  container: FlowNode,
  process: ExecutableProcess,
  boundaries: [FlowNode, El][],
  problems: Problems,
): void {
  const flowEls: El[] = [];
  for (const el of children(containerEl, 'flowElements')) {
    if (el.$type === 'bpmn:SequenceFlow') {
      flowEls.push(el);
      continue;
    }
    if (isIgnoredFlowElement(el)) continue;
    const node = readFlowNode(el, container, problems);
    // Duplicate ids were already rejected by the XML reader.
    if (!node || process.nodes.has(node.id)) continue;
    process.nodes.set(node.id, node);
    container.childIds.push(node.id);
    if (node.type === 'SUB_PROCESS' || node.type === 'EVENT_SUB_PROCESS') {
      buildScope(el, node, process, boundaries, problems);
    } else if (node.type === 'BOUNDARY_EVENT') {
      boundaries.push([node, el]);
    }
  }
  // Flows come after all nodes of the scope: they may be declared before their source or target.
  for (const el of flowEls) addFlow(el, container, process, problems);

  const nodes = containerChildren(process, container);
  if (container.type !== 'EVENT_SUB_PROCESS') {
    container.noneStartEventId = nodes.find((n) => n.type === 'START_EVENT' && n.eventType === 'NONE')?.id;
  }
  for (const eventSubProcess of nodes.filter((n) => n.type === 'EVENT_SUB_PROCESS')) {
    for (const start of containerChildren(process, eventSubProcess)) {
      if (start.type === 'START_EVENT') container.eventSubProcessStartEventIds.push(start.id);
    }
  }
}

function addFlow(el: El, container: FlowNode, process: ExecutableProcess, problems: Problems): void {
  const id = el.id ?? '';
  const sourceEl = child(el, 'sourceRef');
  const targetEl = child(el, 'targetRef');
  if (!sourceEl || !targetEl) {
    problems.add(id, 'Must have a source and a target element');
    return;
  }
  const source = sourceEl.id === undefined ? undefined : process.nodes.get(sourceEl.id);
  const target = targetEl.id === undefined ? undefined : process.nodes.get(targetEl.id);
  if (!source || !target) {
    // An unsupported element at either end is reported already; anything else is not a node of this process.
    if (!isUnsupportedFlowElement(sourceEl) && !isUnsupportedFlowElement(targetEl)) {
      problems.add(id, 'Must connect flow nodes of the same process');
    }
    return;
  }
  if (source.scopeId !== container.id || target.scopeId !== container.id) {
    problems.add(id, 'Must connect elements of the same scope (a sequence flow cannot cross a subprocess border)');
  }
  const conditionEl = child(el, 'conditionExpression');
  process.flows.set(id, {
    id,
    sourceId: source.id,
    targetId: target.id,
    condition: conditionEl ? readExpression(problems, id, body(conditionEl), { nonStatic: true }) : undefined,
  });
  source.outgoing.push(id);
  target.incoming.push(id);
}

function attach(boundary: FlowNode, activityEl: El | undefined, process: ExecutableProcess, problems: Problems): void {
  const activity = activityEl?.id === undefined ? undefined : process.nodes.get(activityEl.id);
  if (!activity || !ACTIVITY_TYPES.has(activity.type)) {
    if (!activityEl || !isUnsupportedFlowElement(activityEl)) problems.add(boundary.id, 'Must be attached to an activity');
    return;
  }
  if (activity.scopeId !== boundary.scopeId) {
    problems.add(boundary.id, 'Must be declared in the same scope as the activity it is attached to');
  }
  if (boundary.eventType === 'ESCALATION' && activity.type !== 'SUB_PROCESS' && activity.type !== 'CALL_ACTIVITY') {
    problems.add(boundary.id, 'An escalation boundary event should only be attached to a subprocess, or a call activity.');
  }
  boundary.attachedToId = activity.id;
  activity.boundaryEventIds.push(boundary.id);
}

export function containerChildren(process: ExecutableProcess, container: FlowNode): FlowNode[] {
  return container.childIds.map((id) => process.nodes.get(id)).filter((n): n is FlowNode => n !== undefined);
}
