/** The inbox list page: tabs with counts, the filter form, the table of tasks and paging. */
import { CENTERS } from '../../db/seed/centers';
import { PROCESSES, processName } from '../../processes/catalogue';
import type { SessionUser } from '../auth/sessionUser';
import { translate, type Locale, type MessageKey } from '../i18n';
import { escapeHtml } from '../web/layout';
import { fieldError } from '../web/forms';
import { TASK_LISTS, type Task, type TaskList, type TaskPage, type TaskQuery } from '../tasks/taskStore';
import { chinaTime } from '../../db/chinaTime';
import { customerNumberFor, urgencyOf } from './present';

export interface ListView {
  locale: Locale;
  user: SessionUser;
  now: Date;
  /** The lists the user has (the center list only for team leads, supervisors and auditors). */
  lists: readonly TaskList[];
  query: TaskQuery;
  params: Record<string, string>;
  page?: TaskPage;
  errors?: Record<string, string>;
  notice?: string;
}

const PAGE_SIZE_CHOICES = [10, 25, 50, 100];

function href(params: Record<string, string>, change: Record<string, string | undefined>): string {
  const next = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...params, ...change })) if (value !== undefined && value !== '') next.set(name, value);
  const text = next.toString();
  return text ? `/tasks?${text}` : '/tasks';
}

function options(choices: readonly { value: string; label: string }[], chosen: string | undefined, anyLabel?: string): string {
  const any = anyLabel === undefined ? '' : `<option value="">${escapeHtml(anyLabel)}</option>`;
  return any + choices.map((c) => `<option value="${escapeHtml(c.value)}"${c.value === chosen ? ' selected' : ''}>${escapeHtml(c.label)}</option>`).join('');
}

function filterForm(view: ListView): string {
  const t = (key: MessageKey) => translate(view.locale, key);
  const p = view.params;
  const errors = view.errors ?? {};
  const any = t('inbox.filter.any');
  const labelled = (name: string, label: string, control: string) =>
    `<label for="filter-${name}">${escapeHtml(label)}<br>${control}${fieldError(`filter-${name}`, errors[name])}</label>`;
  const input = (name: string, type: string) => `<input type="${type}" id="filter-${name}" name="${name}" value="${escapeHtml(p[name] ?? '')}">`;
  const select = (name: string, choices: { value: string; label: string }[], anyLabel?: string) =>
    `<select id="filter-${name}" name="${name}">${options(choices, p[name], anyLabel)}</select>`;
  return `<form method="get" action="/tasks" class="filters card" aria-label="${escapeHtml(t('tasks.filter.apply'))}">
<input type="hidden" name="list" value="${escapeHtml(view.query.list)}">
${labelled('process', t('tasks.filter.process'), select('process', PROCESSES.map((x) => ({ value: x.id, label: x.name })), any))}
${labelled('center', t('tasks.filter.center'), select('center', CENTERS.map((c) => ({ value: c.code, label: c.name })), any))}
${labelled('priority', t('tasks.filter.priority'), select('priority', [1, 2, 3].map((n) => ({ value: String(n), label: t(`tasks.priority.${n}` as MessageKey) })), any))}
${labelled('due', t('tasks.filter.due'), select('due', (['overdue', 'today', 'week'] as const).map((d) => ({ value: d, label: t(`tasks.filter.due.${d}`) })), any))}
${labelled('createdFrom', t('tasks.filter.createdFrom'), input('createdFrom', 'date'))}
${labelled('createdTo', t('tasks.filter.createdTo'), input('createdTo', 'date'))}
${labelled('customerNumber', t('tasks.filter.customerNumber'), input('customerNumber', 'text'))}
${labelled('sort', t('tasks.sort'), select('sort', (['due', 'created', 'priority'] as const).map((s) => ({ value: s, label: t(`tasks.sort.${s}`) }))))}
${labelled('order', t('tasks.sort'), select('order', (['asc', 'desc'] as const).map((o) => ({ value: o, label: t(`tasks.order.${o}`) })), '—'))}
${labelled('pageSize', t('inbox.pageSize'), select('pageSize', PAGE_SIZE_CHOICES.map((n) => ({ value: String(n), label: String(n) })), '25'))}
${fieldError('filter-page', errors.page)}${fieldError('filter-list', errors.list)}
<button type="submit">${escapeHtml(t('tasks.filter.apply'))}</button> <a href="${href({ list: view.query.list }, {})}">${escapeHtml(t('tasks.filter.reset'))}</a>
</form>`;
}

