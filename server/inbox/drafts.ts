/** Form drafts: what a user typed into a task's form and kept without finishing it, one per task and user. */
import type { Knex } from 'knex';

export type DraftValues = Record<string, string | string[]>;

export interface FormDraft {
  values: DraftValues;
  savedAt: Date;
}

export async function saveDraft(knex: Knex, jobKey: string, username: string, values: DraftValues, now: Date): Promise<void> {
  await knex('form_drafts')
    .insert({ job_key: jobKey, username, values: JSON.stringify(values), saved_at: now })
    .onConflict(['job_key', 'username'])
    .merge(['values', 'saved_at']);
}

export async function findDraft(knex: Knex, jobKey: string, username: string): Promise<FormDraft | undefined> {
  const row = await knex('form_drafts').where({ job_key: jobKey, username }).first('values', 'saved_at');
  return row ? { values: row.values as DraftValues, savedAt: new Date(row.saved_at) } : undefined;
}

/** A finished task's drafts are of no use to anyone. */
export async function deleteDrafts(knex: Knex, jobKey: string): Promise<void> {
  await knex('form_drafts').where({ job_key: jobKey }).delete();
}
