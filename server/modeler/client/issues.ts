/**
 * The issue list beside the canvas and the marks on it. Issues come from three places: bpmnlint in the
 * browser (Camunda 8.3 compatibility), the server's platform checks (forms, workers, groups) and the engine's
 * answer to a deploy. bpmnlint draws its own overlays; the other two are marked here.
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import { elementLabel } from './page';

export type IssueSource = 'lint' | 'check' | 'deploy';

export interface Issue {
  elementId: string;
  message: string;
  category: 'error' | 'warn' | 'info';
  rule?: string;
}

const OVERLAY_TYPE = 'modeler-issue';
const MARKER = 'modeler-issue-marker';

export class IssuePanel {
  private readonly bySource = new Map<IssueSource, Issue[]>();
  private marked: string[] = [];

  constructor(
    private readonly modeler: Modeler,
    private readonly list: HTMLElement,
    private readonly sourceLabels: Record<IssueSource, string>,
    private readonly noIssuesText: string,
  ) {}

  set(source: IssueSource, issues: Issue[]): void {
    this.bySource.set(source, issues);
    this.render();
  }

  private render(): void {
    const elementRegistry = this.modeler.get<{ get(id: string): { id: string; businessObject: { name?: string } } | undefined }>('elementRegistry');
    this.list.replaceChildren();
    const all = [...this.bySource].flatMap(([source, issues]) => issues.map((issue) => ({ source, issue })));
    for (const { source, issue } of all) {
      const item = document.createElement('li');
      item.className = `issue issue-${issue.category} issue-${source}`;
      item.dataset.elementId = issue.elementId;
      const element = elementRegistry.get(issue.elementId);
      const where = element ? elementLabel({ id: element.id, name: element.businessObject.name }) : issue.elementId;
      item.textContent = `[${this.sourceLabels[source]}${issue.rule ? ` ${issue.rule}` : ''}] ${where}: ${issue.message}`;
      item.addEventListener('click', () => this.reveal(issue.elementId));
      this.list.append(item);
    }
    if (all.length === 0) {
      const item = document.createElement('li');
      item.className = 'issue-none';
      item.textContent = this.noIssuesText;
      this.list.append(item);
    }
    this.markCanvas();
  }

  /** bpmnlint marks its own findings; the server's checks and deploy rejections are marked here. */
  private markCanvas(): void {
    const overlays = this.modeler.get<{ remove(filter: { type: string }): void; add(id: string, type: string, overlay: object): void }>('overlays');
    const canvas = this.modeler.get<{ addMarker(id: string, marker: string): void; removeMarker(id: string, marker: string): void }>('canvas');
    const elementRegistry = this.modeler.get<{ get(id: string): unknown }>('elementRegistry');
    overlays.remove({ type: OVERLAY_TYPE });
    for (const id of this.marked) if (elementRegistry.get(id)) canvas.removeMarker(id, MARKER);
    this.marked = [];
    const messagesByElement = new Map<string, string[]>();
    for (const source of ['check', 'deploy'] as const) {
      for (const issue of this.bySource.get(source) ?? []) {
        if (!elementRegistry.get(issue.elementId)) continue;
        messagesByElement.set(issue.elementId, [...(messagesByElement.get(issue.elementId) ?? []), issue.message]);
      }
    }
    for (const [id, messages] of messagesByElement) {
      canvas.addMarker(id, MARKER);
      this.marked.push(id);
      const badge = document.createElement('div');
      badge.className = 'modeler-issue-badge';
      badge.textContent = String(messages.length);
      badge.title = messages.join('\n');
      overlays.add(id, OVERLAY_TYPE, { position: { top: -10, left: -10 }, html: badge });
    }
  }

  private reveal(elementId: string): void {
    const element = this.modeler.get<{ get(id: string): object | undefined }>('elementRegistry').get(elementId);
    if (!element) return;
    this.modeler.get<{ select(element: object): void }>('selection').select(element);
    this.modeler.get<{ scrollToElement(element: object): void }>('canvas').scrollToElement(element);
  }
}