function tabs(view: ListView): string {
  const links = view.lists.map((list) => {
    const active = list === view.query.list;
    const count = view.page ? `<span class="count" data-count="${list}">${view.page.counts[list]}</span>` : '';
    return `<a href="${escapeHtml(href(view.params, { list, page: undefined }))}" data-list="${list}"${active ? ' class="active" aria-current="page"' : ''}>${escapeHtml(translate(view.locale, `tasks.list.${list}`))}${count}</a>`;
  });
  return `<nav class="tabs">${links.join('')}</nav>`;
}

function row(view: ListView, task: Task): string {
  const t = (key: MessageKey) => translate(view.locale, key);
  const due = task.dueAt
    ? `<span class="due-${urgencyOf(task.dueAt, view.now)}">${escapeHtml(chinaTime(task.dueAt))}</span>`
    : escapeHtml(t('tasks.noDue'));
  const process = processName(task.bpmnProcessId);
  return `<tr data-job-key="${escapeHtml(task.jobKey)}" data-form-key="${escapeHtml(task.formKey ?? '')}">
<td><a href="/tasks/${escapeHtml(task.jobKey)}">${escapeHtml(task.name)}</a></td>
<td>${escapeHtml(process)}</td>
<td>${escapeHtml(task.workOrderNumber ?? '')}</td>
<td class="customer-number">${escapeHtml(customerNumberFor(view.user, task.customerNumber) ?? '')}</td>
<td>${escapeHtml(task.candidateGroups.join(', '))}</td>
<td class="assignee">${escapeHtml(task.assignee ?? t('tasks.unassigned'))}</td>
<td>${escapeHtml(t(`tasks.priority.${task.priority}` as MessageKey))}</td>
<td>${due}</td>
<td>${escapeHtml(chinaTime(task.createdAt))}</td>
</tr>`;
}

function table(view: ListView, page: TaskPage): string {
  const t = (key: MessageKey) => escapeHtml(translate(view.locale, key));
  if (page.tasks.length === 0) return `<p class="empty">${t('tasks.empty')}</p>`;
  const head = (['tasks.field.name', 'tasks.field.process', 'tasks.field.workOrder', 'tasks.field.customerNumber', 'tasks.field.candidateGroups', 'tasks.field.assignee', 'tasks.filter.priority', 'tasks.field.due', 'tasks.field.created'] as const)
    .map((key) => `<th>${t(key)}</th>`)
    .join('');
  return `<table class="tasks"><thead><tr>${head}</tr></thead><tbody>${page.tasks.map((task) => row(view, task)).join('')}</tbody></table>`;
}

function pager(view: ListView, page: TaskPage): string {
  const size = view.query.pageSize ?? 25;
  const current = view.query.page ?? 1;
  const pages = Math.max(1, Math.ceil(page.total / size));
  // A filtered list counted only so far reads "1,000+": there are more pages than the count shows.
  const atLeast = (n: number) => (page.totalIsExact ? String(n) : `${n}+`);
  const t = (key: MessageKey, params?: Record<string, string | number>) => escapeHtml(translate(view.locale, key, params));
  const previous = current > 1 ? `<a rel="prev" href="${escapeHtml(href(view.params, { page: String(current - 1) }))}">${t('tasks.previous')}</a>` : '';
  const hasNext = current < pages || (!page.totalIsExact && page.tasks.length === size);
  const next = hasNext ? `<a rel="next" href="${escapeHtml(href(view.params, { page: String(current + 1) }))}">${t('tasks.next')}</a>` : '';
  return `<div class="pager">${previous}<span>${t('tasks.page', { page: current, pages: atLeast(pages) })} · ${t('tasks.total', { total: atLeast(page.total) })}</span>${next}</div>`;
}

function legend(locale: Locale): string {
  const t = (key: MessageKey) => escapeHtml(translate(locale, key));
  return `<p class="legend hint">${t('inbox.urgency.legend')} <span class="due-overdue">${t('inbox.urgency.overdue')}</span><span class="due-soon">${t('inbox.urgency.soon')}</span><span class="due-later">${t('inbox.urgency.later')}</span></p>`;
}

export function listPageBody(view: ListView): string {
  const notice = view.notice ? `<p class="notice" role="status">${escapeHtml(view.notice)}</p>` : '';
  const errors = view.errors && Object.keys(view.errors).length > 0 ? `<p class="error" role="alert">${escapeHtml(translate(view.locale, 'inbox.badQuery'))}</p>` : '';
  const content = view.page ? `${table(view, view.page)}${pager(view, view.page)}` : '';
  return `<h1>${escapeHtml(translate(view.locale, 'tasks.title'))}</h1>${notice}${errors}${tabs(view)}${filterForm(view)}${legend(view.locale)}${content}`;
}

/** The lists a user has: the center list only where the store serves it. */
export function listsOf(hasCenterList: boolean): readonly TaskList[] {
  return hasCenterList ? TASK_LISTS : TASK_LISTS.filter((l) => l !== 'center');
}
