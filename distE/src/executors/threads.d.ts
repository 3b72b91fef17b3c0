import { type ExecJob, type ExecResult, type Executor } from './executor.js';
export declare class ThreadsExecutor implements Executor {
    private readonly maxThreads;
    readonly kind: 'threads';
    private pool;
    constructor(maxThreads: number);
    execute(job: ExecJob): Promise<ExecResult>;
    close(): Promise<void>;
}
export declare function withStack<E extends Error>(error: E, stack: string | undefined): E;
