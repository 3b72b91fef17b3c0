/**
 * Which params matter for a metric: a random forest (ml-random-forest's CART trees, bagged here) is
 * fitted from a sweep's params to the metric, then each instance's prediction is split among the params by exact
 * Shapley values. A param's importance is its mean |Shapley value|: how far, on average, it
 * moves the predicted metric away from the mean.
 */
import { RandomForestRegression } from 'ml-random-forest';
import { flattenParams } from '../define/interpolate.js';
import { randomSource } from '../define/sweep.js';
import { PipelineError } from '../errors.js';
import type { InstanceRecord, RunRecord, RunStore } from '../store/run-store.js';
import { MAX_EXACT_FEATURES, shapleyValues } from './shapley.js';
import type { VegaLiteSpec } from './render.js';

export interface Sample {
  readonly name: string;
  readonly params: Record<string, unknown>;
  readonly metric: number;
}

export interface ParamImportance {
  readonly param: string;
  /** Mean |Shapley value|, in the metric's units. */
  readonly importance: number;
  /** Correlation of the param's value with its Shapley value: + means higher values raise the metric. */
  readonly direction: number;
}

export interface Significance {
  readonly metric: string;
  readonly instances: number;
  /** Out-of-bag R² of the forest: how much of the metric the params explain at all. */
  readonly r2: number;
  readonly ranking: readonly ParamImportance[];
  /** How many predictions of the forest the Shapley values took (at most PREDICTION_BUDGET). */
  readonly predictions: number;
  /** Per explained instance (all, or a spread sample of them when the budget asks): its params' encoded values and Shapley values, in `params` order. */
  readonly params: readonly string[];
  readonly points: readonly { readonly name: string; readonly values: readonly number[]; readonly shap: readonly number[] }[];
  /** Categorical params: the codes their values were given. */
  readonly categories: Readonly<Record<string, readonly string[]>>;
  /** Said when the ranking rests on few instances (fewer than FEW_INSTANCES). */
  readonly note?: string;
}

/** Coalitions × background rows × explained instances stay under this many predictions. */
export const PREDICTION_BUDGET = 2_000_000;
/** Fewer, and nothing can be fitted and checked: with 2, each instance's out-of-bag prediction is the other's metric. */
export const MIN_INSTANCES = 3;
/** Fewer, and the answer says that the ranking rests on few instances. */
export const FEW_INSTANCES = 10;

/**
 * The instances of a run's stage that have a numeric metric (failed ones left out), as samples;
 * a PipelineError naming the run's stages, or the stage's metrics, when there are none.
 */
export function sweepSamples(store: RunStore, run: RunRecord, stage: string, metric: string): Sample[] {
  const instances = store.instances(run.id, stage);
  if (instances.length === 0) {
    const stages = [...new Set(store.instanceCounts(run.id).map((c) => c.stage))];
    throw new PipelineError('unknown-stage', `run #${run.id} ${run.name} has no instances of stage "${stage}"`, undefined, `its stages: ${stages.join(', ')}`);
  }
  const samples = instances.flatMap((i) => {
    const value = new Map(flattenParams(i.metrics ?? {})).get(metric);
    return typeof value === 'number' && i.status !== 'failed' ? [{ name: i.name, params: i.params, metric: value }] : [];
  });
  if (samples.length === 0) {
    const known = numericMetrics(instances);
    throw new PipelineError('usage', `no instance of "${stage}" in run #${run.id} has a numeric metric "${metric}"`, undefined,
      known.length ? `its metrics: ${known.join(', ')}` : 'the stage records no metrics');
  }
  return samples;
}

/** The (flattened) metric keys with a number in some instance. */
export function numericMetrics(instances: readonly InstanceRecord[]): string[] {
  return [...new Set(instances.flatMap((i) => flattenParams(i.metrics ?? {}).filter(([, v]) => typeof v === 'number').map(([k]) => k)))];
}

/** What to do when a sweep cannot be analysed (too few instances, no param that varies). */
export const SIGNIFICANCE_HINT = `analyze a sweep of at least ${MIN_INSTANCES} instances in which some param takes two or more values`;

/** `analyze`'s analysis of a run's stage: the samples, then the forest; a PipelineError (usage) when it cannot be done. */
export function runSignificance(store: RunStore, run: RunRecord, stage: string, metric: string, options: { trees?: number } = {}): Significance {
  const samples = sweepSamples(store, run, stage, metric);
  try {
    return analyzeSignificance(metric, samples, options);
  } catch (err) {
    throw new PipelineError('usage', (err as Error).message, undefined, SIGNIFICANCE_HINT);
  }
}

