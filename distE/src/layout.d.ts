export declare const STATE_DIR = ".pipewright";
/** The lockfile, beside the pipeline file: meant to be committed. */
export declare const LOCKFILE = "pipewright.lock";
/** How cached outs are put into the workspace, tried in the order given. */
export type LinkKind = 'reflink' | 'hardlink' | 'copy';
export declare const LINK_KINDS: readonly LinkKind[];
export declare const RUNS_JOURNAL = "runs.pending.jsonl";
export declare const layout: (root: string) => {
    state: string;
    logs: string;
    cache: string;
    tmp: string;
    stateDb: string;
    workspaceLock: string;
    lockSnapshot: string;
    lockJournal: string;
    upToDate: string;
    runsDb: string;
    /** No-op runs recorded cheaply, taken into runs.db when it is next opened. */
    runsJournal: string;
    plots: string;
};
