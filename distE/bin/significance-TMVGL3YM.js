import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  randomSource
} from "./chunk-74SOYECD.js";
import "./chunk-DJMCM54O.js";
import {
  flattenParams
} from "./chunk-VRTVQOPA.js";
import "./chunk-VYRDMYYG.js";
import "./chunk-72MSOLL7.js";

// src/report/significance.ts
import { RandomForestRegression } from "ml-random-forest";

// src/report/shapley.ts
var MAX_EXACT_FEATURES = 12;
function shapleyValues(predict, x, background) {
  const p = x.length;
  if (p > MAX_EXACT_FEATURES) throw new Error(`exact Shapley values enumerate 2^p coalitions: ${p} features is too many (at most ${MAX_EXACT_FEATURES})`);
  const coalitions = 1 << p;
  const rows = [];
  for (let mask = 0; mask < coalitions; mask++) {
    for (const b of background) rows.push(b.map((value2, j) => mask >> j & 1 ? x[j] : value2));
  }
  const predictions = predict(rows);
  const value = new Float64Array(coalitions);
  for (let mask = 0; mask < coalitions; mask++) {
    let sum = 0;
    for (let k = 0; k < background.length; k++) sum += predictions[mask * background.length + k];
    value[mask] = sum / background.length;
  }
  const factorial = [1];
  for (let i = 1; i <= p; i++) factorial.push(factorial[i - 1] * i);
  const weight = (s) => factorial[s] * factorial[p - s - 1] / factorial[p];
  const phi = new Array(p).fill(0);
  for (let mask = 0; mask < coalitions; mask++) {
    const size = popcount(mask);
    for (let j = 0; j < p; j++) {
      if (mask >> j & 1) continue;
      phi[j] += weight(size) * (value[mask | 1 << j] - value[mask]);
    }
  }
  return phi;
}
function popcount(n) {
  let count = 0;
  for (let m = n; m; m &= m - 1) count++;
  return count;
}

// src/report/significance.ts
var PREDICTION_BUDGET = 2e6;
function analyzeSignificance(metric, samples, options = {}) {
  if (samples.length < 4) throw new Error(`${samples.length} instances have the metric: at least 4 are needed to fit a model`);
  const flat = samples.map((s) => new Map(flattenParams(s.params)));
  const keys = [...new Set(flat.flatMap((m) => [...m.keys()]))].filter((k) => new Set(flat.map((m) => JSON.stringify(m.get(k)))).size > 1);
  if (keys.length === 0) throw new Error("no param differs between the instances");
  if (keys.length > MAX_EXACT_FEATURES) throw new Error(`${keys.length} params vary; exact Shapley values are computed for at most ${MAX_EXACT_FEATURES}`);
  const categories = {};
  for (const key of keys) {
    if (flat.every((m) => typeof m.get(key) === "number" || typeof m.get(key) === "boolean")) continue;
    categories[key] = [...new Set(flat.map((m) => JSON.stringify(m.get(key) ?? null)))].sort();
  }
  const encode = (m) => keys.map((k) => {
    const v = m.get(k);
    if (categories[k]) return categories[k].indexOf(JSON.stringify(v ?? null));
    return typeof v === "boolean" ? Number(v) : v;
  });
  const X = flat.map(encode);
  const y = samples.map((s) => s.metric);
  const forest = new RandomForestRegression({
    nEstimators: options.trees ?? 100,
    seed: options.seed ?? 1,
    maxFeatures: 1,
    replacement: false,
    useSampleBagging: true
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
    direction: correlation(points.map((p) => p.values[j]), points.map((p) => p.shap[j]))
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
function spread(rows, n) {
  if (rows.length <= n) return [...rows];
  return Array.from({ length: n }, (_, i) => rows[Math.floor(i * rows.length / n)]);
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
function barPlotSpec(result) {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Which params move ${result.metric} (mean |Shapley value|, ${result.instances} instances)`,
    width: 420,
    height: { step: 28 },
    data: { values: result.ranking.map((r) => ({ param: r.param, importance: r.importance })) },
    mark: { type: "bar", color: "#1e88e5" },
    encoding: {
      y: { field: "param", type: "nominal", sort: "-x", title: null },
      x: { field: "importance", type: "quantitative", title: `mean |SHAP value| (effect on ${result.metric})` }
    }
  };
}
function beeswarmSpec(result) {
  const order = result.ranking.map((r) => r.param);
  const jitter = randomSource(`beeswarm/${result.metric}`);
  const ranks = result.params.map((_, j) => {
    const sorted = result.points.map((q) => q.values[j]).sort((a, b) => a - b);
    return (v) => sorted.length < 2 ? 0.5 : sorted.indexOf(v) / (sorted.length - 1);
  });
  const values = result.points.flatMap((p) => result.params.map((param, j) => ({ instance: p.name, param, shap: p.shap[j], value: ranks[j](p.values[j]), jitter: jitter() - 0.5 })));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Shapley values of each param for ${result.metric}`,
    width: 420,
    height: { step: 40 },
    data: { values },
    mark: { type: "circle", size: 36, opacity: 0.8 },
    encoding: {
      y: { field: "param", type: "nominal", sort: order, title: null },
      yOffset: { field: "jitter", type: "quantitative", scale: { domain: [-0.6, 0.6] } },
      x: { field: "shap", type: "quantitative", title: `SHAP value (effect on ${result.metric})` },
      color: { field: "value", type: "quantitative", title: "param value", scale: { range: ["#1e88e5", "#ff0d57"] }, legend: { format: ".0%", title: ["param value", "(rank, low \u2192 high)"] } },
      tooltip: [{ field: "instance" }, { field: "param" }, { field: "shap", format: ".4f" }]
    }
  };
}
export {
  analyzeSignificance,
  barPlotSpec,
  beeswarmSpec
};
//# sourceMappingURL=significance-TMVGL3YM.js.map
