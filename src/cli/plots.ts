/** `pipewright plots [RUN...] -o DIR`: the stages' plot data of recorded runs, overlaid, as SVG, PNG and one HTML page. */
import { writeFileSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { PipelineError } from '../errors.js';
import { layout } from '../layout.js';
import { ExitCode, addProjectOption, enterProject, openRunStore, runCommand } from './common.js';
import { outputFolder } from './option-values.js';

export function plotsCommandDefinition(): Command {
  return addProjectOption(new Command('plots'))
    .description("draw the stages' plot files of one or more runs, overlaid: SVG and PNG per plot, and an index.html showing them")
    .argument('[run...]', 'runs by id, #id, name or last~N (default: last)')
    .option('-o, --out <dir>', 'where to write them (default .pipewright/plots)')
    .addHelpText('after', `
Plot files are JSON (a list of records), CSV/TSV or YAML. The axes are the stage's plot properties
(x, y, title, x_label, y_label, as in dvc.yaml); without them x is the field step, epoch, x or
iteration when present (else the row number), and every other numeric field is a line. Each run's data
comes from the cache, so older runs can be drawn after the workspace moved on.

Example:
  pipewright plots last~1 last -o plots/   the last two runs, overlaid`)
    .action((refs: string[], flags: { cwd: string; out?: string }) => runCommand(async () => {
      const store = await openRunStore(flags.cwd);
      const [{ openProject }, { runPlots }, { plotsPage }, { render }] = await Promise.all([
        import('../run/project.js'), import('../report/run-plots.js'), import('../report/plots.js'), import('../report/render.js')]);
      try {
        const project = await openProject(enterProject(flags.cwd));
        const runs = (refs.length ? refs : ['last']).map((ref) => store.resolve(ref));
        const { items, definitions } = runPlots(project, store, runs);
        const outDir = outputFolder(resolve(flags.out ?? layout(project.root).plots), '-o', flags.out);
        const charts: { name: string; svg?: string; png: string }[] = [];
        const name = (text: string) => text.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/\.[^.]+$/, '');
        for (const item of items) {
          if (item.kind === 'image') {
            const copy = `${name(`${item.path}-${item.run.id}`)}${extname(item.path)}`;
            writeFileSync(join(outDir, copy), item.bytes);
            charts.push({ name: `${item.path} (${item.label})`, png: copy });
            continue;
          }
          const { svg, png } = await render(item.spec);
          const base = name(item.id);
          writeFileSync(join(outDir, `${base}.svg`), svg);
          writeFileSync(join(outDir, `${base}.png`), png);
          charts.push({ name: item.id, svg, png: `${base}.png` });
        }
        if (charts.length === 0) {
          const paths = definitions.flatMap((d) => d.files.map((f) => f.path));
          throw new PipelineError('usage', `no plot files in run${runs.length > 1 ? 's' : ''} ${runs.map((r) => `#${r.id}`).join(', ')}`, undefined,
            paths.length ? `the pipeline's plots: ${paths.join(', ')}` : "list data files under a stage's `plots` (or a top-level `plots:`) to draw them");
        }
        writeFileSync(join(outDir, 'index.html'), plotsPage(`pipewright plots: ${runs.map((r) => `#${r.id} ${r.name}`).join(' vs ')}`, charts));
        process.stdout.write(`${charts.length} plot${charts.length === 1 ? '' : 's'} of ${runs.length} run${runs.length === 1 ? '' : 's'} in ${relative(process.cwd(), outDir) || '.'}: ` +
          `${charts.map((c) => c.png).join(', ')}, index.html\n`);
        return ExitCode.ok;
      } finally {
        store.close();
      }
    }));
}
