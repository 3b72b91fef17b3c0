/**
 * Outs between compiled tasks through the project's remote, for tasks that share no volume (each
 * pod has its own copy of the project, the image's): what a distributed worker does with the same
 * pieces (src/remote/sync.ts: verified transfer, the packed run-cache). Before its instance, a task
 * brings down the run-cache entries its upstream instances pushed, with their outs, each hashed on
 * the way, and restores them into its copy in the graph's order; its own instance is then skipped,
 * restored or run by `exec --cached` as usual; after it, its outs and its run-cache entry go up.
 */
import type { ValueHash } from '../cache/hash.js';
import type { LockEntry } from '../cache/lockfile.js';
import { ObjectStore } from '../cache/object-store.js';
import type { RunCacheEntry } from '../cache/run-cache.js';
import type { StageCache } from '../cache/stage-cache.js';
import { layout } from '../layout.js';
import { openBackend, type RemoteBackend } from '../remote/backend.js';
import { chooseRemote } from '../remote/config.js';
import { readRunCache } from '../remote/run-cache-pack.js';
import { fetchEntry, pushInstance } from '../remote/sync.js';
import { describeLocation } from '../remote/url.js';

export class TaskRemote {
  private entries: ReadonlyMap<ValueHash, RunCacheEntry> | undefined;
  private readonly store: ObjectStore;

  private constructor(readonly name: string, readonly where: string, private readonly backend: RemoteBackend, root: string) {
    this.store = new ObjectStore(layout(root).cache);
  }

  /**
   * The named remote of the project's config, checked to answer: an unknown name, a missing folder
   * or bucket, refused credentials or an endpoint nobody answers is a PipelineError (exit 2).
   */
  static async open(root: string, name: string): Promise<TaskRemote> {
    const remote = chooseRemote(root, name);
    const backend = await openBackend(remote.location);
    try {
      await backend.check('write');
    } catch (err) {
      backend.close();
      throw err;
    }
    return new TaskRemote(remote.name, `${remote.name} (${describeLocation(remote.location)})`, backend, root);
  }

  /** The remote's run-cache entry of this fingerprint, if some task pushed one (read once per exec). */
  async recorded(fingerprint: ValueHash): Promise<RunCacheEntry | undefined> {
    this.entries ??= (await readRunCache(this.backend)).entries;
    return this.entries.get(fingerprint);
  }

  /**
   * Brings a run recorded on the remote into the local cache, its outs verified, and its entry into
   * the local run-cache, so that the cache's next plan restores it. False when the remote has no
   * such run, or not all of its outs.
   */
  async bringDown(cache: StageCache, fingerprint: ValueHash): Promise<boolean> {
    const found = await this.recorded(fingerprint);
    if (!found || !(await fetchEntry(this.store, this.backend, found.entry))) return false;
    cache.runCache.put(found.stage, found.entry);
    cache.runCache.flush();
    return true;
  }

  /** Sends up an instance's outs and then its run-cache entry, unless the remote has that run already. */
  async publish(instance: string, entry: LockEntry): Promise<void> {
    if (await this.recorded(entry.fingerprint)) return;
    if (!(await pushInstance(this.store, this.backend, instance, entry))) {
      throw new Error(`could not send ${instance}'s outs to remote ${this.where}: some are not in the local cache (cache: false outs cannot travel)`);
    }
  }

  close(): void {
    this.backend.close();
  }
}
