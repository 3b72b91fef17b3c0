/**
 * Runs the selected stages of a graph: each as soon as its upstream is done, up to `jobs` at once,
 * on the executor the stage asks for. Reports everything as events; never prints.
 */
import { setMaxListeners } from 'node:events';
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { ExecutorKind } from '../define/stage.js';
import type { Executor, OutputStream } from '../executors/executor.js';
import { describeReason } from '../cache/reasons.js';
import type { Plan, StageCache } from '../cache/stage-cache.js';
import { prepareOuts, readMetrics, removePath } from '../executors/exec-instance.js';
import type { PipelineGraph } from '../graph/graph.js';
import type { FailMode, RunEventListener, RunSummary, SkipReason } from './events.js';
import { Slots } from './slots.js';

export interface SchedulerOptions {
  readonly graph: PipelineGraph;
  /** The stages to run, in topological order (see graph/select.ts). */
  readonly stages: readonly string[];
  readonly jobs: number;
  readonly failMode: FailMode;
  readonly executorFor: (kind: ExecutorKind) => Executor;
  /** Absolute folder for per-stage log files. */
  readonly logDir: string;
  readonly onEvent: RunEventListener;
  /** Aborting it cancels the run: running stages are stopped, nothing new starts. */
  readonly signal?: AbortSignal;
  /** Skips and restores unchanged stages and records finished ones; without it everything runs. */
  readonly cache?: StageCache;
  /** Stages to run even when up to date (`--force`). */
  readonly force?: (stage: string) => boolean;
  /**
   * Whether stage output is wanted line by line as `log` events (`-v`). When not, commands write
   * their log files directly, which is cheaper; default true.
   */
  readonly streamOutput?: boolean;
}

export function logFileName(stage: string): string {
  return `${stage.replace(/[^A-Za-z0-9_.@=,+-]/g, '_')}.log`;
}

