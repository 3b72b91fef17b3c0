#!/usr/bin/env node
/**
 * BullMQ throughput (issue 26): 1,000 trivial TS instances (a sweep whose stage returns a number)
 * through `pipewright run --executor bullmq` on 2 `pipewright worker`s, against bare BullMQ on the
 * same Redis in the same run: the 1,000 jobs added with addBulk, 2 worker processes with a no-op
 * processor, the producer following the completions with QueueEvents. Both get the same worker
 * count and concurrency (1 each, as the README's figures). They are run alternately; medians.
 *
 * Two figures for pipewright, both printed:
 *   - jobs/s through the queue: N / (last job finished − first job added), from the times BullMQ
 *     keeps on each job, the same measure taken of bare BullMQ's jobs. This is the coordinator's
 *     and the workers' cost per job, at the rate jobs flow;
 *   - the whole command: N / wall time of `pipewright run`, which adds node's start, loading and
 *     planning the pipeline before the first job and writing the records after the last.
 * Per job, in each run: Redis calls (INFO commandstats, calls inside BullMQ's scripts included) and
 * CPU milliseconds of the workers, the coordinator (or bare producer) and redis-server.
 *
 *   node bench/bullmq-throughput.mjs [rounds]        standalone (bench/distributed.mjs runs it too)
 *   BENCH_COORD_PROF=dir BENCH_WORKER_PROF=dir ...    --cpu-prof of the coordinator and the workers
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trivialSweepProject } from './trivial-sweep.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist/bin/pipewright.cjs');
const requireRepo = createRequire(REPO + '/');
const WORKERS = 2;
const CONCURRENCY = '1';
/** In flight at once: enough that the workers never wait for the coordinator to add. */
const JOBS = '64';

function tsProject(n) {
  return trivialSweepProject(n, { name: 'bull-bench', prefix: 'pw-bench-bull-ts-', config: `name: bench-bull-${process.pid}-${Date.now()}\n` });
}

const BARE_WORKER = `
const { createRequire } = require('node:module');
const { Worker } = createRequire(${JSON.stringify(REPO + '/')})('bullmq');
const [url, prefix, concurrency] = process.argv.slice(1);
const w = new Worker('bare', async () => ({ ok: 1 }), { connection: { url, maxRetriesPerRequest: null }, prefix, concurrency: Number(concurrency) });
w.waitUntilReady().then(() => process.stdout.write('ready\\n'));
process.on('SIGTERM', () => w.close().then(() => process.exit(0)));
`;

/** CPU seconds (user + system) a live process has used, from /proc. */
function cpuOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function redisCall(url, body) {
  const { Redis } = requireRepo('ioredis');
  const client = new Redis(url);
  try {
    return await body(client);
  } finally {
    client.disconnect();
  }
}
const redisCpu = (url) => redisCall(url, async (c) => {
  const info = await c.info('cpu');
  return Number(info.match(/used_cpu_user:([\d.]+)/)[1]) + Number(info.match(/used_cpu_sys:([\d.]+)/)[1]);
});
const resetStats = (url) => redisCall(url, (c) => c.config('RESETSTAT'));
/** Redis calls since the reset, by command (INFO commandstats; calls made inside scripts included). */
const commandStats = (url) => redisCall(url, async (c) => {
  const calls = {};
  for (const m of (await c.info('commandstats')).matchAll(/cmdstat_(\S+?):calls=(\d+)/g)) {
    if (!['info', 'config'].includes(m[1])) calls[m[1]] = Number(m[2]);
  }
  return calls;
});

/** Seconds from the first job added to the last finished, from the times BullMQ keeps on each (then the queue is emptied). */
async function queuePhase(url, prefix, name, n) {
  const { Queue } = requireRepo('bullmq');
  const queue = new Queue(name, { connection: { url, maxRetriesPerRequest: null }, prefix });
  try {
    const jobs = await queue.getJobs(['completed'], 0, -1);
    if (jobs.length !== n) throw new Error(`${jobs.length} completed jobs in ${prefix}:${name}, not ${n}`);
    return (Math.max(...jobs.map((j) => j.finishedOn)) - Math.min(...jobs.map((j) => j.timestamp))) / 1000;
  } finally {
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
  }
}

