import { type ContentHash, type DirHash, type FileHash } from './hash.js';
import type { StateDb } from './state.js';
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
export declare class WorkspaceHasher {
    private readonly root;
    private readonly state;
    /** Hashes already taken in this process; forgotten when a stage is about to write the path. */
    private readonly memo;
    constructor(root: string, state: StateDb);
    /** The hash of a root-relative path, or undefined if nothing is there. */
    hash(path: string): Promise<HashedPath | undefined>;
    /** Drops memoized hashes of `path` and of anything inside or above it. */
    forget(path: string): void;
    /** Every folder above a memoized path. */
    private readonly parents;
    private hashUncached;
    private hashAndRecord;
    private hashDir;
}
export declare function manifestHash(entries: readonly ManifestEntry[]): DirHash;
