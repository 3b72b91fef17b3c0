/**
 * The top-level `plots:` of dvc.yaml, in every form DVC accepts: a bare path; a path with its
 * properties (`- file.json: {x: step, y: loss}`, y a field or a list); or a named chart whose
 * `y` (and `x`) map files to fields (`- ROC: {x: fpr, y: {train.json: tpr, test.json: tpr}}`).
 */
import { posix } from 'node:path';
import type { PlotDefinition } from './declaration.js';

type Fields = string | readonly string[] | Readonly<Record<string, string | readonly string[]>>;

/** What is wrong with a top-level `plots:` value, and where (the path below `plots`). */
export interface PlotsProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

const PROPERTIES = ['x', 'y', 'template', 'title', 'x_label', 'y_label'];
const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isFieldList = (v: unknown) => typeof v === 'string' || (Array.isArray(v) && v.every((f) => typeof f === 'string'));
const isByFile = (v: unknown, field: (f: unknown) => boolean) => isMapping(v) && Object.values(v).every(field);

/**
 * The first way `raw` breaks DVC's schema of top-level plots (PLOT_DEFINITION), which DVC checks
 * before reading any: a list of paths, or of mappings of a plot id to its properties.
 */
export function plotsProblem(raw: unknown): PlotsProblem | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) return { path: [], message: '`plots` must be a list' };
  for (const [i, entry] of raw.entries()) {
    if (typeof entry === 'string') continue;
    if (!isMapping(entry)) return { path: [i], message: `plots[${i}]: a plot is a file path, or a mapping of a plot id (or file) to its properties` };
    for (const [id, props] of Object.entries(entry)) {
      if (props === null) continue;
      if (!isMapping(props)) return { path: [i, id], message: `plot "${id}": its properties must be a mapping of ${PROPERTIES.join(', ')}` };
      for (const [key, value] of Object.entries(props)) {
        const problem = !PROPERTIES.includes(key) ? `unknown property "${key}" (plot properties are ${PROPERTIES.join(', ')})`
          : key === 'x' ? (typeof value === 'string' || isByFile(value, (f) => typeof f === 'string') ? undefined : 'x must be a field name, or a mapping of files to field names')
            : key === 'y' ? (isFieldList(value) || isByFile(value, isFieldList) ? undefined : 'y must be a field name, a list of them, or a mapping of files to them')
              : typeof value === 'string' ? undefined : `${key} must be text`;
        if (problem) return { path: [i, id, key], message: `plot "${id}": ${problem}` };
      }
    }
  }
  return undefined;
}

/** `raw` is checked with `plotsProblem` first: what does not fit its forms is skipped here, not guessed at. */
export function parsePlotDefinitions(raw: unknown, wdir = ''): PlotDefinition[] {
  if (!Array.isArray(raw)) return [];
  const path = (p: string) => posix.normalize(wdir ? posix.join(wdir, p) : p);
  const list = (v: string | readonly string[] | undefined): string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]);
  return raw.flatMap((entry): PlotDefinition[] => {
    if (typeof entry === 'string') return [{ id: entry, template: 'simple', files: [{ path: path(entry), y: [] }] }];
    if (entry === null || typeof entry !== 'object') return [];
    return Object.entries(entry as Record<string, unknown>).map(([id, props]) => {
      const p = (props ?? {}) as { template?: string; title?: string; x_label?: string; y_label?: string; x?: Fields; y?: Fields };
      const byFile = (fields: Fields | undefined) => (fields !== undefined && typeof fields === 'object' && !Array.isArray(fields)
        ? (fields as Record<string, string | readonly string[]>) : undefined);
      const yFiles = byFile(p.y);
      const xFiles = byFile(p.x);
      const xOf = (file: string) => (xFiles ? list(xFiles[file])[0] : typeof p.x === 'string' ? p.x : undefined);
      const files = yFiles
        ? Object.entries(yFiles).map(([file, fields]) => ({ path: path(file), x: xOf(file), y: list(fields) }))
        // No files named in y: the chart's id is the file.
        : [{ path: path(id), x: xOf(id), y: list(p.y as string | readonly string[] | undefined) }];
      return { id, template: p.template ?? 'simple', title: p.title, xLabel: p.x_label, yLabel: p.y_label, files };
    });
  });
}
