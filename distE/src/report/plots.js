/**
 * Stage plot data (the files a stage lists under `plots`) as line charts: one chart per plot
 * file, the runs overlaid. Data files are JSON (a list of records, or an object holding one),
 * CSV/TSV with a header, or YAML. The axes are the stage's plot properties (`x`, `y`, as DVC
 * has them); without them x is `step`, `epoch`, `x` or `iteration` when there is one, else the row
 * index, and every other numeric field is a line.
 */
import { extname } from 'node:path';
import jsYaml from 'js-yaml';
const X_FIELDS = ['step', 'epoch', 'x', 'iteration'];
export function parsePlotData(path, text) {
    const ext = extname(path).toLowerCase();
    if (ext === '.csv' || ext === '.tsv') {
        const separator = ext === '.csv' ? ',' : '\t';
        const [header, ...lines] = text.trim().split(/\r?\n/);
        const fields = header.split(separator).map((f) => f.trim());
        return lines.map((line) => Object.fromEntries(line.split(separator).map((cell, i) => [fields[i], cell.trim() !== '' && !Number.isNaN(Number(cell)) ? Number(cell) : cell])));
    }
    const data = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
    if (Array.isArray(data))
        return data;
    if (data && typeof data === 'object') {
        const list = Object.values(data).find(Array.isArray);
        if (list)
            return list;
    }
    throw new Error(`${path}: expected a list of records (or an object holding one)`);
}
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.gif', '.svg'];
/**
 * One chart: every run's data of every file of a definition, overlaid. The template is DVC's:
 * `scatter` points, `bar`/`bar_horizontal` bars, `confusion` (and `_normalized`) a heatmap of x
 * against y counted, anything else (`simple`, `linear`, `smooth`) lines.
 */
export function chartSpec(definition, series) {
    const runs = new Set(series.map((s) => s.run)).size;
    const files = new Set(series.map((s) => s.file)).size;
    let xName;
    const fieldNames = new Set();
    const values = series.flatMap((s) => {
        const sample = s.rows[0] ?? {};
        const x = s.x ?? X_FIELDS.find((f) => typeof sample[f] === 'number');
        xName ??= x;
        const ys = s.y.length ? s.y : Object.keys(sample).filter((k) => k !== x && typeof sample[k] === 'number');
        for (const y of ys)
            fieldNames.add(y);
        return s.rows.flatMap((row, i) => ys.map((field) => ({
            series: [runs > 1 ? s.run : '', files > 1 ? s.file : '', ys.length > 1 ? field : ''].filter(Boolean).join(': ') || field,
            x: x ? row[x] : i, y: row[field], run: s.run, file: s.file, field,
        })));
    });
    const yName = fieldNames.size === 1 ? [...fieldNames][0] : 'value';
    const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title: definition.title ?? definition.id, data: { values } };
    const xTitle = definition.xLabel ?? xName ?? 'row';
    const yTitle = definition.yLabel ?? yName;
    const color = { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 320 } };
    const tooltip = [{ field: 'run' }, { field: 'file' }, { field: 'x' }, { field: 'y' }];
    if (definition.template.startsWith('confusion')) {
        return {
            ...base,
            width: 300,
            height: 300,
            mark: 'rect',
            encoding: {
                x: { field: 'x', type: 'nominal', title: xTitle },
                y: { field: 'y', type: 'nominal', title: yTitle },
                color: { aggregate: 'count', type: 'quantitative', title: 'count' },
                ...(new Set(values.map((v) => v.series)).size > 1 ? { facet: { field: 'series', type: 'nominal', title: null, columns: 2 } } : {}),
            },
        };
    }
    if (definition.template.startsWith('bar')) {
        const horizontal = definition.template === 'bar_horizontal';
        const category = { field: 'x', type: 'nominal', title: xTitle };
        const amount = { field: 'y', type: 'quantitative', title: yTitle };
        return {
            ...base, width: 480, height: 300, mark: 'bar',
            encoding: { ...(horizontal ? { y: category, x: amount } : { x: category, y: amount }), color, xOffset: { field: 'series' }, tooltip },
        };
    }
    return {
        ...base,
        width: 480,
        height: 300,
        mark: definition.template === 'scatter' ? { type: 'point', filled: true } : { type: 'line', point: values.length <= 200 },
        encoding: { x: { field: 'x', type: 'quantitative', title: xTitle }, y: { field: 'y', type: 'quantitative', title: yTitle }, color, tooltip },
    };
}
/** One page showing every chart (inline SVG), with links to the PNGs. */
export function plotsPage(title, charts) {
    const escape = (t) => t.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}figure{margin:0 0 2rem}figcaption{font-size:.9rem;color:#555}</style>
</head><body><h1>${escape(title)}</h1>
${charts.map((c) => `<figure>${c.svg ?? `<img src="${escape(c.png)}" alt="${escape(c.name)}" style="max-width:100%">`}<figcaption>${escape(c.name)} · <a href="${escape(c.png)}">${c.svg ? 'PNG' : 'image'}</a></figcaption></figure>`).join('\n')}
</body></html>
`;
}
//# sourceMappingURL=plots.js.map