/**
 * push, fetch and pull as operations on a local cache and a remote, for the CLI and for anything
 * else that moves results between machines (a worker pushing one instance's outs and its
 * run-cache entry). Objects always travel before the run-cache entries that refer to them, so a
 * remote never offers an entry it cannot restore.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isDirHash, type ContentHash } from '../cache/hash.js';
import type { LockEntry } from '../cache/lockfile.js';
import type { RunCacheEntry } from '../cache/run-cache.js';
import type { RemoteBackend } from './backend.js';
import type { LocalCache } from './local.js';
import type { ObjectStore } from '../cache/object-store.js';
import { silentProgress, type Progress } from './progress.js';
import { appendRunCache, pushRunCache, readRunCache, type RunCachePush } from './run-cache-pack.js';
import { download, upload, type TransferResult } from './transfer.js';

export interface SyncOptions {
  readonly local: LocalCache;
  readonly remote: RemoteBackend;
  /** Which instances (lockfile and run-cache names) take part. */
  readonly select: (instance: string) => boolean;
  /** Also the run-cache: every run anyone recorded, not only what the lockfile holds now. */
  readonly runCache: boolean;
  readonly progress: Progress;
  readonly warn: (message: string) => void;
}

/** A cached out of a lockfile entry, named for messages. */
export interface OutRef {
  readonly stage: string;
  readonly path: string;
  readonly hash: ContentHash;
  readonly size: number;
}

export interface PushReport {
  readonly objects: TransferResult;
  /** Lockfile outs that are not on the remote now (not in the local cache, or damaged there). */
  readonly notPushed: readonly OutRef[];
  readonly runCache?: RunCachePush & {
    /** Local entries left out because some object of theirs could not be pushed. */
    readonly withheld: number;
  };
}

export async function push(options: SyncOptions): Promise<PushReport> {
  const { local, remote, select } = options;
  const outs = lockedOuts(local.lock, select);
  const entries = options.runCache ? local.runCache.all().filter((e) => select(e.stage) && restorable(e.entry)) : [];
  const hashes = [...outs.map((o) => o.hash), ...entries.flatMap((e) => e.entry.outs.map((o) => o.hash))];
  const objects = await upload(local.store, remote, hashes, options.progress);
  const notPushed = outs.filter((o) => !objects.done.has(o.hash));
  if (!options.runCache) return { objects, notPushed };
  const complete = entries.filter((e) => e.entry.outs.every((o) => objects.done.has(o.hash)));
  const runCache = await pushRunCache(remote, complete);
  return { objects, notPushed, runCache: { ...runCache, withheld: entries.length - complete.length } };
}

export interface FetchReport {
  readonly objects: TransferResult;
  /** Lockfile outs the local cache still lacks: missing on the remote, or refused as corrupt. */
  readonly notFetched: readonly OutRef[];
  readonly runCache?: {
    /** Entries on the remote for the selected stages. */
    readonly remote: number;
    /** Entries new to the local run-cache, with all their objects here now. */
    readonly imported: number;
    /** New entries left out because some object of theirs could not be fetched. */
    readonly withheld: number;
    /** Remote segments that failed verification. */
    readonly damaged: readonly string[];
  };
}

/** Brings objects (and with `runCache`, run-cache entries) into the local cache; the workspace is not touched. */
export async function fetch(options: SyncOptions): Promise<FetchReport> {
  const { local, remote, select } = options;
  const outs = lockedOuts(local.lock, select);
  await dropDamaged(local, outs.map((o) => o.hash), options.warn);
  let fresh: RunCacheEntry[] = [];
  let remoteRun: Awaited<ReturnType<typeof readRunCache>> | undefined;
  if (options.runCache) {
    remoteRun = await readRunCache(remote);
    fresh = [...remoteRun.entries.values()].filter((e) => select(e.stage) && restorable(e.entry) && !local.runCache.get(e.entry.fingerprint));
  }
  const wanted = [...outs, ...fresh.flatMap((e) => e.entry.outs)].map((o) => ({ hash: o.hash, size: o.size }));
  const objects = await download(local.store, remote, wanted, options.progress);
  const notFetched = outs.filter((o) => !objects.done.has(o.hash));
  if (!remoteRun) return { objects, notFetched };
  // Only entries whose objects are all here: an entry the cache cannot restore is worth nothing.
  const complete = fresh.filter((e) => e.entry.outs.every((o) => objects.done.has(o.hash)));
  for (const e of complete) local.runCache.put(e.stage, e.entry);
  local.runCache.flush();
  return {
    objects, notFetched,
    runCache: { remote: [...remoteRun.entries.values()].filter((e) => select(e.stage)).length, imported: complete.length, withheld: fresh.length - complete.length, damaged: remoteRun.damaged },
  };
}

