/**
 * A large, realistic run store for the UI bench (issue 16): 10,000 runs and 100,000 instances,
 * written through the RunStore API (dist/src, so `npm run build` first), deterministic for a seed.
 *
 * Each run is a spam-classifier pipeline: prepare → featurize → train → evaluate, with params that
 * differ between runs (lr, epochs, depth, ngrams), metrics (train loss; evaluate acc, f1, auc),
 * outs with hashes and sizes, durations, logs. One run in 20 sweeps `train` (some 120 points,
 * each with its own params and metrics), and one run, 10th newest, sweeps 997 points: 1,000
 * instances. Statuses: mostly succeeded, some failed (the rest of the run not run), cancelled,
 * and a few still running on other hosts.
 *
 *   node bench/ui-store.mjs DIR [RUNS] [INSTANCES]    writes DIR/pipewright.yaml and DIR/.pipewright/runs.db
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));

const ADJECTIVES = ['amber', 'brisk', 'calm', 'deft', 'eager', 'fair', 'gentle', 'hardy', 'keen', 'lucid', 'merry', 'nimble', 'plucky', 'quiet', 'rapid', 'sly', 'tidy', 'vivid', 'warm', 'zesty'];
const NOUNS = ['otter', 'heron', 'lynx', 'marten', 'finch', 'badger', 'ibis', 'newt', 'puffin', 'stoat', 'tern', 'vole', 'wren', 'yak', 'gecko', 'koala', 'lemur', 'moth', 'orca', 'quail'];
const HOSTS = ['ws-anna', 'ws-bram', 'gpu-01', 'gpu-02', 'ci-runner-3'];
const STAGES = ['prepare', 'featurize', 'train', 'evaluate'];

/**
 * Writes the store. Returns what the bench needs to know about it: the file, counts, and the id of
 * the run with `bigRun` instances.
 */
