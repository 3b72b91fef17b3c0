/**
 * Vega-Lite specs to SVG (vega's headless renderer: no canvas, no browser) and SVG to PNG
 * (resvg, a Rust renderer shipped as a prebuilt npm binary), with the DejaVu Sans font shipped
 * in an npm package so that text renders the same on any machine, fonts installed or not.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OPTIONAL, loadOptional, requireOptional } from '../optional-package.js';

export type VegaLiteSpec = Record<string, unknown>;

const FONT = 'DejaVu Sans';

export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vegaLite] = await loadOptional(OPTIONAL.plots, () => Promise.all([import('vega'), import('vega-lite')]));
  const config = { font: FONT, background: 'white', ...(spec.config as object | undefined) };
  const compiled = vegaLite.compile({ ...spec, config } as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function renderPng(svg: string, scale = 2): Promise<Buffer> {
  const { Resvg } = await loadOptional(OPTIONAL.plots, () => import('@resvg/resvg-js'));
  const fontDir = join(dirname(requireOptional(OPTIONAL.plots, () => createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'))), 'ttf');
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { fontFiles: [join(fontDir, 'DejaVuSans.ttf'), join(fontDir, 'DejaVuSans-Bold.ttf')], loadSystemFonts: false, defaultFontFamily: FONT },
  });
  return resvg.render().asPng();
}

/** Both renderings of a spec. */
export async function render(spec: VegaLiteSpec): Promise<{ svg: string; png: Buffer }> {
  const svg = await renderSvg(spec);
  return { svg, png: await renderPng(svg) };
}
