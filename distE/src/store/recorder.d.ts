import type { RunEventListener } from '../run/events.js';
import type { RunInfo, RunStore } from './run-store.js';
/**
 * Where a run is recorded: straight into the store, or appended to the store's journal; a no-op's
 * instances may be left in a kept certificate (`instancesFrom`) rather than journaled row by row.
 */
export type RecordTarget = {
    readonly store: RunStore;
} | {
    readonly journal: string;
    readonly instancesFrom?: string;
};
export declare class RunRecorder {
    private readonly target;
    /** The run's id in the store; undefined for a journaled run, which gets one when taken in. */
    readonly runId: number | undefined;
    readonly runName: string | undefined;
    private readonly startedAt;
    private readonly info;
    private pending;
    private timer;
    private summary;
    /** Asked at the start, read at the end: `git status` on a big repository takes a while. */
    private readonly git;
    /** Params and stage of each instance, from its `queued` event until it is recorded. */
    private readonly known;
    constructor(target: RecordTarget, info: Omit<RunInfo, 'host' | 'gitCommit' | 'gitDirty'>, root: string);
    readonly onEvent: RunEventListener;
    private add;
    private flush;
    /** Writes what is left and the run's outcome (a run that ended by an error counts as failed). */
    close(): Promise<void>;
}
