/**
 * Deps that are not there and that no stage makes: what each one is (a file `dvc add` tracks, a
 * likely typo, or just absent), how to get it, and, for those in DVC's local cache, getting them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findDvcDir } from '../define/dvc-config.js';
import { trackingOf, type DvcTracking } from '../define/dvc-files.js';
import type { PipelineGraph } from '../graph/graph.js';
import { writtenPaths } from '../graph/resolve.js';
import { closestName } from '../errors.js';
import { DvcCache } from './dvc-cache.js';
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
  /** Whether DVC's local cache holds it (then `checkout` and `run` link it in). */
  readonly inDvcCache?: boolean;
}

export class MissingDeps {
  private readonly root: string;
  private readonly cache: DvcCache | undefined;
  /** A dep missing for one instance of a sweep is usually missing for all: explained once. */
  private readonly explained = new Map<string, Omit<BlockedDep, 'where'>>();
  private written: string[] | undefined;

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

  private explainOnce(path: string): Omit<BlockedDep, 'where'> {
    const dep = { path };
    const tracking = trackingOf(this.root, dep.path);
    if (tracking) {
      const inDvcCache = this.cache?.has(tracking.out) === true;
      return {
        path: dep.path,
        trackedBy: tracking.dvcFile,
        inDvcCache,
        help: inDvcCache
          ? `it is tracked by ${tracking.dvcFile} and in DVC's cache: \`pipewright checkout\` links it in (so does \`pipewright run\`)`
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
