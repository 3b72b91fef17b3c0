import type { PipelineDeclaration } from '../define/declaration.js';
import { type ParamOverrides } from '../define/overrides.js';
import { type ResolvedStage } from './resolve.js';
export interface GraphNode extends ResolvedStage {
    /** Stages this one reads from, in declaration order. */
    readonly upstream: readonly string[];
    readonly downstream: readonly string[];
}
export interface PipelineGraph {
    readonly declaration: PipelineDeclaration;
    /** Every stage, in a topological order that keeps declaration order where it can. */
    readonly order: readonly string[];
    readonly nodes: ReadonlyMap<string, GraphNode>;
    /** Each swept stage's instances (a generated sweep: its one node), in order. */
    readonly sweeps: ReadonlyMap<string, readonly string[]>;
}
export interface GraphOptions {
    /**
     * Only the shape: params are not read and deps are not checked on disk. For looking at a
     * pipeline whose data is elsewhere (a dvc.yaml taken from another repository); never for a run.
     */
    readonly structureOnly?: boolean;
    /** Keep only the first N points of every grid/random sweep (dev mode tries one). */
    readonly sweepLimit?: number;
}
export declare function buildGraph(input: PipelineDeclaration, overrides?: ParamOverrides, options?: GraphOptions): PipelineGraph;
export declare function withCollectedDeps(stage: ResolvedStage, instances: readonly ResolvedStage[]): ResolvedStage;
