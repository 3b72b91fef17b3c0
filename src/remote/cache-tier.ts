/**
 * The project's remote as a cache tier (cache/shared-tier.ts): what `run`, workers and compiled
 * tasks consult before computing an instance, and where finished work goes. The remote's run-cache
 * is read once, as packed segments (a constant number of requests however many entries it holds),
 * then each lookup is a map read; only a hit costs transfers: its outs, each hashed on the way.
 *
 * A remote that cannot be reached costs one warning and turns the tier off for the rest of the
 * command: the local cache goes on alone. A damaged object is never trusted: its instance runs.
 */
import type { ValueHash } from '../cache/hash.js';
import type { LockEntry } from '../cache/lockfile.js';
import { ObjectStore } from '../cache/object-store.js';
import type { RunCacheEntry } from '../cache/run-cache.js';
import type { SharedTier } from '../cache/shared-tier.js';
import { layout, type LinkKind } from '../layout.js';
import { openBackend, type RemoteBackend } from './backend.js';
import { chooseRemote, listRemotes, type NamedRemote } from './config.js';
import { silentProgress } from './progress.js';
import { appendRunCache, pushRunCache, readRunCache } from './run-cache-pack.js';
import { restorable } from './sync.js';
import { download, upload } from './transfer.js';
import { describeLocation } from './url.js';

export interface PublishReport {
  /** Runs the remote had not recorded and has now. */
  readonly added: number;
  /** Runs left out: some out not in the local cache (`cache: false` outs cannot travel). */
  readonly withheld: readonly string[];
}

export class RemoteCacheTier implements SharedTier {
  private index: Promise<ReadonlyMap<ValueHash, RunCacheEntry> | undefined> | undefined;
  private readAt = 0;
  /** Segments read so far: a second read of the run-cache reads only new ones. */
  private readonly segments = new Map<string, readonly RunCacheEntry[]>();
  private readonly store: ObjectStore;
  private off = false;
  private checked = false;

  /**
   * `freshForMs`: how long a read of the remote's run-cache answers a miss; undefined: for the whole
   * command. A worker lives for days and another may have pushed a run a moment ago: it reads again
   * before every job (0: one listing; only new segments are read).
   */
  private constructor(readonly name: string, readonly where: string, private readonly backend: RemoteBackend, root: string,
    private readonly warn: (message: string) => void, links?: readonly LinkKind[], private readonly freshForMs?: number) {
    this.store = new ObjectStore(layout(root).cache, links);
  }

  /**
   * The remote a run consults: the one named (an unknown name is a PipelineError, exit 2), else the
   * project's default remote, else its only one; undefined when it has none (or several, none default).
   */
  static async forRun(root: string, name: string | undefined, warn: (message: string) => void, links?: readonly LinkKind[], freshForMs?: number): Promise<RemoteCacheTier | undefined> {
    let remote: NamedRemote | undefined;
    if (name !== undefined) remote = chooseRemote(root, name);
    else {
      const remotes = listRemotes(root);
      remote = remotes.find((r) => r.isDefault) ?? (remotes.length === 1 ? remotes[0] : undefined);
    }
    return remote && RemoteCacheTier.of(root, remote, warn, links, freshForMs);
  }

  /**
   * A remote that must answer (`exec --cached --remote`): an unknown name, a missing folder or
   * bucket, refused credentials or an endpoint nobody answers is a PipelineError (exit 2).
   */
  static async checked(root: string, name: string, purpose: 'read' | 'write', warn: (message: string) => void): Promise<RemoteCacheTier> {
    const tier = await RemoteCacheTier.of(root, chooseRemote(root, name), warn);
    try {
      await tier.backend.check(purpose);
    } catch (err) {
      tier.close();
      throw err;
    }
    return tier;
  }

  private static async of(root: string, remote: NamedRemote, warn: (message: string) => void, links?: readonly LinkKind[], freshForMs?: number): Promise<RemoteCacheTier> {
    return new RemoteCacheTier(remote.name, `${remote.name} (${describeLocation(remote.location)})`, await openBackend(remote.location), root, warn, links, freshForMs);
  }

  /** The remote's run-cache, read once per command; undefined (the tier off) when it cannot be read. */
  private entries(): Promise<ReadonlyMap<ValueHash, RunCacheEntry> | undefined> {
    if (this.freshForMs !== undefined && !this.off && Date.now() - this.readAt > this.freshForMs) this.index = undefined;
    this.index ??= (async () => {
      this.readAt = Date.now();
      try {
        if (!this.checked) await this.backend.check('read');
        this.checked = true;
        const read = await readRunCache(this.backend, this.segments);
        if (read.damaged.length) this.warn(`remote ${this.where}: ${read.damaged.length} run-cache segment(s) are damaged and were not read (${read.damaged.join(', ')})`);
        return read.entries;
      } catch (err) {
        this.unreachable(err);
        return undefined;
      }
    })();
    return this.index;
  }

  private unreachable(err: unknown): void {
    if (this.off) return;
    this.off = true;
    this.warn(`remote ${this.where} cannot be reached (${(err as Error).message.split('\n')[0]}): going on with the local cache only`);
  }

  async recorded(fingerprint: ValueHash): Promise<LockEntry | undefined> {
    return (await this.entries())?.get(fingerprint)?.entry;
  }

  async bringDown(fingerprint: ValueHash): Promise<RunCacheEntry | undefined> {
    const found = (await this.entries())?.get(fingerprint);
    if (!found || !restorable(found.entry) || this.off) return undefined;
    try {
      const objects = await download(this.store, this.backend, found.entry.outs.map((o) => ({ hash: o.hash, size: o.size })), silentProgress);
      if (objects.corrupt.length) {
        this.warn(`remote ${this.where}: ${objects.corrupt.map((c) => c.hash).join(', ')} of ${found.stage} did not hash to its name: not trusted, the instance runs`);
      }
      return found.entry.outs.every((o) => objects.done.has(o.hash)) ? found : undefined;
    } catch (err) {
      this.unreachable(err);
      return undefined;
    }
  }

  /** Sends up one instance's outs and then its run-cache entry (one append), unless the remote has that run already. */
  async publish(instance: string, entry: LockEntry): Promise<void> {
    if (await this.recorded(entry.fingerprint)) return;
    const report = await this.send([{ stage: instance, entry }], (complete) => appendRunCache(this.backend, complete));
    if (report.withheld.length) {
      throw new Error(`could not send ${instance}'s outs to remote ${this.where}: some are not in the local cache (cache: false outs cannot travel)`);
    }
  }

  /** Sends up the outs of many finished runs, then their run-cache entries as one segment. */
  async publishAll(runs: readonly RunCacheEntry[]): Promise<PublishReport> {
    const known = await this.entries();
    const fresh = runs.filter((r) => !known?.has(r.entry.fingerprint));
    return this.send(fresh, async (complete) => void (await pushRunCache(this.backend, complete)));
  }

  /** Objects always travel before the entries that name them: a remote never offers a run it cannot restore. */
  private async send(runs: readonly RunCacheEntry[], record: (complete: RunCacheEntry[]) => Promise<void>): Promise<PublishReport> {
    const sendable = runs.filter((r) => restorable(r.entry));
    const objects = await upload(this.store, this.backend, sendable.flatMap((r) => r.entry.outs.map((o) => o.hash)), silentProgress);
    const complete = sendable.filter((r) => r.entry.outs.every((o) => objects.done.has(o.hash)));
    if (complete.length) await record(complete);
    return { added: complete.length, withheld: runs.filter((r) => !complete.includes(r)).map((r) => r.stage) };
  }

  close(): void {
    this.backend.close();
  }
}
