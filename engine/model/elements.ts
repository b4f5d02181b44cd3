/**
 * One flow node's own configuration: its type, zeebe extension elements, event definition and loop
 * characteristics. Sequence flows, children and boundary attachments are wired by build.ts.
 */
import { readEventDefinition, readMessage, type EventRole } from './events';
import { isCsvList, isDateTime, readExpression, readPath, requireAttribute, type ExpressionRule } from './expressions';
import { attr, body, child, children, extensions, flag, typeName, type El } from './moddle';
import type { Problems } from './problems';
import type { BpmnElementType, FlowNode, JobDefinition, UserTaskDefinition } from './types';

const ELEMENT_TYPES: Record<string, BpmnElementType> = {
  'bpmn:StartEvent': 'START_EVENT',
  'bpmn:IntermediateCatchEvent': 'INTERMEDIATE_CATCH_EVENT',
  'bpmn:IntermediateThrowEvent': 'INTERMEDIATE_THROW_EVENT',
  'bpmn:BoundaryEvent': 'BOUNDARY_EVENT',
  'bpmn:EndEvent': 'END_EVENT',
  'bpmn:ServiceTask': 'SERVICE_TASK',
  'bpmn:ReceiveTask': 'RECEIVE_TASK',
  'bpmn:UserTask': 'USER_TASK',
  'bpmn:ManualTask': 'MANUAL_TASK',
  'bpmn:Task': 'TASK',
  'bpmn:ExclusiveGateway': 'EXCLUSIVE_GATEWAY',
  'bpmn:ParallelGateway': 'PARALLEL_GATEWAY',
  'bpmn:EventBasedGateway': 'EVENT_BASED_GATEWAY',
  'bpmn:InclusiveGateway': 'INCLUSIVE_GATEWAY',
  'bpmn:SubProcess': 'SUB_PROCESS',
  'bpmn:CallActivity': 'CALL_ACTIVITY',
  'bpmn:BusinessRuleTask': 'BUSINESS_RULE_TASK',
  'bpmn:ScriptTask': 'SCRIPT_TASK',
  'bpmn:SendTask': 'SEND_TASK',
};

/** Flow elements without executable semantics, skipped as Zeebe does. */
const IGNORED_FLOW_ELEMENTS = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

/** Activities (what boundary events attach to and what may be multi-instance). */
export const ACTIVITY_TYPES = new Set<BpmnElementType>([
  'SERVICE_TASK',
  'RECEIVE_TASK',
  'USER_TASK',
  'MANUAL_TASK',
  'TASK',
  'CALL_ACTIVITY',
  'BUSINESS_RULE_TASK',
  'SCRIPT_TASK',
  'SEND_TASK',
  'SUB_PROCESS',
]);

const RESERVED_HEADER_PREFIX = 'io.camunda.zeebe:';

export function isIgnoredFlowElement(el: El): boolean {
  return IGNORED_FLOW_ELEMENTS.has(el.$type);
}

/** A flow element of a kind the engine cannot run; readFlowNode reports it. */
export function isUnsupportedFlowElement(el: El): boolean {
  return (
    el.$instanceOf('bpmn:FlowElement') &&
    !ELEMENT_TYPES[el.$type] &&
    !isIgnoredFlowElement(el) &&
    el.$type !== 'bpmn:SequenceFlow'
  );
}

export function emptyNode(id: string, name: string | undefined, type: BpmnElementType, scopeId: string): FlowNode {
  return {
    id,
    name,
    type,
    eventType: 'UNSPECIFIED',
    scopeId,
    incoming: [],
    outgoing: [],
    inputMappings: [],
    outputMappings: [],
    taskHeaders: {},
    interrupting: true,
    boundaryEventIds: [],
    childIds: [],
    eventSubProcessStartEventIds: [],
  };
}

