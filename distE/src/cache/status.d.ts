/**
 * What `run` would do, and why, without doing any of it. A stage whose upstream will run cannot
 * be judged yet (its inputs do not exist); it is reported as waiting on that upstream.
 */
import type { PipelineGraph } from '../graph/graph.js';
import { type Reason } from './reasons.js';
import type { StageCache } from './stage-cache.js';
export type StageState = 'up-to-date' | 'will-run' | 'will-restore' | 'frozen' | 'error';
export interface StageStatus {
    readonly stage: string;
    readonly state: StageState;
    readonly reasons: readonly (Reason & {
        readonly text: string;
    })[];
    /** For `error`: what is wrong. */
    readonly message?: string;
}
export declare function pipelineStatus(graph: PipelineGraph, stages: readonly string[], cache: StageCache, force?: boolean): Promise<StageStatus[]>;
