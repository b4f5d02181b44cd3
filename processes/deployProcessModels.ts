/**
 * Deploys every model of the catalogue through zeebe-node — the path `npm start` uses, the same whether the
 * gateway is the embedded engine or a Camunda 8 cluster. Unchanged models create no new version.
 */
import { readFile } from 'node:fs/promises';
import type { ZBClient } from 'zeebe-node';
import { PROCESSES, processFile } from './catalogue';

export interface DeployedProcess {
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: string;
}

export async function deployProcessModels(zbc: ZBClient): Promise<DeployedProcess[]> {
  const deployed: DeployedProcess[] = [];
  for (const { id } of PROCESSES) {
    const response = await zbc.deployResource({ name: `${id}.bpmn`, process: await readFile(processFile(id)) });
    for (const { process } of response.deployments) {
      deployed.push({ bpmnProcessId: process.bpmnProcessId, version: process.version, processDefinitionKey: process.processDefinitionKey });
    }
  }
  return deployed;
}
