/**
 * The run-cache on a remote, packed so that reading all of it costs a constant number of requests
 * however many entries it holds: each push writes its new entries as one segment file
 * (`run-cache/<xxh3 of its bytes>.json`), and a push that finds more than COMPACT_FROM segments
 * merges them all into one. Reading is one listing plus at most a handful of reads. (DVC keeps one
 * file per entry, so listing its run-cache is one request per entry: hours over SSH, dvc#4732.)
 *
 * Segments are immutable and named by their content, so a read is verified like any object. Merging
 * is safe with any number of concurrent pushes and readers without a lock: a segment is removed only
 * by a push that has read it whole and written a segment holding all its entries first, so every
 * entry is always in some live segment; a reader that finds a listed segment gone (merged meanwhile)
 * lists again.
 */
import { hashBytes, type ValueHash } from '../cache/hash.js';
import type { RunCacheEntry } from '../cache/run-cache.js';
import type { RemoteBackend } from './backend.js';
import { forEach } from './transfer.js';

export const RUN_CACHE_PREFIX = 'run-cache/';
/** A push that finds more segments than this merges them into one. */
export const COMPACT_FROM = 8;

interface Segment {
  readonly version: 1;
  readonly entries: readonly RunCacheEntry[];
}

export interface RemoteRunCache {
  readonly entries: ReadonlyMap<ValueHash, RunCacheEntry>;
  /** The segments read. */
  readonly segments: readonly string[];
  /** Segments whose content does not match their name or does not parse: skipped. */
  readonly damaged: readonly string[];
}

/**
 * `seen`: segments read before (they never change, being named by their content), kept by a reader
 * that reads again and again (a worker): only new segments are read, so a read costs one listing.
 */
export async function readRunCache(remote: RemoteBackend, seen?: Map<string, readonly RunCacheEntry[]>): Promise<RemoteRunCache> {
  for (let attempt = 1; ; attempt++) {
    const keys = (await remote.list(RUN_CACHE_PREFIX)).filter((k) => k.endsWith('.json')).sort();
    const entries = new Map<ValueHash, RunCacheEntry>();
    const damaged: string[] = [];
    let vanished = false;
    const texts = new Map<string, Buffer | undefined>();
    await forEach(keys.filter((k) => !seen?.has(k)), async (key) => void texts.set(key, await remote.read(key)));
    const read: string[] = [];
    for (const key of keys) {
      let segment: readonly RunCacheEntry[] | undefined = seen?.get(key);
      if (!segment) {
        const bytes = texts.get(key);
        if (!bytes) {
          vanished = true;
          continue;
        }
        segment = parseSegment(key, bytes)?.entries;
        if (!segment) {
          damaged.push(key);
          continue;
        }
        seen?.set(key, segment);
      }
      read.push(key);
      for (const e of segment) if (!entries.has(e.entry.fingerprint)) entries.set(e.entry.fingerprint, e);
    }
    // Merged by another push between our listing and our reads: its merge is listed now.
    if (vanished && attempt < 3) continue;
    return { entries, segments: read, damaged };
  }
}

export interface RunCachePush {
  /** Entries the remote did not have. */
  readonly added: number;
  /** Entries on the remote now. */
  readonly total: number;
  readonly merged: boolean;
}

/** Adds to the remote the entries it lacks, as one new segment; merges segments when there are many. */
export async function pushRunCache(remote: RemoteBackend, local: readonly RunCacheEntry[]): Promise<RunCachePush> {
  const current = await readRunCache(remote);
  const fresh = local.filter((e) => !current.entries.has(e.entry.fingerprint));
  const live = [...current.segments];
  if (fresh.length) live.push(await writeSegment(remote, fresh));
  let merged = false;
  if (live.length > COMPACT_FROM) {
    const whole = await writeSegment(remote, [...current.entries.values(), ...fresh]);
    await remote.remove(live.filter((k) => k !== whole));
    merged = true;
  }
  return { added: fresh.length, total: current.entries.size + fresh.length, merged };
}

/**
 * Adds entries as one segment without reading the remote first: one request, for a writer that
 * pushes one instance at a time (a worker). Duplicates are harmless (readers keep the first of a
 * fingerprint), and the next `pushRunCache` merges the segments this leaves.
 */
export async function appendRunCache(remote: RemoteBackend, entries: readonly RunCacheEntry[]): Promise<void> {
  if (entries.length) await writeSegment(remote, entries);
}

async function writeSegment(remote: RemoteBackend, entries: readonly RunCacheEntry[]): Promise<string> {
  const sorted = [...entries].sort((a, b) => (a.entry.fingerprint < b.entry.fingerprint ? -1 : a.entry.fingerprint > b.entry.fingerprint ? 1 : 0));
  const bytes = Buffer.from(JSON.stringify({ version: 1, entries: sorted } satisfies Segment));
  const key = `${RUN_CACHE_PREFIX}${hashBytes(bytes)}.json`;
  await remote.write(key, bytes);
  return key;
}

function parseSegment(key: string, bytes: Buffer): Segment | undefined {
  if (`${RUN_CACHE_PREFIX}${hashBytes(bytes)}.json` !== key) return undefined;
  try {
    const segment = JSON.parse(bytes.toString('utf8')) as Segment;
    if (segment.version !== 1 || !Array.isArray(segment.entries)) return undefined;
    const valid = segment.entries.every((e) => typeof e?.stage === 'string' && typeof e.entry?.fingerprint === 'string' && Array.isArray(e.entry.outs));
    return valid ? segment : undefined;
  } catch {
    return undefined;
  }
}
