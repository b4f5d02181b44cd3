/**
 * Sign-in, sign-out and password change (spec 9.2.3): generic failure message (no user enumeration), lock after
 * MAX_FAILED_LOGINS failures, a new session id at every sign-in, and a forced password change when the password
 * is older than PASSWORD_MAX_AGE_DAYS or was set by an administrator. Everything is written to the audit log.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { translate, type MessageKey } from '../i18n';
import { csrfField, fieldError, invalidAttributes } from '../web/forms';
import { escapeHtml } from '../web/layout';
import { sendPage } from '../web/sendPage';
import { recordAudit } from './audit';
import { PASSWORD_MAX_LENGTH, passwordRuleViolation, verifyPassword } from './passwords';
import { csrfTokenOf, cookieOptions, passwordChangeRequired, sessionTokenOf } from './requestContext';
import { createSession, endSession, SESSION_COOKIE, type SessionPolicy } from './sessions';
import { currentUser, requireLogin } from './sessionUser';
import { findUserById, findUserByUsername, passwordChangeDue, recordFailedLogin, recordSuccessfulLogin, setPassword } from './users';
import { isApiRequest } from '../web/apiRequest';

export interface AuthDependencies {
  knex: Knex;
  now: () => Date;
  policy: SessionPolicy;
}

const loginForm = z.object({
  username: z.string().max(200).transform((name) => name.trim().toLowerCase()),
  password: z.string().max(PASSWORD_MAX_LENGTH * 4),
  next: z.string().max(2000).optional(),
});

const passwordForm = z.object({
  currentPassword: z.string().max(PASSWORD_MAX_LENGTH * 4),
  newPassword: z.string().max(PASSWORD_MAX_LENGTH * 4),
  confirmPassword: z.string().max(PASSWORD_MAX_LENGTH * 4),
});

/** Only a path of this site: `/x` but not `//host` or `/\host`, which browsers treat as another origin. */
function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : '/';
}

function loginPage(request: Request, response: Response, options: { username?: string; next?: string; message?: MessageKey; status?: number }): void {
  const t = (key: MessageKey) => escapeHtml(translate(request.locale, key));
  const query = request.query;
  const notice = options.message ?? (query.expired ? 'auth.sessionExpired' : query.out ? 'auth.signedOut' : undefined);
  const noticeClass = options.message ? 'error' : 'notice';
  const next = options.next ?? (typeof query.next === 'string' ? query.next : '');
  sendPage(request, response, {
    title: translate(request.locale, 'auth.loginTitle'),
    status: options.status,
    body: `<h1>${t('auth.loginTitle')}</h1>
${notice ? `<p class="${noticeClass}" role="alert">${t(notice)}</p>` : ''}
<form method="post" action="/login" class="card narrow">${csrfField(csrfTokenOf(request))}
<input type="hidden" name="next" value="${escapeHtml(next)}">
<label for="username">${t('auth.username')}</label><input type="text" id="username" name="username" autocomplete="username" required value="${escapeHtml(options.username ?? '')}">
<label for="password">${t('auth.password')}</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<p><button type="submit">${t('auth.signIn')}</button></p>
</form>`,
  });
}

type PasswordErrors = Partial<Record<'currentPassword' | 'newPassword' | 'confirmPassword', MessageKey>>;

function passwordPage(request: Request, response: Response, options: { errors?: PasswordErrors; done?: boolean; status?: number } = {}): void {
  const t = (key: MessageKey) => escapeHtml(translate(request.locale, key));
  const errors = options.errors ?? {};
  const field = (name: keyof PasswordErrors, label: MessageKey, autocomplete: string) => {
    const message = errors[name] && translate(request.locale, errors[name]);
    return `<label for="${name}">${t(label)}</label><input type="password" id="${name}" name="${name}" autocomplete="${autocomplete}" required${invalidAttributes(name, message)}>${fieldError(name, message)}`;
  };
  const banner = options.done
    ? `<p class="notice" role="status">${t('auth.passwordChanged')}</p>`
    : passwordChangeRequired(request)
      ? `<p class="error" role="alert">${t('auth.passwordExpired')}</p>`
      : '';
  sendPage(request, response, {
    title: translate(request.locale, 'auth.passwordTitle'),
    status: options.status,
    body: `<h1>${t('auth.passwordTitle')}</h1>${banner}
<form method="post" action="/password" class="card narrow">${csrfField(csrfTokenOf(request))}
${field('currentPassword', 'auth.currentPassword', 'current-password')}
${field('newPassword', 'auth.newPassword', 'new-password')}
<p class="hint">${t('auth.passwordRule')}</p>
${field('confirmPassword', 'auth.confirmPassword', 'new-password')}
<p><button type="submit">${t('auth.changePassword')}</button></p>
</form>`,
  });
}

