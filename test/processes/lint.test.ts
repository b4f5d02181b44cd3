/**
 * Every model in processes/ passes bpmnlint's recommended rules and the Camunda 8.3 compatibility rules without
 * an error or a warning, so it opens cleanly in Camunda Modeler and deploys to a Camunda 8.3 cluster as well.
 */
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROCESSES, processFile } from '../../processes/catalogue';
import { lintFiles } from '../support/lint';

const ROOT = path.join(__dirname, '../..');

it('every model of the catalogue lints clean', () => {
  const files = PROCESSES.map((p) => processFile(p.id));
  const problems = lintFiles(files);
  expect(Object.keys(problems).sort()).toEqual([...files].sort());
  for (const file of files) expect({ file: path.basename(file), problems: problems[file] }).toEqual({ file: path.basename(file), problems: [] });
});

it('the linter does report a broken model', () => {
  // A process that is only a start event: proof that the clean result above means something.
  const broken = path.join(ROOT, 'test/processes/fixtures/broken.bpmn');
  const [problems] = Object.values(lintFiles([broken]));
  expect(problems.some((p) => p.includes('end-event-required'))).toBe(true);
});

it('processes/ holds exactly the models of the catalogue', () => {
  const files = readdirSync(path.join(ROOT, 'processes')).filter((f) => f.endsWith('.bpmn'));
  expect(files.sort()).toEqual(PROCESSES.map((p) => `${p.id}.bpmn`).sort());
});

it('judges each model on its own: a flow in one model is no duplicate of a flow in another', () => {
  // Two copies of one model linted in one run, as the catalogue is: models share flow ids by design.
  const copy = path.join(mkdtempSync(path.join(os.tmpdir(), 'lint-')), 'complaint-copy.bpmn');
  copyFileSync(processFile('complaint'), copy);
  const problems = lintFiles([processFile('complaint'), copy]);
  expect(problems[copy]).toEqual([]);
});