/**
 * One instance that just ran on this machine (a worker's job): its cached outs, then its run-cache
 * entry as a segment of its own (one request more, no listing). True when the entry went up: every
 * out is on the remote, so any machine can restore it.
 */
export async function pushInstance(store: ObjectStore, remote: RemoteBackend, stage: string, entry: LockEntry): Promise<boolean> {
  if (!restorable(entry)) return false;
  const objects = await upload(store, remote, entry.outs.map((o) => o.hash), silentProgress);
  if (!entry.outs.every((o) => objects.done.has(o.hash))) return false;
  await appendRunCache(remote, [{ stage, entry }]);
  return true;
}

/**
 * The outs of a run recorded elsewhere (a finished job's entry, a remote run-cache entry) into the
 * local cache, each verified; true when all are here, so that the entry can be restored.
 */
export async function fetchEntry(store: ObjectStore, remote: RemoteBackend, entry: LockEntry): Promise<boolean> {
  if (!restorable(entry)) return false;
  const objects = await download(store, remote, entry.outs.map((o) => ({ hash: o.hash, size: o.size })), silentProgress);
  return entry.outs.every((o) => objects.done.has(o.hash));
}

export interface CheckoutReport {
  readonly placed: readonly OutRef[];
  readonly unchanged: number;
  /** Outs whose workspace content is in no cache: kept rather than lost (pull --force replaces them). */
  readonly kept: readonly OutRef[];
}

/**
 * Puts the lockfile's outs into the workspace from the local cache, as `run` restores them.
 * Workspace content that differs is replaced only when the cache holds it too (nothing is lost),
 * or with `force`.
 */
export async function checkoutOuts(local: LocalCache, select: (instance: string) => boolean, force: boolean): Promise<CheckoutReport> {
  const placed: OutRef[] = [];
  const kept: OutRef[] = [];
  let unchanged = 0;
  for (const out of lockedOuts(local.lock, select)) {
    if (!local.store.has(out.hash)) continue;
    const now = await local.hasher.hash(out.path);
    if (now?.hash === out.hash) {
      unchanged++;
      continue;
    }
    if (now && !force && !local.store.has(now.hash)) {
      kept.push(out);
      continue;
    }
    await local.store.checkout(out.hash, join(local.root, out.path));
    local.hasher.forget(out.path);
    placed.push(out);
  }
  return { placed, unchanged, kept };
}

/**
 * Removes local objects of these outs whose content changed (a hard-linked out edited in place
 * writes through to its object), so that the fetch that follows brings them back whole. Hashes are
 * the state database's, so an unchanged object is not read again.
 */
async function dropDamaged(local: LocalCache, outs: readonly ContentHash[], warn: (message: string) => void): Promise<void> {
  const objects = new Set<ContentHash>();
  for (const hash of outs) {
    if (!isDirHash(hash)) objects.add(hash);
    else for (const e of local.store.readManifest(hash) ?? []) objects.add(e.hash);
  }
  for (const hash of objects) {
    const path = relative(local.root, local.store.pathOf(hash));
    if (!existsSync(local.store.pathOf(hash))) continue;
    const now = await local.hasher.hash(path);
    if (now?.hash === hash) continue;
    warn(`cache object ${hash} is damaged (its content changed in place); fetched again`);
    local.hasher.forget(path);
    await local.store.remove(hash);
  }
}

function lockedOuts(lock: Readonly<Record<string, LockEntry>>, select: (instance: string) => boolean): OutRef[] {
  return Object.entries(lock).filter(([stage]) => select(stage))
    .flatMap(([stage, entry]) => entry.outs.filter((o) => o.cache).map((o) => ({ stage, path: o.path, hash: o.hash, size: o.size })));
}

/** Only an entry whose outs are all cached can be restored (see StageCache.canRestore). */
export const restorable = (entry: LockEntry): boolean => entry.outs.every((o) => o.cache);
