/**
 * The top-level `plots:` of dvc.yaml, in every form DVC accepts: a bare path; a path with its
 * properties (`- file.json: {x: step, y: loss}`, y a field or a list); or a named chart whose
 * `y` (and `x`) map files to fields (`- ROC: {x: fpr, y: {train.json: tpr, test.json: tpr}}`).
 */
import { posix } from 'node:path';
export function parsePlotDefinitions(raw, wdir = '') {
    if (!Array.isArray(raw))
        return [];
    const path = (p) => posix.normalize(wdir ? posix.join(wdir, p) : p);
    const list = (v) => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]);
    return raw.flatMap((entry) => {
        if (typeof entry === 'string')
            return [{ id: entry, template: 'simple', files: [{ path: path(entry), y: [] }] }];
        if (entry === null || typeof entry !== 'object')
            return [];
        return Object.entries(entry).map(([id, props]) => {
            const p = (props ?? {});
            const byFile = (fields) => (fields !== undefined && typeof fields === 'object' && !Array.isArray(fields)
                ? fields : undefined);
            const yFiles = byFile(p.y);
            const xFiles = byFile(p.x);
            const xOf = (file) => (xFiles ? list(xFiles[file])[0] : typeof p.x === 'string' ? p.x : undefined);
            const files = yFiles
                ? Object.entries(yFiles).map(([file, fields]) => ({ path: path(file), x: xOf(file), y: list(fields) }))
                // No files named in y: the chart's id is the file.
                : [{ path: path(id), x: xOf(id), y: list(p.y) }];
            return { id, template: p.template ?? 'simple', title: p.title, xLabel: p.x_label, yLabel: p.y_label, files };
        });
    });
}
//# sourceMappingURL=plot-definitions.js.map