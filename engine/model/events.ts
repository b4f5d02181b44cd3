/**
 * Event definitions of events (and the message of receive tasks): which kinds each event position allows,
 * and what each definition carries (timer, message, signal, error, escalation, link).
 */
import { checkExpression, parseExpression, type Expression } from '../feel';
import { checkStaticTimer, evaluateTimer } from '../timers';
import { checkConstantName, readExpression } from './expressions';
import { attr, body, child, children, extensions, typeName, type El } from './moddle';
import type { Problems } from './problems';
import type { FlowNode, MessageDefinition, TimerDefinition, TimerKind } from './types';

/** Where an event sits decides which definitions it may have. */
export type EventRole =
  | 'processStart'
  | 'subProcessStart'
  | 'eventSubProcessStart'
  | 'catch'
  | 'boundary'
  | 'throw'
  | 'end';

type DefinitionKind = 'message' | 'timer' | 'signal' | 'error' | 'escalation' | 'terminate' | 'link';

const DEFINITION_KINDS: Record<string, DefinitionKind> = {
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:SignalEventDefinition': 'signal',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:EscalationEventDefinition': 'escalation',
  'bpmn:TerminateEventDefinition': 'terminate',
  'bpmn:LinkEventDefinition': 'link',
};

interface RoleSpec {
  allowed: (DefinitionKind | 'none')[];
  exactlyOne: boolean;
  wrongKind: string;
  wrongCount: string;
}

const ROLES: Record<EventRole, RoleSpec> = {
  processStart: {
    allowed: ['none', 'message', 'timer', 'signal'],
    exactlyOne: false,
    wrongKind:
      'Start events of a process must be one of: none, message, timer, signal (error and escalation start events are only allowed in event subprocesses)',
    wrongCount: "Start event can't have more than one type",
  },
  subProcessStart: {
    allowed: ['none'],
    exactlyOne: false,
    wrongKind: 'Start events in subprocesses must be of type none',
    wrongCount: "Start event can't have more than one type",
  },
  eventSubProcessStart: {
    allowed: ['message', 'timer', 'error', 'signal', 'escalation'],
    exactlyOne: false,
    wrongKind: 'Start events in event subprocesses must be one of: message, timer, error, signal, escalation',
    wrongCount: "Start event can't have more than one type",
  },
  catch: {
    allowed: ['message', 'timer', 'signal', 'link'],
    exactlyOne: true,
    wrongKind: 'Event definition must be one of: message, timer, signal, or link',
    wrongCount: 'Must have exactly one event definition',
  },
  boundary: {
    allowed: ['timer', 'message', 'error', 'signal', 'escalation'],
    exactlyOne: true,
    wrongKind: 'Boundary events must be one of: timer, message, error, signal, escalation',
    wrongCount: 'Must have exactly one event definition',
  },
  throw: {
    allowed: ['none', 'message', 'signal', 'escalation', 'link'],
    exactlyOne: false,
    wrongKind: 'Intermediate throw events must be one of: none, message, signal, escalation, or link',
    wrongCount: 'Must have at most one event definition',
  },
  end: {
    allowed: ['none', 'error', 'message', 'terminate', 'signal', 'escalation'],
    exactlyOne: false,
    wrongKind: 'End events must be one of: none, error, message, terminate, signal, or escalation',
    wrongCount: 'Must have at most one event definition',
  },
};

/** Error handlers always interrupt: a non-interrupting event may only be one of these. */
const NON_INTERRUPTING_KINDS: DefinitionKind[] = ['message', 'timer', 'signal', 'escalation'];

/**
 * Sets eventType and the definition's data on `node`. `node.interrupting` must already be set (boundary
 * and event subprocess start events depend on it). Message throw events get their job elsewhere.
 */
export function readEventDefinition(el: El, node: FlowNode, role: EventRole, problems: Problems): void {
  const spec = ROLES[role];
  const definitions = children(el, 'eventDefinitions');
  if (definitions.length > 1 || (spec.exactlyOne && definitions.length === 0)) problems.add(node.id, spec.wrongCount);
  for (const definition of definitions) {
    if (!DEFINITION_KINDS[definition.$type]) {
      problems.add(node.id, `Event definitions of type '${typeName(definition)}' are currently not supported`);
    }
  }
  if (definitions.length === 0) {
    if (spec.allowed.includes('none')) node.eventType = 'NONE';
    else if (!spec.exactlyOne) problems.add(node.id, spec.wrongKind);
    return;
  }

  const definition = definitions[0];
  const kind = DEFINITION_KINDS[definition.$type];
  if (!kind) return;
  if (!spec.allowed.includes(kind)) {
    problems.add(node.id, spec.wrongKind);
    return;
  }
  const canBeNonInterrupting = role === 'boundary' || role === 'eventSubProcessStart';
  if (canBeNonInterrupting && !node.interrupting && !NON_INTERRUPTING_KINDS.includes(kind)) {
    problems.add(node.id, 'Non-Interrupting event of this type is not allowed');
  }

  const throwing = role === 'throw' || role === 'end';
  switch (kind) {
    case 'message':
      node.eventType = 'MESSAGE';
      // A throwing message event is a job (zeebe:taskDefinition); its bpmn:message plays no part.
      if (!throwing) {
        node.message = readMessage(problems, node.id, child(definition, 'messageRef'), role !== 'processStart');
        if (role === 'processStart' && node.message) checkConstantName(problems, node.id, node.message.name, 'message');
      }
      break;
    case 'timer':
      node.eventType = 'TIMER';
      node.timer = readTimer(problems, node, definition, role);
      break;
    case 'signal':
      node.eventType = 'SIGNAL';
      node.signal = readSignal(problems, node.id, child(definition, 'signalRef'));
      if (role === 'processStart' && node.signal) checkConstantName(problems, node.id, node.signal.name, 'signal');
      break;
    case 'error':
      node.eventType = 'ERROR';
      node.error = readCode(problems, node.id, child(definition, 'errorRef'), throwing, {
        name: 'error',
        attribute: 'errorCode',
        missing: 'ErrorCode must be present and not empty',
      });
      break;
    case 'escalation':
      node.eventType = 'ESCALATION';
      node.escalation = readCode(problems, node.id, child(definition, 'escalationRef'), throwing, {
        name: 'escalation',
        attribute: 'escalationCode',
        missing: 'EscalationCode must be present and not empty',
      });
      break;
    case 'terminate':
      node.eventType = 'TERMINATE';
      break;
    case 'link': {
      node.eventType = 'LINK';
      const name = attr(definition, 'name');
      if (!name) problems.add(node.id, 'Link name must be present and not empty.');
      node.link = { name: name ?? '' };
      break;
    }
  }
}

