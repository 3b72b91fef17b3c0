import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  isDirHash
} from "./chunk-NIE2MTBU.js";
import "./chunk-DJMCM54O.js";
import "./chunk-72MSOLL7.js";

// src/cache/gc.ts
async function collectGarbage(cache, options) {
  const keep = /* @__PURE__ */ new Set();
  const reference = (entry) => {
    for (const out of entry.outs) {
      keep.add(out.hash);
      if (isDirHash(out.hash)) for (const file of cache.store.readManifest(out.hash) ?? []) keep.add(file.hash);
    }
  };
  Object.values(cache.lock.all()).forEach(reference);
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
export {
  collectGarbage
};
//# sourceMappingURL=gc-WXZY4EA6.js.map
