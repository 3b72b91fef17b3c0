/** `pipewright runs`: the recorded runs, one row each, with the params that differ and the metrics; `runs rm`. */
import { Command } from 'commander';
import pc from 'picocolors';
import { formatCell, formatDuration, formatTable, formatTime } from '../report/table.js';
import type { SweepSummary } from '../store/run-store.js';
import { existsSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { ExitCode, addProjectOption, enterProject, openRunStore, openRunStoreIfAny, positiveInt, printJson, runCommand } from './common.js';

export function runsCommandDefinition(): Command {
  const rm = addProjectOption(new Command('rm'))
    .description('remove runs from the store (their cached outs stay until `pipewright gc`)')
    .argument('<run...>', 'runs by id, #id, name, or last~N (N runs before the last)')
    .action((refs: string[], flags: { cwd: string }) => runCommand(async () => {
      const store = await openRunStore(flags.cwd);
      try {
        const runs = refs.map((ref) => store.resolve(ref));
        store.removeRuns(runs.map((r) => r.id));
        for (const run of runs) process.stdout.write(`removed #${run.id} ${run.name}\n`);
        return ExitCode.ok;
      } finally {
        store.close();
      }
    }));

  return addProjectOption(new Command('runs'))
    .description('list recorded runs: the params that differ between them, and their metrics (newest first)')
    .option('-n, --limit <n>', 'show at most this many runs', positiveInt)
    .option('--json', 'one object per run')
    .option('--repair', 'a damaged runs.db: keep every run SQLite can still read, move the damaged file aside')
    .addCommand(rm)
    .addHelpText('after', `
A run is named by its id (12 or #12), its name, last (the newest) or last~N (the Nth before it).

Examples:
  pipewright runs                 every run, newest first
  pipewright runs -n 5 --json     the last five, as JSON
  pipewright runs rm last         forget the newest run
  pipewright runs --repair        recover the history from a damaged .pipewright/runs.db`)
    .action((flags: { cwd: string; limit?: number; json?: boolean; repair?: boolean }) => runCommand(async () => {
      if (flags.repair) return repair(flags.cwd);
      const store = await openRunStoreIfAny(flags.cwd);
      if (!store) {
        if (flags.json) printJson([]);
        else process.stdout.write('No runs recorded yet: `pipewright run` records one.\n');
        return ExitCode.ok;
      }
      try {
        const { runRows } = await import('../report/runs.js');
        const rows = runRows(store, store.runs(flags.limit));
        if (flags.json) {
          printJson(rows);
          return ExitCode.ok;
        }
        if (rows.length === 0) {
          process.stdout.write('No runs recorded.\n');
          return ExitCode.ok;
        }
        const paramKeys = [...new Set(rows.flatMap((r) => Object.keys(r.params)))];
        const metricKeys = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))];
        const sweepStages = [...new Set(rows.flatMap((r) => r.sweeps.map((w) => w.stage)))];
        const headers = ['run', 'name', 'status', 'started', 'took', 'instances', 'git', ...paramKeys, ...metricKeys, ...sweepStages.map((s) => `${s} (sweep)`)];
        const table = rows.map((r) => [
          `#${r.id}`, r.name, r.status, formatTime(r.startedAt), formatDuration(r.durationMs), instanceSummary(r.counts),
          r.gitCommit ? `${r.gitCommit.slice(0, 7)}${r.gitDirty ? '*' : ''}` : '-',
          ...paramKeys.map((k) => r.params[k]), ...metricKeys.map((k) => r.metrics[k]),
          ...sweepStages.map((stage) => sweepCell(r.sweeps.find((w) => w.stage === stage))),
        ]);
        process.stdout.write(formatTable(headers, table));
        if (paramKeys.length) process.stdout.write(pc.dim(`params shown: those that differ between these runs\n`));
        return ExitCode.ok;
      } finally {
        store.close();
      }
    }));
}

/** `12 ran, 3 up to date`, compactly: `12/3/0/0` would say nothing to a reader. */
export function instanceSummary(counts: Readonly<Record<string, number>> | undefined): string {
  if (!counts) return '-';
  const parts = [['ran', counts.ran], ['up to date', counts.skipped], ['restored', counts.restored], ['failed', counts.failed], ['not run', counts.notRun]]
    .filter(([, n]) => n) as [string, number][];
  return parts.map(([label, n]) => `${n} ${label}`).join(', ') || '0';
}

/** `60: f1 0.926–0.977`: how many instances, and the range of their first metric. */
function sweepCell(sweep: SweepSummary | undefined): string {
  if (!sweep) return '-';
  if (sweep.metric === undefined || sweep.min === undefined || sweep.max === undefined) return String(sweep.count);
  return `${sweep.count}: ${sweep.metric} ${formatCell(sweep.min)}–${formatCell(sweep.max)}`;
}

/** `runs --repair`: copies what can be read into a new store; the damaged file is kept beside it. */
async function repair(cwd: string): Promise<ExitCode> {
  const [{ layout }, { findPipelineFile }, { repairRunStore }, { acquireWorkspaceLock }] = await Promise.all([
    import('../layout.js'), import('../define/load.js'), import('../store/repair.js'), import('../cache/workspace-lock.js')]);
  const paths = layout(dirname(findPipelineFile(enterProject(cwd))));
  if (!existsSync(paths.runsDb)) {
    process.stdout.write('No run store here (.pipewright/runs.db): nothing to repair.\n');
    return ExitCode.ok;
  }
  // No run may write to the store while it is replaced.
  const lock = acquireWorkspaceLock(paths.workspaceLock, 'pipewright runs --repair', (m) => process.stderr.write(`${pc.yellow('warning')}: ${m}\n`));
  try {
    const { kept, unreadable, aside } = repairRunStore(paths.runsDb);
    const lost = Object.entries(unreadable).filter(([, n]) => n !== 0)
      .map(([table, n]) => (n < 0 ? `the ${table} table could not be read at all` : `${n} ${table} rows could not be read`));
    process.stdout.write(`kept ${kept.runs} runs, ${kept.instances} instances and ${kept.queue} queue entries` +
      `${lost.length ? `; ${lost.join(', ')}` : '; every row was read'}\nthe damaged file is kept as ${relative(process.cwd(), aside)}\n`);
    return ExitCode.ok;
  } finally {
    lock.release();
  }
}
