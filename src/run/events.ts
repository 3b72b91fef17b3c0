/**
 * Everything that happens during a run is one of these events. They are the only bridge from the
 * scheduler to the terminal, the store and the dashboard: the scheduler never prints.
 */
import type { ExecutorKind, Metrics } from '../define/stage.js';

export type FailMode = 'keep-going' | 'fail-fast';

export type RunEvent =
  | RunStarted
  | StageQueued
  | StageStarted
  | StageLog
  | StageSucceeded
  | StageFailed
  | StageSkipped
  | RunFinished;

export interface RunStarted {
  readonly type: 'run-started';
  /** Selected stages in topological order. */
  readonly stages: readonly string[];
  readonly jobs: number;
  readonly failMode: FailMode;
}

/** All of a stage's upstream is done: it waits only for a free slot. */
export interface StageQueued {
  readonly type: 'queued';
  readonly stage: string;
}

export interface StageStarted {
  readonly type: 'started';
  readonly stage: string;
  readonly executor: ExecutorKind;
  readonly logPath: string;
}

/** One line a stage wrote to stdout or stderr (or through `ctx.log`). */
export interface StageLog {
  readonly type: 'log';
  readonly stage: string;
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
}

export interface StageSucceeded {
  readonly type: 'succeeded';
  readonly stage: string;
  readonly durationMs: number;
  /** Metrics the stage returned or wrote to its metrics files. */
  readonly metrics?: Metrics;
}

export interface StageFailed {
  readonly type: 'failed';
  readonly stage: string;
  readonly durationMs: number;
  readonly error: { readonly message: string; readonly stack?: string };
  readonly logPath: string;
}

export type SkipReason = 'upstream-failed' | 'cancelled';

export interface StageSkipped {
  readonly type: 'skipped';
  readonly stage: string;
  readonly reason: SkipReason;
  /** The failed stage that caused the skip, for `upstream-failed`. */
  readonly because?: string;
}

export interface RunSummary {
  readonly succeeded: readonly string[];
  readonly failed: readonly string[];
  readonly skipped: readonly string[];
  readonly cancelled: boolean;
}

export interface RunFinished {
  readonly type: 'run-finished';
  readonly summary: RunSummary;
  readonly durationMs: number;
}

export type RunEventListener = (event: RunEvent) => void;
