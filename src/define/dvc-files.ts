/**
 * `.dvc` files: what `dvc add` tracks. In a fresh clone of a DVC project the data they describe is
 * not there yet (it lives in a DVC remote until `dvc pull`); these files say what it is (path,
 * md5, size) so that a missing dep can be named and, when DVC's local cache holds it, restored.
 * They are only ever read.
 */
import { existsSync } from 'node:fs';
import { join, posix, sep } from 'node:path';
import { PipelineError } from '../errors.js';
import { readYamlSource } from './yaml-source.js';

/** How DVC hashed an object: `md5` of the bytes (DVC 3), or DVC 2's md5 with CRLF read as LF in text files. */
export type DvcHashKind = 'md5' | 'md5-dos2unix';

export interface DvcOut {
  /** Relative to the project root, posix. */
  readonly path: string;
  /** The md5, with `.dir` for a folder's manifest. */
  readonly md5: string;
  readonly kind: DvcHashKind;
  readonly size?: number;
  readonly nfiles?: number;
}

export interface DvcTracking {
  /** The `.dvc` file, relative to the project root. */
  readonly dvcFile: string;
  /** The out of that file that holds the path (the path itself or a folder above it). */
  readonly out: DvcOut;
}

/** Reads a `.dvc` file's outs; a malformed one is a PipelineError with its line. */
export function readDvcFile(root: string, dvcFile: string): DvcOut[] {
  const abs = join(root, dvcFile);
  const source = readYamlSource(abs);
  const data = source.data as { outs?: unknown } | null;
  const bad = (message: string, path: (string | number)[]) =>
    new PipelineError('yaml-schema', `${dvcFile}: ${message}`, source.positionOf(path), 'a .dvc file is written by `dvc add`; restore it with git if it was edited by hand');
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw bad('must be a mapping with an `outs:` list', []);
  if (!Array.isArray(data.outs)) throw bad('`outs` must be a list', ['outs']);
  const folder = posix.dirname(dvcFile.split(sep).join('/'));
  return data.outs.map((raw: unknown, i: number): DvcOut => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw bad(`outs[${i}] must be a mapping`, ['outs', i]);
    const out = raw as Record<string, unknown>;
    if (typeof out.path !== 'string' || out.path === '') throw bad(`outs[${i}] needs a \`path\``, ['outs', i]);
    if (out.md5 !== undefined && typeof out.md5 !== 'string') throw bad(`outs[${i}].md5 must be a string`, ['outs', i, 'md5']);
    if (out.hash !== undefined && out.hash !== 'md5') throw bad(`outs[${i}].hash must be "md5"`, ['outs', i, 'hash']);
    for (const key of ['size', 'nfiles'] as const) {
      if (out[key] !== undefined && !(Number.isInteger(out[key]) && (out[key] as number) >= 0)) throw bad(`outs[${i}].${key} must be a whole number`, ['outs', i, key]);
    }
    return {
      path: posix.normalize(posix.join(folder, out.path)).replace(/\/+$/, ''),
      md5: typeof out.md5 === 'string' ? out.md5 : '',
      kind: out.hash === 'md5' ? 'md5' : 'md5-dos2unix',
      ...(typeof out.size === 'number' ? { size: out.size } : {}),
      ...(typeof out.nfiles === 'number' ? { nfiles: out.nfiles } : {}),
    };
  });
}

/**
 * The `.dvc` file that tracks a path: `data/data.xml.dvc` for `data/data.xml`, or the `.dvc`
 * file of a folder above it (`data.dvc` tracks `data/` and so every file in it).
 */
export function trackingOf(root: string, path: string): DvcTracking | undefined {
  const parts = path.split('/');
  for (let n = parts.length; n > 0; n--) {
    const candidate = `${parts.slice(0, n).join('/')}.dvc`;
    if (!existsSync(join(root, candidate))) continue;
    const outs = readDvcFile(root, candidate);
    const out = outs.find((o) => o.path === path || path.startsWith(`${o.path}/`));
    if (out) return { dvcFile: candidate, out };
  }
  return undefined;
}
