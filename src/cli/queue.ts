/**
 * `pipewright queue add|list|start` (DVC's `exp queue`, mlpipeline's versions run one after
 * another): runs waiting in the store, started in order. Entries added while the queue runs are
 * picked up; a failed entry is recorded and the queue goes on.
 */
import { Command, Option } from 'commander';
import { availableParallelism } from 'node:os';
import pc from 'picocolors';
import { formatTable, formatTime } from '../report/table.js';
import { runPipeline } from '../run/run-pipeline.js';
import type { QueueSpec } from '../store/run-store.js';
import { ExitCode, addProjectOption, cancelOnInterrupt, collect, enterProject, openRunStoreIfAny, positiveInt, printJson, runCommand } from './common.js';
import { ProgressReporter } from './progress.js';

export function queueCommandDefinition(): Command {
  const add = addProjectOption(new Command('add'))
    .description('add a run to the queue')
    .argument('[stage...]', 'stages to run (with their upstream); all when none')
    .option('--version <name>', "a named set of overrides from the pipeline file's versions")
    .option('-S, --set <stage.param=value>', 'override a param (repeatable)', collect, [])
    .option('-n, --name <name>', "the run's name in the store")
    .action((targets: string[], flags: { cwd: string; version?: string; set: string[]; name?: string }) => runCommand(async () => {
      // Checked now, so that a typo fails here and not when the queue reaches it.
      const { openProject } = await import('../run/project.js');
      await openProject(enterProject(flags.cwd), flags.set, flags.version === undefined ? [] : [flags.version]);
      const [{ RunStore }, { layout }] = await Promise.all([import('../store/run-store.js'), import('../layout.js')]);
      const store = RunStore.openChecked(layout(process.cwd()).runsDb);
      try {
        const spec: QueueSpec = { targets, overrides: flags.set, ...(flags.version ? { version: flags.version } : {}), ...(flags.name ? { name: flags.name } : {}) };
        const entry = store.enqueue(spec);
        process.stdout.write(`queued #${entry.id}: ${describe(spec)}\n`);
        return ExitCode.ok;
      } finally {
        store.close();
      }
    }));

  const list = addProjectOption(new Command('list'))
    .description('the queue: waiting, running, done and failed entries')
    .option('--json', 'as JSON')
    .action((flags: { cwd: string; json?: boolean }) => runCommand(async () => {
      const store = await openRunStoreIfAny(flags.cwd);
      try {
        const entries = store?.queue() ?? [];
        if (flags.json) printJson(entries);
        else if (entries.length === 0) process.stdout.write('The queue is empty.\n');
        else process.stdout.write(formatTable(['entry', 'added', 'status', 'run', 'what'],
          entries.map((e) => [`#${e.id}`, formatTime(e.addedAt), e.status, e.runId === undefined ? '-' : `#${e.runId}`, describe(e.spec) + (e.error ? ` (${e.error})` : '')])));
        return ExitCode.ok;
      } finally {
        store?.close();
      }
    }));

  const start = addProjectOption(new Command('start'))
    .description('run the queued entries one after another, until none is left')
    .addOption(new Option('-j, --jobs <n>', 'stages run at once within each run').argParser(positiveInt).default(availableParallelism(), 'the number of cores'))
    .option('-v, --verbose', "stream the stages' output")
    .action((flags: { cwd: string; jobs: number; verbose?: boolean }) => runCommand(async () => {
      const store = await openRunStoreIfAny(flags.cwd);
      if (!store) {
        process.stdout.write('The queue is empty: add to it with `pipewright queue add`.\n');
        return ExitCode.ok;
      }
      const root = process.cwd();
      let failed = 0;
      let done = 0;
      // Ctrl-C stops the running entry as it stops a run, and the queue with it.
      const interrupt = cancelOnInterrupt();
      try {
        for (let entry = store.takeQueued(); entry && !interrupt.signal.aborted; entry = interrupt.signal.aborted ? undefined : store.takeQueued()) {
          process.stdout.write(pc.bold(`\nqueue entry #${entry.id}: ${describe(entry.spec)}\n`));
          let runId: number | undefined;
          try {
            const reporter = await ProgressReporter.create({ out: process.stdout, tty: process.stdout.isTTY === true, verbose: flags.verbose === true, root });
            const summary = await runPipeline({
              dir: root,
              targets: [...entry.spec.targets],
              overrides: [...entry.spec.overrides],
              version: entry.spec.version,
              name: entry.spec.name,
              jobs: flags.jobs,
              streamOutput: flags.verbose === true,
              argv: ['queue', 'start', `#${entry.id}`],
              onEvent: reporter.onEvent,
              onRecord: (run) => (runId = run.id),
              recordNow: true,
              signal: interrupt.signal,
            });
            const ok = summary.failed.length === 0 && !summary.cancelled;
            store.finishQueued(entry.id, ok ? 'done' : 'failed', runId, ok ? undefined : summary.cancelled ? 'cancelled (Ctrl-C)' : `${summary.failed.length} failed`);
            if (ok) done++;
            else failed++;
          } catch (err) {
            failed++;
            store.finishQueued(entry.id, 'failed', runId, err instanceof Error ? err.message : String(err));
            process.stderr.write(`${pc.red('queue entry failed')}: ${err instanceof Error ? err.message : String(err)}\n`);
          }
        }
        if (interrupt.signal.aborted) {
          const left = store.queue().filter((e) => e.status === 'queued').length;
          process.stdout.write(`\nqueue stopped: ${done} done, ${failed} failed, ${left} still queued (\`pipewright queue start\` goes on)\n`);
          return ExitCode.cancelled;
        }
        process.stdout.write(`\nqueue empty: ${done} done, ${failed} failed\n`);
        return failed ? ExitCode.stageFailed : ExitCode.ok;
      } finally {
        interrupt.dispose();
        store.close();
      }
    }));

  return new Command('queue').description('queue runs (a version, or -S overrides) and run them one after another')
    .addCommand(add).addCommand(list).addCommand(start)
    .addHelpText('after', `
Examples:
  pipewright queue add --version small
  pipewright queue add -S train.lr=0.05 -S train.lr=0.1 -n lr-0.1
  pipewright queue start -j 2`);
}

function describe(spec: QueueSpec): string {
  const parts = [...(spec.version ? [`--version ${spec.version}`] : []), ...spec.overrides.map((o) => `-S ${o}`), ...spec.targets, ...(spec.name ? [`-n ${spec.name}`] : [])];
  return parts.join(' ') || 'the whole pipeline as it is';
}
