/** Runs instances in the scheduler's own thread: no isolation, for debugging with breakpoints. */
import { execInstance } from './exec-instance.js';
import type { ExecJob, ExecResult, Executor } from './executor.js';

export class InlineExecutor implements Executor {
  readonly kind = 'inline' as const;

  execute(job: ExecJob): Promise<ExecResult> {
    return execInstance(job.address, { output: job.output, signal: job.signal }, job.resolved);
  }

  async close(): Promise<void> {}
}
