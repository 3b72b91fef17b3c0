/**
 * One instance, from ready to done: can it start (its deps are there), must it run (the cache's
 * plan: skip, restore, fail or run), its outs prepared and secrets read, a slot (and its
 * resources) acquired, the executor called for each attempt, and the result committed to the
 * cache. Every way this ends is told to the run's Outcomes.
 *
 * This is the per-stage hot path of a thousand-stage run: each step here costs per stage, so it
 * keeps to the awaits it needs (plan, slot, attempts, log, commit) and does the rest in line.
 */
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { describeReason, paramMissing } from '../cache/reasons.js';
import { MissingDeps } from '../cache/missing-deps.js';
import type { Plan } from '../cache/stage-cache.js';
import { formatDuration } from '../define/controls.js';
import { prepareOuts, readMetrics } from '../executors/exec-instance.js';
import { addressOf, type ExecResultFrom, type Executor } from '../executors/executor.js';
import type { PipelineGraph } from '../graph/graph.js';
import type { ResolvedStage } from '../graph/resolve.js';
import { withAttempts } from './attempts.js';
import { collectedOf } from './collecting.js';
import { LogSink, logFileName } from './log-sink.js';
import type { Outcomes } from './outcomes.js';
import type { SchedulerOptions } from './scheduler.js';
import { masker, secretValues } from './secrets.js';
import { Slots, UnsatisfiableClaim, type Held } from './slots.js';

/** What running an instance needs of the run's options. */
export type InstanceRunnerOptions = Pick<SchedulerOptions, 'graph' | 'failMode' | 'executorFor' | 'logDir' | 'onEvent' | 'cache' | 'force' | 'streamOutput' | 'jobs' | 'gpus'>;

export class InstanceRunner {
  private readonly graph: PipelineGraph;
  private readonly root: string;
  private readonly missing: MissingDeps;
  /** The slots of `-j` and the GPU devices, shared by every instance of the run. */
  private readonly slots: Slots;

  /** `stop`: the run's cancel (a fail-fast failure, Ctrl-C); an instance waiting for a slot or running listens to it. */
  constructor(private readonly options: InstanceRunnerOptions, private readonly outcomes: Outcomes, private readonly stop: AbortSignal) {
    this.graph = options.graph;
    this.root = options.graph.declaration.root;
    this.missing = new MissingDeps(options.graph);
    this.slots = new Slots(options.jobs, options.gpus ?? 0);
    // Every stage waiting for a slot, and every running one, listens to it.
    setMaxListeners(Infinity, stop);
  }

  /**
   * Runs (or skips, or restores) one instance; true when its outs are there for what follows.
   * `onSlot` is told when it has its command slot, or will never need one.
   */
  async run(node: ResolvedStage, onSlot?: () => void): Promise<boolean> {
    const { cache, onEvent } = this.options;
    const name = node.name;
    const logPath = join(this.options.logDir, logFileName(name));
    const t0 = Date.now();
    if (this.isBlocked(node, logPath)) return false;

    let plan: Plan | undefined;
    if (cache) {
      try {
        plan = await cache.plan(node, { force: this.options.force?.(node.of) });
        const decision = plan.decision;
        if (decision.action === 'skip') {
          const metrics = readMetrics(this.root, node) ?? decision.entry.metrics;
          this.outcomes.upToDate(node, { type: 'up-to-date', stage: name, metrics, outs: decision.entry.outs, fingerprint: plan.fingerprint });
          return true;
        }
        if (decision.action === 'restore') {
          const entry = await cache.restore(node, { ...plan, decision });
          const metrics = readMetrics(this.root, node) ?? entry.metrics;
          this.outcomes.restored(node, { type: 'restored', stage: name, from: decision.from, ...(decision.from === 'remote' ? { remote: decision.remote } : {}), reasons: decision.reasons.map(describeReason), metrics, outs: entry.outs, fingerprint: plan.fingerprint });
          return true;
        }
        if (decision.action === 'fail') return this.failed(node, new Error(decision.message), t0, logPath);
        cache.forgetOuts(node);
      } catch (err) {
        return this.failed(node, err, t0, logPath);
      }
    }

    // What can be done before a command slot is, so that a freed slot starts the next command at
    // once: stale outs removed (a cmd stage run in this thread is not prepared again). The log
    // file is made only when something is printed (a new file per stage cost ~0.8 ms of CPU).
    let secrets: string[];
    try {
      prepareOuts(this.root, node);
      secrets = secretValues(name, node.controls);
    } catch (err) {
      return this.failed(node, err, t0, logPath);
    }

    let held: Held;
    try {
      held = await this.slots.acquire(this.stop, node.controls?.resources);
      onSlot?.();
    } catch (err) {
      if (err instanceof UnsatisfiableClaim) {
        onSlot?.();
        return this.failed(node, new Error(`cannot run on this machine: ${err.message}`), t0, logPath);
      }
      this.outcomes.skipped({ type: 'skipped', stage: name, reason: 'cancelled', because: this.options.failMode === 'fail-fast' ? this.outcomes.firstFailed : undefined });
      return false;
    }

    // A command not streamed writes its log file itself; one with secrets goes through the log,
    // which masks them, and one with retries too, so that every attempt's output is kept.
    const commandWritesLog = this.options.streamOutput === false && node.kind === 'cmd' && secrets.length === 0 && !node.controls?.retry;
    const log = new LogSink(logPath, (stream, line) => onEvent({ type: 'log', stage: name, stream, line }), secrets.length ? masker(secrets) : undefined);
    onEvent({ type: 'started', stage: name, executor: node.executor, logPath, reasons: plan?.decision.reasons.map(describeReason) ?? [] });
    const executor = this.options.executorFor(node.executor);
    try {
      const result = await this.attempts(executor, node, plan, held, log, commandWritesLog ? logPath : undefined).finally(held.release);
      await log.close();
      const entry = cache && plan ? await cache.commit(node, plan, result.metrics) : undefined;
      const host = (result as ExecResultFrom).host;
      this.outcomes.succeeded(node, { type: 'succeeded', stage: name, durationMs: Date.now() - t0, metrics: result.metrics, outs: entry?.outs, fingerprint: plan?.fingerprint, ...(host ? { host } : {}) });
      return true;
    } catch (err) {
      await log.close();
      // Stopped by the run's cancel, not failed by itself: it is named, as skipped.
      if (this.stop.aborted && (err as Error).name === 'CancelledError') {
        this.outcomes.skipped({ type: 'skipped', stage: name, reason: 'cancelled' });
        return false;
      }
      return this.failed(node, err, t0, logPath);
    }
  }