async function startWorkers(args, options, ready) {
  const workers = Array.from({ length: WORKERS }, () => spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], ...options }));
  await Promise.all(workers.map((w) => new Promise((r) => {
    let out = '';
    w.stdout.on('data', (d) => {
      if (out !== undefined && (out += d).includes(ready)) {
        out = undefined;
        r();
      }
    });
  })));
  return {
    cpu: () => workers.reduce((a, w) => a + cpuOf(w.pid), 0),
    async stop() {
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r() : w.once('exit', r)))));
    },
  };
}

async function bare(url, prefix, n) {
  const { Queue, QueueEvents } = requireRepo('bullmq');
  const connection = { url, maxRetriesPerRequest: null };
  const workers = await startWorkers(['-e', BARE_WORKER, url, prefix, CONCURRENCY], {}, 'ready');
  const queue = new Queue('bare', { connection, prefix });
  const events = new QueueEvents('bare', { connection, prefix });
  await events.waitUntilReady();
  try {
    await resetStats(url);
    let done = 0;
    const cpu0 = workers.cpu(), me0 = process.cpuUsage(), redis0 = await redisCpu(url);
    const t0 = process.hrtime.bigint();
    const all = new Promise((r) => events.on('completed', () => ++done === n && r()));
    await queue.addBulk(Array.from({ length: n }, (_, i) => ({ name: 'j', data: { i }, opts: { removeOnComplete: { age: 3600 } } })));
    await all;
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const me = process.cpuUsage(me0);
    const cpu = { workers: workers.cpu() - cpu0, coordinator: (me.user + me.system) / 1e6, redis: (await redisCpu(url)) - redis0 };
    const calls = await commandStats(url);
    return { wall, phase: await queuePhase(url, prefix, 'bare', n), cpu, calls };
  } finally {
    await workers.stop();
    await queue.close();
    await events.close();
  }
}

