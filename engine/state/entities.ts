/** The rows of engine state. Keys are int64 decimal strings; times are epoch milliseconds. */
import type { BpmnElementType, BpmnEventType } from '../model/types';

export type Variables = Record<string, unknown>;

/** The variables of one scope, with the key each was created under (UPDATED records reuse it, as Zeebe's do). */
export interface ScopeVariables {
  values: Variables;
  keys: Record<string, string>;
}

export interface ProcessDefinition {
  key: string;
  bpmnProcessId: string;
  version: number;
  resourceName: string;
  /** sha-256 of the resource, to leave an unchanged redeploy at the same version. */
  checksum: string;
  /** The whole resource (it may define several processes). */
  resource: string;
  deploymentKey: string;
  deployedAt: number;
}

export type ElementState = 'ACTIVATING' | 'ACTIVATED' | 'COMPLETING' | 'TERMINATING';

export interface ElementInstance {
  key: string;
  elementId: string;
  type: BpmnElementType;
  eventType: BpmnEventType;
  state: ElementState;
  processInstanceKey: string;
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  /** "-1" for a process instance. */
  flowScopeKey: string;
  /** For process instances started by a call activity. */
  parentProcessInstanceKey: string;
  parentElementInstanceKey: string;
  /** Child element instances not yet completed or terminated. */
  activeChildren: number;
  /** Activations queued in this scope but not yet run; they keep the scope from completing. */
  pendingActivations: number;
  /** Bumped when all children of the scope are terminated at once, so queued activations are dropped. */
  epoch: number;
  /** Containers: where to start (start instructions, a triggered start event) instead of the none start event. */
  pendingStart?: { elementIds: string[]; variables?: Variables };
  /** Process instances started by a message start event with a correlation key hold this lock while they run. */
  messageStartLock?: string;
  /** Event-based gateways: the event that fired, to be activated after the gateway completes. */
  forwardTrigger?: { flowId: string; targetId: string; variables: Variables };
  /** Gateways: the sequence flows chosen while activating. */
  chosenFlows?: string[];
  /** Tokens on sequence flows waiting at joining parallel gateways of this scope: gatewayId -> flowId -> count. */
  joinTokens?: Record<string, Record<string, number>>;
  jobKey?: string;
  calledProcessInstanceKey?: string;
  /** Variables carried by the trigger that completes this element (job result, message, signal...). */
  triggerVariables?: Variables;
  /** Set while an interrupting event sub-process runs in this scope. */
  interrupted?: boolean;
  /** Multi-instance body: how far the loop has come. */
  loop?: { size: number; completed: number; started: number; items?: unknown[] };
  /** Inner instance of a multi-instance body. */
  loopCounter?: number;
  /** Open incident on this element (the step is retried when it is resolved). */
  incidentKey?: string;
  /** Set when the element was activated by an event (boundary, event sub-process start, catch event). */
  eventTrigger?: { variables: Variables };
}

export type JobState = 'ACTIVATABLE' | 'ACTIVATED' | 'FAILED' | 'BACKOFF' | 'ERROR_THROWN';

export interface Job {
  key: string;
  type: string;
  state: JobState;
  retries: number;
  worker: string;
  /** Activated: when the activation times out. */
  deadline: number;
  /** Backoff: when the job becomes activatable again. */
  recurAt: number;
  errorMessage: string;
  errorCode: string;
  customHeaders: Record<string, string>;
  elementId: string;
  elementInstanceKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  createdAt: number;
}

export interface Timer {
  key: string;
  /** The element instance the timer belongs to: the catch event, the activity of a boundary event, the scope of
   * an event sub-process start, the event-based gateway; "-1" for a timer start event. */
  elementInstanceKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  /** The timer event that fires. */
  targetElementId: string;
  dueDate: number;
  repetitions: number;
  interval?: string;
}

/** What an element instance waits for: a message or a signal that triggers one of its catch events. */
export interface EventSubscription {
  key: string;
  /** The instance that owns the subscription (the activity, the scope, the catch event, the event gateway). */
  elementInstanceKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  bpmnProcessId: string;
  /** The catch event that is triggered (boundary, event sub-process start, catch event, receive task). */
  targetElementId: string;
  interrupting: boolean;
}

export interface MessageSubscription extends EventSubscription {
  messageName: string;
  correlationKey: string;
}

export interface BufferedMessage {
  key: string;
  name: string;
  correlationKey: string;
  messageId: string;
  variables: Variables;
  deadline: number;
  timeToLive: number;
  /** Processes (bpmnProcessId) this message was correlated to or started: at most once each. */
  correlatedProcessIds: string[];
}

export interface SignalSubscription extends EventSubscription {
  signalName: string;
}

export type IncidentErrorType =
  | 'JOB_NO_RETRIES'
  | 'UNHANDLED_ERROR_EVENT'
  | 'CONDITION_ERROR'
  | 'EXTRACT_VALUE_ERROR'
  | 'IO_MAPPING_ERROR'
  | 'CALLED_ELEMENT_ERROR'
  | 'UNKNOWN';

export interface Incident {
  key: string;
  errorType: IncidentErrorType;
  errorMessage: string;
  bpmnProcessId: string;
  processDefinitionKey: string;
  processInstanceKey: string;
  elementId: string;
  elementInstanceKey: string;
  jobKey: string;
  variableScopeKey: string;
  createdAt: number;
}
