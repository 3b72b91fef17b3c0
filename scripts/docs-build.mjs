#!/usr/bin/env node
/**
 * `npm run docs` after the build: the command pages from `--help` (scripts/docs-commands.mjs), the API
 * reference from the types (scripts/docs-api.mjs), then VitePress builds the site from `docs/` into
 * `docs/.vitepress/dist/` (or `--out DIR`). Both generators run at once; VitePress waits for them.
 *
 * `node scripts/docs-build.mjs [--out DIR]`.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function step(script, args = []) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', script), ...args], { cwd: ROOT, stdio: 'inherit' });
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done() : fail(new Error(`${script} exited ${code}`))));
  });
}

const i = process.argv.indexOf('--out');
const out = i > 0 ? resolve(process.argv[i + 1]) : join(ROOT, 'docs/.vitepress/dist');
const started = Date.now();
try {
  await Promise.all([step('docs-commands.mjs'), step('docs-api.mjs')]);
  const { build } = await import('vitepress');
  await build(join(ROOT, 'docs'), { outDir: out });
} catch (err) {
  console.error(`docs: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
console.log(`docs: the site is in ${out} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
