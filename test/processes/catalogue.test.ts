/**
 * processes/catalogue.ts is what workers, forms and deployment read about the models; each entry must say exactly
 * what its .bpmn file uses, read from the parsed model.
 */
import { readFileSync } from 'node:fs';
import { attr, children, extensions, parseBpmnXml, type El } from '../../engine/model/moddle';
import { PROCESSES, processFile } from '../../processes/catalogue';

function flowElements(container: El): El[] {
  return children(container, 'flowElements').flatMap((e) => [e, ...flowElements(e)]);
}

async function usedBy(processId: string) {
  const xml = readFileSync(processFile(processId), 'utf8');
  const parsed = await parseBpmnXml(xml);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  const roots = children(parsed.definitions, 'rootElements');
  const processes = roots.filter((r) => r.$type === 'bpmn:Process');
  const elements = processes.flatMap(flowElements);
  const laneRefs = processes
    .flatMap((p) => children(p, 'laneSets'))
    .flatMap((set) => children(set, 'lanes'))
    .flatMap((lane) => children(lane, 'flowNodeRef'))
    .map((node) => node.id);
  const distinct = (values: (string | undefined)[]) => [...new Set(values.filter((v): v is string => v !== undefined))].sort();
  return {
    xml,
    processIds: processes.map((p) => p.id),
    documentation: processes.flatMap((p) => children(p, 'documentation')).map((d) => attr(d, 'text') ?? ''),
    jobTypes: distinct(elements.flatMap((e) => extensions(e, 'zeebe:TaskDefinition')).map((t) => attr(t, 'type'))),
    formKeys: distinct(elements.flatMap((e) => extensions(e, 'zeebe:FormDefinition')).map((f) => attr(f, 'formKey'))),
    errorCodes: distinct(roots.filter((r) => r.$type === 'bpmn:Error').map((e) => attr(e, 'errorCode'))),
    calledProcesses: distinct(elements.flatMap((e) => extensions(e, 'zeebe:CalledElement')).map((c) => attr(c, 'processId'))),
    userTasksWithoutForm: elements.filter((e) => e.$type === 'bpmn:UserTask' && extensions(e, 'zeebe:FormDefinition').length === 0).map((e) => e.id),
    // Each flow node sits in exactly one lane (center / role); the diagram draws lanes from these refs.
    laneCounts: elements
      .filter((e) => e.$type !== 'bpmn:SequenceFlow')
      .map((e) => [e.id, laneRefs.filter((ref) => ref === e.id).length]),
  };
}

describe.each(PROCESSES.map((p) => [p.id, p] as const))('%s', (id, entry) => {
  it('the catalogue entry matches the model', async () => {
    const used = await usedBy(id);
    expect(used.processIds).toEqual([id]);
    for (const section of entry.specSections) expect(used.documentation.join(' ')).toContain(section);
    expect(used.jobTypes).toEqual([...entry.jobTypes].sort());
    expect(used.formKeys).toEqual([...entry.formKeys].sort());
    expect(used.errorCodes).toEqual([...entry.errorCodes].sort());
    expect(used.calledProcesses).toEqual([...entry.calledProcesses].sort());
    expect(used.userTasksWithoutForm).toEqual([]);
    expect(used.laneCounts.length).toBeGreaterThan(0);
    for (const [elementId, lanes] of used.laneCounts) expect({ elementId, lanes }).toEqual({ elementId, lanes: 1 });
    for (const variable of entry.slaVariables) expect(used.xml).toContain(variable);
  });
});