  /** A dep that is not there and that no stage makes: the stage cannot start; say how to get it. */
  private isBlocked(node: ResolvedStage, logPath: string): boolean {
    const name = node.name;
    const lacking = this.graph.nodes.get(name)?.missing?.length ? this.missing.blocked(name) : [];
    const params = node.missingParams ?? [];
    if (!lacking.length && !params.length) return false;
    const message = `blocked: ${[...lacking.map((d) => `dep ${d.path} missing (${d.help})`), ...params.map((p) => describeReason(paramMissing(p)))].join('; ')}`;
    this.outcomes.blocked(node, { type: 'failed', stage: name, durationMs: 0, error: { message }, logPath, blocked: lacking, ...(params.length ? { blockedParams: params } : {}) });
    return true;
  }

  /**
   * The executor called once per attempt, under the stage's retry policy and timeout.
   * `logFile`: where a command writes its own log (see `commandWritesLog`), else its output comes
   * back through `log`.
   */
  private attempts(executor: Executor, node: ResolvedStage, plan: Plan | undefined, held: Held, log: LogSink, logFile: string | undefined) {
    const { onEvent } = this.options;
    const name = node.name;
    return withAttempts({
      retry: node.controls?.retry,
      timeoutMs: node.controls?.timeoutMs,
      stop: this.stop,
      attempt: (signal) => executor.execute({
        address: addressOf(this.graph.declaration.file, node, collectedOf(this.graph, this.outcomes, node)),
        kind: node.kind,
        output: (stream, text) => log.write(stream, text),
        signal,
        logFile,
        ...(logFile ? { onOutputFile: (path: string) => onEvent({ type: 'output-file', stage: name, path }) } : {}),
        resolved: { stage: node, root: this.root },
        ...(held.devices.length ? { env: { CUDA_VISIBLE_DEVICES: held.devices.join(',') } } : {}),
        ...(plan ? { inputs: plan.parts.deps, planned: { fingerprint: plan.fingerprint, parts: plan.parts } } : {}),
        ...(this.options.cache?.consultsShared || plan?.decision.reasons.some((r) => r.kind === 'forced' || r.kind === 'always-changed') ? { sharedLookupDone: true } : {}),
      }),
      onRetry: (attempt, total, error, delayMs) => {
        log.note(`attempt ${attempt} of ${total} failed: ${error.message}; retrying in ${formatDuration(delayMs)}`);
        onEvent({ type: 'retrying', stage: name, attempt, of: total, error: error.message, delayMs });
        // Whatever the failed attempt left is removed, as before the first one.
        prepareOuts(this.root, node);
      },
    });
  }

  /** Fails the instance (see Outcomes.failed); false, for `run` to return. */
  private failed(node: ResolvedStage, err: unknown, t0: number, logPath: string): false {
    this.outcomes.failedInstance(node, err, Date.now() - t0, logPath);
    return false;
  }
}
