/**
 * Child processes: always for cmd stages (the shell is the child), and on request for TS stages,
 * which then run in a fresh `node` that loads the pipeline file itself.
 */
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CancelledError, StageFailure } from '../errors.js';
import { execInstance } from './exec-instance.js';
import { ShellPool } from './shell-pool.js';
import { CANCEL_GRACE_MS, type ExecJob, type ExecResult, type Executor } from './executor.js';
import type { FromRunner, ToRunner } from './messages.js';
import { withStack } from './threads.js';

const CHILD_ENTRY = fileURLToPath(new URL('./child-entry.js', import.meta.url));

export class ProcessesExecutor implements Executor {
  readonly kind = 'processes' as const;
  private readonly shells = new ShellPool();

  execute(job: ExecJob): Promise<ExecResult> {
    if (job.kind === 'cmd') return execInstance(job.address, { output: job.output, signal: job.signal, logFile: job.logFile, onOutputFile: job.onOutputFile, shells: this.shells, env: job.env }, job.resolved);
    return runInChild(job);
  }

  async close(): Promise<void> {
    this.shells.close();
  }
}

function runInChild(job: ExecJob): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD_ENTRY], {
      cwd: dirname(job.address.pipelineFile), stdio: ['ignore', 'pipe', 'pipe', 'ipc'], detached: true, ...(job.env ? { env: { ...process.env, ...job.env } } : {}),
    });
    child.stdout!.setEncoding('utf8').on('data', (text: string) => job.output('stdout', text));
    child.stderr!.setEncoding('utf8').on('data', (text: string) => job.output('stderr', text));
    let result: FromRunner | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const onAbort = () => {
      if (child.connected) child.send({ type: 'abort' } satisfies ToRunner);
      killTimer = setTimeout(kill, CANCEL_GRACE_MS);
    };
    job.signal.addEventListener('abort', onAbort, { once: true });
    child.on('message', (message: FromRunner) => {
      result = message;
    });
    child.on('error', (err) => reject(new StageFailure(`cannot start node: ${err.message}`)));
    // 'close' comes after both the exit and the end of its output, so no line is lost.
    child.on('close', (code, signal) => {
      job.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (result?.type === 'done') resolve(result.metrics ? { metrics: result.metrics } : {});
      else if (job.signal.aborted || (result?.type === 'failed' && result.cancelled)) reject(new CancelledError(job.signal.reason));
      else if (result?.type === 'failed') reject(withStack(new StageFailure(result.message), result.stack));
      else reject(new StageFailure(`stage process ended without a result (${signal ? `killed by ${signal}` : `exit code ${code}`})`, code ?? undefined, signal ?? undefined));
    });
    child.send({ type: 'run', address: job.address } satisfies ToRunner);
  });
}
