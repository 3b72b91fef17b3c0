/**
 * Content hashes of files, folders and values. Files are hashed with xxh3-64 (napi, ~5 GB/s: the
 * read is the limit, not the hash); values (fingerprints) with xxh3-128 of canonical JSON. The
 * kinds are branded so that one cannot stand in for another.
 */
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { xxh3 } from '@node-rs/xxhash';

/** The hash of a file's bytes: 16 hex digits. */
export type FileHash = string & { readonly __brand: 'FileHash' };
/** The hash of a folder's manifest, ending in `.dir` as DVC's do. */
export type DirHash = string & { readonly __brand: 'DirHash' };
export type ContentHash = FileHash | DirHash;
/** The hash of a JSON value (a fingerprint, a code listing): 32 hex digits. */
export type ValueHash = string & { readonly __brand: 'ValueHash' };

export const isDirHash = (hash: ContentHash): hash is DirHash => hash.endsWith('.dir');

const CHUNK = 4 << 20;
const SYNC_READ_LIMIT = 256 << 10;
/** Files up to this size are read in one go; larger ones are streamed. */
const ONE_READ_LIMIT = 8 << 20;

export async function hashFile(path: string, size?: number): Promise<FileHash> {
  // A small file is read in one synchronous call: three async round trips would cost more.
  if (size !== undefined && size <= SYNC_READ_LIMIT) return hex64(xxh3.xxh64(readFileSync(path))) as FileHash;
  const handle = await open(path, 'r');
  try {
    const total = size ?? (await handle.stat()).size;
    if (total <= ONE_READ_LIMIT) {
      const buffer = Buffer.allocUnsafe(total);
      let read = 0;
      while (read < total) {
        const { bytesRead } = await handle.read(buffer, read, total - read, read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      return hex64(xxh3.xxh64(buffer.subarray(0, read))) as FileHash;
    }
    // Double-buffered: the next chunk is read (on libuv's thread pool) while this one is hashed
    // here, so the time is about the larger of the two rather than their sum.
    const state = xxh3.Xxh3.withSeed(0n);
    const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
    let turn = 0;
    let reading = handle.read(buffers[0]!, 0, CHUNK, null);
    for (;;) {
      const { bytesRead, buffer } = await reading;
      if (bytesRead === 0) break;
      turn ^= 1;
      reading = handle.read(buffers[turn]!, 0, CHUNK, null);
      state.update(bytesRead === CHUNK ? buffer : buffer.subarray(0, bytesRead));
    }
    return hex64(state.digest()) as FileHash;
  } finally {
    await handle.close();
  }
}

export function hashBytes(bytes: Uint8Array | string): FileHash {
  return hex64(xxh3.xxh64(bytes)) as FileHash;
}

export function hashValue(value: unknown): ValueHash {
  return xxh3.xxh128(canonicalJson(value)).toString(16).padStart(32, '0') as ValueHash;
}

/** JSON with object keys sorted, so equal values always hash alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v);
}

function hex64(n: bigint): string {
  return n.toString(16).padStart(16, '0');
}
