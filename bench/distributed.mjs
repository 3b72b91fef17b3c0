#!/usr/bin/env node
/**
 * Distributed runs through BullMQ on a real redis-server started here (127.0.0.1, a free port):
 *   - 16 CPU-bound instances of ~1 s each: 1 worker (concurrency 1) against 2 workers
 *     (concurrency 1 each), and against the local executor with -j 2, in the same run;
 *   - 1,000 trivial instances: jobs per second through Redis and the per-job overhead against the
 *     local executor (-j 2);
 *   - 1,000 trivial TS instances on 2 workers against bare BullMQ on the same Redis (addBulk, a
 *     no-op processor, 2 workers), alternately, with the ratio (bench/bullmq-throughput.mjs).
 * Workers share the project folder with the coordinator (the shared-workspace mode).
 *
 *   npm run bench:distributed
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchRedis, measureThroughput } from './bullmq-throughput.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist/bin/pipewright.cjs');

function project(name, stages) {
  const dir = mkdtempSync(join(tmpdir(), `pw-bench-${name}-`));
  writeFileSync(join(dir, 'pipewright.config.yaml'), `name: bench-${name}-${Date.now()}\n`);
  writeFileSync(join(dir, 'burn.cjs'), 'const end = Date.now() + Number(process.argv[2]); let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1); require("fs").writeFileSync(process.argv[3], String(x));\n');
  writeFileSync(join(dir, 'pipewright.yaml'), `stages:\n${stages}`);
  return dir;
}

const cpuStages = (n, ms) => Array.from({ length: n }, (_, i) => `  s${i}:\n    cmd: node burn.cjs ${ms} out${i}.txt\n    outs: [out${i}.txt]\n`).join('');
const trivialStages = (n) => Array.from({ length: n }, (_, i) => `  t${i}:\n    cmd: echo ${i} > t${i}.txt\n    outs: [t${i}.txt]\n`).join('');

function timed(dir, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`pipewright ${args.join(' ')} failed: ${r.stdout.slice(-1500)}${r.stderr.slice(-1500)}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function withWorkers(dir, redis, count, body) {
  const workers = Array.from({ length: count }, () => spawn(process.execPath, [CLI, 'worker', '--redis', redis, '--concurrency', '1'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] }));
  await Promise.all(workers.map((w) => new Promise((resolveReady) => {
    let out = '';
    w.stdout.on('data', (d) => {
      out += d;
      if (out.includes('takes ')) resolveReady();
    });
  })));
  try {
    return body();
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r() : w.once('exit', r)))));
  }
}

const redis = await benchRedis();
const url = redis.url;
const clean = (dir) => rmSync(join(dir, '.pipewright'), { recursive: true, force: true }) ?? rmSync(join(dir, 'pipewright.lock'), { force: true });

try {
  const cpu = project('cpu', cpuStages(16, 1000));
  const local = timed(cpu, ['run', '-j', '2', '-f']);
  clean(cpu);
  const one = await withWorkers(cpu, url, 1, () => timed(cpu, ['run', '--executor', 'bullmq', '--redis', url, '-j', '16', '-f']));
  clean(cpu);
  const two = await withWorkers(cpu, url, 2, () => timed(cpu, ['run', '--executor', 'bullmq', '--redis', url, '-j', '16', '-f']));

  const trivial = project('trivial', trivialStages(1000));
  const localTrivial = timed(trivial, ['run', '-j', '2', '-f']);
  clean(trivial);
  const bullTrivial = await withWorkers(trivial, url, 2, () => timed(trivial, ['run', '--executor', 'bullmq', '--redis', url, '-j', '64', '-f']));
  const againstBare = await measureThroughput(url, { rounds: Number(process.env.BENCH_ROUNDS ?? 3) });

  const date = new Date().toISOString().slice(0, 10);
  console.log(`Distributed runs, ${date} (2 cores; workers share the project folder)\n`);
  console.log('| 16 instances of ~1 s of CPU | seconds | ratio |');
  console.log('| --- | ---: | ---: |');
  console.log(`| BullMQ, 1 worker (concurrency 1) | ${one.toFixed(2)} | 1.00x |`);
  console.log(`| BullMQ, 2 workers (concurrency 1 each) | ${two.toFixed(2)} | ${(one / two).toFixed(2)}x faster than 1 worker |`);
  console.log(`| local, -j 2 | ${local.toFixed(2)} | 2 workers take ${(two / local).toFixed(2)}x its time |`);
  console.log('');
  console.log('| 1,000 trivial instances | seconds | jobs/s | per instance |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(`| local, -j 2 | ${localTrivial.toFixed(2)} | ${(1000 / localTrivial).toFixed(0)} | ${(localTrivial).toFixed(2)} ms |`);
  console.log(`| BullMQ, 2 workers | ${bullTrivial.toFixed(2)} | ${(1000 / bullTrivial).toFixed(0)} | ${(bullTrivial).toFixed(2)} ms (${((bullTrivial - localTrivial)).toFixed(2)} ms more per job) |`);
  console.log('');
  console.log(againstBare.table.join('\n'));
} finally {
  redis.stop();
}
