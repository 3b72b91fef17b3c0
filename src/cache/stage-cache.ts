/**
 * The cache as the scheduler and `status` see it: decide what a stage instance needs (nothing,
 * a restore, a run) and why; restore outs; record a finished run in the store, the lockfile and
 * the run-cache.
 */
import { join, relative } from 'node:path';
import { declaredStage, type PipelineDeclaration } from '../define/declaration.js';
import { writtenPaths, type ResolvedStage } from '../graph/resolve.js';
import { layout } from '../layout.js';
import { CodeIdentities } from './code-identity.js';
import { fingerprintOf, type FingerprintParts } from './fingerprint.js';
import { isDirHash, type ContentHash, type ValueHash } from './hash.js';
import { LockfileWriter, readLockfileForWriting, type LockedOut, type LockEntry, type LockWarning } from './lockfile.js';
import type { LinkKind } from '../layout.js';
import { ObjectStore } from './object-store.js';
import { DvcLock, type DvcRestore } from './dvc-lock.js';
import { MISSING, changeReasons, outKey, type Reason } from './reasons.js';
import { RunCache } from './run-cache.js';
import { StateDb } from './state.js';
import { WorkspaceHasher } from './workspace-hash.js';
import { externalFingerprint } from './external-fingerprint.js';
import type { SharedTier } from './shared-tier.js';

export type Decision =
  | { readonly action: 'skip'; readonly entry: LockEntry; readonly reasons: readonly Reason[] }
  | { readonly action: 'restore'; readonly from: 'lock' | 'run-cache'; readonly entry: LockEntry; readonly reasons: readonly Reason[] }
  /** Recorded on the shared remote: its outs are brought down (status: would be). */
  | { readonly action: 'restore'; readonly from: 'remote'; readonly remote: string; readonly entry: LockEntry; readonly reasons: readonly Reason[] }
  /** DVC computed it: dvc.lock's record still holds and its outs are in the workspace or DVC's cache. */
  | { readonly action: 'restore'; readonly from: 'dvc'; readonly dvc: readonly DvcRestore[]; readonly reasons: readonly Reason[] }
  | { readonly action: 'run'; readonly reasons: readonly Reason[] }
  | { readonly action: 'fail'; readonly message: string; readonly reasons: readonly Reason[] };

export interface Plan {
  readonly decision: Decision;
  readonly parts: FingerprintParts;
  readonly fingerprint: ValueHash;
}

export interface PlanOptions {
  readonly force?: boolean;
  /** Hashes that paths will have once upstream restores are done (for `status`, which acts on nothing). */
  readonly expected?: ReadonlyMap<string, ContentHash>;
  /** The same for DVC's md5s, of outs that upstream restores from DVC will put in place. */
  readonly expectedMd5?: ReadonlyMap<string, string>;
  /** Only look (`status`): a run on the shared tier is reported, nothing is brought down. */
  readonly lookOnly?: boolean;
}

export interface StageCacheOptions {
  readonly links?: readonly LinkKind[];
  readonly warn?: LockWarning;
  /** The shared remote's run-cache, looked up for what the local cache cannot satisfy. */
  readonly shared?: SharedTier;
}

export class StageCache {
  readonly store: ObjectStore;
  readonly lock: LockfileWriter;
  readonly runCache: RunCache;
  private readonly state: StateDb;
  private readonly hasher: WorkspaceHasher;
  private readonly codes: CodeIdentities;
  private readonly warn: LockWarning;
  /** dvc.lock beside a dvc.yaml: results DVC computed, restored instead of recomputed. */
  private readonly dvcLock: DvcLock | undefined;
  private readonly shared: SharedTier | undefined;

  constructor(private readonly pipeline: PipelineDeclaration, options: StageCacheOptions = {}) {
    const root = pipeline.root;
    const warn = options.warn ?? (() => {});
    this.warn = warn;
    const paths = layout(root);
    this.state = StateDb.open(paths.stateDb, warn);
    this.hasher = new WorkspaceHasher(root, this.state);
    this.store = new ObjectStore(paths.cache, options.links);
    this.lock = new LockfileWriter(root, readLockfileForWriting(root, warn));
    this.runCache = new RunCache(this.state, warn);
    this.codes = new CodeIdentities(root);
    this.dvcLock = DvcLock.open(root, pipeline.file);
    this.shared = options.shared;
  }

  /** Whether plans look instances up in a shared remote (then no worker needs to again). */
  get consultsShared(): boolean {
    return this.shared !== undefined;
  }

