/**
 * Hashes workspace paths: a file by its bytes, a folder as the manifest of its files. Each file's
 * hash is remembered in the state database, so a folder of 10,000 files where one changed re-reads
 * that one file only.
 */
import { statSync } from 'node:fs';
import { readdir, stat as fsStat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { canonicalJson, hashBytes, hashFile, type ContentHash, type DirHash, type FileHash } from './hash.js';
import type { FileStat, StateDb } from './state.js';

export interface ManifestEntry {
  /** Relative to the folder, posix separators. */
  readonly path: string;
  readonly hash: FileHash;
  readonly size: number;
}

export interface HashedPath {
  readonly hash: ContentHash;
  /** Bytes in all. */
  readonly size: number;
  /** Number of files (1 for a file). */
  readonly files: number;
  /** For a folder: its files. */
  readonly manifest?: readonly ManifestEntry[];
}

const PARALLEL_READS = 16;

export class WorkspaceHasher {
  /** Hashes already taken in this process; forgotten when a stage is about to write the path. */
  private readonly memo = new Map<string, Promise<HashedPath | undefined>>();

  constructor(private readonly root: string, private readonly state: StateDb) {}

  /** The hash of a root-relative path, or undefined if nothing is there. */
  hash(path: string): Promise<HashedPath | undefined> {
    let result = this.memo.get(path);
    if (!result) {
      result = this.hashUncached(path);
      this.memo.set(path, result);
      for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) this.parents.add(path.slice(0, cut));
    }
    return result;
  }

  /** Drops memoized hashes of `path` and of anything inside or above it. */
  forget(path: string): void {
    this.memo.delete(path);
    // Folders above it: walk up the path rather than scan every memoized key.
    for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) this.memo.delete(path.slice(0, cut));
    this.memo.delete('');
    // Paths inside it: scanned for only when something below it was ever memoized.
    if (this.parents.has(path)) {
      for (const key of this.memo.keys()) if (key.startsWith(`${path}/`)) this.memo.delete(key);
    }
  }

  /** Every folder above a memoized path. */
  private readonly parents = new Set<string>();

  private async hashUncached(path: string): Promise<HashedPath | undefined> {
    const abs = join(this.root, path);
    let stat;
    try {
      // Synchronous: a stat is microseconds, an async round trip many times that, and a no-op
      // run is mostly stats.
      stat = statSync(abs, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
    if (!stat) return undefined;
    if (stat.isDirectory()) return this.hashDir(path);
    if (!stat.isFile()) return undefined;
    const fileStat = toFileStat(stat);
    const hash = this.state.lookup(path, fileStat) ?? (await this.hashAndRecord(path, abs, fileStat));
    return { hash, size: fileStat.size, files: 1 };
  }

  private async hashAndRecord(path: string, abs: string, stat: FileStat): Promise<FileHash> {
    const hash = await hashFile(abs, stat.size);
    this.state.record(path, stat, hash);
    return hash;
  }

  private async hashDir(dir: string): Promise<HashedPath> {
    const files = await listFiles(join(this.root, dir));
    const entries: ManifestEntry[] = new Array(files.length);
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const i = next++;
        const { rel, stat } = files[i]!;
        const path = posix.join(dir, rel);
        const hash = this.state.lookup(path, stat) ?? (await this.hashAndRecord(path, join(this.root, path), stat));
        entries[i] = { path: rel, hash, size: stat.size };
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_READS }, worker));
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return {
      hash: manifestHash(entries),
      size: entries.reduce((n, e) => n + e.size, 0),
      files: entries.length,
      manifest: entries,
    };
  }
}

export function manifestHash(entries: readonly ManifestEntry[]): DirHash {
  return `${hashBytes(canonicalJson(entries))}.dir` as DirHash;
}

async function listFiles(dir: string): Promise<{ rel: string; stat: FileStat }[]> {
  const out: { rel: string; stat: FileStat }[] = [];
  const walk = async (rel: string) => {
    const entries = await readdir(join(dir, rel), { withFileTypes: true });
    await Promise.all(entries.map(async (entry) => {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile() || entry.isSymbolicLink()) {
        const stat = await fsStat(join(dir, child)).catch(() => undefined);
        if (!stat) return; // a dangling link
        if (stat.isFile()) out.push({ rel: child, stat: toFileStat(stat) });
      }
    }));
  };
  await walk('');
  return out;
}

function toFileStat(stat: { size: number; mtimeMs: number; ino: number }): FileStat {
  return { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino };
}
