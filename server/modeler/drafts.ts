/** Saved drafts of process models (table process_drafts). */
import type { Knex } from 'knex';

export interface DraftSummary {
  id: number;
  processId: string;
  author: string;
  comment: string;
  createdAt: Date;
}

export interface Draft extends DraftSummary {
  xml: string;
}

interface DraftRow {
  id: number;
  process_id: string;
  xml?: string;
  author: string;
  comment: string;
  created_at: Date | string;
}

function toSummary(row: DraftRow): DraftSummary {
  return { id: row.id, processId: row.process_id, author: row.author, comment: row.comment, createdAt: new Date(row.created_at) };
}

const SUMMARY_COLUMNS = ['id', 'process_id', 'author', 'comment', 'created_at'];

export async function saveDraft(knex: Knex, draft: { processId: string; xml: string; author: string; comment: string }): Promise<DraftSummary> {
  const [row] = await knex('process_drafts')
    .insert({ process_id: draft.processId, xml: draft.xml, author: draft.author, comment: draft.comment })
    .returning<DraftRow[]>(SUMMARY_COLUMNS);
  return toSummary(row);
}

/** Newest first; all processes when `processId` is not given. */
export async function listDrafts(knex: Knex, processId?: string): Promise<DraftSummary[]> {
  const query = knex('process_drafts').select<DraftRow[]>(SUMMARY_COLUMNS).orderBy('id', 'desc');
  if (processId !== undefined) query.where('process_id', processId);
  return (await query).map(toSummary);
}

export async function findDraft(knex: Knex, processId: string, id: number): Promise<Draft | undefined> {
  const row = await knex('process_drafts').where({ process_id: processId, id }).first<DraftRow | undefined>([...SUMMARY_COLUMNS, 'xml']);
  return row ? { ...toSummary(row), xml: row.xml! } : undefined;
}
