/**
 * DVC's hashes, computed only when a `dvc.lock` or `.dvc` entry asks for one (our own cache keeps
 * its own xxh3): the md5 of a file's bytes (DVC 3, `hash: md5`), DVC 2's md5 that reads CRLF as LF
 * in text files, and a folder's md5: the md5 of its `.dir` manifest as DVC serializes it, + `.dir`.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DvcHashKind } from '../define/dvc-files.js';

/**
 * DVC reads and hashes 1 MiB at a time. DVC 2's md5 decides once per file, on the first 512 bytes
 * of its first chunk, whether the file is text (dvc_data's HashStreamFile keeps that answer for every
 * later chunk); a text file's CRLF are read as LF chunk by chunk, so a CRLF split across two chunks
 * stays as it is.
 */
const CHUNK = 1 << 20;
const TEXT_PROBE = 512;

export function dvcFileMd5(abs: string, kind: DvcHashKind): string {
  const hash = createHash('md5');
  const fd = openSync(abs, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let text: boolean | undefined;
    for (;;) {
      let filled = 0;
      while (filled < CHUNK) {
        const n = readSync(fd, buffer, filled, CHUNK - filled, null);
        if (n === 0) break;
        filled += n;
      }
      if (filled === 0) break;
      const chunk = buffer.subarray(0, filled);
      text ??= kind === 'md5-dos2unix' && isTextBlock(chunk.subarray(0, TEXT_PROBE));
      hash.update(text ? dos2unix(chunk) : chunk);
      if (filled < CHUNK) break;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** DVC's guess: no NUL byte, and at most 30% of bytes outside printable ASCII and \n\r\t\f\b. */
export function isTextBlock(block: Uint8Array): boolean {
  if (block.length === 0) return true;
  let nontext = 0;
  for (const byte of block) {
    if (byte === 0) return false;
    const text = (byte >= 32 && byte < 127) || byte === 10 || byte === 13 || byte === 9 || byte === 12 || byte === 8;
    if (!text) nontext++;
  }
  return nontext / block.length <= 0.3;
}

function dos2unix(chunk: Buffer): Buffer {
  const out = Buffer.allocUnsafe(chunk.length);
  let n = 0;
  for (let i = 0; i < chunk.length; i++) {
    if (chunk[i] === 13 && chunk[i + 1] === 10) continue;
    out[n++] = chunk[i]!;
  }
  return out.subarray(0, n);
}

export interface DvcManifestEntry {
  readonly md5: string;
  readonly relpath: string;
}

/** A folder's md5 as DVC computes it: every file's md5, listed by path, serialized as DVC does. */
export function dvcDirMd5(abs: string, kind: DvcHashKind): string {
  const entries = listFiles(abs).map((relpath) => ({ md5: dvcFileMd5(join(abs, relpath), kind), relpath }));
  return manifestMd5(entries);
}

export function manifestMd5(entries: readonly DvcManifestEntry[]): string {
  return `${createHash('md5').update(manifestBytes(entries)).digest('hex')}.dir`;
}

/**
 * Python's `json.dumps(sorted list, sort_keys=True)`: `", "` and `": "` as separators and every
 * character past ASCII escaped, so that the bytes, and so the md5, are DVC's.
 */
export function manifestBytes(entries: readonly DvcManifestEntry[]): string {
  const text = (s: string) => JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const sorted = [...entries].sort((a, b) => (a.relpath < b.relpath ? -1 : a.relpath > b.relpath ? 1 : 0));
  return `[${sorted.map((e) => `{"md5": ${text(e.md5)}, "relpath": ${text(e.relpath)}}`).join(', ')}]`;
}

/** md5 of a file or folder at `abs`, DVC's way; undefined when nothing is there. */
export function dvcMd5(abs: string, kind: DvcHashKind): string | undefined {
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    return undefined;
  }
  return isDir ? dvcDirMd5(abs, kind) : dvcFileMd5(abs, kind);
}

function listFiles(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(dir, rel));
    else if (entry.isFile()) files.push(rel);
  }
  return files;
}
