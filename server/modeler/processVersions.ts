/**
 * Deployed versions of the processes. The engine's PROCESS records are the source (they carry every version's
 * XML); on a Camunda 8 cluster the platform has no engine records, and the versions the modeler deployed itself
 * (table process_deployments) stand in.
 */
import type { Knex } from 'knex';

export interface DeployedVersion {
  processId: string;
  version: number;
  processDefinitionKey: string;
  deployedAt: Date;
}

interface VersionRow {
  process_id: string;
  version: string | number;
  process_definition_key: string;
  deployed_at: string | number | Date;
}

// Deployment records belong to no instance: the per-instance index finds them without scanning the records.
function processRecords(knex: Knex) {
  return knex('engine_records').whereNull('process_instance_key').where({ value_type: 'PROCESS', intent: 'CREATED' });
}

function toVersion(row: VersionRow): DeployedVersion {
  return {
    processId: row.process_id,
    version: Number(row.version),
    processDefinitionKey: row.process_definition_key,
    deployedAt: new Date(typeof row.deployed_at === 'string' && /^\d+$/.test(row.deployed_at) ? Number(row.deployed_at) : row.deployed_at),
  };
}

/** Every deployed version, by process id and version. */
export async function deployedVersions(knex: Knex, processId?: string): Promise<DeployedVersion[]> {
  const engineQuery = processRecords(knex).select<VersionRow[]>(
    knex.raw(`value->>'bpmnProcessId' as process_id`),
    knex.raw(`value->>'version' as version`),
    'key as process_definition_key',
    'timestamp as deployed_at',
  );
  if (processId !== undefined) engineQuery.whereRaw(`value->>'bpmnProcessId' = ?`, [processId]);
  const ownQuery = knex('process_deployments').select<VersionRow[]>('process_id', 'version', 'process_definition_key', 'deployed_at');
  if (processId !== undefined) ownQuery.where('process_id', processId);

  const versions = new Map<string, DeployedVersion>();
  for (const row of [...(await ownQuery), ...(await engineQuery)]) {
    const version = toVersion(row);
    versions.set(`${version.processId}\u0000${version.version}`, version);
  }
  return [...versions.values()].sort((a, b) => a.processId.localeCompare(b.processId) || a.version - b.version);
}

export async function deployedXml(knex: Knex, processId: string, version: number): Promise<string | undefined> {
  const record = await processRecords(knex)
    .whereRaw(`value->>'bpmnProcessId' = ?`, [processId])
    .whereRaw(`value->>'version' = ?`, [String(version)])
    .first<{ resource: string } | undefined>(knex.raw(`value->>'resource' as resource`));
  if (record) return record.resource;
  const own = await knex('process_deployments').where({ process_id: processId, version }).first<{ xml: string } | undefined>('xml');
  return own?.xml;
}

/** Records a version the modeler deployed, for clusters whose records the platform cannot read. */
export async function rememberDeployment(
  knex: Knex,
  deployment: { processId: string; version: number; processDefinitionKey: string; xml: string; deployedBy: string },
): Promise<void> {
  await knex('process_deployments')
    .insert({
      process_id: deployment.processId,
      version: deployment.version,
      process_definition_key: deployment.processDefinitionKey,
      xml: deployment.xml,
      deployed_by: deployment.deployedBy,
    })
    .onConflict(['process_id', 'version'])
    .ignore();
}
