/**
 * Deps that are not there and that no stage makes: what each one is (a file `dvc add` tracks, a
 * likely typo, or just absent), how to get it, and, for those in DVC's local cache, getting them.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findDvcDir } from '../define/dvc-config.js';
import { trackingOf, type DvcTracking } from '../define/dvc-files.js';
import type { PipelineGraph } from '../graph/graph.js';
import { writtenPaths } from '../graph/resolve.js';
import { closestName } from '../errors.js';
import { DvcCache } from './dvc-cache.js';
import { hashFile, type ContentHash } from './hash.js';
import { manifestHash } from './workspace-hash.js';
import type { ObjectStore } from './object-store.js';
import type { SourcePosition } from '../errors.js';

export interface BlockedDep {
  readonly path: string;
  /** Where the pipeline file names it. */
  readonly where?: SourcePosition;
  /** What to do about it, for a person. */
  readonly help: string;
  /** The `.dvc` file that tracks it, when one does. */
  readonly trackedBy?: string;
  /** Whether DVC's local cache holds it intact (then `checkout` and `run` link it in). */
  readonly inDvcCache?: boolean;
}

/** A missing dep that `run` will link in from DVC's cache before it starts, and what it will be. */
export interface FromDvcCache {
  readonly path: string;
  readonly dvcFile: string;
  /** Its hash as our cache hashes the workspace, once linked. */
  readonly hash: ContentHash;
  /** DVC's md5 of it, when the `.dvc` file or the folder's manifest names it (not for a folder inside a tracked folder). */
  readonly md5?: string;
}

type Verified = { files: { path: string; from: string; md5: string }[] } | { error: string };

export class MissingDeps {
  private readonly root: string;
  private readonly cache: DvcCache | undefined;
  /** A dep missing for one instance of a sweep is usually missing for all: explained once. */
  private readonly explained = new Map<string, Omit<BlockedDep, 'where'>>();
  private written: string[] | undefined;
  /** What `DvcCache.verifiedFiles` said of each tracked out (by its path): read once per command. */
  private readonly verified = new Map<string, Verified | undefined>();
  /** What each dep will be once linked in from DVC's cache: hashed once, however many instances need it. */
  private readonly linkable = new Map<string, Promise<FromDvcCache | undefined>>();

  constructor(private readonly graph: PipelineGraph) {
    this.root = graph.declaration.root;
    const dvcDir = findDvcDir(this.root);
    this.cache = dvcDir ? new DvcCache(dvcDir) : undefined;
  }

  /** The stage's deps still missing now, each explained (a malformed `.dvc` file throws a PipelineError). */
  blocked(stage: string): BlockedDep[] {
    return (this.graph.nodes.get(stage)?.missing ?? []).filter((m) => !existsSync(join(this.root, m.path))).map((m) => ({ ...this.explain(m.path), where: m.where }));
  }

  private explain(path: string): Omit<BlockedDep, 'where'> {
    let found = this.explained.get(path);
    if (!found) {
      found = this.explainOnce(path);
      this.explained.set(path, found);
    }
    return found;
  }

  /**
   * For `status`, which must say what `run` will do and do none of it: the stage's missing deps
   * that `run` will link in from DVC's cache (intact there, md5 checked as `run` checks it, with
   * the hash they will have once linked), and those that stay missing. Writes nothing.
   */
  async split(stage: string): Promise<{ fromDvcCache: FromDvcCache[]; blocked: BlockedDep[] }> {
    const fromDvcCache: FromDvcCache[] = [];
    const blocked: BlockedDep[] = [];
    for (const dep of this.blocked(stage)) {
      let found = this.linkable.get(dep.path);
      if (!found) {
        found = this.fromDvcCache(dep);
        this.linkable.set(dep.path, found);
      }
      const linked = await found;
      if (linked) fromDvcCache.push(linked);
      else blocked.push(dep);
    }
    return { fromDvcCache, blocked };
  }

  private async fromDvcCache(dep: BlockedDep): Promise<FromDvcCache | undefined> {
    const tracking = dep.inDvcCache ? trackingOf(this.root, dep.path) : undefined;
    const verified = tracking && this.verify(tracking);
    const files = verified && 'files' in verified ? filesAt(verified.files, tracking!.out.path, dep.path) : undefined;
    if (!files) return undefined;
    const { hash, md5 } = await hashOf(files);
    return { path: dep.path, dvcFile: tracking!.dvcFile, hash, ...(dep.path === tracking!.out.path ? { md5: tracking!.out.md5 } : md5 ? { md5 } : {}) };
  }

