import type { PipelineGraph } from './graph.js';
export interface Selection {
    /** Stage names; empty means the whole pipeline. */
    readonly targets: readonly string[];
    /** Also what depends on the targets (and what that needs). */
    readonly downstream?: boolean;
}
/** The selected stage names, in the graph's topological order. */
export declare function selectStages(graph: PipelineGraph, selection: Selection): string[];
