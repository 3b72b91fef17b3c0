/// <reference lib="dom" />
/**
 * Charts on the page: Vega-Lite specs from the server, rendered by vega-embed. The page's policy
 * forbids eval, so vega runs its expressions through vega-interpreter (`ast: true`) instead of
 * compiling them with `new Function`, and vega-embed injects no <style> (the styles it needs are
 * in style.css). This module, and vega with it, is a chunk loaded only by the pages that draw.
 */
import embed, { type VisualizationSpec } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import { el, fetchJson } from './dom.js';

type PlotView = { id: string; spec: VisualizationSpec } | { id: string; run: number; path: string; image: string };

/** One spec drawn into `container` (as SVG), replacing what was there. */
export async function renderSpec(container: HTMLElement, spec: unknown): Promise<void> {
  await embed(container, spec as VisualizationSpec, {
    ast: true, expr: expressionInterpreter, actions: false, defaultStyle: false, renderer: 'svg', tooltip: { disableDefaultStyle: true },
  });
}

/** The runs' plots overlaid (`GET /api/plots`, as `pipewright plots` draws them), one figure each. */
export async function renderPlots(container: HTMLElement, runIds: number[], stage?: string, options: { quietWhenNone?: boolean } = {}): Promise<void> {
  const query = new URLSearchParams({ runs: runIds.join(',') });
  if (stage) query.set('stage', stage);
  let plots: PlotView[];
  try {
    ({ plots } = await fetchJson<{ plots: PlotView[] }>(`/api/plots?${query}`));
  } catch (err) {
    container.replaceChildren(el('p', { class: 'error' }, (err as Error).message));
    return;
  }
  if (plots.length === 0) {
    if (options.quietWhenNone) return void container.replaceChildren();
    container.replaceChildren(el('p', { class: 'empty' }, "No plot files in these runs (a stage's `plots` lists them)."));
    return;
  }
  const figures = plots.map((plot) => {
    const chart = el('div', { class: 'chart' });
    const caption = 'image' in plot ? `${plot.path} (#${plot.run})` : plot.id;
    if ('image' in plot) chart.append(el('img', { src: plot.image, alt: caption }));
    return { plot, chart, figure: el('figure', { class: 'plot', 'data-plot': plot.id }, chart, el('figcaption', {}, caption)) };
  });
  container.replaceChildren(...figures.map((f) => f.figure));
  await Promise.all(figures.map(async ({ plot, chart }) => {
    if ('spec' in plot) await renderSpec(chart, plot.spec).catch((err: Error) => chart.replaceChildren(el('p', { class: 'error' }, err.message)));
  }));
}
