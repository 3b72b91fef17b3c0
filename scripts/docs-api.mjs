#!/usr/bin/env node
/**
 * The documentation's API reference: TypeDoc over `src/index.ts` (the package's public API), written as
 * markdown pages into `docs/api/` (gitignored) by typedoc-plugin-markdown and typedoc-vitepress-theme,
 * with `docs/api/typedoc-sidebar.json` for the site's sidebar. Options: `docs/.api-tools/typedoc.json`.
 *
 * TypeDoc drives the TypeScript compiler API, which TypeScript 7 (the project's compiler, native) does
 * not ship: TypeDoc and its TypeScript 6 are the dependencies of `docs/.api-tools/package.json`, a
 * `file:` devDependency of the repository, so npm installs them in `docs/.api-tools/node_modules`.
 *
 * `node scripts/docs-api.mjs`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS = join(ROOT, 'docs/.api-tools');
const TYPEDOC = join(TOOLS, 'node_modules/typedoc/bin/typedoc');

export function writeApiPages() {
  if (!existsSync(TYPEDOC)) throw new Error(`${TYPEDOC} is missing: run npm ci (docs/.api-tools is a devDependency)`);
  const r = spawnSync(process.execPath, [TYPEDOC, '--options', join(TOOLS, 'typedoc.json')], { cwd: TOOLS, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`typedoc exited ${r.status}:\n${r.stdout}${r.stderr}`);
  // TypeDoc's warnings (a broken {@link}, a missing type) fail the docs build: the reference must be whole.
  const warnings = `${r.stdout}${r.stderr}`.split('\n').filter((l) => /\[warning\]|\[error\]/.test(l));
  if (warnings.length > 0) throw new Error(`typedoc warned:\n${warnings.join('\n')}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  writeApiPages();
  console.log(`docs-api: API reference from src/index.ts in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
