/**
 * Exact Shapley values of a model's prediction, by enumerating every coalition of features.
 * The value of a coalition S at point x is the model's mean prediction over a background sample
 * with the features in S set to x's ("interventional" Shapley, as shap's KernelExplainer and
 * TreeExplainer with a background set define it). With p features that is 2^p coalitions, each
 * evaluated on the whole background in one batch: exact, and practical up to about 10 features.
 */
/** A model: predictions for a batch of rows. */
export type Predict = (rows: readonly (readonly number[])[]) => readonly number[];
export declare const MAX_EXACT_FEATURES = 12;
/** The Shapley value of each feature at `x`; they sum to f(x) − mean f(background). */
export declare function shapleyValues(predict: Predict, x: readonly number[], background: readonly (readonly number[])[]): number[];
