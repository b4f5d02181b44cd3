/**
 * The web server. For now it shows the platform's status: the engine it talks to, the database and the
 * processes deployed; the task inbox, modeler, monitor and the other pages are added by their issues.
 */
import express, { type Express } from 'express';
import { localeOf, translate, type Locale } from './i18n';

export interface PlatformStatus {
  engineAddress: string;
  embeddedEngine: boolean;
  database: string;
  processes(): { bpmnProcessId: string; version: number }[];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function statusPage(locale: Locale, status: PlatformStatus): string {
  const t = (key: Parameters<typeof translate>[1]) => escapeHtml(translate(locale, key));
  const processes = status.processes();
  const rows = processes
    .map((p) => `<tr><td>${escapeHtml(p.bpmnProcessId)}</td><td>${p.version}</td></tr>`)
    .join('');
  const engine = status.embeddedEngine ? escapeHtml(status.engineAddress) : `${escapeHtml(status.engineAddress)} (${t('external')})`;
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${t('title')}</title></head>
<body>
<h1>${t('title')}</h1>
<dl><dt>${t('engine')}</dt><dd id="engine">${engine}</dd><dt>${t('database')}</dt><dd>${escapeHtml(status.database)}</dd></dl>
<h2>${t('processes')}</h2>
${processes.length === 0 ? `<p>${t('none')}</p>` : `<table><thead><tr><th>${t('process')}</th><th>${t('version')}</th></tr></thead><tbody>${rows}</tbody></table>`}
</body></html>`;
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
  return app;
}
