/** Runs instances in the scheduler's own thread: no isolation, for debugging with breakpoints. */
import { execInstance } from './exec-instance.js';
import type { ExecJob, ExecResult, Executor } from './executor.js';

export class InlineExecutor implements Executor {
  readonly kind = 'inline' as const;

  execute(job: ExecJob): Promise<ExecResult> {
    // A TS stage here shares the scheduler's process.env: `env` reaches only its commands.
    return execInstance(job.address, { output: job.output, signal: job.signal, env: job.env }, job.resolved);
  }

  async close(): Promise<void> {}
}