  /** The out's files in DVC's cache, each checked against its md5 (as `checkout` checks them); undefined when the cache lacks it. */
  private verify(tracking: DvcTracking): Verified | undefined {
    const key = tracking.out.path;
    if (!this.verified.has(key)) {
      let result: Verified | undefined;
      if (this.cache?.has(tracking.out)) {
        try {
          result = { files: this.cache.verifiedFiles(tracking.out) };
        } catch (err) {
          result = { error: (err as Error).message };
        }
      }
      this.verified.set(key, result);
    }
    return this.verified.get(key);
  }

  private explainOnce(path: string): Omit<BlockedDep, 'where'> {
    const dep = { path };
    const tracking = trackingOf(this.root, dep.path);
    if (tracking) {
      const verified = this.verify(tracking);
      const inDvcCache = verified !== undefined && 'files' in verified;
      return {
        path: dep.path,
        trackedBy: tracking.dvcFile,
        inDvcCache,
        help: inDvcCache
          ? `it is tracked by ${tracking.dvcFile} and in DVC's cache: \`pipewright checkout\` links it in (so does \`pipewright run\`)`
          : verified
            ? `${dep.path} is tracked by ${tracking.dvcFile}, but DVC's cache holds it damaged (${verified.error}): remove that object from DVC's cache, then \`dvc pull ${tracking.dvcFile}\``
            : `${dep.path} is tracked by ${tracking.dvcFile}; \`dvc pull ${tracking.dvcFile}\` fetches it`,
      };
    }
    // A name close to a path some stage writes is likely a typo of it.
    this.written ??= [...this.graph.nodes.values()].flatMap((n) => writtenPaths(n).map((o) => o.path));
    const closest = closestName(dep.path, this.written);
    return {
      path: dep.path,
      help: closest ? `no stage makes it; did you mean "${closest}"?` : 'create it, or add a stage that lists it in its outs',
    };
  }

  /**
   * Links every missing dep of these stages that a `.dvc` file tracks and DVC's cache holds, each
   * checked against its md5. Returns what was linked and what could not be, with why.
   */
  async checkout(stages: readonly string[], store: ObjectStore): Promise<{ linked: DvcTracking[]; failed: { tracking: DvcTracking; error: string }[] }> {
    const outs = new Map<string, DvcTracking>();
    for (const stage of stages) {
      for (const dep of this.graph.nodes.get(stage)?.missing ?? []) {
        if (existsSync(join(this.root, dep.path))) continue;
        const tracking = trackingOf(this.root, dep.path);
        if (tracking && this.cache?.has(tracking.out)) outs.set(tracking.out.path, tracking);
      }
    }
    const linked: DvcTracking[] = [];
    const failed: { tracking: DvcTracking; error: string }[] = [];
    for (const tracking of outs.values()) {
      try {
        await this.cache!.checkout(tracking.out, join(this.root, tracking.out.path), store);
        linked.push(tracking);
      } catch (err) {
        failed.push({ tracking, error: (err as Error).message });
      }
    }
    return { linked, failed };
  }
}

/**
 * The files of a tracked out that will be at `path` once the out is linked: the out itself, one
 * file of its manifest, or the part of it under a folder. Undefined when the out does not hold it.
 */
function filesAt(files: readonly { path: string; from: string; md5: string }[], outPath: string, path: string): { path: string; from: string; md5: string }[] | undefined {
  if (path === outPath) return [...files];
  const sub = path.slice(outPath.length + 1);
  const file = files.find((f) => f.path === sub);
  if (file) return [{ ...file, path: '' }];
  const inside = files.filter((f) => f.path.startsWith(`${sub}/`)).map((f) => ({ ...f, path: f.path.slice(sub.length + 1) }));
  return inside.length ? inside : undefined;
}

/** The hash the workspace hasher will give these files once linked: a file's (at path ''), or a folder's manifest's. */
async function hashOf(files: readonly { path: string; from: string; md5: string }[]): Promise<{ hash: ContentHash; md5?: string }> {
  if (files.length === 1 && files[0]!.path === '') return { hash: await hashFile(files[0]!.from, statSync(files[0]!.from).size), md5: files[0]!.md5 };
  const entries = await Promise.all(files.map(async (f) => {
    const size = statSync(f.from).size;
    return { path: f.path, hash: await hashFile(f.from, size), size };
  }));
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { hash: manifestHash(entries) };
}