  async plan(stage: ResolvedStage, options: PlanOptions = {}): Promise<Plan> {
    const declared = declaredStage(this.pipeline, stage.of)!;
    const depPaths = [...new Set([...stage.deps.map((d) => d.path), ...Object.values(stage.inputs).map((i) => i.path)])].sort();
    const deps: Record<string, ContentHash> = {};
    const external = new Set(stage.deps.filter((d) => d.external).map((d) => d.path));
    await Promise.all(depPaths.map(async (path) => {
      deps[path] = external.has(path) ? (await externalFingerprint(path)).hash
        : options.expected?.get(path) ?? (await this.hasher.hash(path))?.hash ?? (MISSING as ContentHash);
    }));
    const parts: FingerprintParts = {
      code: await this.codes.of(declared, stage.command),
      params: stage.params,
      deps: Object.fromEntries(depPaths.map((p) => [p, deps[p]!])),
      outs: writtenPaths(stage).map(outKey),
    };
    const fingerprint = fingerprintOf(parts);
    return { parts, fingerprint, decision: await this.decide(stage, parts, fingerprint, options) };
  }

  private async decide(stage: ResolvedStage, parts: FingerprintParts, fingerprint: ValueHash, options: PlanOptions): Promise<Decision> {
    const locked = this.lock.get(stage.name);
    if (stage.frozen) {
      if (!locked) return { action: 'fail', message: `stage "${stage.name}" is frozen but has never run, so it has no outs to keep`, reasons: [{ kind: 'frozen' }] };
      const damage = await this.outDamage(locked);
      if (damage.length === 0) return { action: 'skip', entry: locked, reasons: [{ kind: 'frozen' }] };
      return (await this.canRestore(locked))
        ? { action: 'restore', from: 'lock', entry: locked, reasons: [{ kind: 'frozen' }, ...damage] }
        : { action: 'fail', message: `stage "${stage.name}" is frozen and its outs are damaged and not in the cache`, reasons: damage };
    }
    if (options.force) return { action: 'run', reasons: [{ kind: 'forced' }] };
    if (stage.alwaysChanged) return { action: 'run', reasons: [{ kind: 'always-changed' }] };
    if (Object.values(parts.deps).includes(MISSING as ContentHash)) return this.fromDvc(stage, locked, options) ?? { action: 'run', reasons: changeReasons(locked, parts) };

    if (locked?.fingerprint === fingerprint) {
      const damage = await this.outDamage(locked);
      if (damage.length === 0) return { action: 'skip', entry: locked, reasons: [] };
      return (await this.canRestore(locked)) ? { action: 'restore', from: 'lock', entry: locked, reasons: damage } : { action: 'run', reasons: damage };
    }
    const reasons = changeReasons(locked, parts);
    const seen = this.runCache.get(fingerprint);
    if (seen && (await this.canRestore(seen.entry))) return { action: 'restore', from: 'run-cache', entry: seen.entry, reasons };
    return this.fromDvc(stage, locked, options) ?? (await this.fromShared(fingerprint, reasons, options)) ?? { action: 'run', reasons };
  }

  /**
   * A run the shared remote records: its outs brought into the local store (verified on the way)
   * and its entry into the local run-cache, then restored as any run-cache hit is.
   */
  private async fromShared(fingerprint: ValueHash, reasons: readonly Reason[], options: PlanOptions): Promise<Decision | undefined> {
    const tier = this.shared;
    if (!tier) return undefined;
    if (options.lookOnly) {
      const entry = await tier.recorded(fingerprint);
      return entry && entry.outs.every((o) => o.cache) ? { action: 'restore', from: 'remote', remote: tier.name, entry, reasons } : undefined;
    }
    const found = await tier.bringDown(fingerprint);
    if (!found || !(await this.canRestore(found.entry))) return undefined;
    this.runCache.put(found.stage, found.entry);
    return { action: 'restore', from: 'remote', remote: tier.name, entry: found.entry, reasons };
  }

  /** A stage we never ran, which dvc.lock says DVC ran with these very inputs: take DVC's outs. */
  private fromDvc(stage: ResolvedStage, locked: LockEntry | undefined, options: PlanOptions): Decision | undefined {
    const dvc = locked ? undefined : this.dvcLock?.match(stage, options.expectedMd5);
    return dvc ? { action: 'restore', from: 'dvc', dvc, reasons: [{ kind: 'dvc-lock' }] } : undefined;
  }

  /** Outs of a recorded run that are no longer as recorded. */
  private async outDamage(entry: LockEntry): Promise<Reason[]> {
    const reasons: Reason[] = [];
    for (const out of entry.outs) {
      const now = await this.hasher.hash(out.path);
      if (!now) reasons.push({ kind: 'out-missing', path: out.path });
      else if (now.hash !== out.hash) reasons.push({ kind: 'out-modified', path: out.path });
    }
    return reasons;
  }

