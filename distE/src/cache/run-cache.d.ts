/**
 * The run-cache: every fingerprint a stage instance ever ran with, and the outs it made. A
 * fingerprint seen before has its outs restored instead of re-running, so switching params back
 * and forth costs nothing. A table of the state database: one insert per finished instance, atomic
 * as SQLite makes it, instead of a file written aside and renamed.
 */
import type { Database } from '../native.js';
import type { ValueHash } from './hash.js';
import type { LockEntry, LockWarning } from './lockfile.js';
export interface RunCacheEntry {
    readonly stage: string;
    readonly entry: LockEntry;
}
export declare class RunCache {
    private readonly db;
    private readonly warn;
    private readonly select;
    private readonly insert;
    private readonly delete;
    private readonly pending;
    private lastFlush;
    constructor(db: Database, warn: LockWarning);
    get(fingerprint: ValueHash): RunCacheEntry | undefined;
    /**
     * Queued, and written in one transaction by `flush` (at most every half second and at the end):
     * an entry lost to a crash only means that run is not restorable later, never a wrong restore.
     */
    put(stage: string, entry: LockEntry): void;
    flush(): void;
    /** Every entry, for gc. */
    all(): RunCacheEntry[];
    remove(fingerprint: ValueHash): void;
}