/** Reads the flow node `el` declared in `scope`, or reports it unsupported and returns undefined. */
export function readFlowNode(el: El, scope: FlowNode, problems: Problems): FlowNode | undefined {
  const declaredType = ELEMENT_TYPES[el.$type];
  if (!declaredType) {
    problems.add(
      el.id ?? scope.id,
      `Elements of type '${typeName(el)}' are currently not supported. Please refer to the documentation for a list of supported elements: https://docs.camunda.io/docs/components/modeler/bpmn/bpmn-coverage/`,
    );
    return undefined;
  }
  const type = declaredType === 'SUB_PROCESS' && flag(el, 'triggeredByEvent') ? 'EVENT_SUB_PROCESS' : declaredType;
  const node = emptyNode(el.id ?? '', attr(el, 'name'), type, scope.id);
  const reader = new NodeReader(el, node, problems);

  reader.mappings();
  reader.headers();
  if (ACTIVITY_TYPES.has(type)) {
    reader.loop();
    if (flag(el, 'isForCompensation')) {
      problems.add(node.id, "Compensation handlers ('isForCompensation') are currently not supported");
    }
  }

  switch (type) {
    case 'START_EVENT': {
      const role: EventRole =
        scope.type === 'PROCESS'
          ? 'processStart'
          : scope.type === 'SUB_PROCESS'
            ? 'subProcessStart'
            : 'eventSubProcessStart';
      node.interrupting = role !== 'eventSubProcessStart' || flag(el, 'isInterrupting') !== false;
      readEventDefinition(el, node, role, problems);
      break;
    }
    case 'BOUNDARY_EVENT':
      node.interrupting = flag(el, 'cancelActivity') !== false;
      readEventDefinition(el, node, 'boundary', problems);
      break;
    case 'INTERMEDIATE_CATCH_EVENT':
      readEventDefinition(el, node, 'catch', problems);
      break;
    case 'INTERMEDIATE_THROW_EVENT':
    case 'END_EVENT':
      readEventDefinition(el, node, type === 'END_EVENT' ? 'end' : 'throw', problems);
      if (node.eventType === 'MESSAGE') node.job = reader.jobWorker();
      break;
    case 'SERVICE_TASK':
    case 'SEND_TASK':
      node.job = reader.jobWorker();
      break;
    case 'BUSINESS_RULE_TASK':
      if (extensions(el, 'zeebe:CalledDecision').length > 0) {
        problems.add(
          node.id,
          "Called decisions ('zeebe:calledDecision') are not supported by this engine; implement the rule with a 'zeebe:taskDefinition' job worker",
        );
      } else {
        node.job = reader.jobWorker();
      }
      break;
    case 'SCRIPT_TASK':
      reader.script();
      break;
    case 'USER_TASK':
      node.userTask = reader.userTask();
      break;
    case 'RECEIVE_TASK':
      node.eventType = 'MESSAGE';
      node.message = readMessage(problems, node.id, child(el, 'messageRef'), true);
      break;
    case 'CALL_ACTIVITY':
      reader.calledElement();
      break;
    case 'EXCLUSIVE_GATEWAY':
    case 'INCLUSIVE_GATEWAY':
      node.defaultFlowId = child(el, 'default')?.id;
      break;
    default:
      break;
  }
  return node;
}

/** Reads the zeebe extension elements of one flow node into it. */
class NodeReader {
  constructor(
    private readonly el: El,
    private readonly node: FlowNode,
    private readonly problems: Problems,
  ) {}

  private expression(raw: string | undefined, rule?: ExpressionRule) {
    return readExpression(this.problems, this.node.id, raw, rule);
  }

  /** Optional attributes: absent and empty both mean "not set". */
  private optional(raw: string | undefined, rule?: ExpressionRule) {
    return raw ? this.expression(raw, rule) : undefined;
  }

  private required(el: El | undefined, attribute: string): string | undefined {
    return requireAttribute(this.problems, this.node.id, attr(el, attribute), attribute);
  }

  mappings(): void {
    for (const ioMapping of extensions(this.el, 'zeebe:IoMapping')) {
      for (const input of children(ioMapping, 'inputParameters')) {
        this.node.inputMappings.push({
          source: this.expression(attr(input, 'source'), { mandatory: true }),
          target: readPath(this.problems, this.node.id, attr(input, 'target')),
        });
      }
      for (const output of children(ioMapping, 'outputParameters')) {
        this.node.outputMappings.push({
          source: this.expression(attr(output, 'source'), { mandatory: true, nonStatic: true }),
          target: readPath(this.problems, this.node.id, attr(output, 'target')),
        });
      }
    }
  }

  headers(): void {
    for (const taskHeaders of extensions(this.el, 'zeebe:TaskHeaders')) {
      for (const header of children(taskHeaders, 'values')) {
        const key = attr(header, 'key');
        if (key === undefined) continue;
        if (key.startsWith(RESERVED_HEADER_PREFIX)) {
          this.problems.add(
            this.node.id,
            `Attribute 'key' contains '${key}', but header keys starting with '${RESERVED_HEADER_PREFIX}' are reserved for internal use.`,
          );
        }
        if (key in this.node.taskHeaders) {
          this.problems.add(this.node.id, `Headers contain duplicate entries for key '${key}'`);
        }
        this.node.taskHeaders[key] = attr(header, 'value') ?? '';
      }
    }
  }

