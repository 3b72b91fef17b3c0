import type { LockedOut } from '../cache/lockfile.js';
import type { Params } from '../define/declaration.js';
import type { Metrics } from '../define/stage.js';
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';
/** ran, skipped (up to date), restored (from the cache), failed, or not-run (upstream failed, cancelled). */
export type InstanceStatus = 'ran' | 'skipped' | 'restored' | 'failed' | 'not-run';
export interface RunInfo {
    readonly name?: string;
    readonly argv: readonly string[];
    readonly gitCommit?: string;
    readonly gitDirty?: boolean;
    readonly host: string;
    readonly version?: string;
}
/** A run recorded in the journal, taken into the store when it is next opened. */
export interface DeferredRun {
    readonly info: RunInfo;
    readonly startedAt: number;
    readonly endedAt: number;
    readonly status: RunStatus;
    readonly counts: Record<string, number>;
    readonly instances: readonly InstanceRecord[];
    /** A kept no-op certificate whose stages are this run's instances, all up to date. */
    readonly instancesFrom?: string;
}
export interface RunRecord {
    readonly id: number;
    readonly name: string;
    readonly status: RunStatus | 'interrupted';
    readonly startedAt: number;
    readonly endedAt?: number;
    readonly gitCommit?: string;
    readonly gitDirty?: boolean;
    readonly host: string;
    readonly argv: readonly string[];
    readonly version?: string;
    readonly counts?: Readonly<Record<string, number>>;
}
export interface InstanceRecord {
    readonly name: string;
    /** The declared stage (a sweep's instances share it). */
    readonly stage: string;
    readonly params: Params;
    readonly status: InstanceStatus;
    readonly durationMs?: number;
    readonly metrics?: Metrics;
    readonly outs?: readonly LockedOut[];
    readonly fingerprint?: string;
    readonly logPath?: string;
    readonly error?: string;
}
/** A sweep in a run, in one line: `train: 60, f1 0.926–0.977`. */
export interface SweepSummary {
    readonly stage: string;
    readonly count: number;
    readonly metric?: string;
    readonly min?: number;
    readonly max?: number;
}
export interface QueueEntry {
    readonly id: number;
    readonly addedAt: number;
    readonly spec: QueueSpec;
    readonly status: 'queued' | 'running' | 'done' | 'failed';
    readonly runId?: number;
    readonly error?: string;
}
/** What a queued run will do: a version's overrides and/or `-S` specs, and its name. */
export interface QueueSpec {
    readonly version?: string;
    readonly overrides: readonly string[];
    readonly name?: string;
    readonly targets: readonly string[];
}
export declare class RunStore {
    readonly file: string;
    private readonly journal;
    private readonly db;
    private readonly insertInstance;
    /** `journal`: runs appended by cheap no-op runs, taken in on opening. */
    constructor(file: string, journal?: string);
    /** Takes in the runs of the journal. Renamed first, so that two processes never take one twice. */
    private takeJournal;
    private migrate;
    /** Records a run's start; its name is `info.name` or a fresh readable one. */
    startRun(info: RunInfo, startedAt?: number): RunRecord;
    finishRun(id: number, status: RunStatus, counts: Record<string, number>, git?: Pick<RunInfo, 'gitCommit' | 'gitDirty'>, endedAt?: number): void;
    /** Writes instance records in one transaction. */
    recordInstances(runId: number, records: readonly InstanceRecord[]): void;
    /** Newest first. */
    runs(limit?: number): RunRecord[];
    run(id: number): RunRecord | undefined;
    /**
     * A run by reference: its id (`12` or `#12`), its name, `last`, or `last~N` for the Nth before
     * it (git's spelling: a bare `~1` is the shell's). Throws a PipelineError naming what exists.
     */
    resolve(ref: string): RunRecord;
    /** A run's instances; only those of `stage` when given (a sweep's, say). */
    instances(runId: number, stage?: string): InstanceRecord[];
    /**
     * The instances that are a whole stage (not a sweep's points), for tables across runs: a sweep
     * of 10,000 instances costs nothing here.
     */
    stageInstances(runIds: readonly number[]): Map<number, InstanceRecord[]>;
    /**
     * Per swept stage of a run: how many instances, and the range of their first numeric metric
     * (computed in SQL, so a sweep of 10,000 costs two queries, not 10,000 rows).
     */
    sweepSummaries(runId: number): SweepSummary[];
    /** How many instances each stage had in each run, and how many of each status. */
    instanceCounts(runId: number): {
        stage: string;
        count: number;
    }[];
    removeRuns(ids: readonly number[]): number;
    enqueue(spec: QueueSpec): QueueEntry;
    queue(): QueueEntry[];
    /** Takes the oldest waiting entry (marking it running), or undefined when none waits. */
    takeQueued(): QueueEntry | undefined;
    finishQueued(id: number, status: 'done' | 'failed', runId: number | undefined, error?: string): void;
    close(): void;
    private freshName;
}
