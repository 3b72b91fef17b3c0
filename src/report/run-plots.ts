/**
 * The plots of recorded runs, as `pipewright plots` and the UI's compare page draw them: each
 * chart definition's files read from every run's copy (its cache objects), overlaid in one
 * Vega-Lite spec; image plots as they are. Reads only: the store, the cache and the workspace.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { hashBytes, isDirHash, type FileHash } from '../cache/hash.js';
import { ObjectStore } from '../cache/object-store.js';
import type { PlotDefinition } from '../define/declaration.js';
import type { ResolvedStage } from '../graph/resolve.js';
import { layout } from '../layout.js';
import type { Project } from '../run/project.js';
import type { RunRecord, RunStore } from '../store/run-store.js';
import { IMAGE_EXTENSIONS, chartSpec, parsePlotData, type ChartSeries } from './plots.js';
import type { VegaLiteSpec } from './render.js';

export type PlotItem =
  | { readonly kind: 'chart'; readonly id: string; readonly spec: VegaLiteSpec }
  /** An image plot file of one run. */
  | { readonly kind: 'image'; readonly id: string; readonly path: string; readonly run: RunRecord; readonly label: string; readonly bytes: Buffer };

export interface RunPlots {
  /** In the order drawn: per definition, its images, then its chart. */
  readonly items: readonly PlotItem[];
  /** Every chart definition of the pipeline, drawn or not (no run had its files). */
  readonly definitions: readonly PlotDefinition[];
}

/** `stage`: only plot files that the stage's instances wrote. */
export function runPlots(project: Project, store: RunStore, runs: readonly RunRecord[], options: { stage?: string } = {}): RunPlots {
  const definitions = chartDefinitions(project.declaration.plots ?? [], [...project.graph.nodes.values()]);
  const objects = new ObjectStore(layout(project.root).cache);
  const outsOf = new Map(runs.map((run) => [run.id, store.instances(run.id).filter((i) => options.stage === undefined || i.stage === options.stage).flatMap((i) => i.outs ?? [])]));
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
  const items: PlotItem[] = [];
  for (const definition of definitions) {
    const series: ChartSeries[] = [];
    for (const run of runs) {
      for (const file of definition.files) {
        const found = contentOf(run.id, file.path);
        if (!found) continue;
        const label = `#${run.id} ${run.name}`;
        if (IMAGE_EXTENSIONS.includes(extname(file.path).toLowerCase())) {
          items.push({ kind: 'image', id: definition.id, path: file.path, run, label, bytes: found });
          continue;
        }
        series.push({ run: label, file: file.path, x: file.x, y: file.y, rows: parsePlotData(file.path, found.toString('utf8')) });
      }
    }
    if (series.length > 0) items.push({ kind: 'chart', id: definition.id, spec: chartSpec(definition, series) });
  }
  return { items, definitions };
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