/** The params that vary between samples, each sample's values as numbers (categorical params by their code). */
export function encodeParams(samples: readonly Sample[]): { keys: string[]; categories: Record<string, string[]>; X: number[][] } {
  const flat = samples.map((s) => new Map(flattenParams(s.params)));
  // Only params that vary say anything about the metric.
  const keys = [...new Set(flat.flatMap((m) => [...m.keys()]))].filter((k) => new Set(flat.map((m) => JSON.stringify(m.get(k)))).size > 1);
  const categories: Record<string, string[]> = {};
  for (const key of keys) {
    if (flat.every((m) => typeof m.get(key) === 'number' || typeof m.get(key) === 'boolean')) continue;
    categories[key] = [...new Set(flat.map((m) => JSON.stringify(m.get(key) ?? null)))].sort();
  }
  const encode = (m: Map<string, unknown>) => keys.map((k) => {
    const v = m.get(k);
    if (categories[k]) return categories[k].indexOf(JSON.stringify(v ?? null));
    return typeof v === 'boolean' ? Number(v) : (v as number);
  });
  return { keys, categories, X: flat.map(encode) };
}

export function analyzeSignificance(metric: string, samples: readonly Sample[], options: { trees?: number; seed?: number } = {}): Significance {
  if (samples.length < MIN_INSTANCES) {
    throw new Error(`${samples.length === 1 ? 'only 1 instance has' : `only ${samples.length} instances have`} the metric "${metric}": ` +
      `at least ${MIN_INSTANCES} are needed to fit a model and check it on instances it was not fitted to`);
  }
  const { keys, categories, X } = encodeParams(samples);
  if (keys.length === 0) throw new Error(`no param differs between the ${samples.length} instances: there is nothing to rank`);
  if (keys.length > MAX_EXACT_FEATURES) throw new Error(`${keys.length} params vary; exact Shapley values are computed for at most ${MAX_EXACT_FEATURES}`);
  const y = samples.map((s) => s.metric);
  if (y.every((v) => v === y[0])) throw new Error(`${metric} is ${y[0]} in every one of the ${samples.length} instances: no param moves it, so there is nothing to rank`);
  const forest = new Forest(X, y, options.trees ?? 100, options.seed ?? 1);
  const r2 = outOfBagR2(forest.outOfBag, y);

  // Each explained instance costs every coalition over every background row. The background
  // shrinks first (to one row); past that, a spread sample of the instances is explained.
  const coalitions = 1 << keys.length;
  const background = spread(X, Math.min(50, Math.max(1, Math.floor(PREDICTION_BUDGET / samples.length / coalitions))));
  const explained = spread(samples.map((_, i) => i), Math.max(1, Math.floor(PREDICTION_BUDGET / coalitions / background.length)));
  let predictions = 0;
  const predict = (rows: readonly (readonly number[])[]) => {
    predictions += rows.length;
    return forest.predict(rows);
  };
  const points = explained.map((i) => ({ name: samples[i]!.name, values: X[i]!, shap: shapleyValues(predict, X[i]!, background) }));
  const ranking = keys.map((param, j) => ({
    param,
    importance: mean(points.map((p) => Math.abs(p.shap[j]!))),
    direction: correlation(points.map((p) => p.values[j]!), points.map((p) => p.shap[j]!)),
  })).sort((a, b) => b.importance - a.importance);
  const note = samples.length < FEW_INSTANCES
    ? `only ${samples.length} instances: the ranking rests on few instances and may change with more; a sweep of ${FEW_INSTANCES} or more gives a firmer answer`
    : undefined;
  return { metric, instances: samples.length, r2, ranking, params: keys, points, categories, predictions, ...(note ? { note } : {}) };
}

/**
 * A random forest: CART regression trees (ml-random-forest's, grown until their leaves are pure),
 * each fitted to a bootstrap sample of the instances drawn here, then joined into one
 * ml-random-forest model (its `load`) that predicts their mean. Bagging here rather than in
 * ml-random-forest lets a tree's sample hold every instance (likely with few instances:
 * ml-random-forest's own bagging then fails), the tree then predicting none out of bag.
 */
