/**
 * The modeler page: bpmn-js with the Zeebe properties panel and Camunda 8 behaviours, bpmnlint on the canvas,
 * the server's platform checks after every change, and save draft / download / upload / deploy.
 */
import Modeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule } from 'bpmn-js-properties-panel';
import lintModule from 'bpmn-js-bpmnlint';
import behaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import lintConfig from 'virtual:bpmnlint-config';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { StyleModule } from 'style-mod';
import { IssuePanel, type Issue } from './issues';
import { format, pageData, postXml, showStatus, type PageData } from './page';
import { translationModules } from './translate';

interface EditPageData extends PageData {
  xml: string;
  /** This response's CSP nonce. */
  styleNonce: string;
}

interface LintReport {
  id: string;
  message: string;
  category: string;
  rule: string;
}

const data = pageData<EditPageData>();
const t = (key: string, params?: Record<string, string | number>) => format(data.messages[key] ?? key, params);
const api = `/api/modeler/${encodeURIComponent(data.processId)}`;

// The FEEL fields of the properties panel are CodeMirror editors, which add their styles in one <style> element
// per document; the content security policy admits it only with the page's nonce, set by the first mount.
StyleModule.mount(document, [], { nonce: data.styleNonce });

const modeler = new Modeler({
  container: '#modeler-canvas',
  propertiesPanel: { parent: '#modeler-properties' },
  linting: { bpmnlint: lintConfig, active: true },
  additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule, behaviorsModule, lintModule, ...translationModules(document.documentElement.lang)],
  moddleExtensions: { zeebe: zeebeModdle },
});

const issues = new IssuePanel(
  modeler,
  document.getElementById('modeler-issues')!,
  { lint: t('issueSourceLint'), check: t('issueSourceCheck'), deploy: t('issueSourceDeploy') },
  t('noIssues'),
);

async function currentXml(): Promise<string> {
  const { xml } = await modeler.saveXML({ format: true });
  if (!xml) throw new Error('bpmn-js saved no XML');
  return xml;
}

// The canvas shows lint messages through bpmn-js's translate service; the issue list shows them the same way.
const translateText = modeler.get<(text: string) => string>('translate');
modeler.on('linting.completed', (event: { issues: Record<string, LintReport[]> }) => {
  const found: Issue[] = Object.values(event.issues)
    .flat()
    .map((r) => ({ elementId: r.id, message: translateText(r.message), category: r.category === 'error' ? 'error' : r.category === 'warn' ? 'warn' : 'info', rule: r.rule }));
  issues.set('lint', found);
});

let checkTimer: ReturnType<typeof setTimeout> | undefined;
async function runPlatformChecks(): Promise<void> {
  const answer = await postXml<{ issues?: { elementId: string; message: string }[]; error?: string }>('/api/modeler/check', await currentXml());
  if (!answer.ok || !answer.body.issues) {
    issues.set('check', [{ elementId: data.processId, message: answer.body.error ?? String(answer.status), category: 'error' }]);
    return;
  }
  issues.set('check', answer.body.issues.map((i) => ({ ...i, category: 'error' })));
}
function scheduleChecks(): void {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => void runPlatformChecks(), 300);
}
modeler.on('commandStack.changed', () => {
  issues.set('deploy', []);
  scheduleChecks();
});

function button(id: string): HTMLButtonElement {
  return document.getElementById(id) as HTMLButtonElement;
}

button('modeler-save-draft').addEventListener('click', async () => {
  const comment = (document.getElementById('modeler-comment') as HTMLInputElement).value;
  // Replaces the last action's outcome at once, so it is never read as this action's.
  showStatus(t('saving'));
  const answer = await postXml<{ id?: number; error?: string; message?: string }>(`${api}/drafts?comment=${encodeURIComponent(comment)}`, await currentXml());
  if (!answer.ok) return showStatus(t('saveFailed', { reason: answer.body.message ?? answer.body.error ?? answer.status }), 'error');
  showStatus(t('draftSaved', { id: answer.body.id! }), 'ok');
  const compare = document.getElementById('modeler-compare-link') as HTMLAnchorElement;
  compare.href = `/modeler/${encodeURIComponent(data.processId)}/compare?left=latest&right=draft:${answer.body.id}${location.search.includes('lang=en') ? '&lang=en' : ''}`;
  compare.hidden = false;
});

button('modeler-download').addEventListener('click', async () => {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([await currentXml()], { type: 'application/xml' }));
  link.download = `${data.processId}.bpmn`;
  link.click();
  URL.revokeObjectURL(link.href);
});

const uploadInput = document.getElementById('modeler-upload-file') as HTMLInputElement;
button('modeler-upload').addEventListener('click', () => uploadInput.click());
uploadInput.addEventListener('change', async () => {
  const file = uploadInput.files?.[0];
  if (!file) return;
  const answer = await postXml<{ id?: number; xml?: string; error?: string; message?: string }>(
    `${api}/upload?fileName=${encodeURIComponent(file.name)}`,
    await file.text(),
  );
  uploadInput.value = '';
  if (!answer.ok) return showStatus(t('uploadFailed', { reason: answer.body.message ?? answer.body.error ?? answer.status }), 'error');
  await modeler.importXML(answer.body.xml!);
  showStatus(t('uploaded', { id: answer.body.id! }), 'ok');
  void runPlatformChecks();
});

interface DeployAnswer {
  version?: number;
  processDefinitionKey?: string;
  created?: boolean;
  error?: string;
  message?: string;
  problems?: { elementId: string; message: string }[];
}
button('modeler-deploy').addEventListener('click', async () => {
  showStatus(t('deploying'));
  const answer = await postXml<DeployAnswer>(`${api}/deploy`, await currentXml());
  if (!answer.ok) {
    const problems = answer.body.problems ?? [];
    issues.set('deploy', problems.map((p) => ({ ...p, category: 'error' })));
    return showStatus(t('deployFailed', { reason: answer.body.message ?? answer.body.error ?? answer.status }), 'error');
  }
  issues.set('deploy', []);
  showStatus(t(answer.body.created ? 'deployed' : 'deployedUnchanged', { version: answer.body.version! }), 'ok');
});

modeler
  .importXML(data.xml)
  .then(() => {
    modeler.get<{ zoom(level: string): void }>('canvas').zoom('fit-viewport');
    return runPlatformChecks();
  })
  .then(() => document.body.setAttribute('data-modeler-ready', 'true'))
  .catch((error: Error) => showStatus(t('importFailed', { reason: error.message }), 'error'));
