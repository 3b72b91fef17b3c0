/**
 * An adaptive search shipped with pipewright, written as any user's custom generator would be:
 * a few random points first, then each next point a perturbation of the best one so far, with
 * steps that shrink as the budget is spent (a (1+1) evolution strategy in the space's own scales:
 * multiplicative for `loguniform`, additive for `uniform` and `int`, a re-draw for options).
 */
import { type SweepGenerator } from './sweep.js';
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
export declare function refine(options: RefineOptions): SweepGenerator;
