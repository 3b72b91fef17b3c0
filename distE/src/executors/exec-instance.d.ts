import type { Metrics } from '../define/stage.js';
import { type ResolvedStage } from '../graph/resolve.js';
import { type ExecResult, type InstanceAddress, type OutputSink, type ResolvedInstance } from './executor.js';
import { ShellPool } from './shell-pool.js';
export interface InstanceIo {
    readonly output: OutputSink;
    readonly signal: AbortSignal;
    /**
     * When set, a cmd stage's output goes straight to this file instead of through `output` line
     * by line: nobody is streaming it, and a file descriptor costs less than two pipes.
     */
    readonly logFile?: string;
    /** Long-lived shells to run a command in, when its output goes to `logFile` (see shell-pool.ts). */
    readonly shells?: ShellPool;
}
export declare function execInstance(address: InstanceAddress, io: InstanceIo, resolved?: ResolvedInstance): Promise<ExecResult>;
/** Like DVC: outs are removed before the stage runs, so a stale out is never taken for a new one. */
export declare function prepareOuts(root: string, stage: ResolvedStage): void;
/**
 * Removes a file or folder if it is there; cheap when it is a file or nothing. Looked at first
 * rather than unlinked and caught: a thrown ENOENT costs ten times the lstat on a cold run.
 */
export declare function removePath(abs: string): void;
/** The stage's metrics files, merged; undefined when it has none (or they are not there). */
export declare function readMetrics(root: string, stage: ResolvedStage): Metrics | undefined;
