/** The task page: the task's form beside its case (customer, work order, what happened so far) and the buttons. */
import { CENTERS } from '../../db/seed/centers';
import { processName } from '../../processes/catalogue';
import type { SessionUser } from '../auth/sessionUser';
import { translate, type Locale, type MessageKey } from '../i18n';
import { csrfField } from '../web/forms';
import { escapeHtml } from '../web/layout';
import type { Task } from '../tasks/taskStore';
import type { TaskWorker } from '../tasks/taskUsers';
import type { TaskCase } from './caseView';
import { chinaTime } from '../../db/chinaTime';
import { customerNumberFor, urgencyOf } from './present';

export interface TaskView {
  locale: Locale;
  user: SessionUser;
  now: Date;
  csrfToken: string;
  task: Task;
  taskCase: TaskCase;
  /** The rendered form (trusted HTML from forms/renderForm), or empty when the task has none. */
  formHtml: string;
  /** Why the form is read-only, if it is. */
  formNote?: string;
  canClaim: boolean;
  canUnclaim: boolean;
  /** Members of the task's groups a lead may assign it to; undefined when the user may not assign. */
  assignees?: TaskWorker[];
  notice?: string;
  error?: string;
}

function button(jobKey: string, csrfToken: string, action: string, label: string, extra = ''): string {
  return `<form method="post" action="/tasks/${escapeHtml(jobKey)}/${action}">${csrfField(csrfToken)}${extra}<button type="submit" class="secondary" data-action="${action}">${escapeHtml(label)}</button></form>`;
}

function actions(view: TaskView): string {
  const t = (key: MessageKey) => translate(view.locale, key);
  const { jobKey } = view.task;
  const parts: string[] = [];
  if (view.canClaim) parts.push(button(jobKey, view.csrfToken, 'claim', t('tasks.action.claim')));
  if (view.canUnclaim) parts.push(button(jobKey, view.csrfToken, 'unclaim', t('tasks.action.unclaim')));
  if (view.assignees && view.assignees.length > 0) {
    const choices = view.assignees
      .map((w) => `<option value="${escapeHtml(w.username)}"${w.username === view.task.assignee ? ' selected' : ''}>${escapeHtml(`${w.displayName} (${w.username})`)}</option>`)
      .join('');
    const select = `<label for="assignee" class="inline">${escapeHtml(t('tasks.action.assignTo'))}</label> <select id="assignee" name="assignee">${choices}</select> `;
    parts.push(button(jobKey, view.csrfToken, 'assign', t('tasks.action.assign'), select));
  }
  return parts.length > 0 ? `<div class="task-actions">${parts.join('')}</div>` : '';
}

function summary(view: TaskView): string {
  const t = (key: MessageKey) => escapeHtml(translate(view.locale, key));
  const { task } = view;
  const process = processName(task.bpmnProcessId);
  const due = task.dueAt ? `<span class="due-${urgencyOf(task.dueAt, view.now)}">${escapeHtml(chinaTime(task.dueAt))}</span>` : t('tasks.noDue');
  const entry = (key: MessageKey, html: string) => `<dt>${t(key)}</dt><dd>${html}</dd>`;
  return `<dl class="case task-summary">
${entry('tasks.field.process', escapeHtml(process))}
${entry('tasks.field.candidateGroups', escapeHtml(task.candidateGroups.join(', ')))}
${entry('tasks.field.assignee', `<span id="task-assignee">${escapeHtml(task.assignee ?? translate(view.locale, 'tasks.unassigned'))}</span>`)}
${entry('tasks.field.due', due)}
${entry('tasks.field.created', escapeHtml(chinaTime(task.createdAt)))}
${entry('tasks.field.state', t(`tasks.state.${task.state}`))}
</dl>`;
}

function caseCard(view: TaskView): string {
  const t = (key: MessageKey, params?: Record<string, string>) => escapeHtml(translate(view.locale, key, params));
  const { customer, workOrder, history } = view.taskCase;
  const entry = (key: MessageKey, text: string) => `<dt>${t(key)}</dt><dd>${escapeHtml(text)}</dd>`;
  const cityName = (code: string) => CENTERS.find((c) => c.code === code)?.name ?? code;
  const customerHtml = customer
    ? `<dl class="case" id="case-customer">${entry('inbox.customer.name', customer.name)}${entry('inbox.customer.number', customerNumberFor(view.user, customer.phone) ?? '')}${entry('inbox.customer.city', cityName(customer.cityCode))}${entry('inbox.customer.vip', translate(view.locale, customer.vip ? 'formYes' : 'formNo'))}</dl>`
    : `<p class="hint">${t('inbox.noCustomer')}</p>`;
  const orderHtml = workOrder
    ? `<dl class="case" id="case-work-order">${entry('inbox.workOrder.number', workOrder.number)}${entry('inbox.workOrder.state', workOrder.state)}${entry('inbox.workOrder.deadline', workOrder.slaDeadline ? chinaTime(new Date(workOrder.slaDeadline)) : translate(view.locale, 'tasks.noDue'))}${entry('inbox.workOrder.category', workOrder.category)}</dl>`
    : `<p class="hint">${t('inbox.noWorkOrder')}</p>`;
  const steps = history.map((step) => {
    const what = step.kind === 'task' ? translate(view.locale, 'inbox.history.completedTask', { task: step.task }) : `${step.action}${step.note ? `: ${step.note}` : ''}`;
    return `<li><time>${escapeHtml(chinaTime(step.at))}</time> ${escapeHtml(step.actor)} — ${escapeHtml(what)}</li>`;
  });
  const historyHtml = steps.length > 0 ? `<ol class="history" id="case-history">${steps.join('')}</ol>` : `<p class="hint">${t('inbox.history.none')}</p>`;
  return `<aside class="card case-card"><h2>${t('inbox.case')}</h2>
<h3>${t('inbox.customer')}</h3>${customerHtml}
<h3>${t('inbox.workOrder')}</h3>${orderHtml}
<h3>${t('inbox.history')}</h3>${historyHtml}</aside>`;
}

export function taskPageBody(view: TaskView): string {
  const notice = view.notice ? `<p class="notice" role="status">${escapeHtml(view.notice)}</p>` : '';
  const error = view.error ? `<p class="error" role="alert">${escapeHtml(view.error)}</p>` : '';
  const formNote = view.formNote ? `<p class="hint form-note">${escapeHtml(view.formNote)}</p>` : '';
  return `<p><a href="/tasks">← ${escapeHtml(translate(view.locale, 'inbox.back'))}</a></p>
<h1>${escapeHtml(view.task.name)}</h1>${notice}${error}
<div class="task-layout"><section class="card">${summary(view)}${actions(view)}${formNote}${view.formHtml}</section>${caseCard(view)}</div>`;
}
