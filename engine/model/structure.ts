/**
 * Checks of a built process that span several elements: start events per scope, gateways and their flows,
 * boundary events, links, and event triggers that would be ambiguous within one scope. Wording follows
 * Zeebe's validators.
 */
import { containerChildren } from './build';
import type { Problems } from './problems';
import type { ExecutableProcess, FlowNode } from './types';

export function checkStructure(process: ExecutableProcess, problems: Problems): void {
  for (const node of process.nodes.values()) {
    switch (node.type) {
      case 'PROCESS':
      case 'SUB_PROCESS':
      case 'EVENT_SUB_PROCESS':
        checkScope(process, node, problems);
        break;
      case 'EXCLUSIVE_GATEWAY':
      case 'INCLUSIVE_GATEWAY':
        checkConditionalGateway(process, node, problems);
        break;
      case 'EVENT_BASED_GATEWAY':
        checkEventBasedGateway(process, node, problems);
        break;
      case 'BOUNDARY_EVENT':
        if (node.incoming.length > 0) problems.add(node.id, 'Cannot have incoming sequence flows');
        if (node.outgoing.length === 0) problems.add(node.id, 'Must have at least one outgoing sequence flow');
        break;
      case 'END_EVENT':
        if (node.outgoing.length > 0) {
          problems.add(node.id, 'End events must not have outgoing sequence flows to other elements.');
        }
        break;
      default:
        break;
    }
    if (node.boundaryEventIds.length > 0) checkBoundaryEvents(process, node, problems);
    if (node.type !== 'EXCLUSIVE_GATEWAY' && node.type !== 'INCLUSIVE_GATEWAY') {
      if (node.outgoing.some((id) => process.flows.get(id)?.condition !== undefined)) {
        problems.add(node.id, 'Conditional sequence flows are only supported at exclusive or inclusive gateway');
      }
    }
  }
}

function checkScope(process: ExecutableProcess, scope: FlowNode, problems: Problems): void {
  const nodes = containerChildren(process, scope);
  const starts = nodes.filter((n) => n.type === 'START_EVENT');
  if (scope.type === 'PROCESS') {
    if (starts.length === 0) problems.add(scope.id, 'Must have at least one start event');
    else if (starts.filter((n) => n.eventType === 'NONE').length > 1) {
      problems.add(scope.id, 'Multiple none start events are not allowed');
    }
    checkTriggers(starts, scope.id, problems);
  } else {
    if (starts.length !== 1) problems.add(scope.id, 'Must have exactly one start event');
    if (scope.type === 'EVENT_SUB_PROCESS' && scope.incoming.length + scope.outgoing.length > 0) {
      problems.add(scope.id, 'Event subprocesses cannot have incoming or outgoing sequence flows');
    }
  }

  const eventSubProcessStarts = scope.eventSubProcessStartEventIds
    .map((id) => process.nodes.get(id))
    .filter((n): n is FlowNode => n !== undefined);
  checkTriggers(eventSubProcessStarts, scope.id, problems);
  checkHandlers(eventSubProcessStarts, scope.id, problems);

  checkLinks(nodes, scope.id, problems);
}

function checkConditionalGateway(process: ExecutableProcess, gateway: FlowNode, problems: Problems): void {
  const exclusive = gateway.type === 'EXCLUSIVE_GATEWAY';
  if (!exclusive && gateway.incoming.length > 1) {
    problems.add(gateway.id, 'Currently the inclusive gateway can only have one incoming sequence flow');
  }
  if (gateway.defaultFlowId !== undefined) {
    const defaultFlow = process.flows.get(gateway.defaultFlowId);
    if (defaultFlow?.sourceId !== gateway.id) problems.add(gateway.id, 'Default flow must start at gateway');
    else if (defaultFlow.condition !== undefined) problems.add(defaultFlow.id, 'Default flow must not have a condition');
  }
  if (gateway.outgoing.length > 1) {
    for (const flowId of gateway.outgoing) {
      if (flowId !== gateway.defaultFlowId && process.flows.get(flowId)?.condition === undefined) {
        problems.add(flowId, exclusive ? 'Must have a condition or be default flow' : 'Must have a condition');
      }
    }
  }
}

