/**
 * `pipewright run --watch`: the watch loop (run/watch.ts) wired to the terminal. Each run is a
 * plain `run` with the same flags and the same progress display; between runs one line says what
 * is watched. Ctrl-C while waiting ends with exit 0; while a run is going it cancels the run as
 * `run` does and ends with 130; a second Ctrl-C quits at once.
 */
import { relative } from 'node:path';
import pc from 'picocolors';
import { isPipelineError } from '../errors.js';
import { DEV_VERSION } from '../run/project.js';
import { runPipeline, type RunOptions } from '../run/run-pipeline.js';
import { WatcherError, watchPipeline } from '../run/watch.js';
import { loadWatchSet, type WatchSet } from '../run/watch-set.js';
import { ExitCode, cancelOnInterrupt } from './common.js';
import { formatPipelineError } from './format-error.js';
import { ProgressReporter } from './progress.js';

/** How many changed paths the "changed:" line names before it counts the rest. */
const CHANGES_NAMED = 3;

export interface WatchFlags {
  readonly verbose: boolean;
  readonly dev: boolean;
}

/** `options` are a plain run's, without a signal or listener: every run of the loop gets its own. */
export async function watchCommand(root: string, options: Omit<RunOptions, 'signal' | 'onEvent'>, flags: WatchFlags): Promise<ExitCode> {
  let running = false;
  const stop = cancelOnInterrupt(() => (running ? 'Cancelling: stopping running stages (Ctrl-C again to quit at once)' : 'Stopped watching.'));
  const out = process.stdout;
  // The overrides the runs apply, so that a path made of params is watched as the runs read it.
  const versions = [...(options.version === undefined ? [] : [options.version]), ...(flags.dev ? [DEV_VERSION] : [])];
  // `--force` is for the first run: forcing every rerun would run what no save touched.
  let force = options.force === true;
  try {
    const end = await watchPipeline({
      plan: () => loadWatchSet(root, options.overrides ?? [], versions),
      run: async (signal) => {
        const reporter = await ProgressReporter.create({ out, tty: out.isTTY === true, verbose: flags.verbose, root, stacks: flags.dev });
        running = true;
        try {
          return await runPipeline({ ...options, force, signal, onEvent: reporter.onEvent });
        } finally {
          running = false;
          force = false;
        }
      },
      onChange: (paths) => out.write(`\n${pc.bold('Changed')}: ${describeChanges(root, paths)}\n`),
      onIdle: (watched) => out.write(`\n${pc.dim(`Watching ${describeWatched(watched)} for changes; press Ctrl-C to stop`)}\n`),
      onError: (err) => process.stderr.write(`${describeError(err)}\n`),
    }, { dir: root, signal: stop.signal });
    return end === 'run-cancelled' ? ExitCode.cancelled : ExitCode.ok;
  } finally {
    stop.dispose();
  }
}

function describeChanges(root: string, paths: readonly string[]): string {
  const named = paths.slice(0, CHANGES_NAMED).map((p) => relative(root, p) || '.');
  return paths.length > named.length ? `${named.join(', ')} and ${paths.length - named.length} more` : named.join(', ');
}

function describeWatched(watched: WatchSet): string {
  const files = watched.paths.length - watched.folders;
  const parts = [`${files} file${files === 1 ? '' : 's'}`];
  if (watched.folders) parts.push(`${watched.folders} folder${watched.folders === 1 ? '' : 's'}`);
  return parts.join(' and ');
}

/**
 * A broken pipeline is the user's to fix: its message, as `run` prints it. Anything else is
 * unexpected, and its stack is what a bug report needs; either way the watch goes on.
 */
function describeError(err: unknown): string {
  if (isPipelineError(err)) return formatPipelineError(err);
  if (err instanceof WatcherError) return `${pc.red('error')}: ${err.message}`;
  return `${pc.red('error')}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
}
