#!/usr/bin/env node
/**
 * `pipewright ui` on a large store (issue 16): 10,000 runs and 100,000 instances made by
 * bench/ui-store.mjs, served by the real CLI (dist/bin/pipewright.cjs ui) on 127.0.0.1.
 *   - `/api/runs`, first page: cold (the first request to a freshly started server, over several
 *     starts) and warm (median of many), sorted by a metric and by a param, filtered by text,
 *     by status, and a deep page;
 *   - page ready in Chromium (Debian's, through playwright-core): from navigating to the token URL
 *     until the runs table has its 50 rows; re-sorting by a metric column by a click;
 *   - opening the run of 1,000 instances: its API response, its page until the DAG is drawn, and
 *     a click on its swept stage until the instances table has all 997 of its rows.
 * Target: the first page of 10,000 runs in under 2 s. The peer, measured in the same run: MLflow
 * cannot be installed here (PyPI is not reachable), so the reference is the naive way of making
 * the same table, as `pipewright runs` does: load every run and its stages' instances
 * (`runRows(store, store.runs())`), sort in memory, take 50; and the `pipewright runs --json`
 * command itself.
 *
 *   npm run bench:ui            (BENCH_UI_RUNS / BENCH_UI_INSTANCES for another size)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeUiStore } from './ui-store.mjs';
import { CLI, startCli } from '../scripts/start-cli.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.PIPEWRIGHT_CHROMIUM ?? '/usr/bin/chromium';
const RUNS = Number(process.env.BENCH_UI_RUNS ?? 10_000);
const INSTANCES = Number(process.env.BENCH_UI_INSTANCES ?? 100_000);
const TARGET_MS = 2000;
const COLD_STARTS = 5;
const WARM_REPS = 20;
const BROWSER_REPS = 5;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const range = (xs) => `${ms(Math.min(...xs))}–${ms(Math.max(...xs))}`;

/** The server's answer to one GET, timed from sending to the last byte of the body. */
function get(port, path, { cookie, agent } = {}) {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { host: `127.0.0.1:${port}`, ...(cookie ? { cookie } : {}) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c)).on('end', () => done({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
    });
    req.on('error', fail);
    req.end();
  });
}

async function getJson(port, path, options) {
  const reply = await get(port, path, options);
  if (reply.status !== 200) throw new Error(`GET ${path}: ${reply.status} ${reply.body}`);
  return { ...reply, json: JSON.parse(reply.body) };
}

/** Starts `pipewright ui --port 0` on the project; resolves once it printed its URL. */
async function startUi(dir) {
  const t0 = performance.now();
  const { child, found } = startCli(['ui', '--port', '0', '-C', dir], { pattern: /pipewright ui: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/, env: { ...process.env, NO_COLOR: '1' } });
  const url = await found;
  const startMs = performance.now() - t0;
  const { port, pathname, search } = new URL(url);
  const signIn = await get(Number(port), pathname + search);
  const cookie = String([].concat(signIn.headers['set-cookie'] ?? [])[0] ?? '').split(';')[0];
  if (signIn.status !== 303 || !cookie) throw new Error(`no session cookie: ${signIn.status}`);
  return {
    url, port: Number(port), cookie, startMs,
    stop: () => new Promise((done) => {
      child.once('exit', done);
      child.kill('SIGTERM');
    }),
  };
}

if (!existsSync(CLI)) throw new Error('dist/bin/pipewright.cjs is missing: `npm run bench:ui` builds it');
const dir = mkdtempSync(join(tmpdir(), 'pw-bench-ui-'));
const rows = [];
const row = (measure, figure, target = '', ratio = '') => rows.push(`| ${measure} | ${figure} | ${target} | ${ratio} |`);
const vsTarget = (x) => `${(TARGET_MS / x).toFixed(TARGET_MS / x < 10 ? 1 : 0)}× under`;
const loadBefore = loadavg()[0];

