/**
 * What pipewright asks of a remote store, whatever it is: a flat space of keys ("objects/ab/cdef…",
 * "run-cache/….json") holding immutable blobs. Every write is atomic: a reader sees a key whole or
 * not at all, so two writers of the same content-addressed key can never leave it half written.
 * Backends know nothing of hashes: verification is transfer.ts's job, on every download.
 */
import type { RemoteLocation } from './url.js';

export interface RemoteBackend {
  readonly location: RemoteLocation;
  /** Fails with a PipelineError a user can act on when the remote cannot be used (no such folder or bucket, no access). */
  check(purpose: 'read' | 'write'): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Keys under a prefix ending in "/", in as few requests as the store allows (one per 1,000 keys on S3). */
  list(prefix: string): Promise<string[]>;
  /**
   * Every key under a prefix, at any depth, where one request answers for many keys (S3: 1,000):
   * a push of many objects asks this instead of one existence check each. Absent where an
   * existence check is cheap (a folder: one stat).
   */
  listDeep?(prefix: string): Promise<string[]>;
  /** Copies a local file to `key`, atomically. */
  upload(key: string, file: string, size: number): Promise<void>;
  write(key: string, bytes: Uint8Array): Promise<void>;
  /** Copies `key` to the local file `to`; false when there is no such key. */
  download(key: string, to: string): Promise<boolean>;
  /** The bytes of `key`, or undefined when there is no such key. */
  read(key: string): Promise<Buffer | undefined>;
  /** Removes keys; keys already gone are no error. */
  remove(keys: readonly string[]): Promise<void>;
  /** Requests made so far, by kind: the cost a command reports and tests check. */
  readonly requests: Readonly<Record<string, number>>;
  close(): void;
}

export async function openBackend(location: RemoteLocation): Promise<RemoteBackend> {
  if (location.kind === 'folder') {
    const { FolderBackend } = await import('./folder.js');
    return new FolderBackend(location);
  }
  // The AWS SDK is loaded only for an S3 remote: a folder remote never pays for it.
  const { S3Backend } = await import('./s3.js');
  return new S3Backend(location);
}
