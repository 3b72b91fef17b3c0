#!/usr/bin/env node
/**
 * A fresh clone of a 1,000-stage fan-out whose results are all on a folder remote: a plain `run`
 * (the remote consulted as a cache tier, each instance looked up and restored) against the manual
 * path a DVC user takes, `pull --run-cache` and then a `run` that has nothing left to do, measured
 * in the same process on fresh clones, in turns. Target: the tier within 2x of the manual path.
 *
 *   npm run bench:remote              1,000 stages, 3 rounds
 *   npm run bench:remote -- --quick   200 stages, 1 round
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist/bin/pipewright.cjs');
const quick = process.argv.includes('--quick');
const N = quick ? 200 : 1000;
const ROUNDS = quick ? 1 : 3;

const work = mkdtempSync(join(tmpdir(), 'pw-bench-remote-'));
const remote = join(work, 'remote');
const TRACKED = ['pipewright.yaml', 'pipewright.config.yaml', 'in'];

function cli(dir, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`pipewright ${args.join(' ')} failed: ${r.stdout.slice(-1500)}${r.stderr.slice(-1500)}`);
  return { seconds, out: r.stdout + r.stderr };
}

/** The laptop's project: N stages each reading its own input, one final stage reading them all. */
function laptop() {
  const dir = join(work, 'laptop');
  mkdirSync(join(dir, 'in'), { recursive: true });
  let yaml = 'stages:\n';
  for (let i = 0; i < N; i++) {
    writeFileSync(join(dir, 'in', `${i}.txt`), `input ${i}\n`);
    yaml += `  s${i}:\n    cmd: cat in/${i}.txt > out/${i}.txt\n    deps: [in/${i}.txt]\n    outs: [out/${i}.txt]\n`;
  }
  yaml += `  final:\n    cmd: cat out/*.txt > final.txt\n    deps: [${Array.from({ length: N }, (_, i) => `out/${i}.txt`).join(', ')}]\n    outs: [final.txt]\n`;
  writeFileSync(join(dir, 'pipewright.yaml'), yaml);
  writeFileSync(join(dir, 'pipewright.config.yaml'), `remotes:\n  shared:\n    url: ${remote}\ndefault_remote: shared\n`);
  mkdirSync(join(dir, 'out'));
  return dir;
}

let clones = 0;
function freshClone(from) {
  const dir = join(work, `clone-${clones++}`);
  mkdirSync(join(dir, 'out'), { recursive: true });
  for (const f of TRACKED) cpSync(join(from, f), join(dir, f), { recursive: true });
  return dir;
}

const source = laptop();
const first = cli(source, ['run', '-j', '2', '--push']);
console.log(`laptop: ${N + 1} stages run and pushed in ${first.seconds.toFixed(2)} s`);

const manual = [];
const tier = [];
for (let round = 0; round < ROUNDS; round++) {
  // In turns, so that neither gets a warmer disk cache throughout.
  const a = freshClone(source);
  const pulled = cli(a, ['pull', '--run-cache']);
  const noop = cli(a, ['run', '-j', '2']);
  if (!/0 ran/.test(noop.out) && !/up to date/.test(noop.out)) throw new Error(`after pull --run-cache, run still ran something:\n${noop.out.slice(-800)}`);
  manual.push(pulled.seconds + noop.seconds);

  const b = freshClone(source);
  const restored = cli(b, ['run', '-j', '2']);
  if (!new RegExp(`0 ran, ${N + 1} restored`).test(restored.out)) throw new Error(`the tier did not restore everything:\n${restored.out.slice(-800)}`);
  if (readFileSync(join(b, 'final.txt'), 'utf8') !== readFileSync(join(source, 'final.txt'), 'utf8')) throw new Error('final.txt differs');
  tier.push(restored.seconds);
  console.log(`round ${round + 1}: pull --run-cache ${pulled.seconds.toFixed(2)} s + no-op run ${noop.seconds.toFixed(2)} s = ${(pulled.seconds + noop.seconds).toFixed(2)} s; run restoring from the remote ${restored.seconds.toFixed(2)} s`);
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const m = median(manual);
const t = median(tier);
console.log(`\n| fresh clone, ${N + 1} stages on a folder remote | seconds (median of ${ROUNDS}) | ratio |`);
console.log('| --- | ---: | ---: |');
console.log(`| \`pull --run-cache\` then a no-op \`run\` | ${m.toFixed(2)} | 1.00x |`);
console.log(`| \`run\` (the remote as a cache tier) | ${t.toFixed(2)} | ${(t / m).toFixed(2)}x (target ≤ 2x: ${t / m <= 2 ? 'met' : 'NOT met'}) |`);
rmSync(work, { recursive: true, force: true });
