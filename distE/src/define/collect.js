/**
 * The built-in collector: a stage that gathers every instance of a sweep (params, metrics, outs)
 * into a CSV table and a JSON list, like anomalib's collect/save step.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname, relative } from 'node:path';
import { flattenParams } from './interpolate.js';
import { isAllRef, stage } from './stage.js';
export function collect(name, options) {
    const from = isAllRef(options.from) ? options.from : options.from.all;
    const outs = {};
    if (options.csv)
        outs.csv = options.csv;
    if (options.json)
        outs.json = options.json;
    return stage(name, {
        desc: options.desc ?? `Collect every instance of ${from.stage}`,
        inputs: { runs: from },
        outs,
        executor: 'inline',
        run: ({ inputs, outs: files, root }) => writeCollection(inputs.runs, Object.values(files), root),
    });
}
/** Writes the instances to each file, in the format its extension names (.csv or .json). */
export async function writeCollection(instances, files, root) {
    for (const file of files) {
        await mkdir(dirname(file), { recursive: true });
        const ext = extname(file).toLowerCase();
        if (ext === '.csv' || ext === '.tsv')
            await writeFile(file, toTable(instances, ext === '.csv' ? ',' : '\t'));
        else
            await writeFile(file, JSON.stringify(instances.map((i) => ({ ...i, outs: relativeOuts(i.outs, root) })), null, 2) + '\n');
    }
}
function relativeOuts(outs, root) {
    return Object.fromEntries(Object.entries(outs).map(([k, v]) => [k, relative(root, v)]));
}
/** One row per instance: its name and status, then every param and metric (nested keys dotted). */
export function toTable(instances, separator = ',') {
    const rows = instances.map((i) => ({ params: new Map(flattenParams(i.params)), metrics: new Map(flattenParams(i.metrics ?? {})) }));
    const paramKeys = [...new Set(rows.flatMap((r) => [...r.params.keys()]))];
    const metricKeys = [...new Set(rows.flatMap((r) => [...r.metrics.keys()]))];
    // A metric named like a param gets a prefix, so that no column is ambiguous.
    const metricHeader = metricKeys.map((k) => (paramKeys.includes(k) ? `metrics.${k}` : k));
    const cell = (value) => {
        const text = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
        return /[",\t\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    };
    const lines = [['name', 'status', ...paramKeys, ...metricHeader].map(cell).join(separator)];
    instances.forEach((instance, i) => {
        const row = rows[i];
        lines.push([instance.name, instance.status, ...paramKeys.map((k) => row.params.get(k)), ...metricKeys.map((k) => row.metrics.get(k))].map(cell).join(separator));
    });
    return lines.join('\n') + '\n';
}
//# sourceMappingURL=collect.js.map