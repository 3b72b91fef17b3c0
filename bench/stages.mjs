#!/usr/bin/env node
/**
 * pipewright against GNU make, ninja, Snakemake and doit, on equivalent generated pipelines, in
 * one run on this machine. Two shapes (a chain, and a fan-out of N independent stages into one
 * final stage) at N = 100 and 1000, each stage doing trivial file work. For every tool: cold run
 * with -j1 and -j2, no-op (everything up to date), and one-change (one input in the middle
 * modified: it must rerun exactly the affected stages), and the no-op once more with the tools
 * taken in turn. Then the parallel speed-up on stages that do real CPU work, a DVC project's 8
 * independent stages at -j1 and -j2, hashing throughput on a 1 GiB file, and a folder dep of
 * 10,000 files.
 *
 *   npm run bench                 everything (installs the peers with apt-get when missing)
 *   npm run bench -- --quick      N = 100 only, smaller hashing file
 *
 * Prints tables and pipewright's ratio to each peer; `node -e 0` is timed too: the floor of any
 * Node CLI. Nothing here is a test: figures vary with the machine.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist/bin/pipewright.cjs');
const quick = process.argv.includes('--quick');
const SIZES = quick ? [100] : [100, 1000];
const SHAPES = ['chain', 'fanout'];
const TOOLS = ['pipewright', 'make', 'ninja', 'doit', 'snakemake'];

function ensurePeers() {
  const missing = [['make', 'make'], ['ninja', 'ninja-build'], ['snakemake', 'snakemake'], ['doit', 'python3-doit']]
    .filter(([bin]) => spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  console.error(`installing ${missing.join(' ')} with apt-get ...`);
  execFileSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')} >/dev/null`], { stdio: 'inherit' });
}

/** Seconds a command takes, median of `repeat` runs; throws if it fails. */
function time(cmd, args, cwd, repeat = 1, env = {}) {
  const times = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}: ${r.stderr}`);
    times.push(s);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

/**
 * One pipeline, written for every tool. Stage i reads in/i.txt (and, in a chain, stage i-1's
 * out) and writes out/i.txt; `final` concatenates the last out (chain) or all outs (fan-out).
 * Every stage appends its name to ran.log, so one-change can check what reran.
 */
function generate(dir, shape, n, work = 'cat') {
  mkdirSync(join(dir, 'in'), { recursive: true });
  mkdirSync(join(dir, 'out'), { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(join(dir, 'in', `${i}.txt`), `input ${i}\n`);
  const deps = (i) => (shape === 'chain' && i > 0 ? [`in/${i}.txt`, `out/${i - 1}.txt`] : [`in/${i}.txt`]);
  const cmd = (i) => work === 'cat'
    ? `echo s${i} >> ran.log && cat ${deps(i).join(' ')} > out/${i}.txt`
    : `echo s${i} >> ran.log && node ../cpu.cjs ${deps(i).join(' ')} > out/${i}.txt`;
  const finalDeps = shape === 'chain' ? [`out/${n - 1}.txt`] : Array.from({ length: n }, (_, i) => `out/${i}.txt`);
  const finalCmd = `echo final >> ran.log && cat ${shape === 'chain' ? finalDeps[0] : 'out/*.txt'} > final.txt`;
  const stages = [...Array.from({ length: n }, (_, i) => ({ name: `s${i}`, deps: deps(i), out: `out/${i}.txt`, cmd: cmd(i) })),
    { name: 'final', deps: finalDeps, out: 'final.txt', cmd: finalCmd }];

  // pipewright.yaml
  writeFileSync(join(dir, 'pipewright.yaml'), 'stages:\n' + stages.map((s) =>
    `  ${s.name}:\n    cmd: ${s.cmd}\n    deps: [${s.deps.join(', ')}]\n    outs: [${s.out}]\n`).join(''));
  // Makefile
  writeFileSync(join(dir, 'Makefile'), `all: final.txt\n` + stages.map((s) =>
    `${s.out}: ${s.deps.join(' ')}\n\t${s.cmd}\n`).join(''));
  // build.ninja
  writeFileSync(join(dir, 'build.ninja'), `rule run\n  command = $cmd\n` + stages.map((s) =>
    `build ${s.out}: run ${s.deps.join(' ')}\n  cmd = ${s.cmd.replaceAll('$', '$$')}\n`).join('') + 'default final.txt\n');
  // dodo.py (doit): one task per stage, file_dep and targets; doit checks deps by md5.
  writeFileSync(join(dir, 'dodo.py'), `DOIT_CONFIG = {'verbosity': 0}\nSTAGES = ${JSON.stringify(stages.map((s) => [s.name, s.deps, s.out, s.cmd]))}\n` +
    `def task_stage():\n    for name, deps, out, cmd in STAGES:\n        yield {'name': name, 'file_dep': deps, 'targets': [out], 'actions': [cmd]}\n`);
  // Snakefile: the idiomatic form, one rule with a wildcard, plus the final rule.
  const prev = shape === 'chain' ? `lambda w: ["in/" + w.i + ".txt"] + (["out/" + str(int(w.i) - 1) + ".txt"] if int(w.i) > 0 else [])` : `"in/{i}.txt"`;
  const stepCmd = work === 'cat' ? 'echo s{wildcards.i} >> ran.log && cat {input} > {output}' : 'echo s{wildcards.i} >> ran.log && node ../cpu.cjs {input} > {output}';
  writeFileSync(join(dir, 'Snakefile'), `rule final:\n    input: ${JSON.stringify(finalDeps)}\n    output: "final.txt"\n    shell: "echo final >> ran.log && cat ${shape === 'chain' ? '{input}' : 'out/*.txt'} > {output}"\n\n` +
    `rule step:\n    input: ${prev}\n    output: "out/{i}.txt"\n    wildcard_constraints: i="[0-9]+"\n    shell: "${stepCmd}"\n`);
}

const COMMANDS = {
  pipewright: (j) => [process.execPath, [CLI, 'run', '-j', String(j)]],
  make: (j) => ['make', ['-s', `-j${j}`]],
  ninja: (j) => ['ninja', ['-j', String(j)]],
  doit: (j) => ['doit', j > 1 ? ['-n', String(j), '-P', 'process'] : []],
  snakemake: (j) => ['snakemake', ['-c', String(j), '-q']],
};

function fresh(shape, n, work) {
  const dir = mkdtempSync(join(tmpdir(), `pw-bench-${shape}-${n}-`));
  generate(dir, shape, n, work);
  return dir;
}

function measureTool(tool, shape, n) {
  const [cmd, args1] = COMMANDS[tool](1);
  const [, args2] = COMMANDS[tool](2);
  const result = {};
  let dir = fresh(shape, n);
  result.coldJ1 = time(cmd, args1, dir);
  rmSync(dir, { recursive: true, force: true });
  dir = fresh(shape, n);
  result.coldJ2 = time(cmd, args2, dir);
  result.noop = time(cmd, args1, dir, 3);
  // One change: an input in the middle. Make and ninja go by mtime; give the clock a tick.
  const middle = Math.floor(n / 2);
  spawnSync('sleep', ['0.05']);
  appendFileSync(join(dir, 'in', `${middle}.txt`), 'changed\n');
  writeFileSync(join(dir, 'ran.log'), '');
  result.oneChange = time(cmd, args1, dir);
  const reran = readFileSync(join(dir, 'ran.log'), 'utf8').trim().split('\n').filter(Boolean).sort();
  const expected = (shape === 'chain' ? Array.from({ length: n - middle }, (_, k) => `s${middle + k}`) : [`s${middle}`]).concat('final').sort();
  result.reranExactly = JSON.stringify(reran) === JSON.stringify(expected);
  result.reran = reran.length;
  rmSync(dir, { recursive: true, force: true });
  return result;
}

const fmt = (s) => (s < 0.1 ? s.toFixed(3) : s < 10 ? s.toFixed(2) : s.toFixed(1));
const ratio = (ours, theirs) => `${(ours / theirs).toFixed(2)}x`;

function stagesBench() {
  const nodeFloor = time(process.execPath, ['-e', '0'], REPO, 5);
  // The no-op against `node -e 0` is measured in turn, in noopInTurnBench: one floor taken here
  // minutes before a tool's no-op said more about the VM's drift than about the tool.
  console.log(`\n## Stage runner: cold, no-op, one change  (node -e 0 at the start: ${fmt(nodeFloor)} s)\n`);
  for (const n of SIZES) {
    for (const shape of SHAPES) {
      console.log(`### ${shape}, N = ${n}\n`);
      console.log('| tool | cold -j1 | cold -j2 | no-op | one-change | reran exactly the affected |');
      console.log('| --- | ---: | ---: | ---: | ---: | --- |');
      const rows = {};
      for (const tool of TOOLS) {
        try {
          rows[tool] = measureTool(tool, shape, n);
          const r = rows[tool];
          console.log(`| ${tool} | ${fmt(r.coldJ1)} | ${fmt(r.coldJ2)} | ${fmt(r.noop)} | ${fmt(r.oneChange)} | ${r.reranExactly ? 'yes' : `no (${r.reran})`} |`);
        } catch (err) {
          console.log(`| ${tool} | failed: ${String(err.message).split('\n')[0].slice(0, 80)} | | | | |`);
        }
      }
      const ours = rows.pipewright;
      if (ours) {
        console.log('\npipewright / peer (below 1 is faster):\n');
        console.log('| peer | cold -j1 | cold -j2 | no-op | one-change |');
        console.log('| --- | ---: | ---: | ---: | ---: |');
        for (const tool of TOOLS.slice(1)) {
          const r = rows[tool];
          if (r) console.log(`| ${tool} | ${ratio(ours.coldJ1, r.coldJ1)} | ${ratio(ours.coldJ2, r.coldJ2)} | ${ratio(ours.noop, r.noop)} | ${ratio(ours.oneChange, r.oneChange)} |`);
        }
        console.log('');
      }
    }
  }
}

