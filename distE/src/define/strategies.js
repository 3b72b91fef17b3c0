/**
 * An adaptive search shipped with pipewright, written as any user's custom generator would be:
 * a few random points first, then each next point a perturbation of the best one so far, with
 * steps that shrink as the budget is spent (a (1+1) evolution strategy in the space's own scales:
 * multiplicative for `loguniform`, additive for `uniform` and `int`, a re-draw for options).
 */
import { randomSource, sample } from './sweep.js';
export function refine(options) {
    return async function* refineSearch(space, results) {
        const draw = randomSource(`refine/${options.seed ?? 0}`);
        const initial = Math.min(options.budget, options.initial ?? Math.max(2, Math.round(options.budget / 4)));
        const dims = Object.entries(space).filter((e) => e[1].kind !== 'value');
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
function bestOf(results, options) {
    let best;
    let bestScore = 0;
    for (const result of results) {
        const score = metricOf(result, options.metric);
        if (score === undefined)
            continue;
        if (!best || (options.goal === 'max' ? score > bestScore : score < bestScore)) {
            best = result;
            bestScore = score;
        }
    }
    return best;
}
function metricOf(result, key) {
    let value = result.metrics;
    for (const part of key.split('.'))
        value = value !== null && typeof value === 'object' ? value[part] : undefined;
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
/** A normal draw (Box–Muller) from the seeded source. */
function gaussian(draw) {
    return Math.sqrt(-2 * Math.log(1 - draw())) * Math.cos(2 * Math.PI * draw());
}
function perturb(dim, current, scale, draw) {
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    switch (dim.kind) {
        case 'uniform':
            return clamp(current + gaussian(draw) * scale * (dim.hi - dim.lo), dim.lo, dim.hi);
        case 'loguniform':
            return clamp(current * Math.exp(gaussian(draw) * scale * Math.log(dim.hi / dim.lo)), dim.lo, dim.hi);
        case 'int':
            return clamp(Math.round(current + gaussian(draw) * Math.max(0.5, scale * (dim.hi - dim.lo))), dim.lo, dim.hi);
        case 'grid':
        case 'choice':
            // Options have no distance: keep the best one, or now and then try another.
            return draw() < scale ? sample(dim, draw) : current;
    }
}
//# sourceMappingURL=strategies.js.map