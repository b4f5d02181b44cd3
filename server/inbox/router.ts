/**
 * The task inbox: the list (/tasks), a task's form beside its case (/tasks/:jobKey), its submission and the
 * claim / unclaim / assign buttons, and the same as JSON under /api/tasks. Permission rules are the task store's;
 * its refusals become 404 / 403 / 409 / 422 pages or JSON errors.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { formDefinition, renderForm, UnknownFormActionError, UnknownFormError } from '../../forms';
import type { ServerDependencies } from '../app';
import { csrfTokenOf } from '../auth/requestContext';
import { currentUser, requireLogin, type SessionUser } from '../auth/sessionUser';
import { translate, type Locale } from '../i18n';
import { hasCenterList } from '../tasks/taskAccess';
import {
  assignTask, canAssign, canWork, claimTask, getTask, InvalidAssignee, listTasks, TaskConflict, TaskForbidden, TaskGone, TaskNotAssigned, TaskNotFound, unclaimTask,
  type Task, type TaskList,
} from '../tasks/taskStore';
import { activeTaskWorkers } from '../tasks/taskUsers';
import { escapeHtml } from '../web/layout';
import { cspNonceOf, sendPage } from '../web/sendPage';
import { caseOf } from './caseView';
import { findDraft, type DraftValues } from './drafts';
import { parseInboxQuery } from './inboxQuery';
import { listPageBody, listsOf } from './listPage';
import { chinaTime } from '../../db/chinaTime';
import { customerNumberFor, variablesFor } from './present';
import { inboxHead } from './styles';
import { submitTaskForm, type SubmissionContext } from './submission';
import { taskPageBody } from './taskPage';

type StoreRefusal = TaskNotFound | TaskForbidden | TaskConflict | TaskNotAssigned | TaskGone | InvalidAssignee;

function isRefusal(error: unknown): error is StoreRefusal {
  return [TaskNotFound, TaskForbidden, TaskConflict, TaskNotAssigned, TaskGone, InvalidAssignee].some((type) => error instanceof type);
}

function refusalMessage(locale: Locale, error: StoreRefusal): string {
  if (error instanceof TaskNotFound) return translate(locale, 'tasks.error.notFound');
  if (error instanceof TaskForbidden) return translate(locale, 'tasks.error.forbidden');
  if (error instanceof TaskConflict) return translate(locale, 'tasks.error.conflict', { assignee: error.assignee });
  if (error instanceof TaskNotAssigned) return translate(locale, 'tasks.error.notAssigned');
  if (error instanceof InvalidAssignee) return translate(locale, 'tasks.error.invalidAssignee', { assignee: error.assignee });
  return translate(locale, 'tasks.error.gone');
}

function defaultListOf(user: SessionUser): TaskList {
  if (user.groups.length > 0) return 'groups';
  return hasCenterList(user) ? 'center' : 'mine';
}

const DONE_FLASH = { claim: 'claimed', unclaim: 'unclaimed', assign: 'assigned' } as const;

const FLASHES = { completed: 'tasks.completed', claimed: 'tasks.claimed', unclaimed: 'tasks.unclaimed', assigned: 'tasks.assigned' } as const;

function flashOf(request: Request, params: Record<string, string> = {}): string | undefined {
  const flash = request.query.flash;
  return typeof flash === 'string' && flash in FLASHES ? translate(request.locale, FLASHES[flash as keyof typeof FLASHES], params) : undefined;
}

/** A task as the API shows it: customer numbers masked for roles that only audit. */
function taskJson(user: SessionUser, task: Task) {
  return { ...task, customerNumber: customerNumberFor(user, task.customerNumber), variables: variablesFor(user, task.variables) };
}

const jobKeyParam = (request: Request): string => String(request.params.jobKey);

interface TaskPageState {
  status?: number;
  notice?: string;
  error?: string;
  values?: DraftValues;
  errors?: Record<string, string>;
}

