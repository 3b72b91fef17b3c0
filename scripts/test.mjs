#!/usr/bin/env node
/**
 * `npm test`'s runner, after the build: every test file (dist/test/**\/*.test.js; the helpers and
 * fixtures beside them are not tests) through Node's test runner, two at a time, first on the Node
 * that runs this script, then again on Node 24, installed from the npm registry as the
 * `node-<platform>-<arch>` package (its bin/node) into .node24/ (no other download). The node_modules
 * that `npm ci` installed serve both: the native addons are N-API, one build for every Node.
 *
 * The files are listed here, not left to the runner: Node 20 takes a folder (and then runs every .js
 * under a folder named test, helpers too), Node 21 on takes files or globs but no folder, and
 * Node 20 has no globs.
 *
 * Each pass prints its runner's own report and closing summary. After two passes a last summary, in
 * the runner's format, adds them up (every test ran twice, so each count is twice one pass's when
 * both agree), so that whoever reads the last summary (CI) counts every test that ran.
 *
 * `npm test -- FILE...` runs those test files only. PW_TEST_NODE24=0 runs the first pass only (a developer's quicker run); CI runs both. Where this
 * Node is already a 24, one pass is both.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SECOND_MAJOR = 24;

/** Every *.test.js under dist/test, as paths relative to the repository, in a stable order. */
function testFiles() {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.test.js')) found.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, 'dist/test'));
  return found.sort();
}

const majorOf = (version) => Number(version.replace(/^v/, '').split('.')[0]);

/** The path of a Node `major` binary under .node24/, installed (or brought up to date) from the npm registry. */
function installNode(major) {
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const pkg = `node-${platform}-${process.arch}`;
  const prefix = join(ROOT, '.node24');
  const bin = join(prefix, 'node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  console.error(`installing ${pkg}@${major} from the npm registry into .node24/ for the second pass`);
  const npm = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', prefix, `${pkg}@${major}`], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    shell: process.platform === 'win32',
  });
  const installed = existsSync(bin) ? spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout?.trim() : undefined;
  if (installed && majorOf(installed) === major) {
    if (npm.status !== 0) console.error(`note: npm install failed; using the ${installed} already in .node24/`);
    return bin;
  }
  console.error(`could not install ${pkg}@${major} (npm exited ${npm.status}); PW_TEST_NODE24=0 npm test runs the first pass only`);
  return undefined;
}

const COUNTS = ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo', 'duration_ms'];

/**
 * One pass of the runner over `files` with the `node` binary; its report goes to this terminal or
 * log, and a TAP copy to a file, whose closing summary is returned.
 */
function runPass(node, files, { reporter, env, tapFile }) {
  const args = ['--test', '--test-concurrency=2', `--test-reporter=${reporter}`, '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tapFile}`, ...files];
  return new Promise((resolvePass) => {
    const child = spawn(node, args, { cwd: ROOT, env, stdio: 'inherit' });
    child.on('error', (err) => resolvePass({ ok: false, summary: undefined, why: err.message }));
    child.on('close', (code, signal) => {
      let summary;
      try {
        // The top level's summary: unindented comment lines, the last of each name.
        const tap = readFileSync(tapFile, 'utf8');
        summary = {};
        for (const m of tap.matchAll(/^# (\w+) (\d+(?:\.\d+)?)$/gm)) if (COUNTS.includes(m[1])) summary[m[1]] = Number(m[2]);
        if (summary.tests === undefined) summary = undefined;
      } catch {
        summary = undefined;
      }
      resolvePass({ ok: code === 0 && summary !== undefined, summary, why: signal ? `killed by ${signal}` : `exit code ${code}` });
    });
  });
}

// `npm test -- dist/test/cli/run.test.js ...`: those files only, on both Nodes.
const files = process.argv.length > 2 ? process.argv.slice(2) : testFiles();
if (files.length === 0) {
  console.error('no dist/test/**/*.test.js: run the build first (npm test does)');
  process.exit(1);
}
// Node 20 reports TAP when its output is not a terminal, Node 22 on a spec list: each pass is told,
// so that both read alike (TAP in a log, as CI has always read; the spec list on a terminal).
const reporter = process.stdout.isTTY ? 'spec' : 'tap';
const tmp = mkdtempSync(join(tmpdir(), 'pw-test-runs-'));

const wantSecond = process.env.PW_TEST_NODE24 !== '0';
if (!wantSecond) {
  console.error(`PW_TEST_NODE24=0: the tests run on this Node (${process.version}) only, not again on Node ${SECOND_MAJOR}`);
} else if (majorOf(process.version) === SECOND_MAJOR) {
  console.error(`this Node is ${process.version}: one pass is the Node ${SECOND_MAJOR} pass`);
}

let failed = false;
const results = [];
const first = await runPass(process.execPath, files, { reporter, env: process.env, tapFile: join(tmp, 'first.tap') });
results.push({ version: process.version, ...first });

if (wantSecond && majorOf(process.version) !== SECOND_MAJOR) {
  const node = installNode(SECOND_MAJOR);
  if (!node) failed = true;
  else {
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    // That Node first on PATH too: what the tests start as `node` (a cmd stage's) is the same Node.
    const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` };
    console.error(`\nthe same ${files.length} test files again, on Node ${version}`);
    const second = await runPass(node, files, { reporter, env, tapFile: join(tmp, 'second.tap') });
    results.push({ version, ...second });
  }
}
rmSync(tmp, { recursive: true, force: true });

for (const r of results) if (!r.ok) {
  failed = true;
  console.error(`the pass on Node ${r.version} failed (${r.why})`);
}

if (results.length > 1 && results.every((r) => r.summary)) {
  // Both passes' totals, in the runner's own summary format, as the last summary printed.
  const mark = reporter === 'tap' ? '#' : 'ℹ';
  const each = results.map((r) => `Node ${r.version}: ${r.summary.tests} tests, ${r.summary.pass} pass, ${r.summary.fail} fail, ${r.summary.skipped} skipped`);
  const lines = [`${mark} both passes added up (${each.join('; ')})`];
  for (const name of COUNTS) {
    const sum = results.reduce((total, r) => total + (r.summary[name] ?? 0), 0);
    lines.push(`${mark} ${name} ${name === 'duration_ms' ? sum.toFixed(3) : sum}`);
  }
  console.log(lines.join('\n'));
}
process.exitCode = failed ? 1 : 0;
