#!/usr/bin/env node
/**
 * BullMQ throughput: 1,000 trivial TS instances (a sweep whose stage returns a number) on 2
 * `pipewright worker`s (concurrency 1 each), against bare BullMQ on the same Redis in the same
 * run: the 1,000 jobs added with addBulk, 2 worker processes with a no-op processor
 * (concurrency 1 each), and the producer following their completions through QueueEvents.
 * The two are run alternately; medians and their ratio are printed.
 *
 *   node bench/distributed-throughput.mjs [rounds]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist/bin/pipewright.cjs');
const N = Number(process.env.BENCH_N ?? 1000);
const WORKERS = 2;
const ROUNDS = Number(process.argv[2] ?? 3);
const CONCURRENCY = process.env.BENCH_CONCURRENCY ?? '1';
const JOBS = process.env.BENCH_JOBS ?? '64';

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

function tsProject(n) {
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-bull-ts-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules/pipewright'));
  symlinkSync(join(REPO, 'node_modules/zod'), join(dir, 'node_modules/zod'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'pipewright.config.yaml'), `name: bench-bull-${process.pid}-${Date.now()}\n`);
  writeFileSync(join(dir, 'pipewright.ts'), `import { grid, pipeline, stage } from 'pipewright';
import { z } from 'zod';
const xs = Array.from({ length: ${n} }, (_, i) => i);
const trivial = stage('trivial', {
  params: z.object({ x: z.number().default(0) }),
  sweep: { space: { x: grid(xs) } },
  run: ({ params }) => ({ y: params.x * 2 }),
});
export default pipeline('bull-bench', [trivial]);
`);
  return dir;
}

const BARE_WORKER = `
const { createRequire } = require('node:module');
const { Worker } = createRequire(${JSON.stringify(REPO + '/')})('bullmq');
const [url, prefix] = process.argv.slice(1);
const w = new Worker('bare', async () => ({ ok: 1 }), { connection: { url, maxRetriesPerRequest: null }, prefix, concurrency: Number(process.argv[3]) });
w.waitUntilReady().then(() => process.stdout.write('ready\\n'));
process.on('SIGTERM', () => w.close().then(() => process.exit(0)));
`;

async function bare(url, prefix) {
  const { Queue, QueueEvents } = createRequire(REPO + '/')('bullmq');
  const connection = { url, maxRetriesPerRequest: null };
  const workers = Array.from({ length: WORKERS }, () => spawn(process.execPath, ['-e', BARE_WORKER, url, prefix, CONCURRENCY], { stdio: ['ignore', 'pipe', 'inherit'] }));
  await Promise.all(workers.map((w) => new Promise((r) => w.stdout.on('data', (d) => String(d).includes('ready') && r()))));
  const queue = new Queue('bare', { connection, prefix });
  const events = new QueueEvents('bare', { connection, prefix });
  await events.waitUntilReady();
  try {
    let done = 0;
    const cpu0 = workers.map((w) => cpuOf(w.pid)), me0 = process.cpuUsage(), redis0 = await redisCpu(url);
    const t0 = process.hrtime.bigint();
    const all = new Promise((r) => events.on('completed', () => ++done === N && r()));
    await queue.addBulk(Array.from({ length: N }, (_, i) => ({ name: 'j', data: { i }, opts: { removeOnComplete: { age: 3600 } } })));
    await all;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const me = process.cpuUsage(me0);
    cpu.bare.push({ workers: workers.reduce((a, w, i) => a + cpuOf(w.pid) - cpu0[i], 0), coordinator: (me.user + me.system) / 1e6, redis: (await redisCpu(url)) - redis0 });
    return seconds;
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r() : w.once('exit', r)))));
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    await events.close();
  }
}

async function pipewright(dir, url) {
  const workers = Array.from({ length: WORKERS }, () => spawn(process.execPath, [...(process.env.BENCH_WORKER_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_WORKER_PROF] : []), CLI, 'worker', '--redis', url, '--concurrency', CONCURRENCY], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] }));
  await Promise.all(workers.map((w) => new Promise((r) => {
    let out = '';
    w.stdout.on('data', (d) => (out += d).includes('takes ') && r());
  })));
  try {
    rmSync(join(dir, '.pipewright'), { recursive: true, force: true });
    rmSync(join(dir, 'pipewright.lock'), { force: true });
    if (process.env.BENCH_WARM) {
      spawnSync(process.execPath, [CLI, 'run', '--executor', 'bullmq', '--redis', url, '-j', JOBS, '-f'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
      rmSync(join(dir, '.pipewright'), { recursive: true, force: true });
      rmSync(join(dir, 'pipewright.lock'), { force: true });
    }
    const cpu0 = workers.map((w) => cpuOf(w.pid)), redis0 = await redisCpu(url);
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', process.execPath, ...(process.env.BENCH_COORD_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_COORD_PROF] : []), CLI, 'run', '--executor', 'bullmq', '--redis', url, '-j', JOBS, '-f'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const [, user, sys] = r.stderr.match(/CPU ([\d.]+) ([\d.]+)/) ?? [];
    cpu.pipewright.push({ workers: workers.reduce((a, w, i) => a + cpuOf(w.pid) - cpu0[i], 0), coordinator: Number(user) + Number(sys), redis: (await redisCpu(url)) - redis0 });
    if (r.status !== 0) throw new Error(`pipewright run failed: ${r.stdout.slice(-1500)}${r.stderr.slice(-1500)}`);
    if (!r.stdout.includes(`${N} ran`)) throw new Error(`not ${N} ran: ${r.stdout.slice(-500)}`);
    return { seconds, t0 };
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r() : w.once('exit', r)))));
  }
}

/** Where the time of a run went, from the jobs BullMQ keeps: added, taken, finished. */
async function timeline(url, dir, t0) {
  const { Queue } = createRequire(REPO + '/')('bullmq');
  const name = (await import('node:fs')).readFileSync(join(dir, 'pipewright.config.yaml'), 'utf8').match(/name: (\S+)/)[1];
  const queue = new Queue('jobs-any', { connection: { url, maxRetriesPerRequest: null }, prefix: `pw-${name}` });
  const jobs = await queue.getJobs(['completed'], 0, -1);
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  const first = Math.min(...jobs.map((j) => j.timestamp)), last = Math.max(...jobs.map((j) => j.finishedOn));
  const med = (f) => median(jobs.map(f));
  const startMs = Number(t0 / 1000000n) - (Number(process.hrtime.bigint() / 1000000n) - Date.now());
  console.error(`  job data ${JSON.stringify(jobs[0].data).length} bytes: ${JSON.stringify(jobs[0].data).slice(0, 600)}`);
  console.error(`  ${jobs.length} jobs: first added ${first - startMs} ms after start, last finished ${last - first} ms later; median wait ${med((j) => j.processedOn - j.timestamp)} ms, median processing ${med((j) => j.finishedOn - j.processedOn)} ms`);
}

