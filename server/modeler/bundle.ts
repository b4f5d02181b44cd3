/**
 * The modeler's browser bundle: bpmn-js, its properties panel with the Zeebe properties, the Camunda 8
 * behaviours, bpmnlint with the Camunda 8.3 rules and bpmn-js-differ, bundled by esbuild from npm packages and
 * served from our own origin (nothing is loaded from outside). Each build lands in a directory named after a
 * fingerprint of its inputs, so a stale bundle is rebuilt and concurrent builders (test workers, a second
 * server) never overwrite files another process is serving.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { LINT_CONFIG } from '../../processes/lintConfig';

const CLIENT_DIR = path.join(__dirname, 'client');
const ROOT_DIR = path.resolve(__dirname, '../..');
/** Gitignored; holds one directory per fingerprint. */
export const BUNDLE_ROOT = path.join(__dirname, 'bundle');

const LINT_CONFIG_MODULE = 'virtual:bpmnlint-config';

/**
 * bpmnlint resolves rules from node_modules at run time, which a browser cannot; bpmnlint's compileConfig turns
 * the configuration into a module that imports every enabled rule and exports `{ config, resolver }` (what
 * bpmnlint-loader and rollup-plugin-bpmnlint generate).
 */
const bpmnlintConfigPlugin: Plugin = {
  name: 'bpmnlint-config',
  setup(builder) {
    builder.onResolve({ filter: /^virtual:bpmnlint-config$/ }, () => ({ path: LINT_CONFIG_MODULE, namespace: 'bpmnlint' }));
    builder.onLoad({ filter: /.*/, namespace: 'bpmnlint' }, async () => {
      const compileConfig = require('bpmnlint/lib/support/compile-config') as (config: object) => Promise<string>;
      return { contents: await compileConfig(LINT_CONFIG), loader: 'js', resolveDir: ROOT_DIR };
    });
  },
};

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)])),
  );
  return nested.flat();
}

/** Client sources, this builder, the lint rules and the installed packages (package-lock.json) decide the bundle's content. */
async function fingerprint(): Promise<string> {
  const lintConfig = path.join(ROOT_DIR, 'processes', 'lintConfig.ts');
  const inputs = [...(await sourceFiles(CLIENT_DIR)), __filename, lintConfig, path.join(ROOT_DIR, 'package-lock.json')].sort();
  const hash = createHash('sha256');
  for (const file of inputs) {
    const { mtimeMs, size } = await stat(file);
    hash.update(`${path.relative(ROOT_DIR, file)}:${mtimeMs}:${size}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

async function buildInto(outdir: string): Promise<void> {
  await build({
    entryPoints: {
      edit: path.join(CLIENT_DIR, 'edit.ts'),
      view: path.join(CLIENT_DIR, 'view.ts'),
      compare: path.join(CLIENT_DIR, 'compare.ts'),
      modeler: path.join(CLIENT_DIR, 'modeler.css'),
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    target: 'es2020',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file' },
    assetNames: 'fonts/[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    plugins: [bpmnlintConfigPlugin],
  });
}

/** The directory holding an up-to-date bundle, building it first when missing or stale. */
export async function ensureModelerBundle(): Promise<string> {
  const target = path.join(BUNDLE_ROOT, await fingerprint());
  if (existsSync(target)) return target;
  await mkdir(BUNDLE_ROOT, { recursive: true });
  const staging = await mkdtemp(path.join(BUNDLE_ROOT, '.staging-'));
  try {
    await buildInto(staging);
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Another process finished the same build first: its result is as good as ours.
    if (!existsSync(target)) throw error;
  }
  await removeOutdatedBundles(path.basename(target));
  return target;
}

async function removeOutdatedBundles(current: string): Promise<void> {
  for (const entry of await readdir(BUNDLE_ROOT)) {
    if (entry !== current && !entry.startsWith('.staging-')) await rm(path.join(BUNDLE_ROOT, entry), { recursive: true, force: true });
  }
}
