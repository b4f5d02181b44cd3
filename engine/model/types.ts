/**
 * The executable form of a BPMN process: what the engine runs. Produced once per deployed resource by
 * `compileBpmn` (engine/model/compile.ts) from the XML, so the processor never looks at moddle objects.
 */
import type { Expression } from '../feel';

/** Zeebe's BpmnElementType names, as they appear in exported records. */
export type BpmnElementType =
  | 'PROCESS'
  | 'SUB_PROCESS'
  | 'EVENT_SUB_PROCESS'
  | 'START_EVENT'
  | 'INTERMEDIATE_CATCH_EVENT'
  | 'INTERMEDIATE_THROW_EVENT'
  | 'BOUNDARY_EVENT'
  | 'END_EVENT'
  | 'SERVICE_TASK'
  | 'RECEIVE_TASK'
  | 'USER_TASK'
  | 'MANUAL_TASK'
  | 'TASK'
  | 'EXCLUSIVE_GATEWAY'
  | 'PARALLEL_GATEWAY'
  | 'EVENT_BASED_GATEWAY'
  | 'INCLUSIVE_GATEWAY'
  | 'SEQUENCE_FLOW'
  | 'MULTI_INSTANCE_BODY'
  | 'CALL_ACTIVITY'
  | 'BUSINESS_RULE_TASK'
  | 'SCRIPT_TASK'
  | 'SEND_TASK';

/** Zeebe's BpmnEventType names. */
export type BpmnEventType =
  | 'UNSPECIFIED'
  | 'NONE'
  | 'TIMER'
  | 'MESSAGE'
  | 'SIGNAL'
  | 'ERROR'
  | 'ESCALATION'
  | 'TERMINATE'
  | 'LINK';

/** `zeebe:input` / `zeebe:output`: `source` is an expression, `target` a (possibly nested, a.b) variable name. */
export interface VariableMapping {
  source: Expression;
  target: string;
}

/** `zeebe:taskDefinition` (or the implicit one of a user task). */
export interface JobDefinition {
  type: Expression;
  /** Defaults to the static value "3". */
  retries: Expression;
}

/** `zeebe:assignmentDefinition`, `zeebe:taskSchedule`, `zeebe:formDefinition` of a user task. */
export interface UserTaskDefinition {
  formKey?: string;
  assignee?: Expression;
  /** Evaluates to a list of strings, or a comma separated static list. */
  candidateGroups?: Expression;
  candidateUsers?: Expression;
  dueDate?: Expression;
  followUpDate?: Expression;
}

export interface ScriptDefinition {
  expression: Expression;
  resultVariable: string;
}

export interface CalledElementDefinition {
  processId: Expression;
  propagateAllChildVariables: boolean;
  propagateAllParentVariables: boolean;
}

export interface MultiInstanceDefinition {
  sequential: boolean;
  inputCollection: Expression;
  inputElement?: string;
  outputCollection?: string;
  outputElement?: Expression;
  completionCondition?: Expression;
}

export type TimerKind = 'duration' | 'date' | 'cycle';

export interface TimerDefinition {
  kind: TimerKind;
  expression: Expression;
}

export interface MessageDefinition {
  name: Expression;
  /** Absent on message start events (they have none). */
  correlationKey?: Expression;
}

export interface FlowNode {
  id: string;
  name?: string;
  type: BpmnElementType;
  eventType: BpmnEventType;
  /** Id of the enclosing process, sub-process or event sub-process. */
  scopeId: string;
  incoming: string[];
  outgoing: string[];
  inputMappings: VariableMapping[];
  outputMappings: VariableMapping[];
  /** `zeebe:taskHeaders`, in model order. */
  taskHeaders: Record<string, string>;

  /** Service, send, business-rule and script tasks with a job worker, message end / throw events. */
  job?: JobDefinition;
  /** Only on USER_TASK; the job type is then `io.camunda.zeebe:userTask`. */
  userTask?: UserTaskDefinition;
  /** Script task with `zeebe:script` (FEEL). */
  script?: ScriptDefinition;
  calledElement?: CalledElementDefinition;
  multiInstance?: MultiInstanceDefinition;

  /** Event definitions (at most one per event; Zeebe rejects more). */
  timer?: TimerDefinition;
  message?: MessageDefinition;
  signal?: { name: Expression };
  /**
   * Error: on a catch event `code` undefined means catch-all; on an end event `code` is the thrown code
   * (an expression in Zeebe 8.3).
   */
  error?: { code?: Expression };
  /** Escalation: like error; undefined code on a catch event catches all escalations. */
  escalation?: { code?: Expression };
  link?: { name: string };

  /** Boundary events: the activity they are attached to and whether they interrupt it. */
  attachedToId?: string;
  /** Boundary events: cancelActivity. Start events of event sub-processes: isInterrupting. */
  interrupting: boolean;
  /** Ids of the boundary events attached to this activity. */
  boundaryEventIds: string[];

  /** Exclusive and inclusive gateways. */
  defaultFlowId?: string;

  /** Containers (sub-processes, event sub-processes): their direct children. */
  childIds: string[];
  /** Containers: the none start event that starts the scope (absent for event sub-processes). */
  noneStartEventId?: string;
  /** Containers: the start events of their event sub-processes. */
  eventSubProcessStartEventIds: string[];
}

export interface SequenceFlow {
  id: string;
  sourceId: string;
  targetId: string;
  condition?: Expression;
}

export interface ExecutableProcess {
  /** bpmnProcessId */
  id: string;
  name?: string;
  /** The process itself, as a container node of type PROCESS (scopeId = ''). */
  root: FlowNode;
  /** Every flow node below the process, by id (the process node included). */
  nodes: Map<string, FlowNode>;
  flows: Map<string, SequenceFlow>;
  /** Start events of the process itself (not of sub-processes), by trigger. */
  timerStartEventIds: string[];
  messageStartEventIds: string[];
  signalStartEventIds: string[];
}

/** One deployable resource may hold several processes. */
export interface CompiledResource {
  processes: ExecutableProcess[];
}

/** Thrown by compileBpmn: the message names the element and the reason, as Zeebe's deployment rejection does. */
export class ModelValidationError extends Error {
  constructor(
    readonly resourceName: string,
    readonly problems: { elementId: string; message: string }[],
  ) {
    // A document that does not parse has no elements to name; Zeebe then gives the parser's message alone.
    const unparsable = problems.length === 1 && problems[0].elementId === '';
    super(
      unparsable
        ? `'${resourceName}': ${problems[0].message}`
        : `'${resourceName}': - ` + problems.map((p) => `Element: ${p.elementId}\n    - ERROR: ${p.message}`).join('\n- '),
    );
    this.name = 'ModelValidationError';
  }
}
