#!/usr/bin/env node
/**
 * Sweep overhead: a sweep of N instances of a trivial TS stage on worker threads. What is measured
 * is pipewright's own cost per instance (plan, schedule, dispatch to a thread, record in the
 * lockfile, the run-cache and the run store), since the stage itself does nothing:
 *   - the cold run's wall time per instance at N = 1,000 and 10,000, and the marginal cost
 *     (T(10,000) − T(1,000)) / 9,000, which leaves out start-up;
 *   - a cold run of 100,000 instances: its peak RSS (target ≤ 1 GiB) and the marginal cost
 *     (T(100,000) − T(10,000)) / 90,000 (target ≤ 0.5 ms); `--no-100k` leaves it out;
 *   - beside it, the floor: the same 10,000 calls dispatched by piscina alone (no pipewright);
 *   - peak memory (max RSS) of the 10,000 run with an empty store, and again with 5 runs of
 *     10,000 instances already in it: it must not grow with what is stored;
 *   - how long `pipewright runs`, `show`, `diff` take on that store.
 *
 *   npm run bench:sweep                figures for the README
 *   npm run bench:sweep -- --no-100k   without the 100,000-instance run (~1 min on 2 cores)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trivialSweepProject } from './trivial-sweep.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist/bin/pipewright.cjs');
const JOBS = 2;

function project(n) {
  return trivialSweepProject(n, { name: 'sweep-bench', prefix: 'pw-bench-sweep-' });
}

/** Wall seconds and max RSS (MiB) of one CLI invocation, through GNU time. */
function measure(dir, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, CLI, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`pipewright ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  const rssKiB = Number(r.stderr.trim().split('\n').at(-1));
  return { seconds, rssMiB: rssKiB / 1024 };
}

/** The same number of trivial calls dispatched to worker threads by piscina alone. */
function piscinaFloor(n) {
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-piscina-'));
  writeFileSync(join(dir, 'task.mjs'), 'export default ({ x }) => ({ y: x * 2 });\n');
  writeFileSync(join(dir, "main.mjs"), `import { createRequire } from "node:module";
const { Piscina } = createRequire(${JSON.stringify(REPO + "/")})("piscina");
const pool = new Piscina({ filename: new URL('./task.mjs', import.meta.url).href, maxThreads: ${JOBS}, minThreads: ${JOBS} });
await Promise.all(Array.from({ length: ${n} }, (_, x) => pool.run({ x })));
await pool.destroy();
`);
  const t0 = process.hrtime.bigint();
  execFileSync(process.execPath, [join(dir, 'main.mjs')]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  rmSync(dir, { recursive: true, force: true });
  return seconds;
}

const fmt = (s) => s.toFixed(2);
const ms = (s) => (s * 1000).toFixed(3);

const with100k = !process.argv.includes('--no-100k');
const small = project(1000);
const large = project(10_000);
const huge = with100k ? project(100_000) : undefined;
try {
  const t1k = measure(small, ['run', '-j', String(JOBS)]);
  const t10k = measure(large, ['run', '-j', String(JOBS), '-n', 'first']);
  const floor10k = piscinaFloor(10_000);
  const marginal = (t10k.seconds - t1k.seconds) / 9000;
  // Four more runs of 10,000 instances (forced, so that they all run and are recorded).
  for (let i = 2; i <= 5; i++) measure(large, ['run', '-j', String(JOBS), '--force', '-n', `run-${i}`]);
  const later = measure(large, ['run', '-j', String(JOBS), '--force', '-n', 'sixth']);
  const noop = measure(large, ['run', '-j', String(JOBS)]);
  const runs = measure(large, ['runs']);
  const show = measure(large, ['show', 'sixth', '--json']);
  const diff = measure(large, ['diff', 'first', 'sixth']);
  const nodeFloor = measure(large, ['--version']);
  const t100k = huge ? measure(huge, ['run', '-j', String(JOBS)]) : undefined;

  console.log(`\nSweep of trivial TS instances on ${JOBS} worker threads (${new Date().toISOString().slice(0, 10)})\n`);
  console.log('| measure | figure |');
  console.log('| --- | --- |');
  console.log(`| cold run, 1,000 instances | ${fmt(t1k.seconds)} s (${ms(t1k.seconds / 1000)} ms per instance) |`);
  console.log(`| cold run, 10,000 instances | ${fmt(t10k.seconds)} s (${ms(t10k.seconds / 10_000)} ms per instance) |`);
  console.log(`| marginal cost per instance, (T10k − T1k) / 9,000 | ${ms(marginal)} ms (target ≤ 0.5 ms) |`);
  if (t100k) {
    const marginal100k = (t100k.seconds - t10k.seconds) / 90_000;
    console.log(`| cold run, 100,000 instances | ${fmt(t100k.seconds)} s (${ms(t100k.seconds / 100_000)} ms per instance) |`);
    console.log(`| marginal cost per instance, (T100k − T10k) / 90,000 | ${ms(marginal100k)} ms (target ≤ 0.5 ms: ${marginal100k <= 0.0005 ? 'met' : 'not met'}) |`);
    console.log(`| peak RSS, 100,000 instances, empty store | ${t100k.rssMiB.toFixed(0)} MiB (target ≤ 1,024 MiB: ${t100k.rssMiB <= 1024 ? 'met' : 'not met'}) |`);
  }
  console.log(`| piscina alone, 10,000 trivial calls (the floor) | ${fmt(floor10k)} s: pipewright is ${(t10k.seconds / floor10k).toFixed(1)}x |`);
  console.log(`| peak RSS, 10,000 instances, empty store | ${t10k.rssMiB.toFixed(0)} MiB |`);
  console.log(`| peak RSS, 10,000 instances, 50,000 already stored | ${later.rssMiB.toFixed(0)} MiB (${(later.rssMiB / t10k.rssMiB).toFixed(2)}x) |`);
  console.log(`| no-op run, 10,000 instances up to date | ${fmt(noop.seconds)} s |`);
  console.log(`| \`pipewright runs\` on 6 runs × 10,000 instances | ${fmt(runs.seconds)} s |`);
  console.log(`| \`pipewright show sixth --json\` (10,000 instances) | ${fmt(show.seconds)} s |`);
  console.log(`| \`pipewright diff first sixth\` | ${fmt(diff.seconds)} s |`);
  console.log(`| \`pipewright --version\` (the CLI's start-up) | ${fmt(nodeFloor.seconds)} s |`);
} finally {
  rmSync(small, { recursive: true, force: true });
  rmSync(large, { recursive: true, force: true });
  if (huge) rmSync(huge, { recursive: true, force: true });
}