export function inboxRouter(deps: ServerDependencies): Router {
  const { knex, zbc } = deps;
  const router = express.Router();
  const context = (request: Request): SubmissionContext => ({ knex, zbc, user: currentUser(request), locale: request.locale, now: deps.now() });

  async function showTask(request: Request, response: Response, task: Task, state: TaskPageState = {}): Promise<void> {
    const user = currentUser(request);
    const { locale } = request;
    const asRow = { candidate_groups: task.candidateGroups, assignee: task.assignee, center_code: task.centerCode };
    const open = task.state === 'open';
    const editable = open && task.assignee === user.username && canWork(user, asRow);
    const draft = state.values === undefined && editable ? await findDraft(knex, task.jobKey, user.username) : undefined;
    const values = state.values ?? draft?.values ?? task.variables;
    const shownVariables = variablesFor(user, task.variables);
    const formHtml =
      task.formKey !== null && formDefinition(task.formKey) !== undefined
        ? renderForm(task.formKey, {
            locale,
            actionUrl: `/tasks/${task.jobKey}`,
            csrfToken: csrfTokenOf(request),
            values: editable ? values : shownVariables,
            errors: state.errors,
            context: shownVariables,
            readOnly: !editable,
          })
        : `<p class="hint">${escapeHtml(translate(locale, 'inbox.error.noForm'))}</p>`;
    const formNote = editable
      ? draft && translate(locale, 'inbox.draftFrom', { time: chinaTime(draft.savedAt) })
      : translate(locale, !open ? 'inbox.notOpen' : canWork(user, asRow) ? 'inbox.claimToWork' : 'inbox.readOnly');
    const mayAssign = open && canAssign(user, asRow);
    const assignees = mayAssign ? (await activeTaskWorkers(knex)).filter((w) => w.groups.some((g) => task.candidateGroups.includes(g))) : undefined;
    sendPage(request, response, {
      status: state.status,
      title: task.name,
      nav: 'tasks',
      head: inboxHead(cspNonceOf(response)),
      body: taskPageBody({
        locale, user, now: deps.now(), csrfToken: csrfTokenOf(request), task, taskCase: await caseOf(knex, task), formHtml, formNote,
        canClaim: open && task.assignee === null && canWork(user, asRow),
        canUnclaim: open && task.assignee !== null && (task.assignee === user.username || canAssign(user, asRow)),
        assignees, notice: state.notice, error: state.error,
      }),
    });
  }

  function showError(request: Request, response: Response, status: number, message: string): void {
    sendPage(request, response, {
      status,
      title: translate(request.locale, 'inbox.error.title'),
      nav: 'tasks',
      body: `<h1>${escapeHtml(translate(request.locale, 'inbox.error.title'))}</h1><p class="error" role="alert">${escapeHtml(message)}</p><p><a href="/tasks">${escapeHtml(translate(request.locale, 'inbox.back'))}</a></p>`,
    });
  }

  /** Runs a page handler; a refusal of the store shows the task again with the message (or a 404 page). */
  const page = (handler: (request: Request, response: Response) => Promise<void>) => async (request: Request, response: Response, next: express.NextFunction) => {
    try {
      await handler(request, response);
    } catch (error) {
      if (!isRefusal(error) && !(error instanceof UnknownFormError)) return next(error);
      const message = isRefusal(error) ? refusalMessage(request.locale, error) : translate(request.locale, 'tasks.error.notFound');
      const status = isRefusal(error) ? error.status : 404;
      if (status === 404) return showError(request, response, 404, message);
      try {
        await showTask(request, response, await getTask(knex, currentUser(request), jobKeyParam(request)), { status, error: message });
      } catch (again) {
        next(again);
      }
    }
  };

  const api = (handler: (request: Request, response: Response) => Promise<void>) => async (request: Request, response: Response, next: express.NextFunction) => {
    try {
      await handler(request, response);
    } catch (error) {
      if (isRefusal(error)) {
        response.status(error.status).json({ error: error.name, message: refusalMessage(request.locale, error) });
      } else if (error instanceof UnknownFormActionError) {
        response.status(400).json({ error: 'UnknownFormAction', message: translate(request.locale, 'inbox.error.badAction') });
      } else next(error);
    }
  };

  router.get('/tasks', requireLogin, page(async (request, response) => {
    const user = currentUser(request);
    const parsed = parseInboxQuery(request.query, request.locale, defaultListOf(user));
    const lists = listsOf(hasCenterList(user));
    const head = inboxHead(cspNonceOf(response));
    const title = translate(request.locale, 'tasks.title');
    if (!parsed.ok) {
      const body = listPageBody({ locale: request.locale, user, now: deps.now(), lists, query: { list: defaultListOf(user) }, params: {}, errors: parsed.errors });
      return sendPage(request, response, { status: 400, title, nav: 'tasks', head, body });
    }
    const now = deps.now();
    const result = await listTasks(knex, user, parsed.query, now);
    const body = listPageBody({ locale: request.locale, user, now, lists, query: parsed.query, params: parsed.params, page: result, notice: flashOf(request) });
    sendPage(request, response, { title, nav: 'tasks', head, body });
  }));

  router.get('/tasks/:jobKey', requireLogin, page(async (request, response) => {
    const task = await getTask(knex, currentUser(request), jobKeyParam(request));
    await showTask(request, response, task, { notice: flashOf(request, { assignee: task.assignee ?? '' }) });
  }));

  router.post('/tasks/:jobKey', requireLogin, page(async (request, response) => {
    const ctx = context(request);
    const task = await getTask(knex, ctx.user, jobKeyParam(request));
    const body = request.body as Record<string, unknown>;
    const action = typeof body.action === 'string' ? body.action : '';
    let outcome;
    try {
      outcome = await submitTaskForm(ctx, task, action, body);
    } catch (error) {
      if (error instanceof UnknownFormActionError) return showTask(request, response, task, { status: 400, error: translate(request.locale, 'inbox.error.badAction') });
      throw error;
    }
    if (outcome.kind === 'done') return response.redirect(303, '/tasks?flash=completed');
    if (outcome.kind === 'draft-saved') return showTask(request, response, task, { notice: translate(request.locale, 'inbox.draftSaved') });
    await showTask(request, response, task, { status: 422, values: outcome.values, errors: outcome.errors });
  }));

  const assigneeBody = z.object({ assignee: z.string().min(1).max(100) });

  router.post('/tasks/:jobKey/:action(claim|unclaim|assign)', requireLogin, page(async (request, response) => {
    const ctx = context(request);
    const jobKey = jobKeyParam(request);
    const action = request.params.action;
    if (action === 'claim') await claimTask(knex, ctx.user, jobKey, ctx.now);
    else if (action === 'unclaim') await unclaimTask(knex, ctx.user, jobKey, ctx.now);
    else {
      const parsed = assigneeBody.safeParse(request.body);
      if (!parsed.success) throw new InvalidAssignee('', 'no assignee chosen');
      await assignTask(knex, ctx.user, jobKey, parsed.data.assignee, ctx.now);
    }
    response.redirect(303, `/tasks/${jobKey}?flash=${DONE_FLASH[action as keyof typeof DONE_FLASH]}`);
  }));

  router.get('/api/tasks', requireLogin, api(async (request, response) => {
    const user = currentUser(request);
    const parsed = parseInboxQuery(request.query, request.locale, defaultListOf(user));
    if (!parsed.ok) {
      response.status(400).json({ error: 'InvalidQuery', message: translate(request.locale, 'inbox.badQuery'), fields: parsed.errors });
      return;
    }
    const result = await listTasks(knex, user, parsed.query, deps.now());
    response.json({ tasks: result.tasks.map((t) => taskJson(user, t)), total: result.total, totalIsExact: result.totalIsExact, counts: result.counts, query: parsed.params });
  }));

  router.get('/api/tasks/:jobKey', requireLogin, api(async (request, response) => {
    const user = currentUser(request);
    response.json(taskJson(user, await getTask(knex, user, jobKeyParam(request))));
  }));

  router.post('/api/tasks/:jobKey/:action(claim|unclaim|assign)', requireLogin, api(async (request, response) => {
    const ctx = context(request);
    const jobKey = jobKeyParam(request);
    const action = request.params.action;
    if (action === 'assign') {
      const parsed = assigneeBody.safeParse(request.body);
      if (!parsed.success) {
        response.status(422).json({ error: 'InvalidAssignee', message: translate(request.locale, 'inbox.error.badRequest'), fields: { assignee: parsed.error.issues[0]?.message } });
        return;
      }
      response.json(taskJson(ctx.user, await assignTask(knex, ctx.user, jobKey, parsed.data.assignee, ctx.now)));
      return;
    }
    const task = action === 'claim' ? await claimTask(knex, ctx.user, jobKey, ctx.now) : await unclaimTask(knex, ctx.user, jobKey, ctx.now);
    response.json(taskJson(ctx.user, task));
  }));

  // Values as a form would send them: strings, lists of strings; numbers and booleans are taken as their text.
  const completeBody = z.object({
    action: z.string().max(100).default('complete'),
    values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).transform((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v))).default({}),
  });

  router.post('/api/tasks/:jobKey/complete', requireLogin, api(async (request, response) => {
    const ctx = context(request);
    const parsed = completeBody.safeParse(request.body);
    if (!parsed.success) {
      response.status(400).json({ error: 'InvalidBody', message: translate(request.locale, 'inbox.error.badRequest'), fields: Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message])) });
      return;
    }
    const task = await getTask(knex, ctx.user, jobKeyParam(request));
    const outcome = await submitTaskForm(ctx, task, parsed.data.action, parsed.data.values);
    if (outcome.kind === 'invalid') {
      response.status(422).json({ error: 'ValidationFailed', message: translate(request.locale, 'inbox.error.validation'), fields: outcome.errors });
      return;
    }
    response.json({ outcome: outcome.kind });
  }));

  return router;
}

