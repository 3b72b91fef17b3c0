/**
 * The no-op fast path as the CLI's entry offers a plain `pipewright run` to it. Bundled into the
 * entry's one CommonJS file (scripts/bundle.mjs): loaded as a chain of shared ES chunks, the
 * module loader read them level by level, idle between reads, for longer than the check takes.
 */
import { resolve } from 'node:path';
import { answerNoOp, journaledRecording } from '../run/no-op.js';
import { ProgressReporter } from './progress.js';

export interface PlainRun {
  readonly dir: string;
  readonly jobs: number;
  readonly verbose: boolean;
}

/**
 * `PIPEWRIGHT_DEBUG=fast-path`: the entry says on stderr which path answered, and why the fast
 * path did not (with the error it swallowed), since the full CLI gives the same answer either way.
 */
export const DEBUG_FAST_PATH = process.env.PIPEWRIGHT_DEBUG?.split(',').includes('fast-path') === true;

export function debugFastPath(message: string): void {
  if (DEBUG_FAST_PATH) process.stderr.write(`pipewright debug: ${message}\n`);
}

/** Whether the run was a no-op, answered and recorded; false leaves it to the full CLI. */
export async function answeredAsNoOp(run: PlainRun): Promise<boolean> {
  try {
    const root = resolve(run.dir);
    const reporter = await ProgressReporter.create({ out: process.stdout, tty: process.stdout.isTTY === true, verbose: run.verbose, root });
    const summary = await answerNoOp(root, run.jobs, reporter.onEvent, async (projectRoot, certificate) => journaledRecording(projectRoot, { argv: process.argv.slice(2) }, certificate));
    debugFastPath(summary ? 'answered by the no-op fast path' : 'the fast path found work to do (or no certificate): the full CLI answers');
    return summary !== undefined;
  } catch (err) {
    // Whatever went wrong (no pipeline file, say), the full CLI says it properly.
    debugFastPath(`the fast path failed, the full CLI answers: ${(err as Error).stack ?? String(err)}`);
    return false;
  }
}
