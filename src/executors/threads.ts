/**
 * A pool of worker threads (piscina), the default for TS stages: CPU-bound stages really run at
 * once, and the scheduler's thread stays free to report progress.
 */
import { MessageChannel } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import { CancelledError, StageFailure } from '../errors.js';
import { CANCEL_GRACE_MS, type ExecJob, type ExecResult, type Executor } from './executor.js';
import type { FromRunner, ToRunner } from './messages.js';
import type { PreloadTask, ThreadTask } from './thread-worker.js';

let piscinaModule: Promise<{ Piscina: typeof Piscina }> | undefined;

export class ThreadsExecutor implements Executor {
  readonly kind = 'threads' as const;
  private pool: Piscina | undefined;

  constructor(private readonly maxThreads: number) {}

  async execute(job: ExecJob): Promise<ExecResult> {
    const pool = this.pool ?? (await this.poolOf({ minThreads: 0, idleTimeout: 60_000 }));
    return new Promise<ExecResult>((resolve, reject) => {
      const { port1, port2 } = new MessageChannel();
      const terminate = new AbortController();
      let killTimer: NodeJS.Timeout | undefined;
      let settled = false;
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        job.signal.removeEventListener('abort', onAbort);
        if (killTimer) clearTimeout(killTimer);
        port1.close();
        finish();
      };
      const onAbort = () => {
        port1.postMessage({ type: 'abort' } satisfies ToRunner);
        // A CPU-bound stage never reads the message: its thread is ended after the grace period.
        killTimer = setTimeout(() => terminate.abort(job.signal.reason), CANCEL_GRACE_MS);
      };
      job.signal.addEventListener('abort', onAbort, { once: true });
      port1.on('message', (message: FromRunner) => {
        if (message.type === 'output') job.output(message.stream, message.text);
        else if (message.type === 'done') settle(() => resolve(message.metrics ? { metrics: message.metrics } : {}));
        else settle(() => reject(message.cancelled ? new CancelledError(job.signal.reason) : withStack(new StageFailure(message.message), message.stack)));
      });
      const task: ThreadTask = { address: job.address, port: port2, ...(job.env ? { env: job.env } : {}) };
      pool.run(task, { transferList: [port2], signal: terminate.signal }).catch((err: unknown) => {
        settle(() => reject(job.signal.aborted ? new CancelledError(job.signal.reason)
          : new StageFailure(`worker thread died: ${err instanceof Error ? err.message : String(err)}`)));
      });
    });
  }

  /**
   * Starts every thread now, loads the pipeline file in each, and keeps them: for a process that
   * serves many runs (`pipewright worker`), whose jobs should not wait for a thread to start and
   * compile the pipeline (most of a trivial job's cost on a cold worker), nor pay it again after
   * a pause between runs.
   */
  async warm(pipelineFile: string): Promise<void> {
    const pool = await this.poolOf({ minThreads: this.maxThreads, idleTimeout: Infinity });
    // One task per thread: each thread takes one task at a time, so these land on all of them.
    const preload: PreloadTask = { preload: pipelineFile };
    await Promise.all(Array.from({ length: this.maxThreads }, () => pool.run(preload)));
  }

  /**
   * Made on first use: a pipeline of cmd stages never loads the pool or starts a thread. The
   * module is imported once, not per instance: with tsx's loader hooks registered, every dynamic
   * import() is a round trip to the hooks thread (~70 µs of this thread's time each, measured on
   * a 10,000-instance sweep, where it was a tenth of the run's CPU).
   */
  private async poolOf(threads: { minThreads: number; idleTimeout: number }): Promise<Piscina> {
    const { Piscina } = await (piscinaModule ??= import('piscina'));
    this.pool ??= new Piscina({
      filename: new URL('./thread-worker.js', import.meta.url).href,
      maxThreads: this.maxThreads,
      ...threads,
      // Tasks come as plain messages, so a thread's event loop turns between them. With piscina's
      // default ('sync'), a busy thread waits for its next task in Atomics.wait and never returns
      // to its loop: what a stage left pending did not run, and no task's message port was ever
      // released (~4 KB each: a 100,000-instance sweep held ~200 MB in each thread).
      atomics: 'disabled',
    });
    return this.pool;
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = undefined;
  }
}

export function withStack<E extends Error>(error: E, stack: string | undefined): E {
  if (stack) error.stack = stack;
  return error;
}
