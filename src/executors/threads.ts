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
    const pool = await this.poolOf({ minThreads: 0, idleTimeout: 60_000 });
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

  /** Made on first use: a pipeline of cmd stages never loads the pool or starts a thread. */
  private async poolOf(threads: { minThreads: number; idleTimeout: number }): Promise<Piscina> {
    // The import is kept: each import() goes through the module loader (and tsx's hooks thread,
    // once a TS pipeline is loaded), which costs a stage of a sweep more than running it.
    const { Piscina } = await (piscinaModule ??= import('piscina'));
    return (this.pool ??= new Piscina({ filename: new URL('./thread-worker.js', import.meta.url).href, maxThreads: this.maxThreads, ...threads }));
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
