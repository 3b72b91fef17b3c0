import { type PipelineDeclaration } from '../define/declaration.js';
import { type ResolvedStage } from '../graph/resolve.js';
import { type FingerprintParts } from './fingerprint.js';
import { type ContentHash, type ValueHash } from './hash.js';
import { LockfileWriter, type LockedOut, type LockEntry, type LockWarning } from './lockfile.js';
import type { LinkKind } from '../layout.js';
import { ObjectStore } from './object-store.js';
import { type Reason } from './reasons.js';
import { RunCache } from './run-cache.js';
export type Decision = {
    readonly action: 'skip';
    readonly entry: LockEntry;
    readonly reasons: readonly Reason[];
} | {
    readonly action: 'restore';
    readonly from: 'lock' | 'run-cache';
    readonly entry: LockEntry;
    readonly reasons: readonly Reason[];
} | {
    readonly action: 'run';
    readonly reasons: readonly Reason[];
} | {
    readonly action: 'fail';
    readonly message: string;
    readonly reasons: readonly Reason[];
};
export interface Plan {
    readonly decision: Decision;
    readonly parts: FingerprintParts;
    readonly fingerprint: ValueHash;
}
export interface PlanOptions {
    readonly force?: boolean;
    /** Hashes that paths will have once upstream restores are done (for `status`, which acts on nothing). */
    readonly expected?: ReadonlyMap<string, ContentHash>;
}
export interface StageCacheOptions {
    readonly links?: readonly LinkKind[];
    readonly warn?: LockWarning;
}
export declare class StageCache {
    private readonly pipeline;
    readonly store: ObjectStore;
    readonly lock: LockfileWriter;
    readonly runCache: RunCache;
    private readonly state;
    private readonly hasher;
    private readonly codes;
    private readonly warn;
    constructor(pipeline: PipelineDeclaration, options?: StageCacheOptions);
    plan(stage: ResolvedStage, options?: PlanOptions): Promise<Plan>;
    private decide;
    /** Outs of a recorded run that are no longer as recorded. */
    private outDamage;
    /**
     * Every out is in the store and intact: none uncached, none lost to gc, none changed in place
     * (a hardlinked out edited by root writes through to its object). A damaged object is removed,
     * with a warning, and counts as a miss.
     */
    private canRestore;
    /** Whether these outs' objects are all in the store with the content they were saved with. */
    intact(outs: readonly LockedOut[]): Promise<boolean>;
    /** Puts a recorded run's outs back into the workspace and records it as the stage's state. */
    restore(stage: ResolvedStage, plan: Plan & {
        decision: {
            action: 'restore';
        };
    }): Promise<void>;
    /** Called before a stage runs: whatever was hashed of its outs is stale from now on. */
    forgetOuts(stage: ResolvedStage): void;
    /** Records a run that just succeeded: outs hashed and stored, lockfile and run-cache written. */
    commit(stage: ResolvedStage, plan: Plan, returned?: Readonly<Record<string, unknown>>): Promise<LockEntry>;
    close(): void;
}
