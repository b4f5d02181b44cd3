/** The `value` part of exported records, shaped like Zeebe's record values. */
import type { ElementInstance, Incident, Job } from '../state/entities';

const TENANT = '<default>';

export function processInstanceValue(instance: ElementInstance): Record<string, unknown> {
  return {
    bpmnProcessId: instance.bpmnProcessId,
    version: instance.version,
    processDefinitionKey: instance.processDefinitionKey,
    processInstanceKey: instance.processInstanceKey,
    elementId: instance.elementId,
    flowScopeKey: instance.flowScopeKey,
    bpmnElementType: instance.type,
    bpmnEventType: instance.eventType,
    parentProcessInstanceKey: instance.parentProcessInstanceKey,
    parentElementInstanceKey: instance.parentElementInstanceKey,
    tenantId: TENANT,
  };
}

export function jobValue(job: Job, variables?: Record<string, unknown>): Record<string, unknown> {
  return {
    type: job.type,
    worker: job.worker,
    retries: job.retries,
    retryBackoff: 0,
    recurringTime: job.state === 'BACKOFF' ? job.recurAt : -1,
    deadline: job.state === 'ACTIVATED' ? job.deadline : -1,
    errorMessage: job.errorMessage,
    errorCode: job.errorCode,
    customHeaders: job.customHeaders,
    variables: variables ?? {},
    elementId: job.elementId,
    elementInstanceKey: job.elementInstanceKey,
    processInstanceKey: job.processInstanceKey,
    bpmnProcessId: job.bpmnProcessId,
    processDefinitionVersion: job.processDefinitionVersion,
    processDefinitionKey: job.processDefinitionKey,
    tenantId: TENANT,
  };
}

export function incidentValue(incident: Incident): Record<string, unknown> {
  return {
    errorType: incident.errorType,
    errorMessage: incident.errorMessage,
    bpmnProcessId: incident.bpmnProcessId,
    processDefinitionKey: incident.processDefinitionKey,
    processInstanceKey: incident.processInstanceKey,
    elementId: incident.elementId,
    elementInstanceKey: incident.elementInstanceKey,
    jobKey: incident.jobKey,
    variableScopeKey: incident.variableScopeKey,
    tenantId: TENANT,
  };
}

export { TENANT };
