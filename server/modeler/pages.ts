/**
 * The modeler's HTML pages, rendered in the platform's page shell. The diagrams themselves are drawn by the
 * browser bundle (/modeler/assets); each page hands it its data in a JSON block, which the content security
 * policy does not treat as script.
 */
import type { Request, Response } from 'express';
import { translate, type MessageKey } from '../i18n';
import { modelerMessages } from '../i18n/modeler';
import { escapeHtml } from '../web/layout';
import { cspNonceOf, sendPage } from '../web/sendPage';
import type { DraftSummary } from './drafts';
import type { ModelSource } from './modelSources';
import type { DeployedVersion } from './processVersions';

export interface ProcessOverview {
  processId: string;
  name?: string;
  versions: DeployedVersion[];
  drafts: DraftSummary[];
}

function texts(request: Request) {
  const t = (key: MessageKey, params?: Record<string, string | number>) => escapeHtml(translate(request.locale, key, params));
  return t;
}

function formatTime(date: Date, request: Request): string {
  return date.toLocaleString(request.locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

function processPath(processId: string, rest = ''): string {
  return `/modeler/${encodeURIComponent(processId)}${rest}`;
}

const CLIENT_PREFIX = 'modeler.client.';

/** The translated texts of the browser script, under their keys without the `modeler.client.` prefix. */
function clientMessages(request: Request): Record<string, string> {
  return Object.fromEntries(
    Object.entries(modelerMessages[request.locale])
      .filter(([key]) => key.startsWith(CLIENT_PREFIX))
      .map(([key, text]) => [key.slice(CLIENT_PREFIX.length), text]),
  );
}

function dataBlock(data: object): string {
  // `<` escaped so that no `</script>` inside a model can end the block.
  return `<script type="application/json" id="modeler-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`;
}

function assets(script: 'edit' | 'view' | 'compare'): string {
  return `<link rel="stylesheet" href="/modeler/assets/modeler.css"><script type="module" src="/modeler/assets/${script}.js"></script>`;
}

export function sourceLabel(request: Request, source: ModelSource): string {
  if (source.kind === 'version') return translate(request.locale, 'modeler.sourceVersion', { version: source.version });
  if (source.kind === 'draft') return translate(request.locale, 'modeler.sourceDraft', { id: source.draft.id, author: source.draft.author });
  return translate(request.locale, 'modeler.sourceFile');
}

export function sendProcessList(request: Request, response: Response, processes: ProcessOverview[], canEdit: boolean): void {
  const t = texts(request);
  const sections = processes.map(({ processId, name, versions, drafts }) => {
    const id = escapeHtml(processId);
    const versionRows = [...versions]
      .reverse()
      .map((v) => {
        const previous = v.version > 1 ? ` <a href="${processPath(processId, `/compare?left=version:${v.version - 1}&right=version:${v.version}`)}">${t('modeler.compareWithPrevious')}</a>` : '';
        return `<tr><td>${v.version}</td><td>${escapeHtml(formatTime(v.deployedAt, request))}</td><td><a href="${processPath(processId, `/versions/${v.version}`)}">${t('modeler.view')}</a>${previous}</td></tr>`;
      })
      .join('');
    const draftRows = drafts
      .map((d) => {
        const edit = canEdit ? `<a href="${processPath(processId, `/edit?draft=${d.id}`)}">${t('modeler.edit')}</a> ` : '';
        return `<tr data-draft-id="${d.id}"><td>#${d.id}</td><td>${escapeHtml(d.author)}</td><td>${escapeHtml(formatTime(d.createdAt, request))}</td><td>${escapeHtml(d.comment)}</td><td>${edit}<a href="${processPath(processId, `/compare?left=latest&right=draft:${d.id}`)}">${t('modeler.compareWithLatest')}</a></td></tr>`;
      })
      .join('');
    return `<section class="modeler-process" id="process-${id}">
<h2>${name ? `${escapeHtml(name)} ` : ''}<code>${id}</code>${canEdit ? ` <a class="button" href="${processPath(processId, '/edit')}">${t('modeler.edit')}</a>` : ''}</h2>
<h3>${t('modeler.versions')}</h3>
${versionRows ? `<table class="versions"><thead><tr><th>${t('modeler.version')}</th><th>${t('modeler.deployedAt')}</th><th>${t('modeler.actions')}</th></tr></thead><tbody>${versionRows}</tbody></table>` : `<p>${t('modeler.noVersions')}</p>`}
<h3>${t('modeler.drafts')}</h3>
${draftRows ? `<table class="drafts"><thead><tr><th>#</th><th>${t('modeler.author')}</th><th>${t('modeler.savedAt')}</th><th>${t('modeler.comment')}</th><th>${t('modeler.actions')}</th></tr></thead><tbody>${draftRows}</tbody></table>` : `<p>${t('modeler.noDrafts')}</p>`}
</section>`;
  });
  const note = canEdit ? '' : `<p class="note">${t('modeler.readOnlyNote')}</p>`;
  sendPage(request, response, {
    title: translate(request.locale, 'modeler.title'),
    nav: 'modeler',
    body: `<h1>${t('modeler.title')}</h1>${note}<p class="note">${t('modeler.externalNote')}</p>${sections.join('\n')}`,
  });
}

export function sendEditPage(request: Request, response: Response, processId: string, source: ModelSource): void {
  const t = texts(request);
  const origin =
    source.kind === 'draft'
      ? t('modeler.editingDraft', { id: source.draft.id, author: source.draft.author, time: formatTime(source.draft.createdAt, request) })
      : source.kind === 'version'
        ? t('modeler.editingVersion', { version: source.version })
        : t('modeler.editingFile');
  sendPage(request, response, {
    title: translate(request.locale, 'modeler.editTitle', { processId }),
    nav: 'modeler',
    head: assets('edit'),
    body: `<h1>${t('modeler.editTitle', { processId })}</h1>
<p class="modeler-origin">${origin}</p>
<div class="modeler-toolbar">
<input type="text" id="modeler-comment" maxlength="500" placeholder="${t('modeler.draftComment')}" aria-label="${t('modeler.draftComment')}">
<button type="button" id="modeler-save-draft">${t('modeler.saveDraft')}</button>
<button type="button" id="modeler-download">${t('modeler.download')}</button>
<button type="button" id="modeler-upload">${t('modeler.upload')}</button><input type="file" id="modeler-upload-file" accept=".bpmn,.xml" hidden>
<button type="button" id="modeler-deploy">${t('modeler.deploy')}</button>
<a id="modeler-compare-link" hidden>${t('modeler.compareSaved')}</a>
<span id="modeler-status" class="modeler-status" role="status"></span>
</div>
<div class="modeler-workspace"><div id="modeler-canvas" class="modeler-canvas"></div><div id="modeler-properties" class="modeler-properties"></div></div>
<h2>${t('modeler.issues')}</h2>
<ul id="modeler-issues" class="modeler-issues"></ul>
${dataBlock({ processId, xml: source.xml, styleNonce: cspNonceOf(response), messages: clientMessages(request) })}`,
  });
}

export function sendVersionPage(request: Request, response: Response, processId: string, source: ModelSource & { kind: 'version' }): void {
  const title = translate(request.locale, 'modeler.viewTitle', { processId, version: source.version });
  sendPage(request, response, {
    title,
    nav: 'modeler',
    head: assets('view'),
    body: `<h1>${escapeHtml(title)}</h1>
<span id="modeler-status" class="modeler-status" role="status"></span>
<div class="modeler-workspace"><div id="modeler-canvas" class="modeler-canvas"></div></div>
${dataBlock({ processId, xml: source.xml, messages: clientMessages(request) })}`,
  });
}

export interface CompareChoice {
  ref: string;
  label: string;
}

export function sendComparePage(
  request: Request,
  response: Response,
  processId: string,
  sides: { left: ModelSource; right: ModelSource },
  choices: CompareChoice[],
): void {
  const t = texts(request);
  const select = (side: 'left' | 'right') =>
    `<label>${t(side === 'left' ? 'modeler.left' : 'modeler.right')} <select name="${side}">${choices
      .map((c) => `<option value="${escapeHtml(c.ref)}"${c.ref === sides[side].ref ? ' selected' : ''}>${escapeHtml(c.label)}</option>`)
      .join('')}</select></label>`;
  const left = sourceLabel(request, sides.left);
  const right = sourceLabel(request, sides.right);
  sendPage(request, response, {
    title: translate(request.locale, 'modeler.compareTitle', { processId }),
    nav: 'modeler',
    head: assets('compare'),
    body: `<h1>${t('modeler.compareTitle', { processId })}</h1>
<form method="get" class="modeler-toolbar">${select('left')} ${select('right')} <button type="submit">${t('modeler.show')}</button></form>
<span id="modeler-status" class="modeler-status" role="status"></span>
<div class="compare-sides">
<div class="compare-side"><h2>${escapeHtml(left)}</h2><div id="compare-left" class="modeler-canvas"></div></div>
<div class="compare-side"><h2>${escapeHtml(right)}</h2><div id="compare-right" class="modeler-canvas"></div></div>
</div>
<h2>${t('modeler.changes')}</h2>
<ul id="compare-changes" class="compare-changes"></ul>
${dataBlock({ processId, left: { label: left, xml: sides.left.xml }, right: { label: right, xml: sides.right.xml }, messages: clientMessages(request) })}`,
  });
}
