/** `pipewright plots [RUN...] -o DIR`: the stages' plot data of recorded runs, overlaid, as SVG, PNG and one HTML page. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import { PipelineError } from '../errors.js';
import { layout } from '../layout.js';
import { ExitCode, addProjectOption, enterProject, openRunStore, runCommand } from './common.js';

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
      const [{ openProject }, { ObjectStore }, { parsePlotData, linePlotSpec, plotsPage }, { render }] = await Promise.all([
        import('../run/project.js'), import('../cache/object-store.js'), import('../report/plots.js'), import('../report/render.js')]);
      try {
        const project = await openProject(enterProject(flags.cwd));
        const plotOptions = new Map([...project.graph.nodes.values()].flatMap((n) => n.plots.map((p) => [p.path, p.plot ?? {}] as const)));
        const plotPaths = new Set(plotOptions.keys());
        const objects = new ObjectStore(layout(project.root).cache);
        const runs = (refs.length ? refs : ['last']).map((ref) => store.resolve(ref));
        const series = new Map<string, { run: string; rows: ReturnType<typeof parsePlotData> }[]>();
        for (const run of runs) {
          for (const instance of store.instances(run.id)) {
            for (const out of instance.outs ?? []) {
              if (!plotPaths.has(out.path)) continue;
              const cached = objects.pathOf(out.hash);
              const file = existsSync(cached) ? cached : join(project.root, out.path);
              if (!existsSync(file)) {
                process.stderr.write(`${pc.yellow('warning')}: ${out.path} of run #${run.id} is neither in the cache nor in the workspace\n`);
                continue;
              }
              const list = series.get(out.path) ?? [];
              list.push({ run: `#${run.id} ${run.name}`, rows: parsePlotData(out.path, readFileSync(file, 'utf8')) });
              series.set(out.path, list);
            }
          }
        }
        if (series.size === 0) {
          throw new PipelineError('usage', `no plot files in run${runs.length > 1 ? 's' : ''} ${runs.map((r) => `#${r.id}`).join(', ')}`, undefined,
            plotPaths.size ? `the pipeline's plots: ${[...plotPaths].join(', ')}` : 'list data files under a stage\'s `plots` to draw them');
        }
        const outDir = resolve(flags.out ?? layout(project.root).plots);
        mkdirSync(outDir, { recursive: true });
        const charts: { name: string; svg: string; png: string }[] = [];
        for (const [path, data] of series) {
          const base = path.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/\.[^.]+$/, '');
          const { svg, png } = await render(linePlotSpec(path, data, plotOptions.get(path)));
          writeFileSync(join(outDir, `${base}.svg`), svg);
          writeFileSync(join(outDir, `${base}.png`), png);
          charts.push({ name: path, svg, png: `${base}.png` });
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
