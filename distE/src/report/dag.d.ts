/**
 * Draws a pipeline graph as text (a tree from its sources), Mermaid, Graphviz dot or JSON. A sweep
 * is drawn as one node, `train (sweep: 60 instances)`, unless every instance is asked for.
 */
import type { PipelineGraph } from '../graph/graph.js';
import type { DagFormat } from './dag-formats.js';
export interface DagOptions {
    /** Draw each instance of a sweep instead of one node for the sweep. */
    readonly instances?: boolean;
}
export declare function drawDag(graph: PipelineGraph, stages: readonly string[], format: DagFormat, options?: DagOptions): string;
