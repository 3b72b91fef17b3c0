/**
 * Long-lived shells that run commands one at a time each. Starting a command from Node forks the
 * whole Node process (page tables and all: 3.5 ms here at the ~120 MB a run of a thousand stages
 * holds, against 1.9 ms from a 1 MB `sh`); a shell started once per slot forks only itself. Used
 * when a command's output goes straight to its log file; streamed output (`-v`) keeps its pipes
 * and `spawn`.
 *
 * Each shell is its own process group, and so is everything it starts: cancelling kills the
 * group. Processes a command leaves running in the background live until the pool closes (a
 * spawned command's leftovers went with it when it ended).
 *
 * A command's output goes to its shell's scratch file beside the log, which becomes the stage's
 * log only if something was printed. Most small stages print nothing, and making a new file per
 * stage cost ~0.8 ms of CPU here, nearly half again what the shell and a `cat` command cost
 * together (~1.8 ms); truncating the same file costs next to nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isAlive } from '../process-alive.js';
import { CancelledError, StageFailure } from '../errors.js';
import { CANCEL_GRACE_MS } from './executor.js';

/**
 * The loop each shell runs: one job per line (id, output file, working folder, command;
 * tab-separated, the command last so that it may hold tabs); written back: the id, the exit
 * status, and "printed" when the output file is not empty. Builtins only: nothing forks but the
 * command's subshell. Its variables carry a prefix no command would use.
 */
const LOOP = `while IFS='\t' read -r __pw_id __pw_out __pw_dir __pw_cmd; do
  ( cd "$__pw_dir" && eval "$__pw_cmd" ) >"$__pw_out" 2>&1 </dev/null
  __pw_status=$?
  if [ -s "$__pw_out" ]; then echo "$__pw_id $__pw_status printed"; else echo "$__pw_id $__pw_status"; fi
done`;

const SCRATCH_PREFIX = '.shell-';
const SCRATCH_SUFFIX = '.out';

interface Job {
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
  readonly logFile: string;
  readonly scratch: string;
}

class Shell {
  readonly process: ChildProcess;
  private job: Job | undefined;
  private nextId = 0;
  private currentId = '';
  private exited = false;

  constructor(private readonly onIdle: (shell: Shell) => void, private readonly onGone: (shell: Shell) => void) {
    this.process = spawn('/bin/sh', ['-c', LOOP], { stdio: ['pipe', 'pipe', 'ignore'], detached: true });
    // The shell's replies are short lines; split here rather than through node:readline, whose
    // interface cost ~2% of the main thread's time on a thousand one-command stages.
    let partial = '';
    this.process.stdout!.setEncoding('utf8').on('data', (text: string) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop()!;
      for (const line of lines) this.finished(line);
    });
    // A shell that died is reported by 'exit'; writing to it meanwhile must not crash the run.
    this.process.stdin!.on('error', () => {});
    this.process.on('error', () => this.gone(new StageFailure('cannot start /bin/sh')));
    this.process.on('exit', (code, signal) => this.gone(new StageFailure(`the shell running the command died (${signal ?? `exit code ${code}`})`)));
  }

  /** This shell's scratch output file in the log's folder (a rename must not cross file systems). */
  scratchFor(logFile: string): string {
    const scratch = join(dirname(logFile), `${SCRATCH_PREFIX}${this.process.pid}${SCRATCH_SUFFIX}`);
    this.scratches.add(scratch);
    return scratch;
  }

  /** Every scratch file this shell wrote, removed when it is done with. */
  readonly scratches = new Set<string>();

  run(command: string, cwd: string, job: Job): void {
    this.job = job;
    this.currentId = String(this.nextId++);
    this.process.stdin!.write(`${this.currentId}\t${job.scratch}\t${cwd}\t${command}\n`);
  }

  /** SIGTERM to the group (the shell and what it runs), SIGKILL after the grace period. */
  kill(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.process.pid!, signal);
    } catch {
      // Already gone.
    }
  }

  private finished(line: string): void {
    const [id, status, printed] = line.split(' ');
    const job = this.job;
    if (!job || id !== this.currentId) return;
    this.job = undefined;
    const code = Number(status);
    // Before this shell can take another job, which would write over it.
    if (printed) {
      try {
        renameSync(job.scratch, job.logFile);
      } catch (err) {
        job.reject(new StageFailure(`cannot keep the log of the command (${(err as Error).message})`));
        this.onIdle(this);
        return;
      }
    }
    if (code === 0) job.resolve();
    // A shell reports a command killed by signal N as 128 + N.
    else if (code > 128) job.reject(new StageFailure(`command killed by signal ${code - 128}`, code));
    else job.reject(new StageFailure(`command exited with code ${code}`, code));
    this.onIdle(this);
  }

  private gone(err: Error): void {
    if (this.exited) return;
    this.exited = true;
    const job = this.job;
    this.job = undefined;
    // What a killed command printed is its log still.
    if (job && (statSync(job.scratch, { throwIfNoEntry: false })?.size ?? 0) > 0) {
      try {
        renameSync(job.scratch, job.logFile);
      } catch {
        // The failure itself is what gets reported.
      }
    }
    this.removeScratches();
    job?.reject(err);
    this.onGone(this);
  }

  removeScratches(): void {
    for (const scratch of this.scratches) rmSync(scratch, { force: true });
    this.scratches.clear();
  }
}

