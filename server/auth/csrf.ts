/**
 * CSRF protection for every request that can change something: its `_csrf` form field or `x-csrf-token` header
 * must equal the token of the visitor's session (or of their sign-in cookie when signed out).
 */
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { translate } from '../i18n';
import { csrfTokenOf } from './requestContext';
import { answersInJson } from '../web/apiRequest';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(supplied: unknown, expected: string): boolean {
  if (typeof supplied !== 'string') return false;
  const a = Buffer.from(supplied);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function csrfProtection(request: Request, response: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(request.method)) return next();
  const body: unknown = request.body;
  const field = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)._csrf : undefined;
  const supplied = request.get('x-csrf-token') ?? field;
  if (sameToken(supplied, csrfTokenOf(request))) return next();
  const message = translate(request.locale, 'auth.csrfRejected');
  response.status(403);
  if (answersInJson(request)) response.json({ error: 'csrf', message });
  else response.type('text').send(message);
}
