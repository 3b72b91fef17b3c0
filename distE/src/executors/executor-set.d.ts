/** The executors of one run, made on first use and closed together. */
import type { ExecutorKind } from '../define/stage.js';
import type { Executor } from './executor.js';
export interface ExecutorSet {
    get(kind: ExecutorKind): Executor;
    close(): Promise<void>;
}
export declare function createExecutorSet(jobs: number): ExecutorSet;
