/**
 * Deploys a model through zeebe-node's DeployResource, the same call against the embedded engine and a Camunda
 * 8 cluster. The resource is named after its process, as `npm start` names the models it deploys: Zeebe keeps
 * the version when a resource of that name arrives unchanged.
 */
import type { ZBClient } from 'zeebe-node';

const GRPC_INVALID_ARGUMENT = 3;

export interface DeployProblem {
  elementId: string;
  message: string;
}

export type DeployOutcome =
  | { ok: true; version: number; processDefinitionKey: string }
  | { ok: false; message: string; problems: DeployProblem[] };

/**
 * Zeebe lists a rejected resource's problems as `- Element: <id>` followed by `- ERROR: <reason>` lines (one
 * element may have several); a document that does not parse has no element lines.
 */
export function parseRejection(details: string): DeployProblem[] {
  const problems: DeployProblem[] = [];
  let elementId: string | undefined;
  for (const line of details.split('\n')) {
    const element = /^(?:'[^']*':\s*)?\s*-\s*Element:\s*(.+?)\s*$/.exec(line);
    if (element) {
      elementId = element[1];
      continue;
    }
    const error = /^\s*-\s*ERROR:\s*(.+?)\s*$/.exec(line);
    if (error && elementId !== undefined) problems.push({ elementId, message: error[1] });
  }
  return problems;
}

function isGrpcError(error: unknown): error is { code: number; details: string } {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number' && typeof (error as { details?: unknown }).details === 'string';
}

export async function deployModel(zbc: ZBClient, processId: string, xml: string): Promise<DeployOutcome> {
  try {
    const response = await zbc.deployResource({ name: `${processId}.bpmn`, process: Buffer.from(xml, 'utf8') });
    const deployed = response.deployments.map((d) => d.process).find((p) => p.bpmnProcessId === processId);
    if (!deployed) throw new Error(`the deployment of ${processId}.bpmn answered without the process ${processId}`);
    return { ok: true, version: deployed.version, processDefinitionKey: String(deployed.processDefinitionKey) };
  } catch (error) {
    if (!isGrpcError(error) || error.code !== GRPC_INVALID_ARGUMENT) throw error;
    const problems = parseRejection(error.details);
    const reasons = error.details.replace(/^[\s\S]*?encountered the following errors:\n/, '');
    return { ok: false, message: problems.length > 0 ? problems.map((p) => `${p.elementId}: ${p.message}`).join('; ') : reasons, problems };
  }
}
