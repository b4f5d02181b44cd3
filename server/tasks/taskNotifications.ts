/**
 * Task mail to staff through the outbox (db/outbox.ts), each under an idempotency key so a run repeated after a
 * crash sends nothing twice: "assigned to you" when a lead assigns a task, a digest of new tasks per user of
 * their candidate groups, and "overdue" once per task to its assignee (or, unassigned, to its groups).
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { deliverOutboxMessage } from '../../db/outbox';
import { processName } from '../../processes/catalogue';
import type { Mailer } from '../mail/mailer';
import { renderMailTemplate } from '../mail/mailTemplates';
import type { TaskRow } from './task';
import { activeTaskWorkers, type TaskWorker } from './taskUsers';

export interface TaskMailContext {
  knex: Knex;
  mailer: Mailer;
  /** Where staff open the inbox, e.g. http://localhost:3000; a task is at `<baseUrl>/tasks/<job key>`. */
  baseUrl: string;
}

const CHINA_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

function describe(row: TaskRow, baseUrl: string) {
  return {
    taskName: row.name,
    processName: processName(row.bpmn_process_id),
    workOrder: row.work_order_number ?? '—',
    due: row.due_at ? CHINA_TIME.format(new Date(row.due_at)) : '—',
    groups: row.candidate_groups.join(', '),
    link: `${baseUrl}/tasks/${row.job_key}`,
  };
}

function membersOf(workers: readonly TaskWorker[], row: TaskRow): TaskWorker[] {
  return workers.filter((w) => w.email !== null && row.candidate_groups.some((group) => w.groups.includes(group)));
}

/** Mails each assignee a lead gave a task to, once per assignment. Resolves with the number of mails. */
export async function sendAssignmentMails({ knex, mailer, baseUrl }: TaskMailContext): Promise<number> {
  const rows = await knex<TaskRow>('tasks')
    .where({ state: 'open' })
    .whereNotNull('assignee')
    .whereRaw('assigned_by is distinct from assignee')
    .whereRaw('assignment_mailed_to is distinct from assignee')
    .select('*');
  if (rows.length === 0) return 0;
  const workers = await activeTaskWorkers(knex);
  let sent = 0;
  for (const row of rows) {
    const assignee = workers.find((w) => w.username === row.assignee);
    if (assignee?.email) {
      await deliverOutboxMessage(knex, mailer, {
        channel: 'email',
        recipient: assignee.email,
        subject: `任务已分配给您：${row.name}`,
        body: renderMailTemplate('task-assigned', { ...describe(row, baseUrl), displayName: assignee.displayName, assignedBy: row.assigned_by ?? '' }),
        idempotencyKey: `task-assigned:${row.job_key}:${row.assignee}:${new Date(row.claimed_at!).getTime()}`,
      });
      sent += 1;
    }
    await knex('tasks').where({ job_key: row.job_key, assignee: row.assignee }).update({ assignment_mailed_to: row.assignee });
  }
  return sent;
}

/**
 * One mail per user listing the open tasks of their groups that no earlier digest listed; those tasks are then
 * marked as digested. Resolves with the number of mails.
 */
export async function sendTaskDigests({ knex, mailer, baseUrl }: TaskMailContext, now: Date): Promise<number> {
  const rows = await knex<TaskRow>('tasks').where({ state: 'open' }).whereNull('digested_at').orderBy('created_at').select('*');
  if (rows.length === 0) return 0;
  const workers = await activeTaskWorkers(knex);
  let sent = 0;
  for (const worker of workers) {
    const theirs = rows.filter((row) => membersOf([worker], row).length > 0);
    if (theirs.length === 0) continue;
    const listed = createHash('sha256').update(theirs.map((row) => row.job_key).join(',')).digest('hex').slice(0, 32);
    await deliverOutboxMessage(knex, mailer, {
      channel: 'email',
      recipient: worker.email!,
      subject: `您的工作组有 ${theirs.length} 个新任务`,
      body: renderMailTemplate('task-digest', { displayName: worker.displayName, count: theirs.length, tasks: theirs.map((row) => describe(row, baseUrl)) }),
      idempotencyKey: `task-digest:${worker.username}:${listed}`,
    });
    sent += 1;
  }
  await knex('tasks').whereIn('job_key', rows.map((row) => row.job_key)).update({ digested_at: now });
  return sent;
}

/** Mails each open task past its due date once: to the assignee, or to its groups while nobody holds it. */
export async function sendOverdueMails({ knex, mailer, baseUrl }: TaskMailContext, now: Date): Promise<number> {
  const rows = await knex<TaskRow>('tasks').where({ state: 'open' }).where('due_at', '<', now).whereNull('overdue_mailed_at').select('*');
  if (rows.length === 0) return 0;
  const workers = await activeTaskWorkers(knex);
  let sent = 0;
  for (const row of rows) {
    const assignee = workers.find((w) => w.username === row.assignee && w.email !== null);
    const recipients = assignee ? [assignee] : membersOf(workers, row);
    for (const recipient of recipients) {
      await deliverOutboxMessage(knex, mailer, {
        channel: 'email',
        recipient: recipient.email!,
        subject: `任务已超时：${row.name}`,
        body: renderMailTemplate('task-overdue', { ...describe(row, baseUrl), displayName: recipient.displayName, assignee: row.assignee ?? '未认领' }),
        idempotencyKey: `task-overdue:${row.job_key}:${recipient.username}`,
      });
      sent += 1;
    }
    await knex('tasks').where({ job_key: row.job_key }).update({ overdue_mailed_at: now });
  }
  return sent;
}
