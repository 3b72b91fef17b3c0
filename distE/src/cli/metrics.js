/** `pipewright metrics show|diff`: the metrics of a run, or how they changed between two. */
import { Command } from 'commander';
import { flattenParams } from '../define/interpolate.js';
import { formatTable } from '../report/table.js';
import { ExitCode, addProjectOption, openRunStore, printJson, runCommand } from './common.js';
import { runDiffCommand } from './diff.js';
export function metricsCommandDefinition() {
    const show = addProjectOption(new Command('show'))
        .description("a run's metrics, per instance")
        .argument('[run]', 'id, #id, name, or last~N (default: last)', 'last')
        .option('--json', 'instance → metrics, as JSON')
        .action((ref, flags) => runCommand(async () => {
        const store = await openRunStore(flags.cwd);
        try {
            const run = store.resolve(ref);
            const instances = store.instances(run.id).filter((i) => i.metrics && Object.keys(i.metrics).length);
            if (flags.json) {
                printJson(Object.fromEntries(instances.map((i) => [i.name, i.metrics])));
                return ExitCode.ok;
            }
            if (instances.length === 0)
                process.stdout.write(`run #${run.id} ${run.name} has no metrics\n`);
            else
                process.stdout.write(formatTable(['instance', 'metric', 'value'], instances.flatMap((i) => flattenParams(i.metrics).map(([k, v]) => [i.name, k, v]))));
            return ExitCode.ok;
        }
        finally {
            store.close();
        }
    }));
    const diff = runDiffCommand('diff', 'how metrics changed between two runs (default: the last against the one before)', 'metrics');
    return new Command('metrics').description('show or compare the metrics of recorded runs').addCommand(show).addCommand(diff);
}
//# sourceMappingURL=metrics.js.map