export class ShellPool {
  private readonly idle: Shell[] = [];
  private readonly all = new Set<Shell>();
  /** Every group ever started: closing kills what was left running in any of them. */
  private readonly groups = new Set<number>();

  /**
   * Removes the scratch files in `dir` of shells that are gone: a pool closes its own, but a run
   * killed with -9 leaves them behind.
   */
  static removeLeftovers(dir: string): void {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (!name.startsWith(SCRATCH_PREFIX) || !name.endsWith(SCRATCH_SUFFIX)) continue;
      const pid = Number(name.slice(SCRATCH_PREFIX.length, -SCRATCH_SUFFIX.length));
      if (Number.isInteger(pid) && !isAlive(pid)) rmSync(join(dir, name), { force: true });
    }
  }

  /** Whether a command and its paths fit the line protocol (no newline anywhere, no tab in paths). */
  static accepts(command: string, cwd: string, logFile: string): boolean {
    return !command.includes('\n') && !/[\t\n]/.test(cwd + dirname(logFile));
  }

  /** `onOutputFile`: told which scratch file the output goes to while the command runs. */
  run(command: string, cwd: string, logFile: string, signal: AbortSignal, onOutputFile?: (path: string) => void): Promise<void> {
    if (signal.aborted) return Promise.reject(new CancelledError(signal.reason));
    const shell = this.idle.pop() ?? this.start();
    const scratch = shell.scratchFor(logFile);
    onOutputFile?.(scratch);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        // The shell goes with its command: the next job starts a fresh one.
        this.forget(shell);
        shell.kill('SIGTERM');
        setTimeout(() => shell.kill('SIGKILL'), CANCEL_GRACE_MS).unref();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = () => signal.removeEventListener('abort', onAbort);
      shell.run(command, cwd, {
        logFile,
        scratch,
        resolve: () => {
          settle();
          resolve();
        },
        reject: (err) => {
          settle();
          reject(signal.aborted ? new CancelledError(signal.reason) : err);
        },
      });
    });
  }

  /** Ends every shell and whatever they left running. */
  close(): void {
    for (const shell of this.all) {
      shell.process.stdin!.end();
      shell.removeScratches();
    }
    for (const group of this.groups) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    this.all.clear();
    this.groups.clear();
    this.idle.length = 0;
  }

  private start(): Shell {
    const shell = new Shell((s) => {
      if (this.all.has(s)) this.idle.push(s);
    }, (s) => this.forget(s));
    this.all.add(shell);
    if (shell.process.pid !== undefined) this.groups.add(shell.process.pid);
    return shell;
  }

  private forget(shell: Shell): void {
    this.all.delete(shell);
    const i = this.idle.indexOf(shell);
    if (i >= 0) this.idle.splice(i, 1);
  }
}
