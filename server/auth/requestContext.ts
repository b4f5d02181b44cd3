/**
 * Per request: the session from the `sid` cookie, the signed-in user (`req.user`), the page language
 * (`req.locale`) and the CSRF token pages must embed. Signed-out visitors get a CSRF token in their own cookie
 * so the sign-in form is protected too.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import { asLocale } from '../i18n';
import { randomToken, resumeSession, SESSION_COOKIE, type SessionPolicy } from './sessions';
import { accessOf, findUserById, passwordChangeDue, setUserLocale, toSessionUser } from './users';

const ANONYMOUS_CSRF_COOKIE = 'csrf';
const LANGUAGE_COOKIE = 'lang';

interface RequestContext {
  csrfToken: string;
  /** The session cookie's token; undefined for a signed-out visitor. */
  sessionToken?: string;
  passwordChangeRequired: boolean;
}

const contexts = new WeakMap<Request, RequestContext>();

function contextOf(request: Request): RequestContext {
  const context = contexts.get(request);
  if (!context) throw new Error('the request context middleware did not run for this request');
  return context;
}

/** The CSRF token a page must put into its forms (`_csrf`) or send as `x-csrf-token`. */
export function csrfTokenOf(request: Request): string {
  return contextOf(request).csrfToken;
}

export function sessionTokenOf(request: Request): string | undefined {
  return contextOf(request).sessionToken;
}

/** The signed-in user's password is too old or temporary: everything but the password page is blocked. */
export function passwordChangeRequired(request: Request): boolean {
  return contextOf(request).passwordChangeRequired;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    if (!name || cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(part.slice(at + 1).trim()));
    } catch {
      // A malformed cookie is ignored like a missing one.
    }
  }
  return cookies;
}

export function cookieOptions(request: Request) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: request.secure, path: '/' };
}

export function requestContext(deps: { knex: Knex; now: () => Date; policy: SessionPolicy }): RequestHandler {
  return async (request: Request, response: Response, next: NextFunction) => {
    try {
      const cookies = parseCookies(request.headers.cookie);
      const now = deps.now();
      // An explicit `?lang=` is remembered in a cookie and, for a signed-in user, as their setting.
      const asked = asLocale(request.query.lang);
      if (asked) response.cookie(LANGUAGE_COOKIE, asked, { ...cookieOptions(request), maxAge: 365 * 86_400_000 });
      const chosen = asked ?? asLocale(cookies.get(LANGUAGE_COOKIE));

      const token = cookies.get(SESSION_COOKIE);
      const session = token ? await resumeSession(deps.knex, token, now, deps.policy) : undefined;
      const row = session ? await findUserById(deps.knex, session.user_id) : undefined;
      if (session && row?.active) {
        if (asked && asked !== row.locale) await setUserLocale(deps.knex, row.id, asked);
        request.user = toSessionUser(row, await accessOf(deps.knex, row.id), chosen ?? row.locale);
        request.locale = request.user.locale;
        contexts.set(request, { csrfToken: session.csrf_token, sessionToken: token, passwordChangeRequired: passwordChangeDue(row, now) });
      } else {
        if (token) response.clearCookie(SESSION_COOKIE, cookieOptions(request));
        request.locale = chosen ?? 'zh-CN';
        let csrfToken = cookies.get(ANONYMOUS_CSRF_COOKIE);
        if (!csrfToken || csrfToken.length < 32) {
          csrfToken = randomToken();
          response.cookie(ANONYMOUS_CSRF_COOKIE, csrfToken, cookieOptions(request));
        }
        contexts.set(request, { csrfToken, passwordChangeRequired: false });
        // Lets the sign-in page say why the visitor was sent there.
        if (token) response.locals.sessionExpired = true;
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}