async function pipewright(dir, url, n) {
  const prof = (variable) => (process.env[variable] ? ['--cpu-prof', '--cpu-prof-dir', process.env[variable]] : []);
  const workers = await startWorkers([...prof('BENCH_WORKER_PROF'), CLI, 'worker', '--redis', url, '--concurrency', CONCURRENCY], { cwd: dir }, 'takes ');
  try {
    rmSync(join(dir, '.pipewright'), { recursive: true, force: true });
    rmSync(join(dir, 'pipewright.lock'), { force: true });
    await resetStats(url);
    const cpu0 = workers.cpu(), redis0 = await redisCpu(url);
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', process.execPath, ...prof('BENCH_COORD_PROF'), CLI, 'run', '--executor', 'bullmq', '--redis', url, '-j', JOBS, '-f'],
      { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`pipewright run failed: ${r.stdout.slice(-1500)}${r.stderr.slice(-1500)}`);
    if (!r.stdout.includes(`${n} ran`)) throw new Error(`not ${n} ran: ${r.stdout.slice(-500)}`);
    const [, user, sys] = r.stderr.match(/CPU ([\d.]+) ([\d.]+)/);
    const cpu = { workers: workers.cpu() - cpu0, coordinator: Number(user) + Number(sys), redis: (await redisCpu(url)) - redis0 };
    const calls = await commandStats(url);
    const name = readFileSync(join(dir, 'pipewright.config.yaml'), 'utf8').match(/name: (\S+)/)[1];
    return { wall, phase: await queuePhase(url, `pw-${name}`, 'jobs-any', n), cpu, calls };
  } finally {
    await workers.stop();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perJob = (calls, n) => Object.values(calls).reduce((a, c) => a + c, 0) / n;
const topCalls = (calls, n) => Object.entries(calls).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([c, k]) => `${c} ${(k / n).toFixed(1)}`).join(', ');
const cpuLine = (c, n) => `workers ${(1000 * c.workers / n).toFixed(2)}, coordinator ${(1000 * c.coordinator / n).toFixed(2)}, redis ${(1000 * c.redis / n).toFixed(2)}`;

/**
 * Measures `rounds` alternate rounds on the Redis at `url`; returns the medians and the table
 * (markdown lines). `log` is told each round as it ends.
 */
export async function measureThroughput(url, { rounds = 3, n = 1000, log = (line) => console.error(line) } = {}) {
  const dir = tsProject(n);
  const runs = { bare: [], pipewright: [] };
  try {
    for (let i = 0; i < rounds; i++) {
      // Alternately first: neither always gets the cooler machine.
      const order = i % 2 === 0 ? ['bare', 'pipewright'] : ['pipewright', 'bare'];
      for (const which of order) runs[which].push(which === 'bare' ? await bare(url, `bare${i}`, n) : await pipewright(dir, url, n));
      const [b, p] = [runs.bare.at(-1), runs.pipewright.at(-1)];
      log(`round ${i + 1}: bare ${b.phase.toFixed(2)} s through the queue (${b.wall.toFixed(2)} s to the last event); pipewright ${p.phase.toFixed(2)} s through the queue, ${p.wall.toFixed(2)} s the whole command`);
      log(`  Redis calls per job: bare ${perJob(b.calls, n).toFixed(1)} (${topCalls(b.calls, n)}); pipewright ${perJob(p.calls, n).toFixed(1)} (${topCalls(p.calls, n)})`);
      log(`  CPU ms per job: bare ${cpuLine(b.cpu, n)}; pipewright ${cpuLine(p.cpu, n)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const m = (which, f) => median(runs[which].map(f));
  const figures = {
    barePhase: m('bare', (r) => r.phase), bareWall: m('bare', (r) => r.wall),
    pwPhase: m('pipewright', (r) => r.phase), pwWall: m('pipewright', (r) => r.wall),
    bareCalls: m('bare', (r) => perJob(r.calls, n)), pwCalls: m('pipewright', (r) => perJob(r.calls, n)),
    bareCpu: m('bare', (r) => (r.cpu.workers + r.cpu.coordinator + r.cpu.redis) * 1000 / n), pwCpu: m('pipewright', (r) => (r.cpu.workers + r.cpu.coordinator + r.cpu.redis) * 1000 / n),
  };
  const rate = (s) => (n / s).toFixed(0);
  const table = [
    `| ${n.toLocaleString('en')} trivial TS instances, ${WORKERS} workers (concurrency ${CONCURRENCY}), median of ${rounds} | seconds | jobs/s | Redis calls per job | CPU ms per job (all processes) |`,
    '| --- | ---: | ---: | ---: | ---: |',
    `| bare BullMQ (addBulk, no-op processor): first added to last finished | ${figures.barePhase.toFixed(2)} | ${rate(figures.barePhase)} | ${figures.bareCalls.toFixed(1)} | ${figures.bareCpu.toFixed(2)} |`,
    `| pipewright, \`run --executor bullmq -j ${JOBS}\`: first added to last finished | ${figures.pwPhase.toFixed(2)} | ${rate(figures.pwPhase)} | ${figures.pwCalls.toFixed(1)} | ${figures.pwCpu.toFixed(2)} |`,
    `| pipewright, the whole command (start, plan, records included) | ${figures.pwWall.toFixed(2)} | ${rate(figures.pwWall)} | | |`,
    '',
    `ratio: through the queue, pipewright runs ${(figures.barePhase / figures.pwPhase).toFixed(2)}x the jobs/s of bare BullMQ (goal ≥ 0.5x); the whole command ${(figures.barePhase / figures.pwWall).toFixed(2)}x`,
  ];
  return { ...figures, table };
}

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** A redis-server of the bench's own (127.0.0.1, a free port, no persistence), stopped by the returned function. */
export async function benchRedis() {
  const port = await freePort();
  const redisDir = mkdtempSync(join(tmpdir(), 'pw-bench-redis-'));
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir, '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  return {
    url: `redis://127.0.0.1:${port}`,
    stop() {
      redis.kill('SIGKILL');
      rmSync(redisDir, { recursive: true, force: true });
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const redis = await benchRedis();
  try {
    const { table } = await measureThroughput(redis.url, { rounds: Number(process.argv[2] ?? 3) });
    console.log(table.join('\n'));
  } finally {
    redis.stop();
  }
}
