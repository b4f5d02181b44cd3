/**
 * The name of a user task as modelled (`<bpmn:userTask name="...">`). Activated jobs carry only the element id, and
 * the gateway API offers no way to read a deployed model, so names come from the deployed resource itself: on the
 * embedded engine from its state (`engine_state`, kind `process`), else — a Camunda 8 cluster, or a definition
 * deleted since — from the model files in processes/, which are what gets deployed.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { processFile } from '../../processes/catalogue';

export interface TaskNameLookup {
  nameOf(job: { processDefinitionKey: string; bpmnProcessId: string; elementId: string }): Promise<string>;
}

const USER_TASK_TAG = /<(?:[\w-]+:)?userTask\b[^>]*>/g;
const ATTRIBUTE = /\s([\w:-]+)\s*=\s*"([^"]*)"/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? whole;
  });
}

/** Element id → name of every user task in a BPMN resource. */
export function userTaskNames(xml: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const [tag] of xml.matchAll(USER_TASK_TAG)) {
    const attributes = new Map([...tag.matchAll(ATTRIBUTE)].map(([, name, value]) => [name!, decodeXml(value!)]));
    const id = attributes.get('id');
    if (id) names.set(id, attributes.get('name') ?? id);
  }
  return names;
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
    const names = userTaskNames(resource);
    byDefinition.set(processDefinitionKey, names);
    return names;
  }

  function fileNames(bpmnProcessId: string): Map<string, string> | undefined {
    const cached = byFile.get(bpmnProcessId);
    if (cached) return cached;
    const file = processFile(bpmnProcessId);
    if (!/^[\w-]+$/.test(bpmnProcessId) || !existsSync(file)) return undefined;
    const names = userTaskNames(readFileSync(file, 'utf8'));
    byFile.set(bpmnProcessId, names);
    return names;
  }

  return {
    async nameOf(job) {
      return (await deployedNames(job.processDefinitionKey))?.get(job.elementId) ?? fileNames(job.bpmnProcessId)?.get(job.elementId) ?? job.elementId;
    },
  };
}