/** While a password change is due, only the password page, sign-out and the session API are reachable. */
export function requireCurrentPassword(request: Request, response: Response, next: () => void): void {
  if (!request.user || !passwordChangeRequired(request)) return next();
  if (['/password', '/logout', '/api/session'].includes(request.path)) return next();
  if (isApiRequest(request)) {
    response.status(403).json({ error: 'password change required', message: translate(request.locale, 'auth.passwordExpired') });
    return;
  }
  response.redirect('/password');
}

export function authRouter(deps: AuthDependencies): Router {
  const router = express.Router();
  const { knex } = deps;

  router.get('/login', (request, response) => {
    if (request.user) return response.redirect(safeNext(typeof request.query.next === 'string' ? request.query.next : undefined));
    loginPage(request, response, {});
  });

  router.post('/login', async (request, response, next) => {
    try {
      const parsed = loginForm.safeParse(request.body);
      if (!parsed.success) return loginPage(request, response, { message: 'auth.badCredentials', status: 400 });
      const { username, password } = parsed.data;
      const now = deps.now();
      const ip = request.ip ?? null;
      const user = username ? await findUserByUsername(knex, username) : undefined;
      const passwordOk = await verifyPassword(password, user?.password_hash);
      const refuse = async (reason: string, message: MessageKey = 'auth.badCredentials') => {
        await recordAudit(knex, { actor: null, action: 'login.failure', target: username, detail: { reason }, ip, at: now });
        loginPage(request, response, { username, next: parsed.data.next, message, status: 401 });
      };
      if (!user || !user.active) return await refuse(user ? 'inactive' : 'unknown-user');
      // A locked account says so only to whoever knows its password, so the message reveals nothing to a guesser.
      if (user.locked_at) return await refuse('locked', passwordOk ? 'auth.locked' : 'auth.badCredentials');
      if (!passwordOk) {
        const locked = await recordFailedLogin(knex, user.id, now);
        if (locked) await recordAudit(knex, { actor: null, action: 'login.lock', target: username, detail: { failedLogins: user.failed_logins + 1 }, ip, at: now });
        return await refuse('wrong-password');
      }
      await recordSuccessfulLogin(knex, user.id);
      // A new session id at every sign-in: a session id planted before sign-in is worth nothing afterwards.
      const previous = sessionTokenOf(request);
      if (previous) await endSession(knex, previous);
      const { token } = await createSession(knex, user.id, now, deps.policy);
      response.cookie(SESSION_COOKIE, token, cookieOptions(request));
      await recordAudit(knex, { actor: user.username, action: 'login.success', target: user.username, ip, at: now });
      response.redirect(303, passwordChangeDue(user, now) ? '/password' : safeNext(parsed.data.next));
    } catch (error) {
      next(error);
    }
  });

  router.post('/logout', async (request, response, next) => {
    try {
      const token = sessionTokenOf(request);
      if (token) await endSession(knex, token);
      if (request.user) await recordAudit(knex, { actor: request.user.username, action: 'logout', target: request.user.username, ip: request.ip ?? null, at: deps.now() });
      response.clearCookie(SESSION_COOKIE, cookieOptions(request));
      response.redirect(303, '/login?out=1');
    } catch (error) {
      next(error);
    }
  });

  router.get('/password', requireLogin, (request, response) => passwordPage(request, response));

  router.post('/password', requireLogin, async (request, response, next) => {
    try {
      const user = currentUser(request);
      const parsed = passwordForm.safeParse(request.body);
      if (!parsed.success) return passwordPage(request, response, { errors: { newPassword: 'auth.required' }, status: 400 });
      const { currentPassword, newPassword, confirmPassword } = parsed.data;
      const row = (await findUserById(knex, user.id))!;
      const errors: PasswordErrors = {};
      if (!(await verifyPassword(currentPassword, row.password_hash))) errors.currentPassword = 'auth.wrongCurrentPassword';
      const violation = passwordRuleViolation(newPassword, user.username);
      if (violation) errors.newPassword = violation;
      else if (newPassword === currentPassword) errors.newPassword = 'auth.passwordReused';
      if (confirmPassword !== newPassword) errors.confirmPassword = 'auth.passwordMismatch';
      if (Object.keys(errors).length > 0) return passwordPage(request, response, { errors, status: 400 });
      const now = deps.now();
      await setPassword(knex, user.id, newPassword, { temporary: false, now });
      await recordAudit(knex, { actor: user.username, action: 'password.change', target: user.username, ip: request.ip ?? null, at: now });
      response.redirect(303, '/');
    } catch (error) {
      next(error);
    }
  });

  router.get('/api/session', requireLogin, (request, response) => {
    const user = currentUser(request);
    response.json({ ...user, csrfToken: csrfTokenOf(request), passwordChangeRequired: passwordChangeRequired(request) });
  });

  return router;
}
