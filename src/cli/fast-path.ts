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

/** Whether the run was a no-op, answered and recorded; false leaves it to the full CLI. */
export async function answeredAsNoOp(run: PlainRun): Promise<boolean> {
  try {
    const root = resolve(run.dir);
    const reporter = await ProgressReporter.create({ out: process.stdout, tty: process.stdout.isTTY === true, verbose: run.verbose, root });
    const summary = await answerNoOp(root, run.jobs, reporter.onEvent, async (projectRoot, certificate) => journaledRecording(projectRoot, { argv: process.argv.slice(2) }, certificate));
    return summary !== undefined;
  } catch {
    // Whatever went wrong (no pipeline file, say), the full CLI says it properly.
    return false;
  }
}
