/**
 * Garbage collection of the object store: objects no out in the lockfile refers to are removed;
 * with `keepRunCache`, objects of every run kept in the run-cache stay too. Run-cache entries
 * whose objects are gone are dropped, since they could no longer restore anything.
 */
import { isDirHash, type ContentHash } from './hash.js';
import type { LockEntry } from './lockfile.js';
import type { StageCache } from './stage-cache.js';

export interface GcReport {
  readonly removedObjects: number;
  readonly removedBytes: number;
  readonly keptObjects: number;
  readonly keptBytes: number;
  readonly removedRunCacheEntries: number;
}

export async function collectGarbage(cache: StageCache, options: { keepRunCache: boolean; dryRun: boolean }): Promise<GcReport> {
  const keep = new Set<ContentHash>();
  const reference = (entry: LockEntry) => {
    for (const out of entry.outs) {
      keep.add(out.hash);
      if (isDirHash(out.hash)) for (const file of cache.store.readManifest(out.hash) ?? []) keep.add(file.hash);
    }
  };
  for (const entry of cache.lock.all().values()) reference(entry);
  const runs = cache.runCache.all();
  if (options.keepRunCache) for (const run of runs) reference(run.entry);

  let removedObjects = 0, removedBytes = 0, keptObjects = 0, keptBytes = 0;
  for (const object of await cache.store.list()) {
    if (keep.has(object.hash)) {
      keptObjects++;
      keptBytes += object.size;
    } else {
      removedObjects++;
      removedBytes += object.size;
      if (!options.dryRun) await cache.store.remove(object.hash);
    }
  }
  let removedRunCacheEntries = 0;
  for (const run of runs) {
    if (run.entry.outs.some((o) => o.cache && !keep.has(o.hash))) {
      removedRunCacheEntries++;
      if (!options.dryRun) cache.runCache.remove(run.entry.fingerprint);
    }
  }
  return { removedObjects, removedBytes, keptObjects, keptBytes, removedRunCacheEntries };
}
