/**
 * Exact Shapley values of a model's prediction, by enumerating every coalition of features.
 * The value of a coalition S at point x is the model's mean prediction over a background sample
 * with the features in S set to x's ("interventional" Shapley, as shap's KernelExplainer and
 * TreeExplainer with a background set define it). With p features that is 2^p coalitions, each
 * evaluated on the whole background in one batch: exact, and practical up to about 10 features.
 */
export const MAX_EXACT_FEATURES = 12;
/** The Shapley value of each feature at `x`; they sum to f(x) − mean f(background). */
export function shapleyValues(predict, x, background) {
    const p = x.length;
    if (p > MAX_EXACT_FEATURES)
        throw new Error(`exact Shapley values enumerate 2^p coalitions: ${p} features is too many (at most ${MAX_EXACT_FEATURES})`);
    const coalitions = 1 << p;
    const rows = [];
    for (let mask = 0; mask < coalitions; mask++) {
        for (const b of background)
            rows.push(b.map((value, j) => ((mask >> j) & 1 ? x[j] : value)));
    }
    const predictions = predict(rows);
    const value = new Float64Array(coalitions);
    for (let mask = 0; mask < coalitions; mask++) {
        let sum = 0;
        for (let k = 0; k < background.length; k++)
            sum += predictions[mask * background.length + k];
        value[mask] = sum / background.length;
    }
    // weight(s) = s! (p − s − 1)! / p!: the share of orderings in which a coalition of size s comes first.
    const factorial = [1];
    for (let i = 1; i <= p; i++)
        factorial.push(factorial[i - 1] * i);
    const weight = (s) => (factorial[s] * factorial[p - s - 1]) / factorial[p];
    const phi = new Array(p).fill(0);
    for (let mask = 0; mask < coalitions; mask++) {
        const size = popcount(mask);
        for (let j = 0; j < p; j++) {
            if ((mask >> j) & 1)
                continue;
            phi[j] += weight(size) * (value[mask | (1 << j)] - value[mask]);
        }
    }
    return phi;
}
function popcount(n) {
    let count = 0;
    for (let m = n; m; m &= m - 1)
        count++;
    return count;
}
//# sourceMappingURL=shapley.js.map