/**
 * The no-op again, every tool in its own up-to-date fan-out of the largest size, taken in turn
 * with `node -e 0` round after round: a no-op is tens of milliseconds, and this VM's speed drifts
 * by more than that between the sections above.
 */
function noopInTurnBench() {
  const n = SIZES.at(-1);
  const rounds = 9;
  const dirs = {};
  for (const tool of TOOLS) {
    const dir = fresh('fanout', n);
    const [cmd, args] = COMMANDS[tool](2);
    try {
      time(cmd, args, dir); // cold
      time(cmd, COMMANDS[tool](1)[1], dir, 2); // the first no-op may take the long way and note it
      dirs[tool] = dir;
    } catch {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const times = { 'node -e 0': [] };
  for (const tool of Object.keys(dirs)) times[tool] = [];
  for (let r = 0; r < rounds; r++) {
    times['node -e 0'].push(time(process.execPath, ['-e', '0'], REPO));
    for (const [tool, dir] of Object.entries(dirs)) {
      const [cmd, args] = COMMANDS[tool](1);
      times[tool].push(time(cmd, args, dir));
    }
  }
  const median = (v) => v.sort((a, b) => a - b)[v.length >> 1];
  const ours = median(times.pipewright);
  console.log(`
## No-op, fan-out of ${n}: the tools in turn, median of ${rounds} rounds
`);
  console.log('| tool | no-op | pipewright / tool |');
  console.log('| --- | ---: | ---: |');
  for (const [tool, v] of Object.entries(times)) console.log(`| ${tool} | ${fmt(median(v))} | ${ratio(ours, median(v))} |`);
  console.log(`
pipewright no-op minus node -e 0: ${fmt(ours - median(times['node -e 0']))} s`);
  for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
}

/** -j2 against -j1 on a fan-out whose stages do ~0.3 s of CPU work each. */
function parallelBench() {
  const n = quick ? 8 : 16;
  const cpu = `const fs = require('fs');
let x = 0; const until = Date.now() + 300; while (Date.now() < until) x += Math.sqrt(x + 1);
process.stdout.write(process.argv.slice(2).map((f) => fs.readFileSync(f, 'utf8')).join('') + x.toFixed(0).length + '\\n');`;
  console.log(`\n## Parallel speed-up: fan-out of ${n} CPU-bound stages (~0.3 s each)\n`);
  console.log('| tool | -j1 | -j2 | speed-up |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const tool of TOOLS) {
    const times = {};
    for (const j of [1, 2]) {
      const dir = fresh('fanout', n, 'cpu');
      writeFileSync(join(dir, '../cpu.cjs'), cpu);
      const [cmd, args] = COMMANDS[tool](j);
      times[j] = time(cmd, args, dir);
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`| ${tool} | ${fmt(times[1])} | ${fmt(times[2])} | ${(times[1] / times[2]).toFixed(2)}x |`);
  }
}

/** A DVC project (dvc.yaml + params.yaml) with 8 independent stages of real work: -j1 against -j2. */
function dvcBench() {
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-dvc-'));
  writeFileSync(join(dir, 'work.cjs'), `const fs = require('fs');
const [n, ms, out] = process.argv.slice(2);
let x = 0; const until = Date.now() + Number(ms); while (Date.now() < until) x += Math.sqrt(x + 1);
fs.mkdirSync('out', { recursive: true }); fs.writeFileSync(out, n + ' ' + x.toFixed(0).length + '\\n');`);
  writeFileSync(join(dir, 'params.yaml'), 'work:\n  ms: 400\nparts: [0, 1, 2, 3, 4, 5, 6, 7]\n');
  writeFileSync(join(dir, 'dvc.yaml'), `stages:
  part:
    foreach: \${parts}
    do:
      cmd: node work.cjs \${item} \${work.ms} out/\${item}.txt
      deps:
        - work.cjs
      params:
        - work.ms
      outs:
        - out/\${item}.txt
`);
  const times = {};
  for (const j of [1, 2]) {
    rmSync(join(dir, '.pipewright'), { recursive: true, force: true });
    rmSync(join(dir, 'pipewright.lock'), { force: true });
    times[j] = time(process.execPath, [CLI, 'run', '-j', String(j)], dir);
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(`\n## A DVC project (dvc.yaml, foreach) of 8 independent stages of 0.4 s of CPU work\n`);
  console.log('| pipewright | seconds |');
  console.log('| --- | ---: |');
  console.log(`| -j1 | ${fmt(times[1])} |`);
  console.log(`| -j2 | ${fmt(times[2])} |`);
  console.log(`| speed-up | ${(times[1] / times[2]).toFixed(2)}x |`);
}

async function hashBench() {
  const { hashFile } = await import(join(REPO, 'dist/src/cache/hash.js'));
  const size = quick ? 256 : 1024;
  const file = join(tmpdir(), `pw-bench-${size}m.bin`);
  execFileSync('sh', ['-c', `head -c ${size}M /dev/urandom > ${file}`]);
  time('cat', [file], REPO); // warm the page cache
  const md5 = time('md5sum', [file], REPO, 3);
  // cat and pipewright alternately: this VM's speed drifts within seconds.
  const cats = [];
  const times = [];
  for (let i = 0; i < 5; i++) {
    cats.push(time('sh', ['-c', `cat ${file} > /dev/null`], REPO));
    const t0 = process.hrtime.bigint();
    await hashFile(file, size << 20); // as the cache calls it: with the size it has from its stat
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const cat = cats.sort((a, b) => a - b)[2];
  const ours = times.sort((a, b) => a - b)[2];
  rmSync(file);
  const gib = size / 1024;
  console.log(`\n## Hashing a ${size} MiB file (in the page cache; median of 5)\n`);
  console.log('| reader | seconds | GiB/s | share of the read limit |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, s] of [['cat (read limit)', cat], ['md5sum (what DVC uses)', md5], ['pipewright (xxh3-64)', ours]]) {
    console.log(`| ${name} | ${fmt(s)} | ${(gib / s).toFixed(2)} | ${Math.round((cat / s) * 100)}% |`);
  }
}

/** A stage whose dep is a folder of 10,000 small files: status cold, unchanged, one file changed. */
function folderBench() {
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-folder-'));
  const files = quick ? 2000 : 10000;
  mkdirSync(join(dir, 'data'));
  for (let i = 0; i < files; i++) writeFileSync(join(dir, 'data', `f${i}.txt`), `row ${i} ${'x'.repeat(i % 200)}\n`);
  writeFileSync(join(dir, 'pipewright.yaml'), 'stages:\n  count:\n    cmd: ls data | wc -l > count.txt\n    deps: [data]\n    outs: [count.txt]\n');
  const status = () => time(process.execPath, [CLI, 'status'], dir);
  const cold = status();
  const run = time(process.execPath, [CLI, 'run'], dir);
  const unchanged = time(process.execPath, [CLI, 'status'], dir, 3);
  appendFileSync(join(dir, 'data', 'f5000.txt'), 'changed\n');
  const oneChanged = status();
  const md5 = time('sh', ['-c', 'find data -type f -print0 | xargs -0 md5sum > /dev/null'], dir);
  rmSync(dir, { recursive: true, force: true });
  console.log(`\n## A folder dep of ${files} small files\n`);
  console.log('| what | seconds |');
  console.log('| --- | ---: |');
  console.log(`| status, first look (hashes every file) | ${fmt(cold)} |`);
  console.log(`| run (stage runs, folder recorded) | ${fmt(run)} |`);
  console.log(`| status, nothing changed | ${fmt(unchanged)} |`);
  console.log(`| status, one file changed (re-reads that file only) | ${fmt(oneChanged)} |`);
  console.log(`| md5sum of every file (what re-hashing the folder costs with DVC's hash) | ${fmt(md5)} |`);
}

ensurePeers();
if (!existsSync(CLI)) throw new Error('build first: npm run build');
console.log(`# pipewright benchmark, ${new Date().toISOString().slice(0, 10)}, ${process.version}, ${(await import('node:os')).cpus().length} cores`);
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
if (!only || only === 'stages') stagesBench();
if (!only || only === 'noop') noopInTurnBench();
if (!only || only === 'parallel') parallelBench();
if (!only || only === 'dvc') dvcBench();
if (!only || only === 'hash') await hashBench();
if (!only || only === 'folder') folderBench();