function local(dir) {
  rmSync(join(dir, '.pipewright'), { recursive: true, force: true });
  rmSync(join(dir, 'pipewright.lock'), { force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, 'run', '-j', String(WORKERS), '-f'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Redis calls since the last reset, by command (INFO commandstats; calls made inside scripts included). */
async function commandStats(url, reset) {
  const { Redis } = createRequire(REPO + '/')('ioredis');
  const client = new Redis(url);
  try {
    if (reset) return void (await client.config('RESETSTAT'));
    const text = await client.info('commandstats');
    const calls = {};
    for (const m of text.matchAll(/cmdstat_(\S+?):calls=(\d+)/g)) calls[m[1]] = Number(m[2]);
    return calls;
  } finally {
    client.disconnect();
  }
}
const perJob = (calls) => Object.entries(calls).filter(([c]) => !['info', 'config'].includes(c)).reduce((a, [, n]) => a + n, 0) / N;
const topCalls = (calls) => Object.entries(calls).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([c, n]) => `${c} ${(n / N).toFixed(2)}`).join(', ');

/** CPU seconds (user + system) a live process has used, from /proc. */
function cpuOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
async function redisCpu(url) {
  const { Redis } = createRequire(REPO + '/')('ioredis');
  const client = new Redis(url);
  const info = await client.info('cpu');
  client.disconnect();
  return Number(info.match(/used_cpu_user:([\d.]+)/)[1]) + Number(info.match(/used_cpu_sys:([\d.]+)/)[1]);
}
const cpu = { bare: [], pipewright: [] };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const port = await freePort();
const redisDir = mkdtempSync(join(tmpdir(), 'pw-bench-redis-'));
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir, '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 300));
const url = `redis://127.0.0.1:${port}`;
const dir = tsProject(N);
try {
  const pw = [], bareS = [], loc = [];
  for (let i = 0; i < ROUNDS; i++) {
    await commandStats(url, true);
    bareS.push(await bare(url, `bare${i}`));
    const bareCalls = await commandStats(url);
    await commandStats(url, true);
    const run = await pipewright(dir, url);
    pw.push(run.seconds);
    const pwCalls = await commandStats(url);
    if (process.env.BENCH_TIMELINE) await timeline(url, dir, run.t0);
    if (process.env.BENCH_CALLS) console.error('  more calls per job than bare:', Object.entries(pwCalls).map(([c, n]) => [c, (n - (bareCalls[c] ?? 0)) / N]).filter(([, d]) => Math.abs(d) > 0.05).map(([c, d]) => `${c} ${d.toFixed(2)}`).join(', '));
    console.error(`  Redis calls per job: bare ${perJob(bareCalls).toFixed(1)} (${topCalls(bareCalls)}); pipewright ${perJob(pwCalls).toFixed(1)} (${topCalls(pwCalls)})`);
    if (process.env.BENCH_LOCAL) loc.push(local(dir));
    const show = (c) => `workers ${(1000 * c.workers / N).toFixed(2)}, coordinator ${(1000 * c.coordinator / N).toFixed(2)}, redis ${(1000 * c.redis / N).toFixed(2)}`;
    console.error(`  CPU ms per job: bare ${show(cpu.bare.at(-1))}; pipewright ${show(cpu.pipewright.at(-1))}`);
    console.error(`round ${i + 1}: bare ${bareS.at(-1).toFixed(2)} s, pipewright ${pw.at(-1).toFixed(2)} s${loc.length ? `, local ${loc.at(-1).toFixed(2)} s` : ''}`);
  }
  const p = median(pw), b = median(bareS);
  console.log(`| ${N} trivial TS instances, ${WORKERS} workers (concurrency 1) | seconds (median of ${ROUNDS}) | jobs/s |`);
  console.log('| --- | ---: | ---: |');
  console.log(`| bare BullMQ (addBulk, no-op processor) | ${b.toFixed(2)} | ${(N / b).toFixed(0)} |`);
  console.log(`| pipewright run --executor bullmq -j ${JOBS} (whole command) | ${p.toFixed(2)} | ${(N / p).toFixed(0)} |`);
  if (loc.length) console.log(`| pipewright run -j ${WORKERS} (local threads) | ${median(loc).toFixed(2)} | ${(N / median(loc)).toFixed(0)} |`);
  console.log(`ratio: pipewright ${(b / p).toFixed(2)}x the jobs/s of bare BullMQ`);
} finally {
  redis.kill('SIGKILL');
  rmSync(redisDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
}
