/**
 * Whether a request is answered as the JSON API or as pages: everything under /api/ is the API. Asked of the
 * original URL, so the answer is the same inside a router mounted under a prefix.
 */
import type { Request } from 'express';

export function isApiRequest(request: Request): boolean {
  return request.originalUrl.startsWith('/api/');
}

/** Errors that concern the request itself (bad CSRF token, unreadable body) go as JSON to whoever sent JSON too. */
export function answersInJson(request: Request): boolean {
  return Boolean(request.is('json')) || isApiRequest(request);
}
