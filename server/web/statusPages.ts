/** The platform status page (`/`) and the caught-mail page (`/mail`). */
import express, { type Router } from 'express';
import { requireLogin } from '../auth/sessionUser';
import type { CaughtMail } from '../mail/caughtMail';
import { translate, type Locale, type MessageKey } from '../i18n';
import { escapeHtml } from './layout';
import { sendPage } from './sendPage';

export interface PlatformStatus {
  engineAddress: string;
  embeddedEngine: boolean;
  database: string;
  /** Where outbound mail goes: an SMTP server, or the built-in catcher. */
  mailDestination: string;
  processes(): { bpmnProcessId: string; version: number }[];
  /** Mail the built-in catcher received, newest first; empty when mail goes to a real SMTP server. */
  caughtMail(): Promise<CaughtMail[]>;
}

function statusBody(locale: Locale, status: PlatformStatus): string {
  const t = (key: MessageKey) => escapeHtml(translate(locale, key));
  const processes = status.processes();
  const rows = processes.map((p) => `<tr><td>${escapeHtml(p.bpmnProcessId)}</td><td>${p.version}</td></tr>`).join('');
  const engine = status.embeddedEngine ? escapeHtml(status.engineAddress) : `${escapeHtml(status.engineAddress)} (${t('external')})`;
  return `<h1>${t('title')}</h1>
<dl><dt>${t('engine')}</dt><dd id="engine">${engine}</dd><dt>${t('database')}</dt><dd>${escapeHtml(status.database)}</dd>
<dt>${t('mailDestination')}</dt><dd><a href="/mail">${escapeHtml(status.mailDestination)}</a></dd></dl>
<h2>${t('processes')}</h2>
${processes.length === 0 ? `<p>${t('none')}</p>` : `<table><thead><tr><th>${t('process')}</th><th>${t('version')}</th></tr></thead><tbody>${rows}</tbody></table>`}`;
}

function mailBody(locale: Locale, mails: CaughtMail[]): string {
  const t = (key: MessageKey) => escapeHtml(translate(locale, key));
  // Mail bodies are shown as text: a caught mail is untrusted input, its HTML never runs in our pages.
  const items = mails
    .map(
      (m) => `<article class="mail card">
<h2>${escapeHtml(m.subject)}</h2>
<dl><dt>${t('received')}</dt><dd>${escapeHtml(m.receivedAt.toISOString())}</dd><dt>${t('from')}</dt><dd>${escapeHtml(m.mailFrom)}</dd>
<dt>${t('to')}</dt><dd>${escapeHtml(m.rcptTo.join(', '))}</dd></dl>
<pre>${escapeHtml(m.textBody ?? m.htmlBody ?? '')}</pre>
</article>`,
    )
    .join('');
  return `<h1>${t('mail')}</h1>${mails.length === 0 ? `<p>${t('noMail')}</p>` : items}`;
}

/** Both pages show internal data (the mail catcher holds customers' mail), so both need a signed-in user. */
export function statusPagesRouter(status: PlatformStatus): Router {
  const router = express.Router();
  router.get('/', requireLogin, (request, response) => {
    sendPage(request, response, { title: translate(request.locale, 'nav.status'), nav: 'status', body: statusBody(request.locale, status) });
  });
  router.get('/mail', requireLogin, async (request, response, next) => {
    try {
      const body = mailBody(request.locale, await status.caughtMail());
      sendPage(request, response, { title: translate(request.locale, 'mail'), nav: 'mail', body });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
