/**
 * Turns an activated user-task job into a `tasks` row: the Zeebe 8.3 user-task headers (form key, assignment,
 * schedule) plus what the inbox filters by, read from the process variables (work order, customer, priority).
 */
import type { Knex } from 'knex';
import type { Job } from 'zeebe-node';
import { z } from 'zod';
import { PRIORITY, type TaskRow } from './task';
import type { TaskNameLookup } from './taskNames';

const HEADER = {
  formKey: 'io.camunda.zeebe:formKey',
  candidateGroups: 'io.camunda.zeebe:candidateGroups',
  assignee: 'io.camunda.zeebe:assignee',
  dueDate: 'io.camunda.zeebe:dueDate',
  followUpDate: 'io.camunda.zeebe:followUpDate',
} as const;

const text = z.string().trim().min(1);
const dateHeader = text.pipe(z.coerce.date()).refine((d) => !Number.isNaN(d.getTime()));
const headersSchema = z.object({
  [HEADER.formKey]: text.optional().catch(undefined),
  [HEADER.candidateGroups]: text
    .transform((json, ctx) => {
      try {
        return JSON.parse(json) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.array(z.string().min(1)))
    .optional()
    .catch(undefined),
  [HEADER.assignee]: text.optional().catch(undefined),
  [HEADER.dueDate]: dateHeader.optional().catch(undefined),
  [HEADER.followUpDate]: dateHeader.optional().catch(undefined),
});

// Process variables are whatever earlier steps wrote; a value of the wrong shape is ignored, not fatal.
const variablesSchema = z.object({
  workOrderId: z.union([text, z.number().transform(String)]).optional().catch(undefined),
  customerId: z.number().int().optional().catch(undefined),
  phoneNumber: text.optional().catch(undefined),
  priority: z.number().optional().catch(undefined),
  urgency: z.string().optional().catch(undefined),
  vip: z.boolean().optional().catch(undefined),
});

export interface Center {
  code: string;
  tier: 'national' | 'province' | 'city';
}

/**
 * The center a task belongs to, from its candidate groups: `city-<code>` is that city's task, `national-*` the
 * national center's, any other group works at the province. The organisation comes from the centers table.
 */
export function centerOfGroups(groups: readonly string[], centers: readonly Center[]): string {
  const byTier = (tier: Center['tier']) => centers.find((c) => c.tier === tier)?.code;
  for (const group of groups) {
    const city = /^city-(.+)$/.exec(group)?.[1];
    if (city && centers.some((c) => c.code === city)) return city;
  }
  if (groups.some((g) => g.startsWith('national-'))) return byTier('national') ?? centers[0]!.code;
  return byTier('province') ?? byTier('national') ?? centers[0]!.code;
}

export function priorityOf(variables: z.output<typeof variablesSchema>): number {
  if (variables.priority !== undefined) return Math.min(PRIORITY.high, Math.max(PRIORITY.low, Math.round(variables.priority)));
  return variables.urgency === 'urgent' || variables.vip === true ? PRIORITY.high : PRIORITY.medium;
}

export type NewTaskRow = Omit<
  TaskRow,
  'state' | 'completed_at' | 'completed_by' | 'removed_reason' | 'assigned_by' | 'assignment_mailed_to' | 'digested_at' | 'overdue_mailed_at'
>;

export async function loadCenters(knex: Knex): Promise<Center[]> {
  const centers = await knex<Center>('centers').select('code', 'tier').orderBy('code');
  if (centers.length === 0) throw new Error('task sourcing: the centers table is empty');
  return centers;
}

/**
 * A job as the gateway sends it. zeebe-node 8.3 types the definition key as `processKey`, but passes the
 * ActivatedJob message through unchanged, where the field is `processDefinitionKey`.
 */
export type ActivatedJob = Job & { readonly processDefinitionKey: string };

export async function taskRowOf(job: ActivatedJob, names: TaskNameLookup, centers: readonly Center[], now: Date): Promise<NewTaskRow> {
  const headers = headersSchema.parse(job.customHeaders);
  const variables = variablesSchema.parse(job.variables ?? {});
  const candidateGroups = headers[HEADER.candidateGroups] ?? [];
  const assignee = headers[HEADER.assignee] ?? null;
  return {
    job_key: job.key,
    process_instance_key: job.processInstanceKey,
    bpmn_process_id: job.bpmnProcessId,
    process_definition_key: job.processDefinitionKey,
    element_id: job.elementId,
    element_instance_key: job.elementInstanceKey,
    name: await names.nameOf(job),
    form_key: headers[HEADER.formKey] ?? null,
    candidate_groups: candidateGroups,
    assignee,
    due_at: headers[HEADER.dueDate] ?? null,
    follow_up_at: headers[HEADER.followUpDate] ?? null,
    priority: priorityOf(variables),
    work_order_number: variables.workOrderId ?? null,
    customer_id: variables.customerId ?? null,
    customer_number: variables.phoneNumber ?? null,
    center_code: centerOfGroups(candidateGroups, centers),
    variables: job.variables as Record<string, unknown>,
    retries: job.retries,
    created_at: now,
    claimed_at: assignee ? now : null,
  };
}