export async function makeUiStore(dir, { runs = 10_000, instances = 100_000, bigRun = 1_000, seed = 16 } = {}) {
  const { RunStore } = await import(pathToFileURL(join(REPO, 'dist/src/store/run-store.js')).href);
  // The sweeps' seeded source (Mersenne Twister from pure-rand).
  const { randomSource } = await import(pathToFileURL(join(REPO, 'dist/src/define/sweep.js')).href);
  const rand = randomSource(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const hex = (n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
  const round = (x, digits = 4) => Number(x.toFixed(digits));

  // Sweep runs: one in 20, the big one among them. Whole-stage runs have 4 instances, sweep runs
  // 3 whole stages plus their points; the points are spread so the total is exactly `instances`.
  const bigIndex = runs - 10;
  const sweepIndexes = [];
  for (let i = 0; i < runs; i++) if (i % 20 === 7 || i === bigIndex) sweepIndexes.push(i);
  const bigPoints = bigRun - 3;
  const others = sweepIndexes.length - 1;
  const pointsLeft = instances - 4 * runs + sweepIndexes.length - bigPoints;
  if (others < 1 || pointsLeft < others) throw new Error(`cannot make ${instances} instances from ${runs} runs`);
  const base = Math.floor(pointsLeft / others);
  const points = new Map([[bigIndex, bigPoints]]);
  const rest = sweepIndexes.filter((i) => i !== bigIndex);
  rest.forEach((i, k) => points.set(i, base + (k < pointsLeft - base * others ? 1 : 0)));
  // Vary the sizes in pairs (one more by d, the next less by d): the sum stays.
  for (let k = 0; k + 1 < rest.length; k += 2) {
    const d = Math.floor(rand() * Math.min(80, base - 5));
    points.set(rest[k], points.get(rest[k]) + d);
    points.set(rest[k + 1], points.get(rest[k + 1]) - d);
  }

  mkdirSync(join(dir, '.pipewright', 'logs'), { recursive: true });
  writeFileSync(join(dir, 'pipewright.yaml'), `stages:\n${STAGES.map((s) => `  ${s}:\n    cmd: node ${s}.cjs\n`).join('')}`);
  const store = new RunStore(join(dir, '.pipewright', 'runs.db'));
  const logs = join(dir, '.pipewright', 'logs');
  const out = (path, size) => ({ path, hash: hex(16), size, cache: true });
  let startedAt = Date.UTC(2026, 0, 5, 9);
  let bigRunId = 0;
  let written = 0;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) {
    startedAt += Math.floor(600_000 + rand() * 3_000_000);
    const lr = pick([0.001, 0.003, 0.01, 0.03, 0.1]);
    const epochs = pick([5, 10, 20, 40]);
    const depth = 2 + Math.floor(rand() * 10);
    const ngrams = pick([1, 2, 3]);
    const quality = 0.8 + 0.15 * (1 - Math.abs(Math.log10(lr) + 2) / 2) * (depth / 12) + 0.03 * rand();
    const roll = rand();
    const status = i >= runs - 3 ? 'running' : i === bigIndex ? 'succeeded' : roll < 0.08 ? 'failed' : roll < 0.1 ? 'cancelled' : 'succeeded';
    const sweep = points.get(i);
    const overrides = sweep ? ['-S', 'train.lr=range(0.0005, 0.2, log)', '-S', 'train.model.depth=range(2, 12)'] : ['-S', `train.lr=${lr}`, '-S', `train.model.depth=${depth}`];
    const info = {
      name: `${pick(ADJECTIVES)}-${pick(NOUNS)}-${i + 1}`,
      argv: ['run', ...overrides, ...(rand() < 0.3 ? ['-j', '2'] : [])],
      gitCommit: hex(40),
      gitDirty: rand() < 0.2,
      host: pick(HOSTS),
      version: '0.1.0',
    };
    const { id } = store.startRun(info, startedAt);
    if (i === bigIndex) bigRunId = id;

    const records = [];
    const failedAt = status === 'failed' ? 1 + Math.floor(rand() * 3) : status === 'cancelled' ? 2 + Math.floor(rand() * 2) : status === 'running' ? 2 : 99;
    let elapsed = 0;
    const instance = (stage, name, params, metrics, outs, k) => {
      const ms = Math.floor((stage === 'train' ? 20_000 : 2_000) * (0.5 + rand()));
      const state = k < failedAt ? (rand() < 0.3 && stage !== 'evaluate' ? 'skipped' : 'ran') : k === failedAt && status === 'failed' ? 'failed' : 'not-run';
      elapsed += state === 'ran' || state === 'failed' ? ms : 5;
      records.push({
        name, stage, params, status: state,
        ...(state === 'not-run' ? {} : { durationMs: state === 'skipped' ? 3 : ms }),
        ...(state === 'ran' || state === 'skipped' ? { metrics, outs, fingerprint: hex(32) } : {}),
        ...(state === 'not-run' ? {} : { logPath: join(logs, `${name}.log`) }),
        ...(state === 'failed' ? { error: `${stage}: command exited 1` } : {}),
        ...(status === 'running' && rand() < 0.5 ? { host: pick(HOSTS) } : {}),
      });
    };
    instance('prepare', 'prepare', { split: 0.2, seed: 42 }, undefined, [out('data/train.csv', 48_211_003), out('data/test.csv', 12_052_751)], 0);
    instance('featurize', 'featurize', { ngrams, max_features: 20_000 }, { vocab: 20_000 }, [out('features.npz', 9_000_000 + Math.floor(rand() * 1e6))], 1);
    if (sweep) {
      const names = new Set();
      for (let p = 0; p < sweep; p++) {
        const plr = round(0.0005 * Math.pow(400, p / sweep + rand() / sweep), 6);
        const pdepth = 2 + (p % 11);
        let name = `train@depth=${pdepth},lr=${plr}`;
        if (names.has(name)) name += `#${p + 1}`;
        names.add(name);
        instance('train', name, { lr: plr, epochs, model: { type: 'forest', depth: pdepth } },
          { loss: round(0.6 * rand() + 0.05), acc: round(quality - 0.05 * rand()) }, [out('model.bin', 2_000_000 + Math.floor(rand() * 1e6))], 2);
      }
    } else {
      instance('train', 'train', { lr, epochs, model: { type: 'forest', depth } }, { loss: round(1 - quality + 0.1 * rand()) }, [out('model.bin', 2_000_000 + Math.floor(rand() * 1e6))], 2);
    }
    instance('evaluate', 'evaluate', { threshold: 0.5 }, { acc: round(quality), f1: round(quality - 0.02 - 0.03 * rand()), auc: round(Math.min(0.999, quality + 0.04)) }, [], 3);
    store.recordInstances(id, records);
    written += records.length;
    if (status !== 'running') {
      const count = (s) => records.filter((r) => r.status === s).length;
      store.finishRun(id, status, { ran: count('ran'), skipped: count('skipped'), restored: 0, failed: count('failed'), notRun: count('not-run') },
        { gitCommit: info.gitCommit, gitDirty: info.gitDirty }, startedAt + elapsed + 1_500);
    }
  }
  store.close();
  if (written !== instances) throw new Error(`wrote ${written} instances, meant ${instances}`);
  return { file: join(dir, '.pipewright', 'runs.db'), runs, instances: written, bigRunId, bigRun, seconds: (performance.now() - t0) / 1000 };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, runs, instances] = process.argv.slice(2);
  if (!dir) throw new Error('usage: node bench/ui-store.mjs DIR [RUNS] [INSTANCES]');
  const made = await makeUiStore(resolve(dir), { ...(runs ? { runs: Number(runs) } : {}), ...(instances ? { instances: Number(instances) } : {}) });
  console.log(`${made.file}: ${made.runs} runs, ${made.instances} instances (run #${made.bigRunId} has ${made.bigRun}), written in ${made.seconds.toFixed(1)} s`);
}
