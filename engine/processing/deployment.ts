/**
 * Deployments and resource deletion. Models are compiled before the command enters the stream (compiling is
 * async and may be slow); here the new versions are assigned. A resource identical to the latest version of
 * its process creates no new version, as in Zeebe.
 */
import { EngineError, type DeploymentView, type ProcessMetadataView } from '../api';
import type { ExecutableProcess } from '../model/types';
import type { ProcessDefinition } from '../state/entities';
import type { Batch } from './batch';
import { TENANT } from './recordValues';
import { closeStartTimers, openStartTimers } from './timerEvents';

export interface CompiledDeploymentResource {
  name: string;
  content: string;
  checksum: string;
  processes: ExecutableProcess[];
}

function processValue(definition: ProcessDefinition, duplicate: boolean): Record<string, unknown> {
  return {
    bpmnProcessId: definition.bpmnProcessId,
    version: definition.version,
    processDefinitionKey: definition.key,
    resourceName: definition.resourceName,
    checksum: definition.checksum,
    duplicate,
    tenantId: TENANT,
  };
}

export function deploy(batch: Batch, resources: CompiledDeploymentResource[]): DeploymentView {
  const seen = new Map<string, string>();
  for (const resource of resources) {
    for (const process of resource.processes) {
      const other = seen.get(process.id);
      if (other !== undefined) {
        throw new EngineError('INVALID_ARGUMENT', `Command 'CREATE' rejected with code 'INVALID_ARGUMENT': Expected to deploy new resources, but encountered the following errors:\nDuplicated process id in resources '${other}' and '${resource.name}'`);
      }
      seen.set(process.id, resource.name);
    }
  }
  const deploymentKey = batch.state.nextKey();
  const metadata: ProcessMetadataView[] = [];
  const recordValues: Record<string, unknown>[] = [];
  for (const resource of resources) {
    for (const process of resource.processes) {
      const latest = batch.state.latestProcess(process.id);
      if (latest && latest.checksum === resource.checksum && latest.resourceName === resource.name) {
        metadata.push(toMetadata(latest));
        recordValues.push(processValue(latest, true));
        continue;
      }
      const definition: ProcessDefinition = {
        key: batch.state.nextKey(),
        bpmnProcessId: process.id,
        version: batch.state.nextProcessVersion(process.id),
        resourceName: resource.name,
        checksum: resource.checksum,
        resource: resource.content,
        deploymentKey,
        deployedAt: batch.now,
      };
      if (latest) closeStartTimers(batch, latest);
      batch.state.putProcess(definition, process);
      batch.write('PROCESS', 'CREATED', definition.key, { ...processValue(definition, false), resource: resource.content });
      openStartTimers(batch, definition);
      metadata.push(toMetadata(definition));
      recordValues.push(processValue(definition, false));
    }
  }
  batch.write('DEPLOYMENT', 'CREATED', deploymentKey, {
    resources: resources.map((r) => ({ resourceName: r.name, resource: r.content })),
    processesMetadata: recordValues,
    decisionsMetadata: [],
    decisionRequirementsMetadata: [],
    formMetadata: [],
    tenantId: TENANT,
  });
  return { key: deploymentKey, processes: metadata, tenantId: TENANT };
}

function toMetadata(definition: ProcessDefinition): ProcessMetadataView {
  return {
    bpmnProcessId: definition.bpmnProcessId,
    version: definition.version,
    processDefinitionKey: definition.key,
    resourceName: definition.resourceName,
    tenantId: TENANT,
  };
}

export function deleteResource(batch: Batch, resourceKey: string): void {
  const definition = batch.state.processes.get(resourceKey);
  if (!definition) {
    throw new EngineError('NOT_FOUND', `Command 'DELETE' rejected with code 'NOT_FOUND': Expected to delete resource but no resource found with key \`${resourceKey}\``);
  }
  for (const instance of batch.state.elements.values()) {
    if (instance.type === 'PROCESS' && instance.processDefinitionKey === resourceKey) {
      throw new EngineError('FAILED_PRECONDITION', `Command 'DELETE' rejected with code 'INVALID_STATE': Expected to delete resource with key \`${resourceKey}\` but there are still running instances of process '${definition.bpmnProcessId}' version ${definition.version}`);
    }
  }
  const wasLatest = batch.state.latestProcess(definition.bpmnProcessId)?.key === definition.key;
  closeStartTimers(batch, definition);
  batch.state.deleteProcess(resourceKey);
  batch.write('PROCESS', 'DELETED', definition.key, processValue(definition, false));
  batch.write('RESOURCE_DELETION', 'DELETED', batch.state.nextKey(), { resourceKey, tenantId: TENANT });
  const previous = batch.state.latestProcess(definition.bpmnProcessId);
  if (wasLatest && previous) openStartTimers(batch, previous);
}