  /**
   * Every out is in the store and intact: none uncached, none lost to gc, none changed in place
   * (a hardlinked out edited by root writes through to its object). A damaged object is removed,
   * with a warning, and counts as a miss.
   */
  private async canRestore(entry: LockEntry): Promise<boolean> {
    return entry.outs.every((o) => o.cache) && this.intact(entry.outs);
  }

  /** Whether these outs' objects are all in the store with the content they were saved with. */
  async intact(outs: readonly LockedOut[]): Promise<boolean> {
    for (const out of outs) {
      if (!this.store.has(out.hash)) return false;
      const objects = isDirHash(out.hash) ? this.store.readManifest(out.hash)!.map((e) => e.hash) : [out.hash];
      for (const hash of objects) {
        const path = relative(this.pipeline.root, this.store.pathOf(hash));
        const now = await this.hasher.hash(path);
        if (now?.hash !== hash) {
          this.warn(`cache object ${hash} is corrupt (its content changed); removed`);
          this.hasher.forget(path);
          await this.store.remove(hash);
          return false;
        }
      }
    }
    return true;
  }

  /** Puts a recorded run's outs back into the workspace and records it as the stage's state. */
  async restore(stage: ResolvedStage, plan: Plan & { decision: { action: 'restore' } }): Promise<LockEntry> {
    if (plan.decision.from === 'dvc') return this.restoreFromDvc(stage, plan, plan.decision.dvc);
    const entry = plan.decision.entry;
    for (const out of entry.outs) {
      this.hasher.forget(out.path);
      const now = await this.hasher.hash(out.path);
      if (now?.hash === out.hash) continue;
      this.hasher.forget(out.path);
      await this.store.checkout(out.hash, join(this.pipeline.root, out.path));
    }
    const restored = { ...entry, fingerprint: plan.fingerprint, params: plan.parts.params, deps: lockedDeps(plan.parts) };
    this.lock.set(stage.name, restored);
    return restored;
  }

  /**
   * Links DVC's outs in where the workspace does not already hold them as recorded, then records
   * them as a run of ours (hashed, stored, locked), so that the next run is a no-op.
   */
  private async restoreFromDvc(stage: ResolvedStage, plan: Plan, outs: readonly DvcRestore[]): Promise<LockEntry> {
    for (const out of outs) {
      if (out.inWorkspace) continue;
      this.hasher.forget(out.path);
      await this.dvcLock!.cache!.checkout(out, join(this.pipeline.root, out.path), this.store);
    }
    return this.commit(stage, plan);
  }

  /** Called before a stage runs: whatever was hashed of its outs is stale from now on. */
  forgetOuts(stage: ResolvedStage): void {
    for (const out of writtenPaths(stage)) this.hasher.forget(out.path);
  }

  /** Records a run that just succeeded: outs hashed and stored, lockfile and run-cache written. */
  async commit(stage: ResolvedStage, plan: Plan, returned?: Readonly<Record<string, unknown>>): Promise<LockEntry> {
    const outs = await storeOuts(this.pipeline.root, this.hasher, this.store, stage);
    const entry: LockEntry = {
      fingerprint: plan.fingerprint, code: plan.parts.code, params: plan.parts.params, deps: lockedDeps(plan.parts), outs,
      ...(returned && stage.metrics.length === 0 ? { metrics: returned } : {}),
    };
    this.lock.set(stage.name, entry);
    this.runCache.put(stage.name, entry);
    return entry;
  }

  close(): void {
    this.lock.close();
    this.runCache.flush();
    this.state.close();
  }
}

/**
 * Hashes a stage's outs afresh, as they are now, and saves the cached ones in the store: what a
 * finished run records, here or on a worker.
 */
export async function storeOuts(root: string, hasher: WorkspaceHasher, store: ObjectStore, stage: ResolvedStage): Promise<LockedOut[]> {
  const outs: LockedOut[] = [];
  for (const out of writtenPaths(stage)) {
    hasher.forget(out.path);
    const hashed = await hasher.hash(out.path);
    if (!hashed) throw new Error(`out "${out.path}" of stage "${stage.name}" vanished before it could be cached`);
    if (out.cache) await store.save(join(root, out.path), hashed);
    outs.push({ path: out.path, hash: hashed.hash, size: hashed.size, ...(hashed.manifest ? { files: hashed.files } : {}), cache: out.cache });
  }
  return outs;
}

function lockedDeps(parts: FingerprintParts): { path: string; hash: ContentHash }[] {
  return Object.entries(parts.deps).map(([path, hash]) => ({ path, hash }));
}
