/** Shared pieces of the task suites: staff users written into the auth tables, and a small user-task model. */
import type { Knex } from 'knex';
import { CENTERS } from '../../db/seed/centers';
import { accessOf, findUserByUsername, toSessionUser } from '../../server/auth/users';
import type { Role, SessionUser } from '../../server/auth/sessionUser';
import { chain, processXml, xmlEscape } from '../support/bpmn';

export async function insertCenters(knex: Knex): Promise<void> {
  await knex('centers').insert(CENTERS.map((c) => ({ ...c }))).onConflict('code').ignore();
}

/** A staff user as the admin page would create one (the password hash is irrelevant here: nobody signs in). */
export async function insertUser(
  knex: Knex,
  user: { username: string; roles: Role[]; centers: string[]; email?: string | null; active?: boolean },
): Promise<SessionUser> {
  const [{ id }] = await knex('users')
    .insert({
      username: user.username,
      display_name: `测试-${user.username}`,
      email: user.email === undefined ? `${user.username}@staff.example.cn` : user.email,
      password_hash: 'not-used',
      active: user.active ?? true,
    })
    .returning('id');
  if (user.roles.length > 0) await knex('user_roles').insert(user.roles.map((role) => ({ user_id: id, role })));
  if (user.centers.length > 0) await knex('user_centers').insert(user.centers.map((center_code) => ({ user_id: id, center_code })));
  const row = (await findUserByUsername(knex, user.username))!;
  return toSessionUser(row, await accessOf(knex, id));
}

export const TASK_NAME = '测试：核查并回单';

/**
 * start → user task `handle` (form key, candidate group `city-<cityCode>`, due date from `dueAt`) → end; with
 * `timer`, an interrupting timer boundary event on the task leads to `escalated`.
 */
export function userTaskModel(processId: string, options: { timer?: string } = {}): string {
  const boundary = options.timer
    ? `<bpmn:boundaryEvent id="late" attachedToRef="handle" cancelActivity="true">
         <bpmn:timerEventDefinition><bpmn:timeDuration>${options.timer}</bpmn:timeDuration></bpmn:timerEventDefinition>
       </bpmn:boundaryEvent>
       <bpmn:endEvent id="escalated" />
       ${chain('late', 'escalated')}`
    : '';
  return processXml(
    processId,
    `<bpmn:startEvent id="start" />
     <bpmn:userTask id="handle" name="${xmlEscape(TASK_NAME)}">
       <bpmn:extensionElements>
         <zeebe:formDefinition formKey="city-complaint-handle" />
         <zeebe:assignmentDefinition candidateGroups="${xmlEscape('=["city-" + cityCode]')}" />
         <zeebe:taskSchedule dueDate="=dueAt" />
       </bpmn:extensionElements>
     </bpmn:userTask>
     <bpmn:endEvent id="end" />
     ${chain('start', 'handle', 'end')}
     ${boundary}`,
  );
}

export interface TaskFields {
  groups: string[];
  center: string;
  process?: string;
  name?: string;
  assignee?: string | null;
  /** Hours from `now`; null: no due date. Default 48. */
  dueInHours?: number | null;
  createdHoursAgo?: number;
  priority?: number;
  customerNumber?: string;
  state?: string;
}

let nextKey = 2251799813685300;

/** A task row as task sourcing writes it, for suites about what is read or sent from the table; returns its job key. */
export async function insertTask(knex: Knex, fields: TaskFields, now: Date): Promise<string> {
  const [jobKey] = await insertTasks(knex, [fields], now);
  return jobKey!;
}

/** Many task rows at once, in chunks; returns their job keys in order. */
export async function insertTasks(knex: Knex, tasks: readonly TaskFields[], now: Date): Promise<string[]> {
  const HOUR = 3_600_000;
  const rows = tasks.map((fields) => {
    const jobKey = String(nextKey++);
    return {
      job_key: jobKey,
      process_instance_key: String(nextKey + 1_000_000),
      bpmn_process_id: fields.process ?? 'city-complaint',
      process_definition_key: '2251799813685249',
      element_id: 'handle',
      element_instance_key: String(nextKey + 2_000_000),
      name: fields.name ?? '核查处理并回单',
      form_key: 'city-complaint-handle',
      candidate_groups: JSON.stringify(fields.groups),
      assignee: fields.assignee ?? null,
      due_at: fields.dueInHours === null ? null : new Date(now.getTime() + (fields.dueInHours ?? 48) * HOUR),
      priority: fields.priority ?? 2,
      customer_number: fields.customerNumber ?? null,
      center_code: fields.center,
      retries: 3,
      state: fields.state ?? 'open',
      created_at: new Date(now.getTime() - (fields.createdHoursAgo ?? 1) * HOUR),
    };
  });
  await knex.batchInsert('tasks', rows, 500);
  return rows.map((row) => row.job_key);
}
