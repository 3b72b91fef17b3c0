/** `pipewright diff [A] [B]`: params and metrics that changed between two runs, with deltas. */
import { Command } from 'commander';
import pc from 'picocolors';
import { formatCell, formatTable } from '../report/table.js';
import { ExitCode, addProjectOption, openRunStore, printJson, runCommand } from './common.js';
export function diffCommandDefinition() {
    return runDiffCommand('diff', 'compare two runs: params and metrics that changed, with deltas (default: the last run against the one before)', 'both');
}
/** `diff`, and `metrics diff` (`what: 'metrics'`): the same comparison, shown whole or metrics only. */
export function runDiffCommand(name, description, what) {
    return addProjectOption(new Command(name))
        .description(description)
        .argument('[a]', 'the older run (default last~1)', 'last~1')
        .argument('[b]', 'the newer run (default last)', 'last')
        .option('--all', 'also list metrics that did not change')
        .option('--json', 'the changes as JSON')
        .action((a, b, flags) => runCommand(async () => {
        const store = await openRunStore(flags.cwd);
        try {
            const { diffRuns } = await import('../report/runs.js');
            const diff = diffRuns(store, store.resolve(a), store.resolve(b), { all: flags.all === true });
            if (flags.json)
                printJson(what === 'both' ? diff : { a: diff.a, b: diff.b, metrics: diff.metrics });
            else
                printDiff(diff, what);
            return ExitCode.ok;
        }
        finally {
            store.close();
        }
    }));
}
export function printDiff(diff, what) {
    const out = process.stdout;
    out.write(pc.dim(`#${diff.a.id} ${diff.a.name} → #${diff.b.id} ${diff.b.name}\n`));
    const table = (title, changes) => {
        if (changes.length === 0) {
            out.write(`\n${title}: no changes\n`);
            return;
        }
        out.write(`\n${pc.bold(title)}\n`);
        out.write(formatTable(['instance', 'key', `#${diff.a.id}`, `#${diff.b.id}`, 'change'], changes.map((c) => [c.instance, c.key, c.a, c.b, c.delta === undefined ? '' : signed(c.delta)])));
    };
    if (what === 'both')
        table('Params', diff.params);
    table('Metrics', diff.metrics);
    if (diff.added.length)
        out.write(`\nonly in #${diff.b.id}: ${diff.added.join(', ')}\n`);
    if (diff.removed.length)
        out.write(`\nonly in #${diff.a.id}: ${diff.removed.join(', ')}\n`);
}
function signed(delta) {
    return delta > 0 ? `+${formatCell(delta)}` : formatCell(delta);
}
//# sourceMappingURL=diff.js.map