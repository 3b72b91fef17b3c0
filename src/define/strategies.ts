/**
 * An adaptive search shipped with pipewright, written as any user's custom generator would be:
 * a few random points first, then each next point a perturbation of the best one so far, with
 * steps that shrink as the budget is spent (a (1+1) evolution strategy in the space's own scales:
 * multiplicative for `loguniform`, additive for `uniform` and `int`, a re-draw for options).
 */
import { randomSource, sample, type Dimension, type InstanceResult, type Space, type SweepGenerator } from './sweep.js';

export interface RefineOptions {
  /** The metric to improve, a dotted key into the instances' metrics. */
  readonly metric: string;
  readonly goal: 'max' | 'min';
  /** Points in all. */
  readonly budget: number;
  /** Random points before refining; default a quarter of the budget (at least 2). */
  readonly initial?: number;
  readonly seed?: number;
}

export function refine(options: RefineOptions): SweepGenerator {
  return async function* refineSearch(space: Space, results: readonly InstanceResult[]) {
    const draw = randomSource(`refine/${options.seed ?? 0}`);
    const initial = Math.min(options.budget, options.initial ?? Math.max(2, Math.round(options.budget / 4)));
    const dims = Object.entries(space).filter((e): e is [string, Dimension] => e[1].kind !== 'value');
    const fixed = Object.fromEntries(Object.entries(space).flatMap(([k, e]) => (e.kind === 'value' ? [[k, e.value]] : [])));
    for (let i = 0; i < options.budget; i++) {
      const best = bestOf(results, options);
      if (i < initial || !best) {
        yield { ...fixed, ...Object.fromEntries(dims.map(([key, dim]) => [key, sample(dim, draw)])) };
        continue;
      }
      // The step shrinks from a third of each scale to a fiftieth as the budget is spent.
      const progress = (i - initial) / Math.max(1, options.budget - initial - 1);
      const scale = Math.exp(Math.log(1 / 3) + progress * (Math.log(1 / 50) - Math.log(1 / 3)));
      yield { ...fixed, ...Object.fromEntries(dims.map(([key, dim]) => [key, perturb(dim, best.values[key], scale, draw)])) };
    }
  };
}

function bestOf(results: readonly InstanceResult[], options: RefineOptions): InstanceResult | undefined {
  let best: InstanceResult | undefined;
  let bestScore = 0;
  for (const result of results) {
    const score = metricOf(result, options.metric);
    if (score === undefined) continue;
    if (!best || (options.goal === 'max' ? score > bestScore : score < bestScore)) {
      best = result;
      bestScore = score;
    }
  }
  return best;
}

function metricOf(result: InstanceResult, key: string): number | undefined {
  let value: unknown = result.metrics;
  for (const part of key.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A normal draw (Box–Muller) from the seeded source. */
function gaussian(draw: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - draw())) * Math.cos(2 * Math.PI * draw());
}

function perturb(dim: Dimension, current: unknown, scale: number, draw: () => number): unknown {
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  switch (dim.kind) {
    case 'uniform':
      return clamp((current as number) + gaussian(draw) * scale * (dim.hi - dim.lo), dim.lo, dim.hi);
    case 'loguniform':
      return clamp((current as number) * Math.exp(gaussian(draw) * scale * Math.log(dim.hi / dim.lo)), dim.lo, dim.hi);
    case 'int':
      return clamp(Math.round((current as number) + gaussian(draw) * Math.max(0.5, scale * (dim.hi - dim.lo))), dim.lo, dim.hi);
    case 'grid':
    case 'choice':
      // Options have no distance: keep the best one, or now and then try another.
      return draw() < scale ? sample(dim, draw) : current;
  }
}
