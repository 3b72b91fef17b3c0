import type { RunRecord, RunStore, SweepSummary } from '../store/run-store.js';
export interface RunRow {
    readonly id: number;
    readonly name: string;
    readonly status: RunRecord['status'];
    readonly startedAt: number;
    readonly durationMs?: number;
    readonly gitCommit?: string;
    readonly gitDirty?: boolean;
    readonly version?: string;
    readonly counts?: Readonly<Record<string, number>>;
    /** `stage.param` → value, for params that differ between the runs listed. */
    readonly params: Readonly<Record<string, unknown>>;
    /** `stage.metric` → value. */
    readonly metrics: Readonly<Record<string, unknown>>;
    /** Each swept stage: its instance count and the range of its first metric. */
    readonly sweeps: readonly SweepSummary[];
}
export declare function runRows(store: RunStore, runs: readonly RunRecord[]): RunRow[];
export interface ValueChange {
    readonly instance: string;
    readonly key: string;
    readonly a: unknown;
    readonly b: unknown;
    /** b − a, for numbers. */
    readonly delta?: number;
}
export interface RunDiff {
    readonly a: {
        readonly id: number;
        readonly name: string;
    };
    readonly b: {
        readonly id: number;
        readonly name: string;
    };
    readonly params: readonly ValueChange[];
    readonly metrics: readonly ValueChange[];
    /** Instances only in b, and only in a. */
    readonly added: readonly string[];
    readonly removed: readonly string[];
}
/** What changed from run a to run b; `all` keeps unchanged metrics too (with delta 0). */
export declare function diffRuns(store: RunStore, a: RunRecord, b: RunRecord, options?: {
    all?: boolean;
}): RunDiff;
