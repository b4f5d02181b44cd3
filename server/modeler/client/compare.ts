/**
 * Two models side by side: bpmn-js-differ compares their semantics; added elements are coloured on the right,
 * removed ones on the left, changed and moved ones on both, and every change is listed.
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { diff } from 'bpmn-js-differ';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { elementLabel, format, pageData, showStatus, type PageData } from './page';
import { translationModules } from './translate';

interface ComparePageData extends PageData {
  left: { label: string; xml: string };
  right: { label: string; xml: string };
}

type ChangeKind = 'added' | 'removed' | 'changed' | 'layout';

const data = pageData<ComparePageData>();
const t = (key: string, params?: Record<string, string | number>) => format(data.messages[key] ?? key, params);

function viewer(container: string): NavigatedViewer {
  return new NavigatedViewer({ container, additionalModules: translationModules(document.documentElement.lang), moddleExtensions: { zeebe: zeebeModdle } });
}

function describe(value: unknown): string {
  if (value === undefined || value === null || value === '') return '∅';
  if (typeof value === 'object') return JSON.stringify(value, (key, v: unknown) => (key.startsWith('$') ? undefined : v));
  return String(value);
}

function mark(target: NavigatedViewer, id: string, kind: ChangeKind): void {
  const registry = target.get<{ get(id: string): unknown }>('elementRegistry');
  if (registry.get(id)) target.get<{ addMarker(id: string, marker: string): void }>('canvas').addMarker(id, `diff-${kind}`);
}

function listChange(list: HTMLElement, kind: ChangeKind, element: { id: string; $type: string; name?: string }, details: string[] = []): void {
  const item = document.createElement('li');
  item.className = `change change-${kind}`;
  item.dataset.elementId = element.id;
  item.dataset.kind = kind;
  item.textContent = `${t(`change_${kind}`)}: ${element.$type.replace(/^bpmn:/, '')} ${elementLabel(element)}`;
  if (details.length > 0) {
    const attrs = document.createElement('ul');
    for (const detail of details) {
      const line = document.createElement('li');
      line.textContent = detail;
      attrs.append(line);
    }
    item.append(attrs);
  }
  list.append(item);
}

interface BusinessObject {
  id: string;
  $type: string;
  name?: string;
}

function businessObjects(side: NavigatedViewer): Map<string, BusinessObject> {
  const elements = side.get<{ getAll(): { businessObject?: BusinessObject }[] }>('elementRegistry').getAll();
  return new Map(elements.flatMap(({ businessObject }) => (businessObject?.id ? [[businessObject.id, businessObject] as const] : [])));
}

/**
 * Elements whose nested content changed (a timer's duration, a form key, an input mapping): bpmn-js-differ
 * does not report changes below an event definition or an extension element, so each element present on both
 * sides is compared as the XML it serialises to.
 */
async function changedInside(left: NavigatedViewer, right: NavigatedViewer, known: Set<string>): Promise<BusinessObject[]> {
  type Moddle = { toXML(element: object, options: object): Promise<{ xml: string }> };
  const serialise = async (side: NavigatedViewer, element: object) => (await side.get<Moddle>('moddle').toXML(element, { format: false })).xml;
  const rightObjects = businessObjects(right);
  const changed: BusinessObject[] = [];
  for (const [id, leftObject] of businessObjects(left)) {
    const rightObject = rightObjects.get(id);
    if (!rightObject || known.has(id) || leftObject.$type === 'bpmn:Process' || leftObject.$type === 'bpmn:Collaboration') continue;
    if ((await serialise(left, leftObject)) !== (await serialise(right, rightObject))) changed.push(rightObject);
  }
  return changed;
}

async function compare(): Promise<void> {
  const left = viewer('#compare-left');
  const right = viewer('#compare-right');
  await Promise.all([left.importXML(data.left.xml), right.importXML(data.right.xml)]);
  for (const side of [left, right]) side.get<{ zoom(level: string): void }>('canvas').zoom('fit-viewport');

  const changes = diff(left.getDefinitions(), right.getDefinitions());
  const list = document.getElementById('compare-changes')!;
  for (const element of Object.values(changes._added)) {
    mark(right, element.id, 'added');
    listChange(list, 'added', element);
  }
  for (const element of Object.values(changes._removed)) {
    mark(left, element.id, 'removed');
    listChange(list, 'removed', element);
  }
  for (const { model, attrs } of Object.values(changes._changed)) {
    mark(left, model.id, 'changed');
    mark(right, model.id, 'changed');
    // bpmn-js-differ 3 hands each changed attribute's left value as `newValue` and the right one as `oldValue`.
    listChange(list, 'changed', model, Object.entries(attrs).map(([name, { oldValue, newValue }]) => `${name}: ${describe(newValue)} → ${describe(oldValue)}`));
  }
  for (const model of await changedInside(left, right, new Set(Object.keys(changes._changed)))) {
    mark(left, model.id, 'changed');
    mark(right, model.id, 'changed');
    listChange(list, 'changed', model, [t('changedInside')]);
  }
  for (const element of Object.values(changes._layoutChanged)) {
    if (element.id in changes._changed) continue;
    mark(left, element.id, 'layout');
    mark(right, element.id, 'layout');
    listChange(list, 'layout', element);
  }
  if (list.childElementCount === 0) {
    const none = document.createElement('li');
    none.textContent = t('noChanges');
    list.append(none);
  }
  document.body.setAttribute('data-modeler-ready', 'true');
}

compare().catch((error: Error) => showStatus(t('importFailed', { reason: error.message }), 'error'));
