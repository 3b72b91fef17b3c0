#!/usr/bin/env node
/**
 * Serving: requests per second of `pipewright serve` against a bare Fastify handler doing the same
 * work, measured with autocannon in the same run (only against servers this script starts on
 * 127.0.0.1, for a bounded time each), on a trivial inline flow and on a flow whose cell crosses to
 * a worker thread; and how fast a full flow answers 503.
 *
 *   npm run bench:flow
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist/bin/pipewright.cjs');
const SECONDS = 5;
const CONNECTIONS = 32;

const dir = mkdtempSync(join(tmpdir(), 'pw-bench-serve-'));
mkdirSync(join(dir, 'node_modules'));
symlinkSync(REPO, join(dir, 'node_modules/pipewright'));
writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
writeFileSync(join(dir, 'inline.flow.mjs'), `import { cell, flow } from 'pipewright';
export default flow('inline', [cell('add', { run: (x) => ({ n: x.n + 1 }) })]);
`);
writeFileSync(join(dir, 'thread.flow.mjs'), `import { cell, flow } from 'pipewright';
export default flow('thread', [cell('add', { executor: 'threads', run: (x) => ({ n: x.n + 1 }) })]);
`);
writeFileSync(join(dir, 'slow.flow.mjs'), `import { cell, flow } from 'pipewright';
export default flow('slow', [cell('nap', { run: (ms) => new Promise((r) => setTimeout(r, ms, ms)) })], { capacity: 1 });
`);
writeFileSync(join(dir, 'bare.mjs'), `import { createRequire } from 'node:module';
const Fastify = createRequire(${JSON.stringify(REPO + '/')})('fastify');
const app = Fastify({ logger: false });
app.post('/', async (request) => ({ n: request.body.n + 1 }));
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stderr.write('serving on ' + url + '\\n');
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
`);

/** Starts a server process and resolves with its URL once it listens. */
function start(args) {
  const child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (t) => {
      err += t;
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(err)?.[1];
      if (url) resolve({ url, stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); }) });
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

async function load(url) {
  const result = await autocannon({
    url, method: 'POST', body: '{"n": 41}', headers: { 'content-type': 'application/json' },
    connections: CONNECTIONS, duration: SECONDS,
  });
  if (result.non2xx) throw new Error(`${url}: ${result.non2xx} answers were not 2xx`);
  return result.requests.average;
}

const rows = [];
try {
  const bare = await start(['bare.mjs']);
  const inline = await start([CLI, 'serve', 'inline.flow.mjs', '--port', '0']);
  const thread = await start([CLI, 'serve', 'thread.flow.mjs', '--port', '0']);
  await load(inline.url); // warm-up, threads started
  const bareRate = await load(bare.url);
  const inlineRate = await load(inline.url);
  const threadRate = await load(thread.url);
  await Promise.all([bare.stop(), inline.stop(), thread.stop()]);
  rows.push(`| \`pipewright serve\`, trivial inline flow, vs bare Fastify | ${inlineRate.toFixed(0)} vs ${bareRate.toFixed(0)} req/s: **${(inlineRate / bareRate).toFixed(2)}×** | ≥ 0.5× | ${inlineRate / bareRate >= 0.5 ? 'yes' : '**no**'} |`);
  rows.push(`| \`pipewright serve\`, cell on a worker thread, vs bare Fastify | ${threadRate.toFixed(0)} vs ${bareRate.toFixed(0)} req/s: **${(threadRate / bareRate).toFixed(2)}×** | ≥ 0.3× | ${threadRate / bareRate >= 0.3 ? 'yes' : '**no**'} |`);

  // A full flow: one slow item in the cell, one waiting; then time the answers to new requests.
  const slow = await start([CLI, 'serve', 'slow.flow.mjs', '--port', '0']);
  const held = Array.from({ length: 4 }, () => fetch(slow.url, { method: 'POST', body: '3000' }).then((r) => r.status));
  await new Promise((r) => setTimeout(r, 300));
  const times = [];
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    const response = await fetch(slow.url, { method: 'POST', body: '1' });
    await response.text();
    if (response.status !== 503) throw new Error(`expected 503 from a full flow, got ${response.status}`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  await Promise.all(held);
  await slow.stop();
  rows.push(`| a full flow answers 503 (median, p90 of 50) | **${times[25].toFixed(2)} ms**, ${times[45].toFixed(2)} ms | < 5 ms | ${times[25] < 5 ? 'yes' : '**no**'} |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\nServing flows, ${new Date().toISOString().slice(0, 10)}, autocannon ${CONNECTIONS} connections × ${SECONDS} s each, client and servers on the same 2 cores\n`);
console.log('| measure | figure | target | met |');
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(r);
