/**
 * The page shell every HTML page of the platform shares: top bar with navigation, the signed-in user, language
 * switch and sign-out, the stylesheet and the CSRF token for scripts. Pages pass their body as HTML they built
 * with escapeHtml around everything that did not come from our own code.
 */
import type { SessionUser } from '../auth/sessionUser';
import { translate, type Locale, type MessageKey } from '../i18n';

export type NavItem = 'status' | 'tasks' | 'modeler' | 'mail' | 'admin';

export interface PageOptions {
  locale: Locale;
  title: string;
  user?: SessionUser;
  /** Goes into `<meta name="csrf-token">` and the sign-out form. */
  csrfToken?: string;
  /** The page content: trusted HTML. */
  body: string;
  nav?: NavItem;
  /** Extra trusted HTML for `<head>`: page-specific stylesheets and scripts (served from 'self' or with the nonce). */
  head?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const NAV: readonly { item: NavItem; href: string; key: MessageKey; adminOnly?: boolean }[] = [
  { item: 'tasks', href: '/tasks', key: 'nav.tasks' },
  { item: 'modeler', href: '/modeler', key: 'nav.modeler' },
  { item: 'mail', href: '/mail', key: 'nav.mail' },
  { item: 'admin', href: '/admin', key: 'nav.admin', adminOnly: true },
];

function topBar(options: PageOptions): string {
  const t = (key: MessageKey) => escapeHtml(translate(options.locale, key));
  const { user } = options;
  const links = user
    ? NAV.filter((n) => !n.adminOnly || user.roles.includes('admin'))
        .map((n) => `<a href="${n.href}"${n.item === options.nav ? ' class="active" aria-current="page"' : ''}>${t(n.key)}</a>`)
        .join('')
    : '';
  const roles = user ? user.roles.map((role) => t(`role.${role}` as MessageKey)).join('、') : '';
  const account = user
    ? `<span class="user"><span class="name">${escapeHtml(user.displayName)}</span> <span class="roles">${roles}</span></span>` +
      (options.csrfToken
        ? `<form method="post" action="/logout" class="logout"><input type="hidden" name="_csrf" value="${escapeHtml(options.csrfToken)}"><button type="submit">${t('nav.logout')}</button></form>`
        : '')
    : '';
  // Links with only a query keep the current page and switch its language.
  const languages = `<span class="lang" aria-label="${t('nav.language')}"><a href="?lang=zh-CN" lang="zh-CN">中文</a> | <a href="?lang=en" lang="en">English</a></span>`;
  return `<header class="topbar"><a class="brand" href="/">${t('title')}</a><nav>${links}</nav><div class="account">${languages}${account}</div></header>`;
}

export function renderPage(options: PageOptions): string {
  const csrf = options.csrfToken ? `<meta name="csrf-token" content="${escapeHtml(options.csrfToken)}">` : '';
  return `<!doctype html>
<html lang="${options.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · ${escapeHtml(translate(options.locale, 'title'))}</title>${csrf}
<link rel="stylesheet" href="/static/app.css">${options.head ?? ''}</head>
<body>
${topBar(options)}
<main>
${options.body}
</main>
</body></html>`;
}