try {
  const made = await makeUiStore(dir, { runs: RUNS, instances: INSTANCES });
  const big = made.bigRunId;
  console.error(`store: ${made.runs} runs, ${made.instances} instances (run #${big}: ${made.bigRun}), written in ${made.seconds.toFixed(1)} s`);

  const QUERIES = [
    ['first page, newest first', '/api/runs?offset=0&limit=50&sort=-id'],
    ['sorted by a metric (evaluate.acc, best first)', '/api/runs?offset=0&limit=50&sort=-metrics.evaluate.acc'],
    ['sorted by a param (train.lr)', '/api/runs?offset=0&limit=50&sort=params.train.lr'],
    ['filtered by text ("gecko")', '/api/runs?offset=0&limit=50&sort=-id&q=gecko'],
    ['filtered by text and sorted by a metric', '/api/runs?offset=0&limit=50&sort=-metrics.evaluate.acc&q=gecko'],
    ['filtered by status (failed)', '/api/runs?offset=0&limit=50&sort=-id&status=failed'],
    ['the last page (offset 9,950)', `/api/runs?offset=${Math.max(0, RUNS - 50)}&limit=50&sort=-id`],
  ];

  // Cold: the first request to a freshly started server (its SQLite connection and JIT new; the
  // OS file cache is warm, the store having just been written), over several starts.
  const cold = { start: [], first: [], sorted: [], run: [] };
  for (let i = 0; i < COLD_STARTS; i++) {
    const ui = await startUi(dir);
    cold.start.push(ui.startMs);
    // Alternate which comes first, so that neither always pays for the other's warm-up.
    const first = await getJson(ui.port, QUERIES[0][1], { cookie: ui.cookie });
    if (first.json.total !== RUNS || first.json.rows.length !== 50) throw new Error(`first page: ${first.json.total} runs, ${first.json.rows.length} rows`);
    cold.first.push(first.ms);
    cold.sorted.push((await getJson(ui.port, QUERIES[1][1], { cookie: ui.cookie })).ms);
    cold.run.push((await getJson(ui.port, `/api/runs/${big}`, { cookie: ui.cookie })).ms);
    await ui.stop();
  }

  const ui = await startUi(dir);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const warm = async (path) => {
    await getJson(ui.port, path, { cookie: ui.cookie, agent });
    const times = [];
    let reply;
    for (let i = 0; i < WARM_REPS; i++) {
      reply = await getJson(ui.port, path, { cookie: ui.cookie, agent });
      times.push(reply.ms);
    }
    return { ms: median(times), times, reply };
  };

  row('`pipewright ui` start on the store (spawn → URL printed; opening runs a quick_check)', `${ms(median(cold.start))} ms (${range(cold.start)})`);
  row(`\`/api/runs\` first page, cold (1st request to a fresh server, median of ${COLD_STARTS} starts)`, `**${ms(median(cold.first))} ms** (${range(cold.first)})`, vsTarget(median(cold.first)));
  row('`/api/runs` sorted by a metric, cold (2nd request to a fresh server)', `${ms(median(cold.sorted))} ms (${range(cold.sorted)})`, vsTarget(median(cold.sorted)));
  const warmMs = [];
  for (const [label, path] of QUERIES) {
    const w = await warm(path);
    warmMs.push(w.ms);
    const total = w.reply.json.total;
    row(`\`/api/runs\` ${label}, warm (median of ${WARM_REPS})`, `${ms(w.ms)} ms (${total.toLocaleString('en')} match, ${(w.reply.body.length / 1024).toFixed(0)} KiB)`, vsTarget(w.ms));
  }
  const runWarm = await warm(`/api/runs/${big}`);
  if (runWarm.reply.json.instances.length !== made.bigRun) throw new Error(`run #${big}: ${runWarm.reply.json.instances.length} instances`);
  row(`\`/api/runs/${big}\`, a run of ${made.bigRun.toLocaleString('en')} instances, cold / warm`,
    `${ms(median(cold.run))} / **${ms(runWarm.ms)} ms** (${(runWarm.reply.body.length / 1024).toFixed(0)} KiB)`, vsTarget(runWarm.ms));

  // Chromium.
  let browserRows = [];
  if (!existsSync(CHROMIUM)) {
    console.error(`no chromium at ${CHROMIUM}: the page timings are left out (apt-get install -y chromium)`);
  } else {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-extensions', '--no-first-run'],
    });
    try {
      const ready = [];
      const resort = [];
      const runPage = [];
      const stagePage = [];
      for (let i = 0; i < BROWSER_REPS; i++) {
        // A new context each time: no cookie, no cache; the token URL is traded for one as a user's first visit.
        const context = await browser.newContext();
        const page = await context.newPage();
        const errors = [];
        page.on('pageerror', (err) => errors.push(err.message));
        let t0 = performance.now();
        await page.goto(ui.url, { waitUntil: 'commit' });
        await page.locator('table.runs tbody tr').nth(49).waitFor();
        ready.push(performance.now() - t0);
        const range = await page.locator('#range').textContent();
        if (!range.endsWith(`of ${RUNS}`)) throw new Error(`the page says "${range}"`);

        t0 = performance.now();
        await page.locator('th[data-key="metrics.evaluate.acc"]').click();
        await page.locator('th.sorted', { hasText: 'evaluate.acc ▲' }).waitFor();
        await page.locator('table.runs tbody tr').nth(49).waitFor();
        resort.push(performance.now() - t0);

        // The run's page draws its DAG; a click on the swept stage lists its instances.
        t0 = performance.now();
        await page.evaluate((id) => { location.hash = `#/runs/${id}`; }, big);
        const train = page.locator('svg.dag g.node[data-stage="train"]');
        await train.waitFor();
        runPage.push(performance.now() - t0);
        t0 = performance.now();
        await train.click();
        await page.locator('table.instances tbody tr').nth(made.bigRun - 4).waitFor();
        stagePage.push(performance.now() - t0);
        if (await page.locator('table.instances tbody tr').count() !== made.bigRun - 3) throw new Error('the swept stage does not list its instances');
        if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
        await context.close();
      }
      browserRows = [
        [`page ready in Chromium: token URL → runs table with its 50 rows (median of ${BROWSER_REPS}, first visit each)`, ready],
        ['re-sort by a metric column (click → 50 rows re-drawn)', resort],
        [`open the run of ${made.bigRun.toLocaleString('en')} instances (→ its DAG drawn)`, runPage],
        [`its swept stage, ${(made.bigRun - 3).toLocaleString('en')} instances (click on the stage → all their rows in the table)`, stagePage],
      ];
      for (const [label, times] of browserRows) row(label, `**${ms(median(times))} ms** (${range(times)})`, vsTarget(median(times)));
    } finally {
      await browser.close();
    }
  }
  agent.destroy();
  await ui.stop();

  // The peers: the whole table made the naive way, as `pipewright runs` makes it.
  const { RunStore } = await import(pathToFileURL(join(REPO, 'dist/src/store/run-store.js')).href);
  const { runRows } = await import(pathToFileURL(join(REPO, 'dist/src/report/runs.js')).href);
  const store = new RunStore(made.file);
  const naive = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const all = runRows(store, store.runs());
    const key = 'evaluate.acc';
    all.sort((a, b) => (b.metrics[key] ?? -Infinity) - (a.metrics[key] ?? -Infinity) || b.id - a.id);
    const page = all.slice(0, 50);
    naive.push(performance.now() - t0);
    if (page.length !== 50) throw new Error('naive page');
  }
  store.close();
  const cliTimes = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, 'runs', '--json', '-C', dir], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
    cliTimes.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`pipewright runs --json: ${r.stderr}`);
  }
  const [first, sortedByMetric] = warmMs;
  const naiveMs = median(naive);
  const cliMs = median(cliTimes);
  row('peer: the naive table, every run and its stages loaded (`runRows(store.runs())`), sorted by a metric in memory, 50 taken (median of 3)',
    `${ms(naiveMs)} ms (${range(naive)})`, naiveMs < TARGET_MS ? vsTarget(naiveMs) : `${(naiveMs / TARGET_MS).toFixed(1)}× over`,
    `\`/api/runs\` sorted by the same metric, warm, is **${(naiveMs / sortedByMetric).toFixed(0)}×** faster (cold ${(naiveMs / median(cold.sorted)).toFixed(0)}×); the first page ${(naiveMs / first).toFixed(0)}×`);
  row('peer: `pipewright runs --json` (a process: start, open, all 10,000 rows out; median of 3)',
    `${ms(cliMs)} ms (${range(cliTimes)})`, cliMs < TARGET_MS ? vsTarget(cliMs) : `${(cliMs / TARGET_MS).toFixed(1)}× over`,
    browserRows.length ? `page ready in Chromium is ${(cliMs / median(browserRows[0][1])).toFixed(1)}× faster` : '');

  console.log(`\n\`pipewright ui\` on ${made.runs.toLocaleString('en')} runs and ${made.instances.toLocaleString('en')} instances, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${availableParallelism()} cores, load average ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`);
  console.log(`(store written through RunStore in ${made.seconds.toFixed(1)} s; MLflow, the issue's reference, cannot be installed here: PyPI is not reachable)\n`);
  console.log('| measure | figure | against the 2 s target | against the peer |');
  console.log('| --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
