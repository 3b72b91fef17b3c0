/**
 * Which params matter for a metric: a random forest (ml-random-forest) is fitted from a sweep's
 * params to the metric, then each instance's prediction is split among the params by exact
 * Shapley values. A param's importance is its mean |Shapley value|: how far, on average, it
 * moves the predicted metric away from the mean.
 */
import { RandomForestRegression } from 'ml-random-forest';
import { flattenParams } from '../define/interpolate.js';
import { randomSource } from '../define/sweep.js';
import { MAX_EXACT_FEATURES, shapleyValues } from './shapley.js';
/** Coalitions × background rows × instances stay under this many predictions. */
const PREDICTION_BUDGET = 2_000_000;
export function analyzeSignificance(metric, samples, options = {}) {
    if (samples.length < 4)
        throw new Error(`${samples.length} instances have the metric: at least 4 are needed to fit a model`);
    const flat = samples.map((s) => new Map(flattenParams(s.params)));
    // Only params that vary say anything about the metric.
    const keys = [...new Set(flat.flatMap((m) => [...m.keys()]))].filter((k) => new Set(flat.map((m) => JSON.stringify(m.get(k)))).size > 1);
    if (keys.length === 0)
        throw new Error('no param differs between the instances');
    if (keys.length > MAX_EXACT_FEATURES)
        throw new Error(`${keys.length} params vary; exact Shapley values are computed for at most ${MAX_EXACT_FEATURES}`);
    const categories = {};
    for (const key of keys) {
        if (flat.every((m) => typeof m.get(key) === 'number' || typeof m.get(key) === 'boolean'))
            continue;
        categories[key] = [...new Set(flat.map((m) => JSON.stringify(m.get(key) ?? null)))].sort();
    }
    const encode = (m) => keys.map((k) => {
        const v = m.get(k);
        if (categories[k])
            return categories[k].indexOf(JSON.stringify(v ?? null));
        return typeof v === 'boolean' ? Number(v) : v;
    });
    const X = flat.map(encode);
    const y = samples.map((s) => s.metric);
    const forest = new RandomForestRegression({
        nEstimators: options.trees ?? 100, seed: options.seed ?? 1, maxFeatures: 1.0, replacement: false, useSampleBagging: true,
    });
    forest.train(X, y);
    const r2 = outOfBagR2(forest, y);
    const perInstance = Math.max(1, Math.floor(PREDICTION_BUDGET / samples.length / (1 << keys.length)));
    const background = spread(X, Math.min(50, perInstance));
    const predict = (rows) => forest.predict(rows);
    const points = samples.map((s, i) => ({ name: s.name, values: X[i], shap: shapleyValues(predict, X[i], background) }));
    const ranking = keys.map((param, j) => ({
        param,
        importance: mean(points.map((p) => Math.abs(p.shap[j]))),
        direction: correlation(points.map((p) => p.values[j]), points.map((p) => p.shap[j])),
    })).sort((a, b) => b.importance - a.importance);
    return { metric, instances: samples.length, r2, ranking, params: keys, points, categories };
}
function outOfBagR2(forest, y) {
    const oob = forest.predictOOB();
    const m = mean(y);
    let residual = 0;
    let total = 0;
    y.forEach((v, i) => {
        residual += (v - oob[i]) ** 2;
        total += (v - m) ** 2;
    });
    return total === 0 ? 0 : 1 - residual / total;
}
/** Up to n rows spread evenly through the data, as the background the coalitions are averaged over. */
function spread(rows, n) {
    if (rows.length <= n)
        return [...rows];
    return Array.from({ length: n }, (_, i) => rows[Math.floor((i * rows.length) / n)]);
}
function mean(values) {
    return values.reduce((a, b) => a + b, 0) / values.length;
}
function correlation(a, b) {
    const ma = mean(a);
    const mb = mean(b);
    let cov = 0;
    let va = 0;
    let vb = 0;
    a.forEach((x, i) => {
        cov += (x - ma) * (b[i] - mb);
        va += (x - ma) ** 2;
        vb += (b[i] - mb) ** 2;
    });
    return va === 0 || vb === 0 ? 0 : cov / Math.sqrt(va * vb);
}
/** shap's bar plot: mean |Shapley value| per param, most important on top. */
export function barPlotSpec(result) {
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
export function beeswarmSpec(result) {
    const order = result.ranking.map((r) => r.param);
    // Seeded jitter: the same analysis draws the same picture.
    const jitter = randomSource(`beeswarm/${result.metric}`);
    // Colour by rank within the param: log-scaled params (a learning rate) would otherwise be all "low".
    const ranks = result.params.map((_, j) => {
        const sorted = result.points.map((q) => q.values[j]).sort((a, b) => a - b);
        return (v) => (sorted.length < 2 ? 0.5 : sorted.indexOf(v) / (sorted.length - 1));
    });
    const values = result.points.flatMap((p) => result.params.map((param, j) => ({ instance: p.name, param, shap: p.shap[j], value: ranks[j](p.values[j]), jitter: jitter() - 0.5 })));
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
//# sourceMappingURL=significance.js.map