/**
 * The compare page's routes: runs compared against the first (`compareRuns`, what `diff` shows for
 * two), their plots overlaid (api-plots.ts), and a sweep's parallel coordinates and param
 * significance (`analyze`'s analysis, computed on demand and kept in memory). Read-only: nothing
 * here writes the store, the cache or the workspace.
 */
import { isPipelineError } from '../errors.js';
import { compareRuns, runRows } from '../report/runs.js';
import { SIGNIFICANCE_HINT, type Sample, type Significance } from '../report/significance.js';
import { Worker } from 'node:worker_threads';
import type { SignificanceAnswer, SignificanceJob } from './significance-worker.js';
import type { RunRecord, RunStore } from '../store/run-store.js';
import { HttpError } from './http-error.js';
import { plotsOf } from './api-plots.js';
import type { StoreHandle } from './store-handle.js';

/** Most runs one comparison (or one plot request) takes. */
export const MAX_COMPARED = 20;
/** Significance results kept (each a few KB); the oldest goes first. */
export const SIGNIFICANCE_CACHE = 64;

export type ApiRoute = (path: string, query: URLSearchParams) => Promise<unknown> | undefined;

/** The routes, or undefined for a path that is none of them. */
export function compareRoutes(root: string, store: StoreHandle): ApiRoute {
  /** Kept as promises, so that a second ask while the first is being fitted waits for that one. */
  const significance = new Map<string, Promise<Significance>>();
  const opened = (): RunStore => {
    const found = store.get();
    if (!found) throw new HttpError(404, 'no runs recorded yet');
    return found.store;
  };
  const runOf = (id: number): RunRecord => {
    const run = opened().run(id);
    if (!run) throw new HttpError(404, `no run #${id}`);
    return run;
  };

  function compare(query: URLSearchParams) {
    const runs = runIds(query, 2).map(runOf);
    const { params, metrics, partial } = compareRuns(opened(), runs, { all: true });
    return { runs: runRows(opened(), runs), params, metrics, partial };
  }

  async function sweep(id: number, query: URLSearchParams) {
    const run = runOf(id);
    const stage = required(query, 'stage');
    const { numericMetrics, parallelCoordinatesSpec, sweepSamples } = await import('../report/significance.js');
    const metrics = numericMetrics(opened().instances(id, stage));
    const metric = query.get('metric') || metrics[0];
    if (metric === undefined) throw new HttpError(400, `no instance of "${stage}" in run #${id} has a numeric metric`);
    const samples = asBadQuery(() => sweepSamples(opened(), run, stage, metric));
    return { run: { id, name: run.name }, stage, metric, metrics, instances: samples.length, spec: parallelCoordinatesSpec(metric, samples) };
  }

  async function significanceOf(id: number, query: URLSearchParams) {
    const run = runOf(id);
    const stage = required(query, 'stage');
    const metric = required(query, 'metric');
    const { barPlotSpec, sweepSamples } = await import('../report/significance.js');
    const key = JSON.stringify([id, stage, metric]);
    let pending = significance.get(key);
    const cached = pending !== undefined;
    if (!pending) {
      const samples = asBadQuery(() => sweepSamples(opened(), run, stage, metric));
      pending = analyzeOffThread(metric, samples);
      // A running run's instances still change: only a finished run's analysis is kept.
      if (run.status !== 'running') {
        if (significance.size >= SIGNIFICANCE_CACHE) significance.delete(significance.keys().next().value!);
        significance.set(key, pending);
        pending.catch(() => significance.delete(key));
      }
    }
    const result = await pending;
    const { points: _points, ...summary } = result;
    return { run: { id, name: run.name }, stage, ...summary, spec: barPlotSpec(result), cached };
  }

  return (path, query) => {
    if (path === '/api/compare') return Promise.resolve().then(() => compare(query));
    if (path === '/api/plots') return Promise.resolve().then(() => plotsOf(root, opened(), runIds(query, 1).map(runOf), query.get('stage') || undefined));
    const match = /^\/api\/runs\/(\d+)\/(sweep|significance)$/.exec(path);
    if (!match) return undefined;
    const id = Number(match[1]);
    return match[2] === 'sweep' ? sweep(id, query) : significanceOf(id, query);
  };
}

/** `runs=1,2,3`: distinct run ids, at least `min` of them. */
export function runIds(query: URLSearchParams, min: number): number[] {
  const raw = query.get('runs') ?? '';
  if (!/^\d+(,\d+)*$/.test(raw)) throw new HttpError(400, `runs must be run ids separated by commas (runs=1,2), got "${raw}"`);
  const ids = raw.split(',').map(Number);
  if (ids.length < min) throw new HttpError(400, `runs needs at least ${min} run ids, got ${ids.length}`);
  if (ids.length > MAX_COMPARED) throw new HttpError(400, `runs takes at most ${MAX_COMPARED} run ids, got ${ids.length}`);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new HttpError(400, `run #${twice} is listed twice in runs`);
  return ids;
}

function required(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (!value) throw new HttpError(400, `${name} is required (?${name}=…)`);
  return value;
}

/** A pipeline error of the analysis (no such stage, no such metric, too few instances) is the query's fault: 400. */
function asBadQuery<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (isPipelineError(err)) throw new HttpError(400, err.hint ? `${err.message}: ${err.hint}` : err.message);
    throw err;
  }
}

/** The fit going on: one at a time, so that clicks on many sweeps cannot start a thread each. */
let fitting: Promise<unknown> = Promise.resolve();

/** `analyze`'s fit on a thread of its own (significance-worker.ts): the server goes on answering meanwhile. */
function analyzeOffThread(metric: string, samples: readonly Sample[]): Promise<Significance> {
  const next = fitting.catch(() => {}).then(() => fitOnThread(metric, samples));
  fitting = next;
  return next;
}

function fitOnThread(metric: string, samples: readonly Sample[]): Promise<Significance> {
  return new Promise((resolve, reject) => {
    const job: SignificanceJob = { metric, samples };
    const worker = new Worker(new URL('./significance-worker.js', import.meta.url), { workerData: job });
    worker.once('message', (answer: SignificanceAnswer) => {
      void worker.terminate();
      if (answer.ok) resolve(answer.result);
      else reject(new HttpError(400, `${answer.message}: ${SIGNIFICANCE_HINT}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the significance thread stopped (exit code ${code}) before it answered`)));
  });
}
