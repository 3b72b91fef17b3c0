/**
 * What became of each instance of a run, told once: the run summary's lists, the results that
 * collecting stages and custom generators read, and the event that reports it. Every outcome goes
 * through here, so the summary, the results and the events cannot disagree.
 *
 * Each method takes the event as its caller built it (and sends exactly that): the caller knows
 * the event's content, this module what an outcome entails besides.
 */
import type { InstanceResult } from '../define/sweep.js';
import type { ResolvedStage } from '../graph/resolve.js';
import type { FailMode, RunEventListener, RunSummary, StageFailed, StageRestored, StageSkipped, StageSucceeded, StageUpToDate } from './events.js';

export class Outcomes {
  private readonly succeededNames: string[] = [];
  private readonly upToDateNames: string[] = [];
  private readonly restoredNames: string[] = [];
  private readonly failedNames: string[] = [];
  private readonly blockedNames: string[] = [];
  private readonly skippedNames: string[] = [];
  /**
   * What became of each instance, for collecting stages and custom generators; kept only when
   * the run has one (`keepResults`): a 100,000-instance sweep with neither held 15 MB of them.
   */
  readonly results = new Map<string, InstanceResult>();
  /** The instances each custom generator made, in order, by the declared stage. */
  readonly generated = new Map<string, string[]>();

  /** `stop`: aborted by the first failure when the run fails fast. */
  constructor(private readonly onEvent: RunEventListener, private readonly failMode: FailMode, private readonly stop: AbortController,
    private readonly keepResults = true) {}

  /** The first instance that failed: what a fail-fast run's cancelled stages were stopped by. */
  get firstFailed(): string | undefined {
    return this.failedNames[0];
  }

  /** The latest failure: what a failed instance's downstream is skipped because of. */
  get lastFailed(): string | undefined {
    return this.failedNames.at(-1);
  }

  /** The latest instance that could not start: its downstream is skipped as `upstream-blocked`. */
  get lastBlocked(): string | undefined {
    return this.blockedNames.at(-1);
  }

  upToDate(node: ResolvedStage, event: StageUpToDate): void {
    this.upToDateNames.push(node.name);
    this.record(node, 'skipped', event.metrics);
    this.onEvent(event);
  }

  restored(node: ResolvedStage, event: StageRestored): void {
    this.restoredNames.push(node.name);
    this.record(node, 'restored', event.metrics);
    this.onEvent(event);
  }

  succeeded(node: ResolvedStage, event: StageSucceeded): void {
    this.succeededNames.push(node.name);
    this.record(node, 'ran', event.metrics);
    this.onEvent(event);
  }

  /**
   * A stage (or a generator, or a point it proposed) that failed; a fail-fast run stops here.
   * An instance's result is recorded by `failedInstance`.
   */
  failed(name: string, err: unknown, durationMs: number, logPath: string): void {
    const error = err instanceof Error ? err : new Error(String(err));
    this.failedNames.push(name);
    this.onEvent({ type: 'failed', stage: name, durationMs, error: { message: error.message, stack: error.stack }, logPath });
    if (this.failMode === 'fail-fast') this.stop.abort(new Error(`stage "${name}" failed`));
  }

  failedInstance(node: ResolvedStage, err: unknown, durationMs: number, logPath: string): void {
    this.failed(node.name, err, durationMs, logPath);
    this.record(node, 'failed', undefined);
  }

  /** It could not start for a missing dep: failed, and also counted as blocked. */
  blocked(node: ResolvedStage, event: StageFailed): void {
    this.failedNames.push(node.name);
    this.blockedNames.push(node.name);
    this.record(node, 'failed', undefined);
    this.onEvent(event);
    if (this.failMode === 'fail-fast') this.stop.abort(new Error(`stage "${node.name}" is blocked`));
  }

  skipped(event: StageSkipped): void {
    this.skippedNames.push(event.stage);
    this.onEvent(event);
  }

  summary(cancelled: boolean): RunSummary {
    return {
      succeeded: this.succeededNames,
      upToDate: this.upToDateNames,
      restored: this.restoredNames,
      failed: this.failedNames,
      blocked: this.blockedNames,
      skipped: this.skippedNames,
      cancelled,
    };
  }

  private record(node: ResolvedStage, status: InstanceResult['status'], metrics: InstanceResult['metrics']): void {
    if (!this.keepResults) return;
    this.results.set(node.name, { name: node.name, params: node.params, values: node.values ?? {}, status, ...(metrics ? { metrics } : {}) });
  }
}
