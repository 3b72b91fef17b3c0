/** `pipewright analyze`: which of a sweep's params matter for a metric (random forest + exact Shapley values). */
import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import { layout } from '../layout.js';
import { formatTable } from '../report/table.js';
import { ExitCode, addProjectOption, openRunStore, printJson, runCommand } from './common.js';
import { outputFolder, wholeNumber } from './option-values.js';

export function analyzeCommandDefinition(): Command {
  return addProjectOption(new Command('analyze'))
    .description("rank a sweep's params by how much they move a metric: a random forest from params to metric, explained by exact Shapley values")
    .argument('[run]', 'id, #id, name, or last~N (default: last)', 'last')
    .requiredOption('--stage <stage>', 'the swept stage')
    .requiredOption('--metric <name>', 'the metric (a dotted key for nested metrics)')
    .option('-o, --out <dir>', 'where the bar and beeswarm plots go (PNG and SVG)')
    // Fewer than 10 trees leave few out-of-bag predictions to score the fit by; more than 10,000
    // only spend time.
    .option('--trees <n>', 'trees in the forest (10 to 10000)', wholeNumber(10, 10_000), 100)
    .option('--json', 'the ranking and every instance\'s Shapley values as JSON')
    .addHelpText('after', `
The importance of a param is its mean |Shapley value|: how far it moves the predicted metric from
the average, in the metric's units. Shapley values are exact (every coalition of params, 2^p, is
evaluated over a background sample of the instances); up to 12 varying params. From 3 instances
on (a 4×2 grid is a first sweep), with at least one param taking two values; under 10, the answer
says that the ranking rests on few instances.

Example:
  pipewright analyze --stage train --metric f1 -o plots/`)
    .action((ref: string, flags: { cwd: string; stage: string; metric: string; out?: string; trees: number; json?: boolean }) => runCommand(async () => {
      const store = await openRunStore(flags.cwd);
      const root = process.cwd();
      try {
        const run = store.resolve(ref);
        const { runSignificance, barPlotSpec, beeswarmSpec } = await import('../report/significance.js');
        const result = runSignificance(store, run, flags.stage, flags.metric, { trees: flags.trees });
        const outDir = outputFolder(resolve(flags.out ?? layout(root).plots), '-o', flags.out);
        const { render } = await import('../report/render.js');
        const written: string[] = [];
        for (const [name, spec] of [['importance', barPlotSpec(result)], ['beeswarm', beeswarmSpec(result)]] as const) {
          const base = join(outDir, `${flags.stage}-${flags.metric}-${name}`);
          const { svg, png } = await render(spec);
          writeFileSync(`${base}.svg`, svg);
          writeFileSync(`${base}.png`, png);
          written.push(`${base}.png`, `${base}.svg`);
        }
        if (flags.json) {
          printJson({ run: { id: run.id, name: run.name }, stage: flags.stage, ...result, plots: written });
          return ExitCode.ok;
        }
        process.stdout.write(`${pc.bold(`${flags.metric}`)} over ${result.instances} instances of ${flags.stage} in run #${run.id} ${run.name}` +
          ` (random forest, out-of-bag R² ${result.r2.toFixed(2)})\n\n`);
        process.stdout.write(formatTable(['rank', 'param', 'mean |SHAP|', 'effect'], result.ranking.map((r, i) => [
          i + 1, r.param, r.importance, Math.abs(r.direction) < 0.2 ? 'mixed' : r.direction > 0 ? `higher → higher ${flags.metric}` : `higher → lower ${flags.metric}`,
        ])));
        if (result.note) process.stdout.write(pc.yellow(`\nFew instances: ${result.note}.\n`));
        if (result.r2 < 0.2) process.stdout.write(pc.yellow(`\nThe params explain little of ${flags.metric} (R² ${result.r2.toFixed(2)}): read the ranking with care.\n`));
        process.stdout.write(`\nplots: ${written.map((w) => relative(root, w)).join(', ')}\n`);
        return ExitCode.ok;
      } finally {
        store.close();
      }
    }));
}
