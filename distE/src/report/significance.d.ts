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
    /** Per instance: its params' encoded values and Shapley values, in `params` order. */
    readonly params: readonly string[];
    readonly points: readonly {
        readonly name: string;
        readonly values: readonly number[];
        readonly shap: readonly number[];
    }[];
    /** Categorical params: the codes their values were given. */
    readonly categories: Readonly<Record<string, readonly string[]>>;
}
export declare function analyzeSignificance(metric: string, samples: readonly Sample[], options?: {
    trees?: number;
    seed?: number;
}): Significance;
/** shap's bar plot: mean |Shapley value| per param, most important on top. */
export declare function barPlotSpec(result: Significance): VegaLiteSpec;
/** shap's beeswarm: each instance's Shapley value per param, coloured by the param's value. */
export declare function beeswarmSpec(result: Significance): VegaLiteSpec;
