#!/usr/bin/env node
/**
 * The coordinator's own cost (issue 26), against GNU make measured in the same run: on N = 1,000
 * trivial stages (each copies a small file), pipewright's wall time over make's for
 *   - a fan-out, cold, -j2;
 *   - the same fan-out with one input changed, -j2 (one stage and the final one rerun);
 *   - a chain, cold, -j1;
 * and the no-op against `node -e 0`. Each figure is taken `--rounds` times (default 5), the tools
 * alternating within a round (this VM's speed drifts by ±30% within minutes), and the medians are
 * compared.
 *
 *   npm run bench:coordinator
 *   npm run bench:coordinator -- --rounds 9 --n 1000
 *   npm run bench:coordinator -- --peer-cli /path/to/other/pipewright.cjs   another build, as a third tool
 *
 * Targets: each of the three ≤ 1.5x make; the no-op ≤ node -e 0 + 30 ms.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    n: { type: 'string', default: '1000' },
    'peer-cli': { type: 'string' },
    only: { type: 'string' },
  },
});
const ROUNDS = Number(opts.rounds);
const N = Number(opts.n);

const TOOLS = {
  pipewright: (j) => [process.execPath, [join(REPO, 'dist/bin/pipewright.cjs'), 'run', '-j', String(j)]],
  make: (j) => ['make', ['-s', `-j${j}`]],
};
if (opts['peer-cli']) TOOLS['pipewright (peer build)'] = (j) => [process.execPath, [resolve(opts['peer-cli']), 'run', '-j', String(j)]];

/** Seconds one command takes; throws if it fails. */
function time(cmd, args, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}: ${r.stderr}`);
  return s;
}

/** The same pipeline as bench/stages.mjs writes, for pipewright and make only. */
function generate(shape, n) {
  const dir = mkdtempSync(join(tmpdir(), `pw-coord-${shape}-`));
  mkdirSync(join(dir, 'in'));
  mkdirSync(join(dir, 'out'));
  for (let i = 0; i < n; i++) writeFileSync(join(dir, 'in', `${i}.txt`), `input ${i}\n`);
  const deps = (i) => (shape === 'chain' && i > 0 ? [`in/${i}.txt`, `out/${i - 1}.txt`] : [`in/${i}.txt`]);
  const stages = Array.from({ length: n }, (_, i) => ({ name: `s${i}`, deps: deps(i), out: `out/${i}.txt`, cmd: `echo s${i} >> ran.log && cat ${deps(i).join(' ')} > out/${i}.txt` }));
  const finalDeps = shape === 'chain' ? [`out/${n - 1}.txt`] : stages.map((s) => s.out);
  stages.push({ name: 'final', deps: finalDeps, out: 'final.txt', cmd: `echo final >> ran.log && cat ${shape === 'chain' ? finalDeps[0] : 'out/*.txt'} > final.txt` });
  writeFileSync(join(dir, 'pipewright.yaml'), 'stages:\n' + stages.map((s) =>
    `  ${s.name}:\n    cmd: ${s.cmd}\n    deps: [${s.deps.join(', ')}]\n    outs: [${s.out}]\n`).join(''));
  writeFileSync(join(dir, 'Makefile'), `all: final.txt\n` + stages.map((s) => `${s.out}: ${s.deps.join(' ')}\n\t${s.cmd}\n`).join(''));
  return dir;
}

const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const fmt = (s) => (s < 0.1 ? s.toFixed(3) : s.toFixed(2));

/** One figure: for each round, each tool in turn on a fresh project; `prepare` readies it, `measure` is timed. */
function figure(name, shape, prepare, j) {
  const times = Object.fromEntries(Object.keys(TOOLS).map((t) => [t, []]));
  let exact = true;
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? Object.keys(TOOLS) : Object.keys(TOOLS).reverse();
    for (const tool of order) {
      const dir = generate(shape, N);
      const [cmd, args] = TOOLS[tool](j);
      const check = prepare(dir, () => time(cmd, args, dir));
      times[tool].push(time(cmd, args, dir));
      if (check && !check(dir)) exact = false;
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { name, times, exact };
}

/** One input in the middle changed after a cold run: exactly that stage and `final` must rerun. */
function oneChange(dir, cold) {
  cold();
  const middle = Math.floor(N / 2);
  spawnSync('sleep', ['0.05']); // make goes by mtime
  appendFileSync(join(dir, 'in', `${middle}.txt`), 'changed\n');
  writeFileSync(join(dir, 'ran.log'), '');
  return (d) => readFileSync(join(d, 'ran.log'), 'utf8').trim().split('\n').sort().join(',') === [`s${middle}`, 'final'].sort().join(',');
}

/** The no-op in turn with `node -e 0`, on one up-to-date fan-out per build. */
function noop() {
  const builds = Object.keys(TOOLS).filter((t) => t.startsWith('pipewright'));
  const dirs = Object.fromEntries(builds.map((t) => {
    const dir = generate('fanout', N);
    const [cmd, args] = TOOLS[t](2);
    time(cmd, args, dir);
    time(cmd, args, dir); // the first no-op after a change takes the long way
    return [t, dir];
  }));
  const times = { 'node -e 0': [], ...Object.fromEntries(builds.map((t) => [t, []])) };
  for (let r = 0; r < ROUNDS * 2; r++) {
    times['node -e 0'].push(time(process.execPath, ['-e', '0'], REPO));
    for (const t of builds) times[t].push(time(...TOOLS[t](1), dirs[t]));
  }
  for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  return times;
}

console.log(`# The coordinator's own cost: N = ${N}, ${ROUNDS} rounds, tools alternating (${new Date().toISOString().slice(0, 16)}Z, ${process.version})\n`);
const figures = [];
const want = (k) => !opts.only || opts.only.split(',').includes(k);
if (want('fanout')) figures.push(figure('fan-out, cold, -j2', 'fanout', () => undefined, 2));
if (want('onechange')) figures.push(figure('fan-out, one input changed, -j2', 'fanout', oneChange, 2));
if (want('chain')) figures.push(figure('chain, cold, -j1', 'chain', () => undefined, 1));
if (figures.length) {
  const names = Object.keys(TOOLS);
  console.log(`| figure (median s) | ${names.join(' | ')} | pipewright / make | target ≤ 1.5x |`);
  console.log(`| --- | ${names.map(() => '---:').join(' | ')} | ---: | --- |`);
  for (const f of figures) {
    const med = Object.fromEntries(names.map((t) => [t, median(f.times[t])]));
    const ratio = med.pipewright / med.make;
    console.log(`| ${f.name}${f.exact ? '' : ' (reran the wrong stages!)'} | ${names.map((t) => fmt(med[t])).join(' | ')} | ${ratio.toFixed(2)}x | ${ratio <= 1.5 ? 'met' : 'not met'} |`);
  }
  console.log('\nper round (s): ' + figures.map((f) => `${f.name}: ` + names.map((t) => `${t} ${f.times[t].map(fmt).join('/')}`).join('; ')).join(' || '));
}
if (want('noop')) {
  const t = noop();
  const floor = median(t['node -e 0']);
  console.log(`\n| no-op, fan-out of ${N} (median of ${ROUNDS * 2}, in turn) | s | minus node -e 0 | target ≤ +30 ms |`);
  console.log('| --- | ---: | ---: | --- |');
  for (const [k, v] of Object.entries(t)) {
    const extra = median(v) - floor;
    console.log(`| ${k} | ${fmt(median(v))} | ${k === 'node -e 0' ? '' : `+${(extra * 1000).toFixed(0)} ms`} | ${k === 'node -e 0' ? '' : extra <= 0.03 ? 'met' : 'not met'} |`);
  }
}
