import { type Database } from '../native.js';
import type { FileHash } from './hash.js';
/**
 * What tells a file changed without reading it. mtime in milliseconds as a float keeps a fraction
 * of a microsecond; nanoseconds as a BigInt would cost a BigInt per stat, and a no-op run is
 * thousands of stats.
 */
export interface FileStat {
    readonly size: number;
    readonly mtimeMs: number;
    readonly ino: number;
}
export declare class StateDb {
    /** Shared with the run-cache, whose table lives in the same file. */
    readonly db: Database;
    private readonly upsert;
    private pending;
    /** Every record, read in one query on first use: one lookup per file would cost more than all. */
    private records;
    constructor(file: string);
    /** The recorded hash of `path`, if the file still has the size, mtime and inode it had then. */
    lookup(path: string, stat: FileStat): FileHash | undefined;
    private all;
    record(path: string, stat: FileStat, hash: FileHash): void;
    flush(): void;
    close(): void;
}
export declare function sameStat(a: FileStat, b: FileStat): boolean;
