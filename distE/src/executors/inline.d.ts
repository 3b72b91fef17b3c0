import type { ExecJob, ExecResult, Executor } from './executor.js';
export declare class InlineExecutor implements Executor {
    readonly kind: 'inline';
    execute(job: ExecJob): Promise<ExecResult>;
    close(): Promise<void>;
}
