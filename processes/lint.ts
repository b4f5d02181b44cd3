/**
 * Lints BPMN models with bpmnlint's recommended rules plus the Camunda 8.3 compatibility rules, the check a model
 * must pass to open cleanly in Camunda Modeler and deploy to Camunda 8.3. Run as a script it lints the files
 * given as arguments and prints `{ file: problems[] }` as JSON (the tests run it this way, because several
 * camunda-compat dependencies ship as ES modules only, which jest's transform does not reach).
 */
import { readFileSync } from 'node:fs';
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { LINT_CONFIG } from './lintConfig';

// bpmnlint and bpmn-moddle come without types that commonjs resolution can see; these are the parts used here.
interface LintReport {
  id?: string;
  message: string;
  category: string;
}
const { Linter } = require('bpmnlint') as {
  Linter: new (options: { config: object; resolver: unknown }) => { lint(definitions: unknown): Promise<Record<string, LintReport[]>> };
};
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver') as new () => unknown;
const { BpmnModdle } = require('bpmn-moddle') as {
  BpmnModdle: new (packages: object) => { fromXML(xml: string): Promise<{ rootElement: unknown; warnings: { message: string }[] }> };
};

const resolver = new NodeResolver();
const moddle = new BpmnModdle({ zeebe: zeebeDescriptor });

/** Every parse warning and every lint report (errors and warnings), one line each. */
export async function lintBpmn(xml: string): Promise<string[]> {
  const { rootElement, warnings } = await moddle.fromXML(xml);
  // A linter per model: some rules (no-duplicate-sequence-flows) keep what they saw across lint() calls, which
  // would report flows of one model as duplicates of another's.
  const reports = await new Linter({ config: LINT_CONFIG, resolver }).lint(rootElement);
  return [
    ...warnings.map((w) => `parse: ${w.message}`),
    ...Object.entries(reports).flatMap(([rule, found]) => found.map((r) => `${r.category} ${rule} ${r.id ?? ''}: ${r.message}`)),
  ];
}

if (require.main === module) {
  (async () => {
    const result: Record<string, string[]> = {};
    for (const file of process.argv.slice(2)) result[file] = await lintBpmn(readFileSync(file, 'utf8'));
    process.stdout.write(JSON.stringify(result));
  })().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
