/**
 * Everything that happens during a run is one of these events. They are the only bridge from the
 * scheduler to the terminal, the store and the dashboard: the scheduler never prints.
 */
import type { MissingParam, Params } from '../define/declaration.js';
import type { ExecutorKind, Metrics } from '../define/stage.js';
import type { LockedOut } from '../cache/lockfile.js';
import type { BlockedDep } from '../cache/missing-deps.js';

/** What the cache knows of an instance's outs once it is done (absent when the run has no cache). */
export interface Recorded {
  readonly outs?: readonly LockedOut[];
  readonly fingerprint?: string;
}

/** Which declared stage an instance belongs to, and its resolved params. */
export interface InstanceInfo {
  /** The declared stage (a sweep's instances share it). */
  readonly of: string;
  readonly params: Params;
}

export type FailMode = 'keep-going' | 'fail-fast';

export type RunEvent =
  | RunStarted
  | StageQueued
  | StageStarted
  | StageLog
  | StageOutputFile
  | StageSucceeded
  | StageUpToDate
  | StageRestored
  | StageFailed
  | StageRetrying
  | StageSkipped
  | Warning
  | Note
  | RunFinished;

/** Something done on the way that the user may want to know (a dep linked in from DVC's cache). */
export interface Note {
  readonly type: 'note';
  readonly message: string;
}

/** Something the user should know that stops nothing (a stale lock taken over, a corrupt cache entry). */
export interface Warning {
  readonly type: 'warning';
  readonly message: string;
}

export interface RunStarted {
  readonly type: 'run-started';
  /** Selected stages in topological order. */
  readonly stages: readonly string[];
  readonly jobs: number;
  readonly failMode: FailMode;
  /** The declared stages taking part and the declared stages each reads from: the run's DAG. */
  readonly graph?: readonly StageEdges[];
}

export interface StageEdges {
  readonly stage: string;
  readonly upstream: readonly string[];
}

/** All of a stage's upstream is done: it waits only for a free slot. */
export interface StageQueued extends InstanceInfo {
  readonly type: 'queued';
  readonly stage: string;
}

export interface StageStarted {
  readonly type: 'started';
  readonly stage: string;
  readonly executor: ExecutorKind;
  readonly logPath: string;
  /** Why it runs (empty when the run has no cache to ask). */
  readonly reasons: readonly string[];
}

/** Nothing changed since its recorded run and its outs are intact: not run. */
export interface StageUpToDate extends Recorded {
  readonly type: 'up-to-date';
  readonly stage: string;
  readonly metrics?: Metrics;
}

/** Its outs were put back from the cache instead of running it. */
export interface StageRestored extends Recorded {
  readonly type: 'restored';
  readonly stage: string;
  /**
   * `lock`: its own recorded outs were missing or edited; `run-cache`: an earlier run had these
   * exact inputs; `dvc`: dvc.lock records DVC's run with these inputs, its outs came from DVC;
   * `remote`: the shared remote (`remote` names it) records a run with these inputs, made elsewhere.
   */
  readonly from: 'lock' | 'run-cache' | 'dvc' | 'remote';
  readonly remote?: string;
  readonly reasons: readonly string[];
  readonly metrics?: Metrics;
}

/**
 * Where a running stage's output is being written, when that is not its log file yet (a pooled
 * shell's scratch file, renamed to the log when the command ends): for following it live.
 */
export interface StageOutputFile {
  readonly type: 'output-file';
  readonly stage: string;
  readonly path: string;
}

/** One line a stage wrote to stdout or stderr (or through `ctx.log`). */
export interface StageLog {
  readonly type: 'log';
  readonly stage: string;
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
}

export interface StageSucceeded extends Recorded {
  readonly type: 'succeeded';
  readonly stage: string;
  readonly durationMs: number;
  /** The machine that ran it, when it was not this one (a distributed run's worker). */
  readonly host?: string;
  /** Metrics the stage returned or wrote to its metrics files. */
  readonly metrics?: Metrics;
}

export interface StageFailed {
  readonly type: 'failed';
  readonly stage: string;
  readonly durationMs: number;
  readonly error: { readonly message: string; readonly stack?: string };
  readonly logPath: string;
  /** It could not start: these deps are missing (it counts as failed; the pipeline is valid). */
  readonly blocked?: readonly BlockedDep[];
  /** It could not start: these params are missing from their files. */
  readonly blockedParams?: readonly MissingParam[];
}

/** An attempt failed and the stage's retry policy allows another, after a wait. */
export interface StageRetrying {
  readonly type: 'retrying';
  readonly stage: string;
  /** The attempt that failed (1 is the first), of how many allowed. */
  readonly attempt: number;
  readonly of: number;
  readonly error: string;
  readonly delayMs: number;
}

export type SkipReason = 'upstream-failed' | 'upstream-blocked' | 'cancelled';

export interface StageSkipped extends Partial<InstanceInfo> {
  readonly type: 'skipped';
  readonly stage: string;
  readonly reason: SkipReason;
  /** The failed stage that caused the skip, for `upstream-failed`. */
  readonly because?: string;
}

export interface RunSummary {
  /** Ran and succeeded. */
  readonly succeeded: readonly string[];
  readonly upToDate: readonly string[];
  readonly restored: readonly string[];
  /** Failed, or could not start (blocked: also in `blocked`). */
  readonly failed: readonly string[];
  /** Could not start for a missing dep. */
  readonly blocked: readonly string[];
  readonly skipped: readonly string[];
  readonly cancelled: boolean;
}

export interface RunFinished {
  readonly type: 'run-finished';
  readonly summary: RunSummary;
  readonly durationMs: number;
}

export type RunEventListener = (event: RunEvent) => void;
