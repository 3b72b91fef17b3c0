/**
 * Moves content-addressed objects between the local cache and a remote, keyed as in the local
 * store (`objects/ab/cdef…`, folders as `….dir` manifests). Nothing is taken on trust:
 * - an upload is hashed first, so a local object damaged in place (a hard link edited) is never
 *   spread to the team;
 * - a download lands beside its place in the local cache, is hashed, and only a match is moved in;
 * - a folder's manifest goes up only after all its files, so a remote never lists a folder whose
 *   files it lacks.
 */
import { existsSync, statSync } from 'node:fs';
import { stat, unlink, readFile } from 'node:fs/promises';
import { hashFile, isDirHash, type ContentHash, type DirHash, type FileHash } from '../cache/hash.js';
import type { ObjectStore } from '../cache/object-store.js';
import { manifestHash, type ManifestEntry } from '../cache/workspace-hash.js';
import type { RemoteBackend } from './backend.js';
import type { Progress } from './progress.js';

export { objectKey } from './keys.js';
import { objectKey } from './keys.js';

export interface TransferResult {
  /** Outs (and files) now at the destination, whether copied or found there. */
  readonly done: Set<ContentHash>;
  copied: number;
  copiedBytes: number;
  /** Objects that were at the destination already. */
  already: number;
  /** Objects the source does not have. */
  readonly missing: ContentHash[];
  /** Objects whose content does not hash to their name: refused. */
  readonly corrupt: { readonly hash: ContentHash; readonly found: string }[];
}

const newResult = (): TransferResult => ({ done: new Set(), copied: 0, copiedBytes: 0, already: 0, missing: [], corrupt: [] });

/** How many objects move at once: enough to hide a network round trip, few enough for NFS. */
const PARALLEL = 8;

export async function upload(store: ObjectStore, remote: RemoteBackend, outs: readonly ContentHash[], progress: Progress): Promise<TransferResult> {
  const result = newResult();
  const { files, dirs } = expandLocal(store, outs, result);
  const onRemote = await existenceCheck(remote, files.size + dirs.size);
  progress.start(files.size + dirs.size, [...files.values()].reduce((n, s) => n + s, 0));
  await forEach([...files.keys()], async (hash) => {
    const path = store.pathOf(hash);
    if (!existsSync(path)) {
      result.missing.push(hash);
    } else if (await onRemote(objectKey(hash))) {
      result.already++;
      result.done.add(hash);
    } else {
      const size = (await stat(path)).size;
      const found = await hashFile(path, size);
      if (found !== hash) {
        result.corrupt.push({ hash, found });
      } else {
        await remote.upload(objectKey(hash), path, size);
        result.copied++;
        result.copiedBytes += size;
        result.done.add(hash);
      }
    }
    progress.advance(files.get(hash) ?? 0);
  });
  await forEach([...dirs.keys()], async (hash) => {
    const manifest = dirs.get(hash)!;
    if (manifest.every((e) => result.done.has(e.hash))) {
      if (await onRemote(objectKey(hash))) {
        result.already++;
        result.done.add(hash);
      } else if (manifestHash(manifest) !== hash) {
        result.corrupt.push({ hash, found: manifestHash(manifest) });
      } else {
        await remote.upload(objectKey(hash), store.pathOf(hash), (await stat(store.pathOf(hash))).size);
        result.copied++;
        result.done.add(hash);
      }
    }
    progress.advance(0);
  });
  progress.finish();
  return result;
}

/** Below this many objects, one existence check each is cheaper than any listing. */
const LIST_FROM = 64;

/**
 * How a push asks whether the remote has an object. One check each costs a request per object;
 * a listing of the remote's objects costs a request per 1,000 of them. So, as DVC estimates it:
 * list one of the 256 prefixes, and list everything only when that is the fewer requests.
 */
async function existenceCheck(remote: RemoteBackend, objects: number): Promise<(key: string) => Promise<boolean>> {
  const check = (key: string) => remote.exists(key);
  if (!remote.listDeep || objects < LIST_FROM) return check;
  const sample = await remote.listDeep('objects/00/');
  const pages = Math.ceil((sample.length * 256) / 1000);
  if (pages >= objects) return check;
  const present = new Set(await remote.listDeep('objects/'));
  return async (key) => present.has(key);
}

/** The files and folder manifests behind these outs, as the local cache has them. */
function expandLocal(store: ObjectStore, outs: readonly ContentHash[], result: TransferResult) {
  const files = new Map<FileHash, number>();
  const dirs = new Map<DirHash, readonly ManifestEntry[]>();
  for (const hash of new Set(outs)) {
    if (!isDirHash(hash)) {
      files.set(hash, sizeOf(store.pathOf(hash)));
      continue;
    }
    const manifest = store.readManifest(hash);
    if (!manifest) {
      result.missing.push(hash);
      continue;
    }
    dirs.set(hash, manifest);
    for (const entry of manifest) files.set(entry.hash, entry.size);
  }
  return { files, dirs };
}