  loop(): void {
    const loop = child(this.el, 'loopCharacteristics');
    if (!loop) return;
    if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
      this.problems.add(this.node.id, `Loop characteristics of type '${typeName(loop)}' are currently not supported`);
      return;
    }
    const definitions = extensions(loop, 'zeebe:LoopCharacteristics');
    if (definitions.length !== 1) {
      this.problems.add(this.node.id, "Must have exactly one 'zeebe:loopCharacteristics' extension element");
    }
    const definition = definitions[0];
    const outputCollection = attr(definition, 'outputCollection') || undefined;
    const outputElement = attr(definition, 'outputElement') || undefined;
    if (outputCollection && !outputElement) {
      this.problems.add(this.node.id, "Attribute 'outputElement' must be present if the attribute 'outputCollection' is set");
    } else if (outputElement && !outputCollection) {
      this.problems.add(this.node.id, "Attribute 'outputCollection' must be present if the attribute 'outputElement' is set");
    }
    this.node.multiInstance = {
      sequential: flag(loop, 'isSequential') === true,
      inputCollection: this.expression(definition && this.required(definition, 'inputCollection'), { nonStatic: true }),
      inputElement: attr(definition, 'inputElement') || undefined,
      outputCollection,
      outputElement: this.optional(outputElement, { nonStatic: true }),
      completionCondition: this.optional(body(child(loop, 'completionCondition'))),
    };
  }

  /** A job worker element: exactly one zeebe:taskDefinition. */
  jobWorker(): JobDefinition | undefined {
    const definitions = extensions(this.el, 'zeebe:TaskDefinition');
    if (definitions.length !== 1) {
      this.problems.add(this.node.id, "Must have exactly one 'zeebe:taskDefinition' extension element");
    }
    return definitions.length > 0 ? this.taskDefinition(definitions[0]) : undefined;
  }

  private taskDefinition(definition: El): JobDefinition {
    const retries = attr(definition, 'retries');
    return {
      type: this.expression(this.required(definition, 'type')),
      // Zeebe's model defaults retries to "3"; only an explicitly empty value is wrong.
      retries: this.expression(retries === undefined ? '3' : this.required(definition, 'retries')),
    };
  }

  /** A script task is either a FEEL script evaluated by the engine or a job worker. */
  script(): void {
    const scripts = extensions(this.el, 'zeebe:Script');
    const definitions = extensions(this.el, 'zeebe:TaskDefinition');
    if (scripts.length + definitions.length !== 1) {
      this.problems.add(this.node.id, "Must have either one 'zeebe:script' or one 'zeebe:taskDefinition' extension element");
    }
    if (scripts.length > 0) {
      const expression = this.required(scripts[0], 'expression');
      const resultVariable = this.required(scripts[0], 'resultVariable');
      this.node.script = {
        expression: this.expression(expression, { nonStatic: true }),
        resultVariable: resultVariable ?? '',
      };
    } else if (definitions.length > 0) {
      this.node.job = this.taskDefinition(definitions[0]);
    }
  }

  userTask(): UserTaskDefinition {
    const userTask: UserTaskDefinition = {};
    const form = extensions(this.el, 'zeebe:FormDefinition')[0];
    if (form) {
      if (attr(form, 'formId')) {
        this.problems.add(this.node.id, "Linked forms ('formId') are not supported by this engine; use 'formKey'");
      } else if (!attr(form, 'formKey')?.trim()) {
        this.problems.add(this.node.id, "Exactly one of the attributes 'formKey, formId' must be present and not blank");
      }
      userTask.formKey = attr(form, 'formKey') || undefined;
    }

    const assignment = extensions(this.el, 'zeebe:AssignmentDefinition')[0];
    const csv = { test: isCsvList, description: "be a list of comma-separated values, e.g. 'a,b,c'" };
    userTask.assignee = this.optional(attr(assignment, 'assignee'));
    userTask.candidateGroups = this.optional(attr(assignment, 'candidateGroups'), { ifStatic: csv });
    userTask.candidateUsers = this.optional(attr(assignment, 'candidateUsers'), { ifStatic: csv });

    const schedule = extensions(this.el, 'zeebe:TaskSchedule')[0];
    const dateTime = { test: isDateTime, description: "be a valid DateTime String, e.g. '2023-03-02T15:35+02:00'" };
    userTask.dueDate = this.optional(attr(schedule, 'dueDate'), { ifStatic: dateTime });
    userTask.followUpDate = this.optional(attr(schedule, 'followUpDate'), { ifStatic: dateTime });
    return userTask;
  }

  calledElement(): void {
    const definitions = extensions(this.el, 'zeebe:CalledElement');
    if (definitions.length !== 1) {
      this.problems.add(this.node.id, "Must have exactly one 'zeebe:calledElement' extension element");
    }
    const definition = definitions[0];
    this.node.calledElement = {
      processId: this.expression(definition && this.required(definition, 'processId')),
      propagateAllChildVariables: flag(definition, 'propagateAllChildVariables') !== false,
      propagateAllParentVariables: flag(definition, 'propagateAllParentVariables') !== false,
    };
  }
}
