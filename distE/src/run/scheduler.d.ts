import type { ExecutorKind } from '../define/stage.js';
import { type Executor } from '../executors/executor.js';
import type { StageCache } from '../cache/stage-cache.js';
import { type PipelineGraph } from '../graph/graph.js';
import type { FailMode, RunEventListener, RunSummary } from './events.js';
export interface SchedulerOptions {
    readonly graph: PipelineGraph;
    /** The stages to run, in topological order (see graph/select.ts). */
    readonly stages: readonly string[];
    readonly jobs: number;
    readonly failMode: FailMode;
    readonly executorFor: (kind: ExecutorKind) => Executor;
    /** Absolute folder for per-stage log files. */
    readonly logDir: string;
    readonly onEvent: RunEventListener;
    /** Aborting it cancels the run: running stages are stopped, nothing new starts. */
    readonly signal?: AbortSignal;
    /** Skips and restores unchanged stages and records finished ones; without it everything runs. */
    readonly cache?: StageCache;
    /** Stages to run even when up to date (`--force`). */
    readonly force?: (stage: string) => boolean;
    /**
     * Whether stage output is wanted line by line as `log` events (`-v`). When not, commands write
     * their log files directly, which is cheaper; default true.
     */
    readonly streamOutput?: boolean;
    /** Stop a custom generator after this many points (dev mode tries one). */
    readonly generatedLimit?: number;
}
export declare function logFileName(stage: string): string;
export declare function runStages(options: SchedulerOptions): Promise<RunSummary>;
