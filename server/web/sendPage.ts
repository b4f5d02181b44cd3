/** Sends a page in the shell with what the request knows: language, signed-in user, CSRF token, CSP nonce. */
import type { Request, Response } from 'express';
import { csrfTokenOf } from '../auth/requestContext';
import { renderPage, type PageOptions } from './layout';

export function cspNonceOf(response: Response): string {
  return response.locals.cspNonce as string;
}

export function sendPage(
  request: Request,
  response: Response,
  page: Pick<PageOptions, 'title' | 'body' | 'nav' | 'head'> & { status?: number },
): void {
  const html = renderPage({
    locale: request.locale,
    user: request.user,
    csrfToken: csrfTokenOf(request),
    title: page.title,
    body: page.body,
    nav: page.nav,
    head: page.head,
  });
  response.status(page.status ?? 200).type('html').send(html);
}
