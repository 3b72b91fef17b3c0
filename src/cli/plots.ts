/** `pipewright plots [RUN...] -o DIR`: the stages' plot data of recorded runs, overlaid, as SVG, PNG and one HTML page. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { hashBytes, isDirHash, type FileHash } from '../cache/hash.js';
import type { PlotDefinition } from '../define/declaration.js';
import { PipelineError } from '../errors.js';
import type { ResolvedStage } from '../graph/resolve.js';
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
      const [{ openProject }, { ObjectStore }, { parsePlotData, chartSpec, plotsPage, IMAGE_EXTENSIONS }, { render }] = await Promise.all([
        import('../run/project.js'), import('../cache/object-store.js'), import('../report/plots.js'), import('../report/render.js')]);
      try {
        const project = await openProject(enterProject(flags.cwd));
        const definitions = chartDefinitions(project.declaration.plots ?? [], [...project.graph.nodes.values()]);
        const objects = new ObjectStore(layout(project.root).cache);
        const runs = (refs.length ? refs : ['last']).map((ref) => store.resolve(ref));
        const outsOf = new Map(runs.map((run) => [run.id, store.instances(run.id).flatMap((i) => i.outs ?? [])]));
        /**
         * A run's copy of a file, read once: its cache object (also inside a cached folder), or the
         * workspace's file while it still has the content the run recorded (`cache: false` plots).
         */
        const contentOf = (runId: number, path: string): Buffer | undefined => {
          for (const out of outsOf.get(runId)!) {
            let hash: string | undefined;
            if (out.path === path && !isDirHash(out.hash)) hash = out.hash;
            else if (path.startsWith(`${out.path}/`) && isDirHash(out.hash)) hash = objects.readManifest(out.hash)?.find((e) => e.path === path.slice(out.path.length + 1))?.hash;
            if (hash === undefined) continue;
            // Either copy must still hold what the run recorded (a hard-linked out edited in place
            // changes its cache object too).
            for (const candidate of [objects.pathOf(hash as FileHash), join(project.root, path)]) {
              const bytes = existsSync(candidate) ? readFileSync(candidate) : undefined;
              if (bytes && hashBytes(bytes) === hash) return bytes;
            }
          }
          return undefined;
        };
        const outDir = outputFolder(resolve(flags.out ?? layout(project.root).plots), '-o', flags.out);
        const charts: { name: string; svg?: string; png: string }[] = [];
        const name = (text: string) => text.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/\.[^.]+$/, '');
        for (const definition of definitions) {
          const series = [];
          for (const run of runs) {
            for (const file of definition.files) {
              const found = contentOf(run.id, file.path);
              if (!found) continue;
              const label = `#${run.id} ${run.name}`;
              if (IMAGE_EXTENSIONS.includes(extname(file.path).toLowerCase())) {
                const copy = `${name(`${file.path}-${run.id}`)}${extname(file.path)}`;
                writeFileSync(join(outDir, copy), found);
                charts.push({ name: `${file.path} (${label})`, png: copy });
                continue;
              }
              series.push({ run: label, file: file.path, x: file.x, y: file.y, rows: parsePlotData(file.path, found.toString('utf8')) });
            }
          }
          if (series.length === 0) continue;
          const { svg, png } = await render(chartSpec(definition, series));
          const base = name(definition.id);
          writeFileSync(join(outDir, `${base}.svg`), svg);
          writeFileSync(join(outDir, `${base}.png`), png);
          charts.push({ name: definition.id, svg, png: `${base}.png` });
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

/**
 * The charts to draw: the top-level definitions, then every stage plot file no definition names,
 * drawn on its own with the stage's plot properties.
 */
function chartDefinitions(topLevel: readonly PlotDefinition[], nodes: readonly ResolvedStage[]): PlotDefinition[] {
  const named = new Set(topLevel.flatMap((d) => d.files.map((f) => f.path)));
  const own = nodes.flatMap((n) => n.plots).filter((p) => !named.has(p.path)).map((p): PlotDefinition => ({
    id: p.path, template: 'simple', title: p.plot?.title, xLabel: p.plot?.xLabel, yLabel: p.plot?.yLabel,
    files: [{ path: p.path, x: p.plot?.x, y: p.plot?.y ?? [] }],
  }));
  return [...topLevel, ...own];
}
