import { type ExecJob, type ExecResult, type Executor } from './executor.js';
export declare class ProcessesExecutor implements Executor {
    readonly kind: 'processes';
    private readonly shells;
    execute(job: ExecJob): Promise<ExecResult>;
    close(): Promise<void>;
}
