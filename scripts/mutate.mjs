#!/usr/bin/env node
/**
 * `npm run mutate -- <src folder or file> [stryker options]`: mutation testing of one folder or file
 * of src/ with StrykerJS (stryker.config.mjs), incrementally, against the test files that cover it.
 *
 *   npm run mutate -- src/cache/hash.ts
 *   npm run mutate -- src/flow/channel.ts --concurrency 2
 *   npm run mutate -- src/remote --list          # print the files it would mutate and the tests, run nothing
 *   npm run mutate -- src/cache/hash.ts --tests test/cache/hash-vectors.test.ts   # these tests only
 *   npm run mutate -- src/cache/hash.ts --force  # ignore the incremental file, run every mutant
 *
 * The tests that cover a target:
 *  - a folder: the test files under the same path in test/ (src/cache → test/cache/**), plus those
 *    that import one of its modules;
 *  - a file: the test files that import it, directly or through a helper or fixture under test/
 *    (type-only imports do not count);
 *  - both: plus EXTRA_TESTS below, for coverage that imports cannot show (a test that runs the CLI).
 * The test files run compiled, as dist/test/…/*.test.js, built in Stryker's sandbox.
 *
 * Reports: reports/mutation/<target>.html and .json, and the incremental file
 * reports/mutation/<target>.incremental.json (one per target, so that runs on other targets keep it;
 * reports/ is not in git).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Test files that cover a target although they do not import it (keyed by src path, file or folder). */
const EXTRA_TESTS = {
  // Both stream flows through channels; neither test imports the module (they run flows).
  'src/flow/channel.ts': ['test/flow/order.test.ts', 'test/flow/api.test.ts'],
};

const args = process.argv.slice(2);

// Stryker's buildCommand (stryker.config.mjs), in its sandbox: `npm run build`'s two steps, without a
// shell (Stryker splits the command on spaces). tsc's exit status is reported, not fatal: it emits anyway.
if (args[0] === '--sandbox-build') {
  const require = createRequire(import.meta.url);
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin/tsc');
  const started = Date.now();
  const compiled = spawnSync(process.execPath, [tsc, '-p', '.'], { stdio: 'inherit' });
  if (compiled.status !== 0) console.error(`note: tsc exited with ${compiled.status} in the sandbox (its output is above); going on`);
  const bundled = spawnSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' });
  console.error(`sandbox build: ${Date.now() - started} ms`);
  process.exit(bundled.status ?? 1);
}
const target = args.find((a) => !a.startsWith('-'));
if (!target) {
  console.error('usage: npm run mutate -- <src folder or file> [--list] [--tests a.test.ts,b.test.ts] [stryker options]');
  process.exit(2);
}
const rest = args.filter((a) => a !== target);
const take = (flag) => {
  const i = rest.indexOf(flag);
  if (i < 0) return undefined;
  const [, value] = rest.splice(i, 2);
  return value;
};
const listOnly = rest.includes('--list') ? (rest.splice(rest.indexOf('--list'), 1), true) : false;
const testsOverride = take('--tests');

const rel = relative(ROOT, resolve(target)).replace(/\\/g, '/').replace(/\/$/, '');
if (!rel.startsWith('src/') && rel !== 'src' || !existsSync(join(ROOT, rel))) {
  console.error(`not a folder or file under src/: ${target}`);
  process.exit(2);
}
const isFolder = statSync(join(ROOT, rel)).isDirectory();

const walk = (dir, keep) => {
  const out = [];
  if (!existsSync(join(ROOT, dir))) return out;
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...walk(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out.sort();
};

const mutated = isFolder ? walk(rel, (p) => p.endsWith('.ts') && !p.endsWith('.d.ts')) : [rel];
if (mutated.length === 0) {
  console.error(`no .ts files under ${rel}`);
  process.exit(2);
}

/** Relative modules a file imports at run time (not `import type`), as repository paths of .ts files. */
function runtimeImports(file) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found = new Set();
  const patterns = [
    /^\s*import\s+(?!type\s)[^;]*?\sfrom\s+'(\.{1,2}\/[^']+)'/gms,
    /^\s*import\s+'(\.{1,2}\/[^']+)'/gm,
    /^\s*export\s+(?!type\s)[^;]*?\sfrom\s+'(\.{1,2}\/[^']+)'/gms,
    /import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g,
  ];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      found.add(relative(ROOT, resolve(ROOT, dirname(file), m[1])).replace(/\\/g, '/').replace(/\.js$/, '.ts'));
    }
  }
  return found;
}

function coveringTests() {
  if (testsOverride) return testsOverride.split(',').map((t) => t.trim()).filter(Boolean);
  const testTs = walk('test', (p) => p.endsWith('.ts'));
  // Modules that reach a target: the targets, then any helper or fixture in test/ importing one.
  const reaching = new Set(mutated);
  for (let grew = true; grew; ) {
    grew = false;
    for (const file of testTs) {
      if (file.endsWith('.test.ts') || reaching.has(file)) continue;
      if ([...runtimeImports(file)].some((m) => reaching.has(m))) {
        reaching.add(file);
        grew = true;
      }
    }
  }
  const tests = new Set(testTs.filter((f) => f.endsWith('.test.ts') && [...runtimeImports(f)].some((m) => reaching.has(m))));
  if (isFolder) for (const f of walk(rel.replace(/^src/, 'test'), (p) => p.endsWith('.test.ts'))) tests.add(f);
  for (const [key, extra] of Object.entries(EXTRA_TESTS)) {
    if (key === rel || key.startsWith(`${rel}/`)) for (const f of extra) tests.add(f);
  }
  return [...tests].sort();
}

const tests = coveringTests();
for (const t of tests) {
  if (!existsSync(join(ROOT, t))) {
    console.error(`no such test file: ${t}`);
    process.exit(2);
  }
}
if (tests.length === 0) {
  console.error(`no test file covers ${rel}; name some with --tests`);
  process.exit(2);
}
const compiled = tests.map((t) => `dist/${t.replace(/\.ts$/, '.js')}`);

console.log(`mutating ${mutated.length} file(s) under ${rel}:\n  ${mutated.join('\n  ')}`);
console.log(`with ${tests.length} test file(s):\n  ${tests.join('\n  ')}`);
if (listOnly) process.exit(0);

const slug = rel.replace(/^src\/?/, '').replace(/\.ts$/, '').replace(/[/\\]/g, '-') || 'src';
const stryker = join(ROOT, 'node_modules/@stryker-mutator/core/bin/stryker.js');
const run = spawnSync(process.execPath, [stryker, 'run', 'stryker.config.mjs', '--mutate', mutated.join(','), ...rest], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, PW_MUTATE_TESTS: compiled.join('\n'), PW_MUTATE_REPORT: `reports/mutation/${slug}` },
});
process.exit(run.status ?? 1);
