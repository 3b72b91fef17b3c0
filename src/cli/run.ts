/** `pipewright run`: run the pipeline, or the named stages with their upstream. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { LINK_KINDS, type LinkKind } from '../layout.js';
import { parseDuration } from '../define/controls.js';
import { runPipeline, type RunOptions } from '../run/run-pipeline.js';
import { ExitCode, addProjectOption, cancelOnInterrupt, collect, enterProject, nonNegativeInt, positiveInt, runCommand } from './common.js';
import { ProgressReporter } from './progress.js';

interface RunFlags {
  cwd: string;
  jobs: number;
  set: string[];
  failFast?: boolean;
  keepGoing?: boolean;
  downstream?: boolean;
  verbose?: boolean;
  force?: boolean;
  link: string;
  name?: string;
  version?: string;
  dev?: boolean;
  watch?: boolean;
  gpus?: number;
  executor?: 'bullmq';
  redis?: string;
  workerWait?: number;
  /** A remote's name, or false for --no-remote. */
  remote?: string | false;
  push?: boolean;
}

function parseWait(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new InvalidArgumentError(`--worker-wait: "${text}" is not a duration such as 5s or 2m`);
  return Math.round(ms);
}

export function runCommandDefinition(): Command {
  return addProjectOption(new Command('run'))
    .description('run the pipeline, or the named stages and what they need')
    .argument('[stage...]', 'stages to run (with their upstream); all when none')
    .addOption(new Option('-j, --jobs <n>', 'stages run at once').argParser(positiveInt).default(availableParallelism(), 'the number of cores'))
    .option('-S, --set <stage.param=value>', 'override a param (repeatable)', collect, [])
    .addOption(new Option('--executor <kind>', 'run every stage on workers through Redis (see pipewright worker)').choices(['bullmq']))
    .option('--redis <url>', 'Redis of --executor bullmq (default: PIPEWRIGHT_REDIS, then pipewright.config.yaml redis:)')
    .option('--worker-wait <duration>', 'with --executor bullmq: how long an instance waits for a worker that can take it (default 20s)', parseWait)
    .option('--gpus <n>', "GPU devices to hand out to stages that ask for them (resources: { gpus }); default: the machine's", nonNegativeInt)
    .option('--downstream', 'also run the stages that depend on the named ones')
    .option('-r, --remote <name>', 'look up what the local cache lacks in this remote\'s run-cache before running it (default: the default remote, else the only one)')
    .option('--no-remote', 'do not look anything up on a remote; the local cache only')
    .option('--push', 'after the run, send the new outs and run-cache entries to the remote (always, with auto_push: true in pipewright.config.yaml)')
    .option('-f, --force', 'run the selected stages even if they are up to date')
    .addOption(new Option('--link <kinds>', 'how cached outs are put in the workspace, first that works (comma-separated)')
      .default('reflink,hardlink,copy').env('PIPEWRIGHT_LINK'))
    .addOption(new Option('--keep-going', 'after a failure, go on with independent stages (default)').conflicts('failFast'))
    .addOption(new Option('--fail-fast', 'stop everything at the first failure').conflicts('keepGoing'))
    .option('-v, --verbose', "stream the stages' output")
    .option('-n, --name <name>', 'name the run in the run store (default: a made-up one)')
    .option('--version <name>', "apply a named set of overrides from the pipeline file's versions")
    .option('--dev', "dev mode: a scratch copy, the pipeline's dev overrides, stop at the first error with its stack, record nothing")
    .addOption(new Option('-w, --watch', 'run, then run again what changed each time a dep, params file or the pipeline file is saved').conflicts('name'))
    .addHelpText('after', `
Exit codes: 0 all done, 1 a stage failed, 2 bad usage or pipeline, 130 cancelled.
With --watch: 0 when Ctrl-C stops the watch between runs, 130 when it cancels a run.
Each stage's output is kept in .pipewright/logs/<stage>.log.

Examples:
  pipewright run                     run everything
  pipewright run train -j 2          run train and its upstream, two stages at once
  pipewright run -S train.lr=0.05    override a param for this run
  pipewright run --version small     run with the overrides of version "small"
  pipewright run --dev               try a change quickly, leaving no trace
  pipewright run --watch             rerun what changed on every save, until Ctrl-C`)
    .action((stages: string[], flags: RunFlags) => runCommand(async () => {
      const root = enterProject(flags.cwd);
      const options = runOptions(root, stages, flags);
      if (flags.watch) {
        const { watchCommand } = await import('./watch.js');
        return watchCommand(root, options, { verbose: flags.verbose === true, dev: flags.dev === true });
      }
      const interrupt = cancelOnInterrupt();
      const reporter = await ProgressReporter.create({ out: process.stdout, tty: process.stdout.isTTY === true, verbose: flags.verbose === true, root, stacks: flags.dev === true });
      try {
        const summary = await runPipeline({ ...options, signal: interrupt.signal, onEvent: reporter.onEvent });
        if (summary.cancelled) return ExitCode.cancelled;
        return summary.failed.length ? ExitCode.stageFailed : ExitCode.ok;
      } finally {
        interrupt.dispose();
      }
    }));
}

/** A run's options from the command line: one per run, and the same for every run of `--watch`. */
function runOptions(root: string, stages: string[], flags: RunFlags): Omit<RunOptions, 'signal' | 'onEvent'> {
  return {
    dir: root,
    targets: stages,
    downstream: flags.downstream === true,
    jobs: flags.jobs,
    failMode: flags.failFast ? 'fail-fast' : 'keep-going',
    overrides: flags.set,
    force: flags.force === true,
    gpus: flags.gpus,
    ...(flags.executor ? { executor: flags.executor } : {}),
    ...(flags.redis ? { redis: flags.redis } : {}),
    ...(flags.workerWait ? { workerWaitMs: flags.workerWait } : {}),
    ...(flags.remote === false ? { noRemote: true } : flags.remote ? { remote: flags.remote } : {}),
    ...(flags.push ? { push: true } : {}),
    streamOutput: flags.verbose === true,
    links: parseLinks(flags.link),
    command: ['pipewright', ...process.argv.slice(2)].join(' '),
    argv: process.argv.slice(2),
    name: flags.name,
    version: flags.version,
    dev: flags.dev === true,
  };
}

function parseLinks(text: string): LinkKind[] {
  const kinds = text.split(',').map((k) => k.trim()).filter(Boolean);
  const bad = kinds.find((k) => !(LINK_KINDS as readonly string[]).includes(k));
  if (bad || kinds.length === 0) throw new InvalidArgumentError(`--link: "${bad ?? text}" is not one of ${LINK_KINDS.join(', ')}`);
  return kinds as LinkKind[];
}