class Forest {
  private readonly model: RandomForestRegression;
  /** Each instance's mean prediction by the trees whose sample left it out; undefined when every tree's held it. */
  readonly outOfBag: (number | undefined)[];

  constructor(X: readonly (readonly number[])[], y: readonly number[], trees: number, seed: number) {
    const random = randomSource(seed);
    const n = X.length;
    const sums = new Array<number>(n).fill(0);
    const counts = new Array<number>(n).fill(0);
    const fitted: ReturnType<RandomForestRegression['toJSON']>['baseModel'][] = [];
    for (let t = 0; t < trees; t++) {
      const picked = Array.from({ length: n }, () => Math.floor(random() * n));
      const tree = new RandomForestRegression({
        nEstimators: 1, seed: (seed + t) | 0, maxFeatures: 1.0, replacement: false, useSampleBagging: false, noOOB: true, treeOptions: { minNumSamples: 1 },
      });
      tree.train(picked.map((i) => [...X[i]!]), picked.map((i) => y[i]!));
      fitted.push(tree.toJSON().baseModel);
      const inBag = new Set(picked);
      const out = X.flatMap((_, i) => (inBag.has(i) ? [] : [i]));
      if (out.length === 0) continue;
      tree.predict(out.map((i) => [...X[i]!])).forEach((p, k) => {
        sums[out[k]!]! += p;
        counts[out[k]!]!++;
      });
    }
    this.outOfBag = sums.map((sum, i) => (counts[i] ? sum / counts[i]! : undefined));
    const baseModel = { ...fitted[0]!, nEstimators: trees, estimators: fitted.flatMap((f) => f.estimators), indexes: fitted.flatMap((f) => f.indexes) };
    // (the package's types spell the field selectionMethos; load reads selectionMethod)
    this.model = RandomForestRegression.load({ name: 'RFRegression', baseModel, selectionMethod: 'mean' } as unknown as Parameters<typeof RandomForestRegression.load>[0]);
  }

  predict(rows: readonly (readonly number[])[]): number[] {
    return this.model.predict(rows as number[][]);
  }
}

/** R² of the out-of-bag predictions, over the instances that have one (0 when fewer than two have, or the metric never changes). */
function outOfBagR2(oob: readonly (number | undefined)[], y: readonly number[]): number {
  const scored = y.flatMap((v, i) => (oob[i] === undefined ? [] : [{ v, p: oob[i]! }]));
  if (scored.length < 2) return 0;
  const m = mean(scored.map((s) => s.v));
  let residual = 0;
  let total = 0;
  for (const { v, p } of scored) {
    residual += (v - p) ** 2;
    total += (v - m) ** 2;
  }
  return total === 0 ? 0 : 1 - residual / total;
}

/** Up to n rows spread evenly through the data, as the background the coalitions are averaged over. */
function spread<T>(rows: readonly T[], n: number): T[] {
  if (rows.length <= n) return [...rows];
  return Array.from({ length: n }, (_, i) => rows[Math.floor((i * rows.length) / n)]!);
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let cov = 0;
  let va = 0;
  let vb = 0;
  a.forEach((x, i) => {
    cov += (x - ma) * (b[i]! - mb);
    va += (x - ma) ** 2;
    vb += (b[i]! - mb) ** 2;
  });
  return va === 0 || vb === 0 ? 0 : cov / Math.sqrt(va * vb);
}

