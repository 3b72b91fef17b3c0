/**
 * `GET /api/plots?runs=1,2[&stage=S]`: the runs' plots overlaid, as `pipewright plots` draws them
 * (report/run-plots.ts), as Vega-Lite specs with their data inline for the page to render; image
 * plots as data: URLs (the page's policy allows those for images).
 */
import { statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { findPipelineFile, forgetPipeline } from '../define/load.js';
import { runPlots } from '../report/run-plots.js';
import type { VegaLiteSpec } from '../report/render.js';
import { openProject, type Project } from '../run/project.js';
import type { RunRecord, RunStore } from '../store/run-store.js';
import { HttpError } from './http-error.js';
import { IMAGE_TYPES } from './media-types.js';

export type PlotView =
  | { readonly id: string; readonly spec: VegaLiteSpec }
  | { readonly id: string; readonly run: number; readonly path: string; readonly image: string };

/** An image in a data: URL shown by <img> runs no script, so SVG is safe here. */
const PLOT_IMAGE_TYPES: Readonly<Record<string, string>> = { ...IMAGE_TYPES, '.svg': 'image/svg+xml' };

/**
 * The project (for its plot definitions), loaded on the first plot request and again when its
 * pipeline file or a params file beside it changed (the UI outlives edits to the pipeline).
 */
const projects = new Map<string, { readonly stamp: string; readonly project: Promise<Project> }>();

function stampOf(root: string): string {
  const files = [findPipelineFile(root), ...['params.yaml', 'params.yml', 'params.json', 'params.toml'].map((name) => join(root, name))];
  return files.map((file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0).join(',');
}

export async function plotsOf(root: string, store: RunStore, runs: readonly RunRecord[], stage?: string): Promise<{ runs: { id: number; name: string }[]; plots: PlotView[] }> {
  if (stage !== undefined && runs.every((run) => store.instanceCounts(run.id).every((c) => c.stage !== stage))) {
    const stages = [...new Set(runs.flatMap((run) => store.instanceCounts(run.id).map((c) => c.stage)))];
    throw new HttpError(400, `no run of ${runs.map((r) => `#${r.id}`).join(', ')} has stage "${stage}" (stages: ${stages.join(', ')})`);
  }
  const stamp = stampOf(root);
  let project = projects.get(root)?.stamp === stamp ? projects.get(root)!.project : undefined;
  if (!project) {
    // The declaration is kept per file by the loader; it must read the edited one.
    if (projects.has(root)) forgetPipeline(findPipelineFile(root));
    project = openProject(root);
    projects.set(root, { stamp, project });
    project.catch(() => projects.delete(root));
  }
  const { items } = runPlots(await project, store, runs, stage === undefined ? {} : { stage });
  return {
    runs: runs.map((r) => ({ id: r.id, name: r.name })),
    plots: items.map((item) => item.kind === 'chart'
      ? { id: item.id, spec: item.spec }
      : { id: item.id, run: item.run.id, path: item.path, image: `data:${PLOT_IMAGE_TYPES[extname(item.path).toLowerCase()] ?? 'application/octet-stream'};base64,${item.bytes.toString('base64')}` }),
  };
}
