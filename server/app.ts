/**
 * The web server. For now it shows the platform's status: the engine it talks to, the database and the
 * processes deployed; the task inbox, modeler, monitor and the other pages are added by their issues.
 */
import express, { type Express } from 'express';
import type { CaughtMail } from './mail/caughtMail';
import { localeOf, translate, type Locale, type MessageKey } from './i18n';

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

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${title}</title></head>
<body>
${body}
</body></html>`;
}

function statusPage(locale: Locale, status: PlatformStatus): string {
  const t = (key: MessageKey) => escapeHtml(translate(locale, key));
  const processes = status.processes();
  const rows = processes
    .map((p) => `<tr><td>${escapeHtml(p.bpmnProcessId)}</td><td>${p.version}</td></tr>`)
    .join('');
  const engine = status.embeddedEngine ? escapeHtml(status.engineAddress) : `${escapeHtml(status.engineAddress)} (${t('external')})`;
  return page(
    locale,
    t('title'),
    `<h1>${t('title')}</h1>
<dl><dt>${t('engine')}</dt><dd id="engine">${engine}</dd><dt>${t('database')}</dt><dd>${escapeHtml(status.database)}</dd>
<dt>${t('mailDestination')}</dt><dd><a href="/mail?lang=${locale}">${escapeHtml(status.mailDestination)}</a></dd></dl>
<h2>${t('processes')}</h2>
${processes.length === 0 ? `<p>${t('none')}</p>` : `<table><thead><tr><th>${t('process')}</th><th>${t('version')}</th></tr></thead><tbody>${rows}</tbody></table>`}`,
  );
}

function mailPage(locale: Locale, mails: CaughtMail[]): string {
  const t = (key: MessageKey) => escapeHtml(translate(locale, key));
  // Mail bodies are shown as text: a caught mail is untrusted input, its HTML never runs in our pages.
  const items = mails
    .map(
      (m) => `<article class="mail">
<h2>${escapeHtml(m.subject)}</h2>
<dl><dt>${t('received')}</dt><dd>${escapeHtml(m.receivedAt.toISOString())}</dd><dt>${t('from')}</dt><dd>${escapeHtml(m.mailFrom)}</dd>
<dt>${t('to')}</dt><dd>${escapeHtml(m.rcptTo.join(', '))}</dd></dl>
<pre>${escapeHtml(m.textBody ?? m.htmlBody ?? '')}</pre>
</article>`,
    )
    .join('');
  return page(locale, t('mail'), `<h1>${t('mail')}</h1>${mails.length === 0 ? `<p>${t('noMail')}</p>` : items}`);
}

export function createApp(status: PlatformStatus): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_request, response) => {
    response.json({ status: 'UP', engine: status.engineAddress, database: status.database });
  });
  app.get('/', (request, response) => {
    response.type('html').send(statusPage(localeOf(request.query.lang), status));
  });
  app.get('/mail', async (request, response, next) => {
    try {
      response.type('html').send(mailPage(localeOf(request.query.lang), await status.caughtMail()));
    } catch (error) {
      next(error);
    }
  });
  return app;
}
