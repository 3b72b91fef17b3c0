/**
 * `dvc.lock` (schema 2.0) as a source of results already computed: a stage whose command, params
 * and deps (by DVC's md5) are still as DVC recorded them, and whose outs are in the workspace as
 * recorded or in DVC's cache, is restored instead of run. md5s are computed only here, only for
 * stages our own lockfile and run-cache cannot answer. The file is only ever read.
 */
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Params } from '../define/declaration.js';
import { findDvcDir } from '../define/dvc-config.js';
import type { DvcHashKind } from '../define/dvc-files.js';
import { flattenParams, setPath } from '../define/interpolate.js';
import { readYamlSource } from '../define/yaml-source.js';
import { writtenPaths, type ResolvedStage } from '../graph/resolve.js';
import { DvcCache } from './dvc-cache.js';
import { dvcMd5 } from './dvc-md5.js';

/** A dep or out as dvc.lock records it, with its path made relative to the project root. */
export interface DvcLockedPath {
  readonly path: string;
  readonly md5: string;
  readonly kind: DvcHashKind;
  readonly cache: boolean;
}

/** An out to restore: from DVC's cache, or already in the workspace as dvc.lock records it (checked). */
export interface DvcRestore extends DvcLockedPath {
  readonly inWorkspace: boolean;
}

interface DvcLockStage {
  readonly cmd: string;
  /** Paths relative to the stage's wdir, as dvc.lock writes them. */
  readonly deps: readonly RawPath[];
  readonly outs: readonly RawPath[];
  readonly params: Params;
}

type RawPath = Omit<DvcLockedPath, 'path'> & { readonly path: string };

export class DvcLock {
  private constructor(
    private readonly root: string,
    private readonly stages: ReadonlyMap<string, DvcLockStage>,
    readonly cache: DvcCache | undefined,
  ) {}

  /**
   * The dvc.lock beside a dvc.yaml, if there is one. An entry of an unexpected shape is left out
   * (that stage simply runs); a file that is not YAML at all is an error with its line.
   */
  static open(root: string, pipelineFile: string): DvcLock | undefined {
    if (posix.basename(pipelineFile.replaceAll('\\', '/')) !== 'dvc.yaml') return undefined;
    const file = join(root, 'dvc.lock');
    if (!existsSync(file)) return undefined;
    const data = readYamlSource(file).data as { stages?: unknown } | null;
    const stages = new Map<string, DvcLockStage>();
    if (data && typeof data === 'object' && data.stages && typeof data.stages === 'object') {
      for (const [name, raw] of Object.entries(data.stages as Record<string, unknown>)) {
        const stage = parseStage(raw);
        if (stage) stages.set(name, stage);
      }
    }
    const dvcDir = findDvcDir(root);
    return new DvcLock(root, stages, dvcDir ? new DvcCache(dvcDir) : undefined);
  }

  /**
   * The outs to restore when dvc.lock's record of this instance still holds; undefined when it
   * does not (or there is none). `expected` gives md5s that upstream restores will produce.
   */
  match(stage: ResolvedStage, expected: ReadonlyMap<string, string> = new Map()): DvcRestore[] | undefined {
    const entry = this.stages.get(stage.name);
    if (!entry || stage.command === undefined || entry.cmd !== stage.command) return undefined;
    if (!sameParams(entry.params, stage.params)) return undefined;
    const at = (p: RawPath): DvcLockedPath => ({ ...p, path: posix.normalize(posix.join(stage.wdir || '.', p.path)) });
    const deps = entry.deps.map(at);
    const ours = new Set([...stage.deps.map((d) => d.path), ...Object.values(stage.inputs).map((i) => i.path)]);
    if (deps.length !== ours.size || !deps.every((d) => ours.has(d.path))) return undefined;
    for (const dep of deps) {
      if ((expected.get(dep.path) ?? dvcMd5(join(this.root, dep.path), dep.kind)) !== dep.md5) return undefined;
    }
    const outs = entry.outs.map(at);
    const written = new Set(writtenPaths(stage).map((o) => o.path));
    if (outs.length !== written.size || !outs.every((o) => written.has(o.path))) return undefined;
    // DVC's cache is asked first (a lookup); only an out it lacks is hashed where it lies.
    const restorable: DvcRestore[] = [];
    for (const out of outs) {
      if (out.cache && this.cache?.has(out)) restorable.push({ ...out, inWorkspace: false });
      else if (dvcMd5(join(this.root, out.path), out.kind) === out.md5) restorable.push({ ...out, inWorkspace: true });
      else return undefined;
    }
    return restorable;
  }
}

function parseStage(raw: unknown): DvcLockStage | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const stage = raw as Record<string, unknown>;
  const cmd = Array.isArray(stage.cmd) ? stage.cmd.map(String).join(' && ') : typeof stage.cmd === 'string' ? stage.cmd : undefined;
  if (cmd === undefined) return undefined;
  const paths = (list: unknown): RawPath[] | undefined => {
    if (list === undefined) return [];
    if (!Array.isArray(list)) return undefined;
    const parsed = list.map((p: Record<string, unknown> | null) => (p && typeof p.path === 'string' && typeof p.md5 === 'string'
      ? { path: p.path.replace(/\/+$/, ''), md5: p.md5, kind: p.hash === 'md5' ? 'md5' : 'md5-dos2unix', cache: p.cache !== false } as RawPath : undefined));
    return parsed.every((p) => p !== undefined) ? parsed as RawPath[] : undefined;
  };
  const deps = paths(stage.deps);
  const outs = paths(stage.outs);
  if (!deps || !outs) return undefined;
  // Params are recorded per file; ours are one tree of every key the stage reads.
  const params: Params = {};
  if (stage.params && typeof stage.params === 'object') {
    for (const values of Object.values(stage.params as Record<string, unknown>)) {
      if (values && typeof values === 'object') for (const [key, value] of Object.entries(values)) setPath(params, key, value);
    }
  }
  return { cmd, deps, outs, params };
}

function sameParams(a: Params, b: Params): boolean {
  const flat = (p: Params) => JSON.stringify(flattenParams(p).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  return flat(a) === flat(b);
}