export async function runStages(options: SchedulerOptions): Promise<RunSummary> {
  const { graph, jobs, failMode, onEvent } = options;
  const started = Date.now();
  const selected = new Set(options.stages);
  const waitingOn = new Map(options.stages.map((name) => [name, graph.nodes.get(name)!.upstream.filter((u) => selected.has(u)).length]));
  const ready: string[] = [];
  const running = new Set<string>();
  const succeeded: string[] = [];
  const upToDate: string[] = [];
  const restored: string[] = [];
  const failed: string[] = [];
  const skipped: string[] = [];
  const stop = new AbortController();
  // Every stage waiting for a slot, and every running one, listens to it.
  setMaxListeners(Infinity, stop.signal);
  const slots = new Slots(jobs);
  const onCancel = () => stop.abort(options.signal!.reason);
  options.signal?.addEventListener('abort', onCancel, { once: true });
  mkdirSync(options.logDir, { recursive: true });

  onEvent({ type: 'run-started', stages: options.stages, jobs, failMode });
  const enqueue = (name: string) => {
    ready.push(name);
    onEvent({ type: 'queued', stage: name });
  };
  for (const [name, count] of waitingOn) if (count === 0) enqueue(name);

  const skip = (name: string, reason: SkipReason, because?: string) => {
    if (!waitingOn.has(name)) return;
    waitingOn.delete(name);
    skipped.push(name);
    onEvent({ type: 'skipped', stage: name, reason, because });
  };
  const skipDownstream = (name: string, because: string) => {
    for (const down of graph.nodes.get(name)!.downstream) {
      if (waitingOn.has(down)) {
        skip(down, 'upstream-failed', because);
        skipDownstream(down, because);
      }
    }
  };

  const release = (name: string) => {
    for (const down of graph.nodes.get(name)!.downstream) {
      if (!waitingOn.has(down)) continue;
      const left = waitingOn.get(down)! - 1;
      waitingOn.set(down, left);
      if (left === 0) enqueue(down);
    }
  };
  const fail = (name: string, error: Error, durationMs: number, logPath: string) => {
    failed.push(name);
    onEvent({ type: 'failed', stage: name, durationMs, error: { message: error.message, stack: error.stack }, logPath });
    if (failMode === 'fail-fast') stop.abort(new Error(`stage "${name}" failed`));
    else skipDownstream(name, name);
  };

  const runOne = async (name: string) => {
    const node = graph.nodes.get(name)!;
    const root = graph.declaration.root;
    waitingOn.delete(name);
    const logPath = join(options.logDir, logFileName(name));
    const t0 = Date.now();
    let plan: Plan | undefined;
    if (options.cache) {
      try {
        plan = await options.cache.plan(node, { force: options.force?.(name) });
        const decision = plan.decision;
        if (decision.action === 'skip') {
          upToDate.push(name);
          onEvent({ type: 'up-to-date', stage: name, metrics: readMetrics(root, node) });
          release(name);
          return;
        }
        if (decision.action === 'restore') {
          await options.cache.restore(node, { ...plan, decision });
          restored.push(name);
          onEvent({ type: 'restored', stage: name, from: decision.from, reasons: decision.reasons.map(describeReason), metrics: readMetrics(root, node) });
          release(name);
          return;
        }
        if (decision.action === 'fail') {
          fail(name, new Error(decision.message), Date.now() - t0, logPath);
          return;
        }
        options.cache.forgetOuts(node);
      } catch (err) {
        fail(name, err instanceof Error ? err : new Error(String(err)), Date.now() - t0, logPath);
        return;
      }
    }
    // What can be done before a command slot is, so that a freed slot starts the next command at
    // once: stale outs removed (the exec path finds nothing left to remove), the log file made.
    try {
      prepareOuts(root, node);
      if (options.streamOutput === false) writeFileSync(logPath, '');
    } catch (err) {
      fail(name, err instanceof Error ? err : new Error(String(err)), Date.now() - t0, logPath);
      return;
    }
    let giveBack: () => void;
    try {
      giveBack = await slots.acquire(stop.signal);
    } catch {
      skipped.push(name);
      onEvent({ type: 'skipped', stage: name, reason: 'cancelled', because: failMode === 'fail-fast' ? failed[0] : undefined });
      return;
    }
    const log = new LogSink(logPath, (stream, line) => onEvent({ type: 'log', stage: name, stream, line }), options.streamOutput === false);
    onEvent({ type: 'started', stage: name, executor: node.executor, logPath, reasons: plan?.decision.reasons.map(describeReason) ?? [] });
    try {
      const result = await options.executorFor(node.executor).execute({
        address: { pipelineFile: graph.declaration.file, stage: name, params: node.params },
        kind: node.kind,
        output: (stream, text) => log.write(stream, text),
        signal: stop.signal,
        logFile: options.streamOutput === false ? logPath : undefined,
      }).finally(giveBack);
      await log.close();
      if (options.cache && plan) await options.cache.commit(node, plan);
      succeeded.push(name);
      onEvent({ type: 'succeeded', stage: name, durationMs: Date.now() - t0, metrics: result.metrics });
      release(name);
    } catch (err) {
      await log.close();
      if (stop.signal.aborted && (err as Error).name === 'CancelledError') {
        skipped.push(name);
        onEvent({ type: 'skipped', stage: name, reason: 'cancelled' });
        return;
      }
      fail(name, err instanceof Error ? err : new Error(String(err)), Date.now() - t0, logPath);
    }
  };

  // Every ready stage is started (it waits for a command slot itself), so thousands can be in
  // flight: wake on each finish instead of racing all of them each time, which is quadratic.
  let finishedSinceLook = false;
  let wake: (() => void) | undefined;
  const finished = () => {
    finishedSinceLook = true;
    wake?.();
  };
  while (ready.length || running.size) {
    while (!stop.signal.aborted && ready.length) {
      const name = ready.shift()!;
      running.add(name);
      void runOne(name).finally(() => {
        running.delete(name);
        finished();
      });
    }
    if (running.size === 0) break;
    if (!finishedSinceLook) await new Promise<void>((resolve) => (wake = resolve));
    finishedSinceLook = false;
    wake = undefined;
    if (stop.signal.aborted) ready.length = 0;
  }
  // Fail-fast or a cancel: whatever did not start is named, not silently dropped.
  const because = failMode === 'fail-fast' && failed.length ? failed[0] : undefined;
  for (const name of options.stages) if (waitingOn.has(name)) skip(name, 'cancelled', because);
  options.signal?.removeEventListener('abort', onCancel);

  const summary: RunSummary = { succeeded, upToDate, restored, failed, skipped, cancelled: options.signal?.aborted ?? false };
  onEvent({ type: 'run-finished', summary, durationMs: Date.now() - started });
  return summary;
}

/**
 * Writes a stage's output to its log file as it comes, and hands on whole lines. The file is made
 * on the first output (most small stages print nothing); the last run's log goes when the stage
 * starts, so a log never belongs to another run.
 */
class LogSink {
  private readonly partial: Record<OutputStream, string> = { stdout: '', stderr: '' };
  private file: WriteStream | undefined;

  constructor(private readonly path: string, private readonly onLine: (stream: OutputStream, line: string) => void, made: boolean) {
    if (!made) removePath(path);
  }

  write(stream: OutputStream, text: string): void {
    this.file ??= createWriteStream(this.path);
    this.file.write(text);
    const lines = (this.partial[stream] + text).split('\n');
    this.partial[stream] = lines.pop()!;
    for (const line of lines) this.onLine(stream, line);
  }

  close(): Promise<void> {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.onLine(stream, this.partial[stream]);
      this.partial[stream] = '';
    }
    return new Promise((resolve) => (this.file ? this.file.end(resolve) : resolve()));
  }
}
