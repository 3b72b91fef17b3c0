/** `pipewright run`: run the pipeline, or the named stages with their upstream. */
import { Command, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { runPipeline } from '../run/run-pipeline.js';
import { ExitCode, addProjectOption, collect, enterProject, positiveInt, runCommand } from './common.js';
import { ProgressReporter } from './progress.js';

interface RunFlags {
  cwd: string;
  jobs: number;
  set: string[];
  failFast?: boolean;
  keepGoing?: boolean;
  downstream?: boolean;
  verbose?: boolean;
}

export function runCommandDefinition(): Command {
  return addProjectOption(new Command('run'))
    .description('run the pipeline, or the named stages and what they need')
    .argument('[stage...]', 'stages to run (with their upstream); all when none')
    .option('-j, --jobs <n>', 'stages run at once', positiveInt, availableParallelism())
    .option('-S, --set <stage.param=value>', 'override a param (repeatable)', collect, [])
    .option('--downstream', 'also run the stages that depend on the named ones')
    .addOption(new Option('--keep-going', 'after a failure, go on with independent stages (default)').conflicts('failFast'))
    .addOption(new Option('--fail-fast', 'stop everything at the first failure').conflicts('keepGoing'))
    .option('-v, --verbose', "stream the stages' output")
    .addHelpText('after', `
Exit codes: 0 all done, 1 a stage failed, 2 bad usage or pipeline, 130 cancelled.
Each stage's output is kept in .pipewright/logs/<stage>.log.

Examples:
  pipewright run                     run everything
  pipewright run train -j 2          run train and its upstream, two stages at once
  pipewright run -S train.lr=0.05    override a param for this run`)
    .action((stages: string[], flags: RunFlags) => runCommand(async () => {
      const root = enterProject(flags.cwd);
      const controller = new AbortController();
      let interrupts = 0;
      const onSigint = () => {
        if (++interrupts > 1) process.exit(ExitCode.cancelled);
        process.stderr.write('\nCancelling: stopping running stages (Ctrl-C again to quit at once)\n');
        controller.abort(new Error('interrupted'));
      };
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigint);
      const reporter = new ProgressReporter({ out: process.stdout, tty: process.stdout.isTTY === true, verbose: flags.verbose === true, root });
      try {
        const summary = await runPipeline({
          dir: root,
          targets: stages,
          downstream: flags.downstream === true,
          jobs: flags.jobs,
          failMode: flags.failFast ? 'fail-fast' : 'keep-going',
          overrides: flags.set,
          signal: controller.signal,
          onEvent: reporter.onEvent,
        });
        if (summary.cancelled) return ExitCode.cancelled;
        return summary.failed.length ? ExitCode.stageFailed : ExitCode.ok;
      } finally {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigint);
      }
    }));
}