const EVENT_GATEWAY_TARGET_EVENTS = new Set(['TIMER', 'MESSAGE', 'SIGNAL']);

function checkEventBasedGateway(process: ExecutableProcess, gateway: FlowNode, problems: Problems): void {
  if (gateway.outgoing.length < 2) {
    problems.add(gateway.id, 'Event-based gateway must have at least 2 outgoing sequence flows.');
  }
  const targets = gateway.outgoing
    .map((id) => process.nodes.get(process.flows.get(id)?.targetId ?? ''))
    .filter((n): n is FlowNode => n !== undefined);
  if (!targets.every((t) => t.type === 'INTERMEDIATE_CATCH_EVENT' && EVENT_GATEWAY_TARGET_EVENTS.has(t.eventType))) {
    problems.add(
      gateway.id,
      'Event-based gateway must not have an outgoing sequence flow to other elements than message/timer/signal intermediate catch events.',
    );
  }
  checkTriggers(targets, gateway.id, problems);
  const ownFlows = new Set(gateway.outgoing);
  if (targets.some((t) => t.incoming.some((id) => !ownFlows.has(id)))) {
    problems.add(
      gateway.id,
      'Target elements of an event gateway must not have any additional incoming sequence flows other than that from the event gateway.',
    );
  }
}

function checkBoundaryEvents(process: ExecutableProcess, activity: FlowNode, problems: Problems): void {
  const boundaries = activity.boundaryEventIds
    .map((id) => process.nodes.get(id))
    .filter((n): n is FlowNode => n !== undefined);
  checkTriggers(boundaries, activity.id, problems);
  checkHandlers(boundaries, activity.id, problems);
  if (activity.type === 'RECEIVE_TASK' && activity.message) {
    const own = activity.message.name.raw;
    if (boundaries.some((b) => b.message?.name.raw === own)) {
      problems.add(activity.id, 'Cannot reference the same message name as a boundary event');
    }
  }
}

/** Events waiting in the same scope must be told apart by their message or signal name. */
function checkTriggers(events: FlowNode[], elementId: string, problems: Problems): void {
  for (const name of duplicates(events.map((e) => e.message?.name.raw))) {
    problems.add(elementId, `Multiple message event definitions with the same name '${name}' are not allowed.`);
  }
  for (const name of duplicates(events.map((e) => e.signal?.name.raw))) {
    problems.add(elementId, `Multiple signal event definitions with the same name '${name}' are not allowed.`);
  }
}

/** Error and escalation catch events of one scope must not compete for the same code. */
function checkHandlers(events: FlowNode[], elementId: string, problems: Problems): void {
  for (const [what, codes] of [
    ['error', events.filter((e) => e.error).map((e) => e.error?.code?.raw)],
    ['escalation', events.filter((e) => e.escalation).map((e) => e.escalation?.code?.raw)],
  ] as const) {
    if (codes.filter((c) => c === undefined).length > 1) {
      problems.add(
        elementId,
        `The same scope can not contain more than one ${what} catch event without ${what} code. An ${what} catch event without ${what} code catches all ${what}s.`,
      );
    }
    for (const code of duplicates(codes)) {
      problems.add(elementId, `Multiple ${what} catch events with the same ${what} code '${code}' are not supported on the same scope.`);
    }
  }
}

function checkLinks(nodes: FlowNode[], scopeId: string, problems: Problems): void {
  const catchNames = nodes.filter((n) => n.type === 'INTERMEDIATE_CATCH_EVENT' && n.link).map((n) => n.link?.name);
  for (const name of duplicates(catchNames)) {
    problems.add(scopeId, `Multiple intermediate catch link event definitions with the same name '${name}' are not allowed.`);
  }
  for (const thrower of nodes.filter((n) => n.type === 'INTERMEDIATE_THROW_EVENT' && n.link)) {
    const name = thrower.link?.name;
    if (name && !catchNames.includes(name)) {
      problems.add(thrower.id, `Can't find a catch link event for the throw link event with the name '${name}'.`);
    }
  }
}

function duplicates(values: (string | undefined)[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) {
    if (!value) continue;
    if (seen.has(value)) repeated.add(value);
    seen.add(value);
  }
  return [...repeated];
}
