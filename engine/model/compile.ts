/**
 * BPMN XML -> executable processes, rejecting what Zeebe 8.3 rejects at deployment. All problems of a
 * resource are collected and reported together, as Zeebe's deployment rejection does.
 */
import { buildProcess } from './build';
import { attr, children, flag, parseBpmnXml } from './moddle';
import { Problems } from './problems';
import { checkStructure } from './structure';
import { ModelValidationError, type CompiledResource, type ExecutableProcess } from './types';

export async function compileBpmn(resourceName: string, xml: string): Promise<CompiledResource> {
  const parsed = await parseBpmnXml(xml);
  if (!parsed.ok) throw new ModelValidationError(resourceName, parsed.problems);

  const problems = new Problems();
  for (const warning of parsed.warnings) problems.add(warning.elementId, warning.message);

  const executable = children(parsed.definitions, 'rootElements').filter(
    (el) => el.$type === 'bpmn:Process' && flag(el, 'isExecutable') === true,
  );
  if (executable.length === 0) {
    problems.add(attr(parsed.definitions, 'id') ?? '', 'Must contain at least one executable process');
  }
  const processes: ExecutableProcess[] = executable.map((el) => {
    const process = buildProcess(el, problems);
    checkStructure(process, problems);
    return process;
  });

  if (problems.list.length > 0) throw new ModelValidationError(resourceName, problems.list);
  return { processes };
}
