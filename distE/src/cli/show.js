/** `pipewright show RUN`: one run in full: when, where, how, and every instance with its params and metrics. */
import { Command } from 'commander';
import { flattenParams } from '../define/interpolate.js';
import { formatDuration, formatTable, formatTime } from '../report/table.js';
import { ExitCode, addProjectOption, openRunStore, printJson, runCommand } from './common.js';
import { instanceSummary } from './runs.js';
export function showCommandDefinition() {
    return addProjectOption(new Command('show'))
        .description('show one run: its command, git revision, host and every instance (params, status, duration, metrics)')
        .argument('[run]', 'id, #id, name, or last~N (default: last)', 'last')
        .option('--json', 'the run and its instances as JSON')
        .action((ref, flags) => runCommand(async () => {
        const store = await openRunStore(flags.cwd);
        try {
            const run = store.resolve(ref);
            const instances = store.instances(run.id);
            if (flags.json) {
                printJson({ ...run, instances });
                return ExitCode.ok;
            }
            const out = process.stdout;
            out.write(`run #${run.id} ${run.name}: ${run.status}\n`);
            out.write(`  started   ${formatTime(run.startedAt)}${run.endedAt ? `, took ${formatDuration(run.endedAt - run.startedAt)}` : ''}\n`);
            out.write(`  command   pipewright ${run.argv.join(' ')}\n`);
            if (run.version)
                out.write(`  version   ${run.version}\n`);
            out.write(`  git       ${run.gitCommit ? `${run.gitCommit}${run.gitDirty ? ' (with uncommitted changes)' : ''}` : '-'}\n`);
            out.write(`  host      ${run.host}\n`);
            out.write(`  instances ${instanceSummary(run.counts)}\n\n`);
            // Params shown are those that differ between a stage's instances, or all of a lone stage's.
            const params = instances.map((i) => new Map(flattenParams(i.params)));
            const metrics = instances.map((i) => new Map(flattenParams(i.metrics ?? {})));
            const paramKeys = [...new Set(params.flatMap((p) => [...p.keys()]))];
            const varying = paramKeys.filter((k) => instances.length < 2 || new Set(params.map((p) => JSON.stringify(p.get(k)))).size > 1);
            const metricKeys = [...new Set(metrics.flatMap((m) => [...m.keys()]))];
            out.write(formatTable(['instance', 'status', 'took', ...varying, ...metricKeys], instances.map((i, n) => [i.name, i.status, formatDuration(i.durationMs), ...varying.map((k) => params[n].get(k)), ...metricKeys.map((k) => metrics[n].get(k))])));
            for (const failed of instances.filter((i) => i.status === 'failed'))
                out.write(`\n${failed.name}: ${failed.error ?? 'failed'}${failed.logPath ? `\n  log: ${failed.logPath}` : ''}\n`);
            return ExitCode.ok;
        }
        finally {
            store.close();
        }
    }));
}
//# sourceMappingURL=show.js.map