/**
 * User administration (role admin): list users, create one, change their roles and centers, reset the password
 * (a temporary one the user must replace) and unlock. Every change goes to the audit log.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { ServerDependencies } from '../app';
import { recordAudit } from '../auth/audit';
import { temporaryPassword } from '../auth/passwords';
import { csrfTokenOf } from '../auth/requestContext';
import { endSessionsOf } from '../auth/sessions';
import { currentUser, requireRole, ROLES } from '../auth/sessionUser';
import { accessOf, accessOfUsers, createUser, findUserById, findUserByUsername, replaceAccess, setPassword, unlockUser, type UserRow } from '../auth/users';
import { translate, type Locale, type MessageKey } from '../i18n';
import { csrfField, fieldError, invalidAttributes } from '../web/forms';
import { escapeHtml } from '../web/layout';
import { sendPage } from '../web/sendPage';
import { parseAccess, parseNewUser, type FieldErrors } from './userForm';

interface Center {
  code: string;
  name: string;
}

type Notice = { text: string; kind: 'notice' | 'error' };

const userId = z.coerce.number().int().positive().max(2 ** 31 - 1);

function asList(value: unknown): string[] {
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);
}

function checkboxes(name: string, options: { value: string; label: string }[], checked: readonly string[], error: string | undefined): string {
  const boxes = options
    .map((o) => `<label><input type="checkbox" name="${name}" value="${escapeHtml(o.value)}"${checked.includes(o.value) ? ' checked' : ''}> ${escapeHtml(o.label)}</label>`)
    .join('');
  return `<div${invalidAttributes(name, error)}>${boxes}</div>${fieldError(name, error)}`;
}

export function adminRouter(deps: ServerDependencies): Router {
  const { knex } = deps;
  const router = express.Router();
  router.use('/admin', requireRole('admin'));

  const centers = (): Promise<Center[]> => knex('centers').orderBy('code').select('code', 'name');

  function roleOptions(locale: Locale) {
    return ROLES.map((role) => ({ value: role, label: translate(locale, `role.${role}` as MessageKey) }));
  }

  function audit(request: Request, action: string, target: string, detail: Record<string, unknown> = {}) {
    return recordAudit(knex, { actor: currentUser(request).username, action, target, detail, ip: request.ip ?? null, at: deps.now() });
  }

  function notice(n: Notice | undefined): string {
    return n ? `<p class="${n.kind}" role="${n.kind === 'error' ? 'alert' : 'status'}">${escapeHtml(n.text)}</p>` : '';
  }

  async function listPage(request: Request, response: Response, form: { values?: Record<string, unknown>; errors?: FieldErrors; notice?: Notice; status?: number } = {}) {
    const locale = request.locale;
    const t = (key: MessageKey) => escapeHtml(translate(locale, key));
    const message = (field: string) => (form.errors?.[field] ? translate(locale, form.errors[field]) : undefined);
    const users: UserRow[] = await knex('users').orderBy('username');
    const access = await accessOfUsers(knex, users.map((user) => user.id));
    const allCenters = await centers();
    const rows = users
      .map((user) => {
        const { roles: userRoles, centers: userCenters } = access.get(user.id)!;
        const roles = userRoles.map((role) => t(`role.${role}` as MessageKey));
        const status = [user.locked_at ? t('admin.lockedStatus') : t('admin.active'), user.must_change_password ? t('admin.mustChange') : '']
          .filter(Boolean)
          .join('，');
        return `<tr data-username="${escapeHtml(user.username)}"><td><a href="/admin/users/${user.id}">${escapeHtml(user.username)}</a></td><td>${escapeHtml(user.display_name)}</td><td>${escapeHtml(user.email ?? '')}</td><td>${roles.join('、')}</td><td>${escapeHtml(userCenters.join(', '))}</td><td>${status}</td></tr>`;
      })
      .join('');
    const values = form.values ?? {};
    const text = (field: string, type: string, label: MessageKey, autocomplete = 'off') =>
      `<label for="${field}">${t(label)}</label><input type="${type}" id="${field}" name="${field}" autocomplete="${autocomplete}" value="${type === 'password' ? '' : escapeHtml(String(values[field] ?? ''))}"${invalidAttributes(field, message(field))}>${fieldError(field, message(field))}`;
    const locales = (['zh-CN', 'en'] as const)
      .map((l) => `<option value="${l}"${values.locale === l ? ' selected' : ''}>${l === 'en' ? 'English' : '中文'}</option>`)
      .join('');
    const hasErrors = form.errors && Object.keys(form.errors).length > 0;
    sendPage(request, response, {
      title: translate(locale, 'admin.usersTitle'),
      nav: 'admin',
      status: form.status,
      body: `<h1>${t('admin.usersTitle')}</h1>${notice(form.notice)}
<table id="users"><thead><tr><th>${t('auth.username')}</th><th>${t('admin.displayName')}</th><th>${t('admin.email')}</th><th>${t('admin.roles')}</th><th>${t('admin.centers')}</th><th>${t('admin.status')}</th></tr></thead><tbody>${rows}</tbody></table>
<h2>${t('admin.createUser')}</h2>
<form method="post" action="/admin/users" class="card narrow" id="create-user">${csrfField(csrfTokenOf(request))}
${hasErrors ? `<p class="error" role="alert">${t('admin.formErrors')}</p>` : ''}
${text('username', 'text', 'auth.username')}
${text('displayName', 'text', 'admin.displayName')}
${text('email', 'email', 'admin.email')}
${text('password', 'password', 'admin.initialPassword', 'new-password')}
<p class="hint">${t('auth.passwordRule')}</p>
<label for="locale">${t('admin.locale')}</label><select id="locale" name="locale">${locales}</select>
<fieldset><legend>${t('admin.roles')}</legend>${checkboxes('roles', roleOptions(locale), asList(values.roles), message('roles'))}</fieldset>
<fieldset><legend>${t('admin.centers')}</legend>${checkboxes('centers', allCenters.map((c) => ({ value: c.code, label: `${c.code} ${c.name}` })), asList(values.centers), message('centers'))}</fieldset>
<p><button type="submit">${t('admin.create')}</button></p>
</form>`,
    });
  }

  async function userPage(request: Request, response: Response, user: UserRow, form: { values?: { roles: string[]; centers: string[] }; errors?: FieldErrors; notice?: Notice; status?: number } = {}) {
    const locale = request.locale;
    const t = (key: MessageKey) => escapeHtml(translate(locale, key));
    const message = (field: string) => (form.errors?.[field] ? translate(locale, form.errors[field]) : undefined);
    const access = form.values ?? (await accessOf(knex, user.id));
    const allCenters = await centers();
    const csrf = csrfField(csrfTokenOf(request));
    const status = user.locked_at ? t('admin.lockedStatus') : t('admin.active');
    sendPage(request, response, {
      title: `${translate(locale, 'admin.usersTitle')} · ${user.username}`,
      nav: 'admin',
      status: form.status,
      body: `<p><a href="/admin/users">← ${t('admin.usersTitle')}</a></p>
<h1>${escapeHtml(user.display_name)} (${escapeHtml(user.username)})</h1>${notice(form.notice)}
<dl><dt>${t('admin.email')}</dt><dd>${escapeHtml(user.email ?? '')}</dd><dt>${t('admin.status')}</dt><dd id="status">${status}${user.must_change_password ? `，${t('admin.mustChange')}` : ''}</dd></dl>
<form method="post" action="/admin/users/${user.id}/access" class="card" id="access">${csrf}
<fieldset><legend>${t('admin.roles')}</legend>${checkboxes('roles', roleOptions(locale), access.roles, message('roles'))}</fieldset>
<fieldset><legend>${t('admin.centers')}</legend>${checkboxes('centers', allCenters.map((c) => ({ value: c.code, label: `${c.code} ${c.name}` })), access.centers, message('centers'))}</fieldset>
<p><button type="submit">${t('admin.saveAccess')}</button></p>
</form>
<form method="post" action="/admin/users/${user.id}/reset-password" class="inline">${csrf}<button type="submit" class="secondary">${t('admin.resetPassword')}</button></form>
${user.locked_at ? `<form method="post" action="/admin/users/${user.id}/unlock" class="inline">${csrf}<button type="submit" class="secondary">${t('admin.unlock')}</button></form>` : ''}`,
    });
  }

  /** The user named by `:id`, or a 404 page. */
  async function targetUser(request: Request, response: Response): Promise<UserRow | undefined> {
    const id = userId.safeParse(request.params.id);
    const user = id.success ? await findUserById(knex, id.data) : undefined;
    if (!user) response.status(404).type('text').send(translate(request.locale, 'admin.noSuchUser'));
    return user;
  }

  const handle =
    (action: (request: Request, response: Response) => Promise<void>) =>
    (request: Request, response: Response, next: (error?: unknown) => void) =>
      action(request, response).catch(next);

  router.get('/admin', (_request, response) => response.redirect('/admin/users'));
  router.get('/admin/users', handle((request, response) => listPage(request, response)));

  router.post(
    '/admin/users',
    handle(async (request, response) => {
      const known = (await centers()).map((c) => c.code);
      const parsed = parseNewUser(request.body, known);
      const values = request.body as Record<string, unknown>;
      if (!parsed.ok) return listPage(request, response, { values, errors: parsed.errors, status: 400 });
      const input = parsed.value;
      if (await findUserByUsername(knex, input.username)) {
        return listPage(request, response, { values, errors: { username: 'admin.usernameTaken' }, status: 400 });
      }
      await createUser(knex, { ...input, mustChangePassword: true, now: deps.now() });
      await audit(request, 'admin.user.create', input.username, { roles: input.roles, centers: input.centers });
      await listPage(request, response, { notice: { kind: 'notice', text: translate(request.locale, 'admin.userCreated', { username: input.username }) } });
    }),
  );

  router.get(
    '/admin/users/:id',
    handle(async (request, response) => {
      const user = await targetUser(request, response);
      if (user) await userPage(request, response, user);
    }),
  );

  router.post(
    '/admin/users/:id/access',
    handle(async (request, response) => {
      const user = await targetUser(request, response);
      if (!user) return;
      const parsed = parseAccess(request.body, (await centers()).map((c) => c.code));
      if (!parsed.ok) {
        const body = request.body as Record<string, unknown>;
        return userPage(request, response, user, { values: { roles: asList(body.roles), centers: asList(body.centers) }, errors: parsed.errors, status: 400 });
      }
      const before = await accessOf(knex, user.id);
      await replaceAccess(knex, user.id, parsed.value.roles, parsed.value.centers);
      await audit(request, 'admin.user.access', user.username, { before, after: parsed.value });
      await userPage(request, response, user, { notice: { kind: 'notice', text: translate(request.locale, 'admin.accessSaved', { username: user.username }) } });
    }),
  );

  router.post(
    '/admin/users/:id/reset-password',
    handle(async (request, response) => {
      const user = await targetUser(request, response);
      if (!user) return;
      const password = temporaryPassword();
      await setPassword(knex, user.id, password, { temporary: true, now: deps.now() });
      await endSessionsOf(knex, user.id);
      await audit(request, 'admin.user.reset-password', user.username);
      const text = translate(request.locale, 'admin.passwordReset', { username: user.username, password });
      await userPage(request, response, (await findUserById(knex, user.id))!, { notice: { kind: 'notice', text } });
    }),
  );

  router.post(
    '/admin/users/:id/unlock',
    handle(async (request, response) => {
      const user = await targetUser(request, response);
      if (!user) return;
      await unlockUser(knex, user.id);
      await audit(request, 'admin.user.unlock', user.username);
      const text = translate(request.locale, 'admin.unlocked', { username: user.username });
      await userPage(request, response, (await findUserById(knex, user.id))!, { notice: { kind: 'notice', text } });
    }),
  );

  return router;
}
