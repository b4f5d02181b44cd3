/**
 * What the modeler accepts as a process model: a BPMN 2.0 document (parsed with bpmn-moddle and the Zeebe
 * extensions, as the engine and Camunda Modeler read it) holding the process it is saved under.
 */
import { children, parseBpmnXml, type El } from '../../engine/model/moddle';

/** A model larger than this is not a hand-made process diagram. */
export const MAX_MODEL_BYTES = 2 * 1024 * 1024;

export type ParsedModel = { ok: true; definitions: El } | { ok: false; message: string };

export async function parseProcessModel(xml: string, processId?: string): Promise<ParsedModel> {
  if (Buffer.byteLength(xml) > MAX_MODEL_BYTES) return { ok: false, message: `the model is larger than ${MAX_MODEL_BYTES} bytes` };
  const parsed = await parseBpmnXml(xml);
  if (!parsed.ok) return { ok: false, message: parsed.problems[0].message };
  const { definitions } = parsed;
  if (definitions.$type !== 'bpmn:Definitions') return { ok: false, message: 'not a BPMN 2.0 document (no bpmn:definitions root)' };
  const processes = children(definitions, 'rootElements').filter((el) => el.$type === 'bpmn:Process');
  if (processes.length === 0) return { ok: false, message: 'the document contains no bpmn:process' };
  if (processId !== undefined && !processes.some((p) => p.id === processId)) {
    return { ok: false, message: `the document does not contain the process "${processId}" (it has: ${processes.map((p) => p.id).join(', ')})` };
  }
  return { ok: true, definitions };
}
