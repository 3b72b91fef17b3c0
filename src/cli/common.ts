/** What every command shares: exit codes, `-C DIR`, and turning errors into messages once. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { findPipelineFile } from '../define/load.js';
import { PipelineError, isPipelineError } from '../errors.js';
import { layout } from '../layout.js';
import { REPAIR_HINT, isDamagedDatabase } from '../sqlite-damage.js';
import { formatPipelineError } from './format-error.js';

export const ExitCode = {
  ok: 0,
  stageFailed: 1,
  usage: 2,
  cancelled: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function addProjectOption(command: Command): Command {
  return command.option('-C, --cwd <dir>', 'run as if started in DIR (the project folder)', '.');
}

/** Moves into the project folder, so that stages in every executor see it as their cwd. */
export function enterProject(dir: string): string {
  const root = resolve(dir);
  try {
    process.chdir(root);
  } catch {
    throw new InvalidArgumentError(`-C ${dir}: no such folder`);
  }
  return root;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number (0 or more), got "${value}"`);
  return n;
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Runs a command's body: a PipelineError becomes its message and exit code 2. */
export async function runCommand(body: () => Promise<ExitCode>): Promise<void> {
  let code: ExitCode;
  try {
    code = await body();
  } catch (err) {
    if (isPipelineError(err)) {
      process.stderr.write(formatPipelineError(err) + '\n');
      code = err.code === 'blocked' ? ExitCode.stageFailed : ExitCode.usage;
    } else if (err instanceof InvalidArgumentError) {
      process.stderr.write(`error: ${err.message}\n`);
      code = ExitCode.usage;
    } else if (isDamagedDatabase(err)) {
      // The state database heals itself (src/cache/state.ts) and the run store is checked when it is
      // opened; damage found later, by a statement of the run store, still ends as a message.
      process.stderr.write(formatPipelineError(new PipelineError('store-damaged', `${layout('.').runsDb} (the run history) is damaged: ${(err as Error).message}`, undefined, REPAIR_HINT)) + '\n');
      code = ExitCode.usage;
    } else {
      throw err;
    }
  }
  process.exitCode = code;
}

/** The project's run store, for commands that read history; a clear error when nothing was recorded. */
export async function openRunStore(dir: string): Promise<import('../store/run-store.js').RunStore> {
  const store = await openRunStoreIfAny(dir);
  if (!store) throw new PipelineError('unknown-run', 'no runs are recorded in this project yet', undefined, '`pipewright run` records one');
  return store;
}

/** The run store, or undefined when the project has none yet (a list of runs is then just empty). */
export async function openRunStoreIfAny(dir: string): Promise<import('../store/run-store.js').RunStore | undefined> {
  const paths = layout(dirname(findPipelineFile(enterProject(dir))));
  if (!existsSync(paths.runsDb) && !existsSync(paths.runsJournal)) return undefined;
  const { RunStore } = await import('../store/run-store.js');
  return RunStore.openChecked(paths.runsDb);
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/**
 * Ctrl-C (or SIGTERM) cancels what is running: the signal aborts, running stages are stopped;
 * a second Ctrl-C quits at once.
 */
export function cancelOnInterrupt(
  message: () => string = () => 'Cancelling: stopping running stages (Ctrl-C again to quit at once)',
): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    if (++interrupts > 1) process.exit(ExitCode.cancelled);
    process.stderr.write(`\n${message()}\n`);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
