/** `pipewright runs`: the recorded runs, one row each, with the params that differ and the metrics; `runs rm`. */
import { Command } from 'commander';
import pc from 'picocolors';
import { formatCell, formatDuration, formatTable, formatTime } from '../report/table.js';
import { ExitCode, addProjectOption, openRunStore, openRunStoreIfAny, positiveInt, printJson, runCommand } from './common.js';
export function runsCommandDefinition() {
    const rm = addProjectOption(new Command('rm'))
        .description('remove runs from the store (their cached outs stay until `pipewright gc`)')
        .argument('<run...>', 'runs by id, #id, name, or last~N (N runs before the last)')
        .action((refs, flags) => runCommand(async () => {
        const store = await openRunStore(flags.cwd);
        try {
            const runs = refs.map((ref) => store.resolve(ref));
            store.removeRuns(runs.map((r) => r.id));
            for (const run of runs)
                process.stdout.write(`removed #${run.id} ${run.name}\n`);
            return ExitCode.ok;
        }
        finally {
            store.close();
        }
    }));
    return addProjectOption(new Command('runs'))
        .description('list recorded runs: the params that differ between them, and their metrics (newest first)')
        .option('-n, --limit <n>', 'show at most this many runs', positiveInt)
        .option('--json', 'one object per run')
        .addCommand(rm)
        .addHelpText('after', `
A run is named by its id (12 or #12), its name, last (the newest) or last~N (the Nth before it).

Examples:
  pipewright runs                 every run, newest first
  pipewright runs -n 5 --json     the last five, as JSON
  pipewright runs rm last         forget the newest run`)
        .action((flags) => runCommand(async () => {
        const store = await openRunStoreIfAny(flags.cwd);
        if (!store) {
            if (flags.json)
                printJson([]);
            else
                process.stdout.write('No runs recorded yet: `pipewright run` records one.\n');
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
            if (paramKeys.length)
                process.stdout.write(pc.dim(`params shown: those that differ between these runs\n`));
            return ExitCode.ok;
        }
        finally {
            store.close();
        }
    }));
}
/** `12 ran, 3 up to date`, compactly: `12/3/0/0` would say nothing to a reader. */
export function instanceSummary(counts) {
    if (!counts)
        return '-';
    const parts = [['ran', counts.ran], ['up to date', counts.skipped], ['restored', counts.restored], ['failed', counts.failed], ['not run', counts.notRun]]
        .filter(([, n]) => n);
    return parts.map(([label, n]) => `${n} ${label}`).join(', ') || '0';
}
/** `60: f1 0.926–0.977`: how many instances, and the range of their first metric. */
function sweepCell(sweep) {
    if (!sweep)
        return '-';
    if (sweep.metric === undefined || sweep.min === undefined || sweep.max === undefined)
        return String(sweep.count);
    return `${sweep.count}: ${sweep.metric} ${formatCell(sweep.min)}–${formatCell(sweep.max)}`;
}
//# sourceMappingURL=runs.js.map