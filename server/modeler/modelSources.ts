/**
 * Where a model shown in the modeler comes from: a deployed version, a saved draft, or the model file the
 * platform ships (a process not deployed yet). Pages and the API name them as `version:3`, `draft:12`, `latest`
 * (the newest deployed version, else the file) and `file`.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { readShippedModel } from '../../processes/catalogue';
import { findDraft, type DraftSummary } from './drafts';
import { deployedVersions, deployedXml } from './processVersions';

export const sourceRefSchema = z
  .string()
  .regex(/^(latest|file|version:[1-9]\d{0,8}|draft:[1-9]\d{0,8})$/, 'expected latest, file, version:<n> or draft:<id>');

export type ModelSource =
  | { kind: 'version'; ref: string; version: number; xml: string }
  | { kind: 'draft'; ref: string; draft: DraftSummary; xml: string }
  | { kind: 'file'; ref: string; xml: string };

export async function latestVersion(knex: Knex, processId: string): Promise<number | undefined> {
  return (await deployedVersions(knex, processId)).at(-1)?.version;
}

/** The model `ref` names, undefined when there is no such version, draft or file. */
export async function loadModelSource(knex: Knex, processId: string, ref: string): Promise<ModelSource | undefined> {
  const [kind, number] = ref.split(':');
  if (kind === 'draft') {
    const draft = await findDraft(knex, processId, Number(number));
    return draft && { kind: 'draft', ref, draft, xml: draft.xml };
  }
  if (kind === 'file') {
    const xml = await readShippedModel(processId);
    return xml === undefined ? undefined : { kind: 'file', ref, xml };
  }
  const version = kind === 'version' ? Number(number) : await latestVersion(knex, processId);
  if (version === undefined) return loadModelSource(knex, processId, 'file');
  const xml = await deployedXml(knex, processId, version);
  return xml === undefined ? undefined : { kind: 'version', ref: `version:${version}`, version, xml };
}
