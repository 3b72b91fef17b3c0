import type { Params } from '../define/declaration.js';
import type { ContentHash, FileHash, ValueHash } from './hash.js';
export interface LockedPath {
    readonly path: string;
    readonly hash: ContentHash;
}
export interface LockedOut extends LockedPath {
    readonly size: number;
    /** Files in a folder out; absent for a file. */
    readonly files?: number;
    /** False for `cache: false` outs: tracked, not stored. */
    readonly cache: boolean;
}
/** What a stage's code was: its command, or its TS source files. */
export type CodeIdentity = {
    readonly cmd: string;
    readonly template: string;
} | {
    readonly fn: FileHash;
    readonly files: Readonly<Record<string, FileHash>>;
};
export interface LockEntry {
    readonly fingerprint: ValueHash;
    readonly code: CodeIdentity;
    readonly params: Params;
    /** Deps and inputs, by path. */
    readonly deps: readonly LockedPath[];
    readonly outs: readonly LockedOut[];
    /** Metrics a TS stage returned without a metrics file to keep them in: remembered here. */
    readonly metrics?: Readonly<Record<string, unknown>>;
}
export interface Lockfile {
    readonly version: 1;
    readonly stages: Readonly<Record<string, LockEntry>>;
}
export type LockWarning = (message: string) => void;
export declare function readLockfile(root: string, warn: LockWarning): Record<string, LockEntry>;
/**
 * Keeps the lockfile's entries. Every finished instance is appended to a journal at once (one
 * small write, so a kill loses nothing finished); `pipewright.lock` itself is rewritten,
 * atomically, at most every `REWRITE_INTERVAL_MS` and when the run ends. Rewriting a 1,000-stage
 * lockfile after each of 1,000 stages would cost more than the stages.
 */
export declare class LockfileWriter {
    private readonly root;
    private readonly entries;
    private readonly texts;
    private journal;
    private pending;
    private lastWrite;
    private timer;
    constructor(root: string, entries: Record<string, LockEntry>);
    get(stage: string): LockEntry | undefined;
    set(stage: string, entry: LockEntry): void;
    all(): Readonly<Record<string, LockEntry>>;
    /** Rewrites pipewright.lock and its JSON snapshot now, then empties the journal. */
    flush(): void;
    close(): void;
}
