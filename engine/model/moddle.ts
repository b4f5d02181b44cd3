/**
 * BPMN XML to moddle elements (bpmn-moddle with the Zeebe extension descriptor), and typed reads of those
 * elements: moddle objects are untyped property bags.
 */
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json';
import type { ModelProblem } from './problems';

export interface El {
  readonly $type: string;
  readonly id?: string;
  $instanceOf(type: string): boolean;
  readonly [property: string]: unknown;
}

interface ModdleWarning {
  message: string;
  element?: El;
}

interface Moddle {
  fromXML(xml: string): Promise<{ rootElement: El; warnings: ModdleWarning[] }>;
}

// bpmn-moddle ships as ESM only, with types that commonjs module resolution cannot see; Node >= 20.19
// loads it synchronously through require(esm).
const { BpmnModdle } = require('bpmn-moddle') as { BpmnModdle: new (packages: object) => Moddle };
const moddle = new BpmnModdle({ zeebe: zeebeDescriptor });

export type ParsedXml =
  | { ok: true; definitions: El; warnings: ModelProblem[] }
  | { ok: false; problems: ModelProblem[] };

export async function parseBpmnXml(xml: string): Promise<ParsedXml> {
  try {
    const { rootElement, warnings } = await moddle.fromXML(xml);
    return {
      ok: true,
      definitions: rootElement,
      warnings: warnings.map((w) => ({ elementId: w.element?.id ?? '', message: oneLine(w.message) })),
    };
  } catch (e) {
    return { ok: false, problems: [{ elementId: '', message: `Malformed BPMN XML: ${oneLine((e as Error).message)}` }] };
  }
}

/** moddle reports "what\n\tline: L\n\tcolumn: C\n\tnested error: why", 0-based; one line reads better in a rejection. */
function oneLine(message: string): string {
  const [what, ...details] = message.split('\n').map((l) => l.trim());
  const detail = (key: string) => details.find((d) => d.startsWith(`${key}: `))?.slice(key.length + 2);
  const line = detail('line');
  const column = detail('column');
  const nested = detail('nested error');
  const at = line !== undefined && column !== undefined ? ` (line ${Number(line) + 1}, column ${Number(column) + 1})` : '';
  return `${what}${at}${nested ? `: ${nested}` : ''}`;
}

export function attr(el: El | undefined, key: string): string | undefined {
  const value = el?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function flag(el: El | undefined, key: string): boolean | undefined {
  const value = el?.[key];
  return typeof value === 'boolean' ? value : undefined;
}

export function child(el: El | undefined, key: string): El | undefined {
  const value = el?.[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as El) : undefined;
}

export function children(el: El | undefined, key: string): El[] {
  const value = el?.[key];
  return Array.isArray(value) ? (value as El[]) : [];
}

/** The text of an expression element such as `bpmn:conditionExpression`, trimmed as Zeebe reads it. */
export function body(el: El | undefined): string | undefined {
  return el ? (attr(el, 'body') ?? '').trim() : undefined;
}

/** Extension elements of one type, e.g. 'zeebe:TaskDefinition'. */
export function extensions(el: El | undefined, type: string): El[] {
  return children(child(el, 'extensionElements'), 'values').filter((v) => v.$type === type);
}

const FLOW_CONTAINERS = new Set(['bpmn:SubProcess', 'bpmn:AdHocSubProcess', 'bpmn:Transaction']);

/** Every flow element of the document's processes, those inside (event) sub-processes included. */
export function allFlowElements(definitions: El): El[] {
  const within = (container: El): El[] =>
    children(container, 'flowElements').flatMap((el) => (FLOW_CONTAINERS.has(el.$type) ? [el, ...within(el)] : [el]));
  return children(definitions, 'rootElements')
    .filter((el) => el.$type === 'bpmn:Process')
    .flatMap(within);
}

/** 'bpmn:ComplexGateway' -> 'ComplexGateway', the name Zeebe uses in its messages. */
export function typeName(el: El): string {
  return el.$type.slice(el.$type.indexOf(':') + 1);
}