/**
 * Brings these outs' objects into the local cache from the remote, each verified before it is
 * moved in. Objects the local cache holds already are not asked for.
 */
export async function download(store: ObjectStore, remote: RemoteBackend, outs: readonly { hash: ContentHash; size?: number }[], progress: Progress): Promise<TransferResult> {
  const result = newResult();
  const files = new Map<FileHash, number>();
  const dirs = [...new Set(outs.map((o) => o.hash).filter(isDirHash))];
  for (const out of outs) if (!isDirHash(out.hash)) files.set(out.hash, out.size ?? 0);
  // Manifests first: they say which files a folder needs.
  progress.start(dirs.length, 0);
  const manifests = new Map<DirHash, readonly ManifestEntry[]>();
  await forEach(dirs, async (hash) => {
    const local = store.readManifest(hash);
    const manifest = local && manifestHash(local) === hash ? local : await fetchManifest(store, remote, hash, result);
    if (manifest) manifests.set(hash, manifest);
    progress.advance(0);
  });
  for (const manifest of manifests.values()) for (const e of manifest) files.set(e.hash, e.size);
  const needed = [...files.keys()].filter((hash) => {
    if (!existsSync(store.pathOf(hash))) return true;
    result.done.add(hash);
    return false;
  });
  result.already += files.size - needed.length;
  progress.start(needed.length, needed.reduce((n, h) => n + files.get(h)!, 0));
  await forEach(needed, async (hash) => {
    const tmp = await downloadAside(store, remote, hash);
    if (tmp === undefined) {
      result.missing.push(hash);
    } else {
      const size = (await stat(tmp)).size;
      const found = await hashFile(tmp, size);
      if (found !== hash) {
        await unlink(tmp).catch(() => {});
        result.corrupt.push({ hash, found });
      } else {
        await store.adopt(hash, tmp);
        result.copied++;
        result.copiedBytes += size;
        result.done.add(hash);
      }
    }
    progress.advance(files.get(hash)!);
  });
  for (const [hash, manifest] of manifests) if (manifest.every((e) => result.done.has(e.hash))) result.done.add(hash);
  progress.finish();
  return result;
}

/** Downloads an object beside its place in the cache; undefined when the remote does not have it. */
async function downloadAside(store: ObjectStore, remote: RemoteBackend, hash: ContentHash): Promise<string | undefined> {
  const tmp = await store.asideFor(hash);
  const arrived = await remote.download(objectKey(hash), tmp).catch(async (err: unknown) => {
    // A transfer cut off midway leaves no partial file behind in the cache.
    await unlink(tmp).catch(() => {});
    throw err;
  });
  return arrived ? tmp : undefined;
}

async function fetchManifest(store: ObjectStore, remote: RemoteBackend, hash: DirHash, result: TransferResult): Promise<readonly ManifestEntry[] | undefined> {
  const tmp = await downloadAside(store, remote, hash);
  if (tmp === undefined) {
    result.missing.push(hash);
    return undefined;
  }
  let manifest: ManifestEntry[] | undefined;
  try {
    manifest = parseManifest(JSON.parse(await readFile(tmp, 'utf8')));
  } catch {
    manifest = undefined;
  }
  const found = manifest ? manifestHash(manifest) : 'not a folder manifest';
  if (found !== hash) {
    await unlink(tmp).catch(() => {});
    result.corrupt.push({ hash, found });
    return undefined;
  }
  await store.adopt(hash, tmp);
  result.copied++;
  return manifest;
}

/** A manifest as the local store writes it, or undefined: paths must stay inside their folder. */
function parseManifest(value: unknown): ManifestEntry[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const ok = value.every((e: unknown) => {
    const entry = e as Partial<ManifestEntry> | null;
    return entry !== null && typeof entry === 'object' && typeof entry.path === 'string' && typeof entry.hash === 'string' && typeof entry.size === 'number'
      && /^[0-9a-f]{16}$/.test(entry.hash) && !entry.path.split('/').includes('..') && !entry.path.startsWith('/');
  });
  return ok ? (value as ManifestEntry[]) : undefined;
}

function sizeOf(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}

/** Runs `fn` over items, PARALLEL at a time; the first failure stops the rest and is thrown. */
export async function forEach<T>(items: readonly T[], fn: (item: T) => Promise<void>, parallel = PARALLEL): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
}
