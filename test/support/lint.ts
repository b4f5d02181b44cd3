import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');

/**
 * Lints BPMN files as processes/lint.ts does, in its own Node process (its ES-module-only dependencies load
 * there, not under jest): per file, one "<category> <rule> <element id>: <message>" line per problem.
 */
export function lintFiles(files: string[]): Record<string, string[]> {
  const output = execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'processes/lint.ts'), ...files], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(output) as Record<string, string[]>;
}
