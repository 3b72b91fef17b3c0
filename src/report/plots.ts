/**
 * Stage plot data (the files a stage lists under `plots`) as line charts: one chart per plot
 * file, the runs overlaid. Data files are JSON (a list of records, or an object holding one),
 * CSV/TSV with a header, or YAML. The axes are the stage's plot properties (`x`, `y`, as DVC
 * has them); without them x is `step`, `epoch`, `x` or `iteration` when there is one, else the row
 * index, and every other numeric field is a line.
 */
import { extname } from 'node:path';
import jsYaml from 'js-yaml';
import type { PlotOptions } from '../define/declaration.js';
import type { VegaLiteSpec } from './render.js';

export type Row = Record<string, unknown>;

const X_FIELDS = ['step', 'epoch', 'x', 'iteration'];

export function parsePlotData(path: string, text: string): Row[] {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') {
    const separator = ext === '.csv' ? ',' : '\t';
    const [header, ...lines] = text.trim().split(/\r?\n/);
    const fields = header!.split(separator).map((f) => f.trim());
    return lines.map((line) => Object.fromEntries(line.split(separator).map((cell, i) => [fields[i], cell.trim() !== '' && !Number.isNaN(Number(cell)) ? Number(cell) : cell])));
  }
  const data = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
  if (Array.isArray(data)) return data as Row[];
  if (data && typeof data === 'object') {
    const list = Object.values(data).find(Array.isArray);
    if (list) return list as Row[];
  }
  throw new Error(`${path}: expected a list of records (or an object holding one)`);
}

/** One chart for one plot file, every run's data overlaid; `options` are the stage's plot properties. */
export function linePlotSpec(title: string, series: readonly { run: string; rows: readonly Row[] }[], options: PlotOptions = {}): VegaLiteSpec {
  const sample = series.find((s) => s.rows.length)?.rows[0] ?? {};
  const x = options.x ?? X_FIELDS.find((f) => typeof sample[f] === 'number');
  const ys = options.y?.length ? options.y : Object.keys(sample).filter((k) => k !== x && typeof sample[k] === 'number');
  const values = series.flatMap(({ run, rows }) => rows.flatMap((row, i) => ys.map((field) => ({
    run, field, series: series.length > 1 && ys.length > 1 ? `${run}: ${field}` : series.length > 1 ? run : field, x: x ? row[x] : i, y: row[field],
  }))));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? title,
    width: 480,
    height: 300,
    data: { values },
    mark: { type: 'line', point: values.length <= 200 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: options.xLabel ?? x ?? 'row' },
      y: { field: 'y', type: 'quantitative', title: options.yLabel ?? (ys.length === 1 ? ys[0] : 'value') },
      color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 320 } },
      tooltip: [{ field: 'run' }, { field: 'field' }, { field: 'x' }, { field: 'y' }],
    },
  };
}

/** One page showing every chart (inline SVG), with links to the PNGs. */
export function plotsPage(title: string, charts: readonly { name: string; svg: string; png: string }[]): string {
  const escape = (t: string) => t.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}figure{margin:0 0 2rem}figcaption{font-size:.9rem;color:#555}</style>
</head><body><h1>${escape(title)}</h1>
${charts.map((c) => `<figure>${c.svg}<figcaption>${escape(c.name)} · <a href="${escape(c.png)}">PNG</a></figcaption></figure>`).join('\n')}
</body></html>
`;
}
