/**
 * Incidents: a step that cannot go on (an expression fails, a job runs out of retries, an error is not caught)
 * stops with an incident; resolving it runs the step again.
 */
import { EngineError } from '../api';
import type { ElementInstance, IncidentErrorType } from '../state/entities';
import type { Batch } from './batch';
import { continueActivation, continueCompletion, nodeOf } from './elements';
import { onActivated, onActivating } from './behaviours';
import { incidentValue } from './recordValues';

export function raiseIncident(
  batch: Batch,
  instance: ElementInstance,
  errorType: IncidentErrorType,
  errorMessage: string,
  jobKey = '-1',
): void {
  const incident = {
    key: batch.state.nextKey(),
    errorType,
    errorMessage,
    bpmnProcessId: instance.bpmnProcessId,
    processDefinitionKey: instance.processDefinitionKey,
    processInstanceKey: instance.processInstanceKey,
    elementId: instance.elementId,
    elementInstanceKey: instance.key,
    jobKey,
    variableScopeKey: instance.key,
    createdAt: batch.now,
  };
  batch.state.putIncident(incident);
  batch.write('INCIDENT', 'CREATED', incident.key, incidentValue(incident), instance.processInstanceKey);
}

/** A terminated element takes its incidents with it. */
export function resolveIncidentsOf(batch: Batch, instance: ElementInstance): void {
  for (const incident of batch.state.incidentsOf(instance.key)) {
    batch.state.deleteIncident(incident);
    batch.write('INCIDENT', 'RESOLVED', incident.key, incidentValue(incident), incident.processInstanceKey);
  }
}

export function checkResolveIncident(batch: Batch, incidentKey: string): void {
  const incident = batch.state.incidents.get(incidentKey);
  if (!incident) {
    throw new EngineError(
      'NOT_FOUND',
      `Command 'RESOLVE' rejected with code 'NOT_FOUND': Expected to resolve incident with key '${incidentKey}', but no such incident was found`,
    );
  }
  // Like Zeebe, a job incident is resolved even if the job's retries were not raised first: the job becomes
  // activatable with 0 retries, and failing it again raises a new incident.
}

export function resolveIncident(batch: Batch, incidentKey: string): void {
  checkResolveIncident(batch, incidentKey);
  const incident = batch.state.incidents.get(incidentKey)!;
  batch.state.deleteIncident(incident);
  batch.write('INCIDENT', 'RESOLVED', incident.key, incidentValue(incident), incident.processInstanceKey);
  if (incident.jobKey !== '-1') {
    const job = batch.state.jobs.get(incident.jobKey);
    if (!job) return;
    job.state = 'ACTIVATABLE';
    batch.state.putJob(job);
    batch.typesWithJobs.add(job.type);
    return;
  }
  const instance = batch.state.elements.get(incident.elementInstanceKey);
  if (!instance) return;
  if (instance.state === 'ACTIVATING') continueActivation(batch, instance);
  else if (instance.state === 'COMPLETING') continueCompletion(batch, instance);
  else if (instance.state === 'ACTIVATED') {
    // An error end event whose error was not caught: throw it again (a model change may now catch it).
    const node = nodeOf(batch, instance);
    const prepared = onActivating(batch, instance, node);
    if (prepared.ok) onActivated(batch, instance, node, prepared.value);
    else raiseIncident(batch, instance, prepared.errorType, prepared.message);
  }
}