/**
 * A `bpmn:message` as a catching element uses it. Problems of the message itself are reported on the
 * message (it may be shared by several elements).
 */
export function readMessage(
  problems: Problems,
  ownerId: string,
  message: El | undefined,
  withCorrelationKey: boolean,
): MessageDefinition | undefined {
  if (!message) {
    problems.add(ownerId, 'Must reference a message');
    return undefined;
  }
  const messageId = message.id ?? ownerId;
  const rawName = attr(message, 'name');
  if (!rawName) problems.add(messageId, 'Name must be present and not empty');
  const name = readExpression(problems, messageId, rawName || undefined);
  if (!withCorrelationKey) return { name };

  const subscriptions = extensions(message, 'zeebe:Subscription');
  if (subscriptions.length !== 1) {
    problems.add(messageId, 'Must have exactly one zeebe:subscription extension element');
    return { name, correlationKey: readExpression(problems, messageId, undefined) };
  }
  const rawKey = attr(subscriptions[0], 'correlationKey');
  if (!rawKey) problems.add(messageId, "Attribute 'correlationKey' must be present and not empty");
  return { name, correlationKey: readExpression(problems, messageId, rawKey || undefined, { nonStatic: true }) };
}

function readSignal(problems: Problems, ownerId: string, signal: El | undefined): { name: Expression } | undefined {
  if (!signal) {
    problems.add(ownerId, 'Must reference a signal');
    return undefined;
  }
  const signalId = signal.id ?? ownerId;
  const rawName = attr(signal, 'name');
  if (!rawName) problems.add(signalId, 'Name must be present and not empty');
  return { name: readExpression(problems, signalId, rawName || undefined) };
}

/**
 * Error and escalation codes. Throwing events must name a code (an expression is allowed); catching events
 * take a static code, or none to catch everything.
 */
function readCode(
  problems: Problems,
  ownerId: string,
  reference: El | undefined,
  throwing: boolean,
  what: { name: 'error' | 'escalation'; attribute: string; missing: string },
): { code?: Expression } {
  const code = attr(reference, what.attribute);
  if (throwing) {
    if (!reference) problems.add(ownerId, `Must reference an ${what.name}`);
    else if (!code) problems.add(ownerId, what.missing);
    return { code: readExpression(problems, ownerId, code || undefined) };
  }
  if (!code) return {};
  if (code.startsWith('=')) {
    problems.add(ownerId, `The ${what.attribute} of the ${what.name} catch event is not allowed to be an expression`);
  }
  return { code: parseExpression(code) };
}

const TIMER_KINDS: [string, TimerKind][] = [
  ['timeDuration', 'duration'],
  ['timeDate', 'date'],
  ['timeCycle', 'cycle'],
];

function readTimer(problems: Problems, node: FlowNode, definition: El, role: EventRole): TimerDefinition | undefined {
  const present = TIMER_KINDS.filter(([property]) => child(definition, property) !== undefined);
  if (present.length !== 1) {
    problems.add(node.id, 'Must be exactly one type of timer: timeDuration, timeDate or timeCycle');
  }
  if (present.length === 0) return undefined;
  const [property, kind] = present[0];

  if (role === 'processStart' && kind === 'duration') {
    problems.add(node.id, 'Timer start event must have either a time date or a time cycle.');
  } else if (role === 'catch' && kind === 'cycle') {
    problems.add(node.id, 'Intermediate timer catch event must have either a time duration or a time date.');
  } else if ((role === 'boundary' || role === 'eventSubProcessStart') && node.interrupting && kind === 'cycle') {
    problems.add(node.id, 'Interrupting timer event with time cycle is not allowed.');
  }

  const timer: TimerDefinition = { kind, expression: readExpression(problems, node.id, body(child(definition, property))) };
  if (timer.expression.kind === 'static') {
    const problem = checkStaticTimer(timer);
    if (problem !== null) problems.add(node.id, problem);
  } else if (role === 'processStart' && checkExpression(timer.expression) === null) {
    // Process timer start events are scheduled at deployment, where there are no variables: Zeebe evaluates
    // them then. Other FEEL timers can only be evaluated in their scope.
    const schedule = evaluateTimer(timer, {}, Date.now());
    if (!schedule.ok) problems.add(node.id, `Invalid timer ${kind} expression (${schedule.message.replace(/\.$/, '')})`);
  }
  return timer;
}
