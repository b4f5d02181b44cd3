/**
 * The name of a user task as modelled (`<bpmn:userTask name="...">`). Activated jobs carry only the element id, and
 * the gateway API offers no way to read a deployed model, so names come from the deployed resource itself: on the
 * embedded engine from its state (`engine_state`, kind `process`), else — a Camunda 8 cluster, or a definition
 * deleted since — from the model files in processes/, which are what gets deployed.
 */
import type { Knex } from 'knex';
import { allFlowElements, attr, parseBpmnXml } from '../../engine/model/moddle';
import { readShippedModel } from '../../processes/catalogue';

export interface TaskNameLookup {
  nameOf(job: { processDefinitionKey: string; bpmnProcessId: string; elementId: string }): Promise<string>;
}

/** Element id → name of every user task in a BPMN resource, read as the engine reads models. */
async function userTaskNames(xml: string): Promise<Map<string, string>> {
  const parsed = await parseBpmnXml(xml);
  if (!parsed.ok) return new Map();
  const userTasks = allFlowElements(parsed.definitions).filter((el) => el.$type === 'bpmn:UserTask' && el.id);
  return new Map(userTasks.map((el) => [el.id!, attr(el, 'name') ?? el.id!]));
}

export function createTaskNameLookup(knex: Knex): TaskNameLookup {
  // Deployed resources never change under a definition key, so their names are cached for good.
  const byDefinition = new Map<string, Map<string, string>>();
  const byFile = new Map<string, Map<string, string>>();

  async function deployedNames(processDefinitionKey: string): Promise<Map<string, string> | undefined> {
    const cached = byDefinition.get(processDefinitionKey);
    if (cached) return cached;
    const row = await knex('engine_state').where({ kind: 'process', key: processDefinitionKey }).first('value');
    const resource = (row?.value as { resource?: unknown } | undefined)?.resource;
    if (typeof resource !== 'string') return undefined;
    const names = await userTaskNames(resource);
    byDefinition.set(processDefinitionKey, names);
    return names;
  }

  async function fileNames(bpmnProcessId: string): Promise<Map<string, string> | undefined> {
    const cached = byFile.get(bpmnProcessId);
    if (cached) return cached;
    const xml = await readShippedModel(bpmnProcessId);
    if (xml === undefined) return undefined;
    const names = await userTaskNames(xml);
    byFile.set(bpmnProcessId, names);
    return names;
  }

  return {
    async nameOf(job) {
      return (await deployedNames(job.processDefinitionKey))?.get(job.elementId) ?? (await fileNames(job.bpmnProcessId))?.get(job.elementId) ?? job.elementId;
    },
  };
}