/** shap's bar plot: mean |Shapley value| per param, most important on top. */
export function barPlotSpec(result: Significance): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Which params move ${result.metric} (mean |Shapley value|, ${result.instances} instances)`,
    width: 420,
    height: { step: 28 },
    data: { values: result.ranking.map((r) => ({ param: r.param, importance: r.importance })) },
    mark: { type: 'bar', color: '#1e88e5' },
    encoding: {
      y: { field: 'param', type: 'nominal', sort: '-x', title: null },
      x: { field: 'importance', type: 'quantitative', title: `mean |SHAP value| (effect on ${result.metric})` },
    },
  };
}

/** shap's beeswarm: each instance's Shapley value per param, coloured by the param's value. */
export function beeswarmSpec(result: Significance): VegaLiteSpec {
  const order = result.ranking.map((r) => r.param);
  // Seeded jitter: the same analysis draws the same picture.
  const jitter = randomSource(`beeswarm/${result.metric}`);
  // Colour by rank within the param: log-scaled params (a learning rate) would otherwise be all "low".
  const ranks = result.params.map((_, j) => {
    const sorted = result.points.map((q) => q.values[j]!).sort((a, b) => a - b);
    return (v: number) => (sorted.length < 2 ? 0.5 : sorted.indexOf(v) / (sorted.length - 1));
  });
  const values = result.points.flatMap((p) => result.params.map((param, j) => (
    { instance: p.name, param, shap: p.shap[j], value: ranks[j]!(p.values[j]!), jitter: jitter() - 0.5 })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Shapley values of each param for ${result.metric}`,
    width: 420,
    height: { step: 40 },
    data: { values },
    mark: { type: 'circle', size: 36, opacity: 0.8 },
    encoding: {
      y: { field: 'param', type: 'nominal', sort: order, title: null },
      yOffset: { field: 'jitter', type: 'quantitative', scale: { domain: [-0.6, 0.6] } },
      x: { field: 'shap', type: 'quantitative', title: `SHAP value (effect on ${result.metric})` },
      color: { field: 'value', type: 'quantitative', title: 'param value', scale: { range: ['#1e88e5', '#ff0d57'] }, legend: { format: '.0%', title: ['param value', '(rank, low → high)'] } },
      tooltip: [{ field: 'instance' }, { field: 'param' }, { field: 'shap', format: '.4f' }],
    },
  };
}

/**
 * A sweep in parallel coordinates: an axis per param that varies, then the metric; a line per
 * instance, coloured by the metric. Each axis is scaled to its own range (logarithmic when a
 * positive param spans two decades or more: a learning rate); categorical params by their codes.
 */
export function parallelCoordinatesSpec(metric: string, samples: readonly Sample[]): VegaLiteSpec {
  const { keys, categories, X } = encodeParams(samples);
  const axes = [...keys, metric];
  const columns = [...keys.map((_, j) => X.map((row) => row[j]!)), samples.map((s) => s.metric)];
  const scales = columns.map((column, j) => {
    const min = column.reduce((a, b) => Math.min(a, b), Infinity);
    const max = column.reduce((a, b) => Math.max(a, b), -Infinity);
    const log = !categories[axes[j]!] && min > 0 && max / min >= 100;
    const f = (v: number) => (log ? Math.log(v) : v);
    const span = f(max) - f(min);
    return { min, max, at: (v: number) => (span === 0 ? 0.5 : (f(v) - f(min)) / span) };
  });
  const shown = (j: number, v: number) => categories[axes[j]!]?.[v] ?? Number(v.toPrecision(4));
  const lines = samples.flatMap((s, i) => axes.map((axis, j) => (
    { instance: s.name, axis, position: scales[j]!.at(columns[j]![i]!), value: shown(j, columns[j]![i]!), metric: s.metric })));
  // Each axis's labels: its categories, or its ends.
  const labels = axes.flatMap((axis, j) => {
    const codes = categories[axis] ? categories[axis].map((_, c) => c) : [...new Set([scales[j]!.min, scales[j]!.max])];
    return codes.map((v) => ({ axis, position: scales[j]!.at(v), label: String(shown(j, v)) }));
  });
  const x = { field: 'axis', type: 'nominal', sort: axes, title: null, axis: { labelAngle: 0, orient: 'top', domain: false, ticks: false } };
  const scale = { type: 'quantitative', scale: { domain: [0, 1] }, axis: null };
  const y = { field: 'position', ...scale };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${samples.length} instances: params and ${metric}`,
    width: Math.max(320, 130 * axes.length),
    height: 300,
    config: { view: { stroke: null } },
    layer: [
      { data: { values: axes.map((axis) => ({ axis })) }, mark: { type: 'rule', color: '#bbb' }, encoding: { x, y: { datum: 0, ...scale }, y2: { datum: 1 } } },
      {
        data: { values: lines },
        mark: { type: 'line', opacity: 0.6, strokeWidth: 1.5 },
        encoding: {
          x, y, detail: { field: 'instance', type: 'nominal' },
          color: { field: 'metric', type: 'quantitative', title: metric, scale: { scheme: 'viridis' } },
          tooltip: [{ field: 'instance' }, { field: 'axis', title: 'param' }, { field: 'value' }, { field: 'metric', title: metric }],
        },
      },
      { data: { values: labels }, mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#555' }, encoding: { x, y, text: { field: 'label' } } },
    ],
  };
}
