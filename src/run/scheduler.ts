/**
 * Runs the selected stages of a graph: each as soon as its upstream is done, up to `jobs` at once,
 * on the executor the stage asks for. Reports everything as events; never prints.
 *
 * This module is the ready queue: it counts each stage's unfinished upstream, starts a stage once
 * that is none (planning at most a few ahead of the free slots), and skips what is downstream of a
 * failure. One instance's run is instance-runner.ts, a custom generator's sweep generated-sweep.ts,
 * and what became of each instance outcomes.ts.
 */
import { mkdirSync } from 'node:fs';
import type { ExecutorKind } from '../define/stage.js';
import type { Executor } from '../executors/executor.js';
import type { StageCache } from '../cache/stage-cache.js';
import { ShellPool } from '../executors/shell-pool.js';
import type { PipelineGraph } from '../graph/graph.js';
import type { ResolvedStage } from '../graph/resolve.js';
import type { FailMode, RunEventListener, RunSummary, SkipReason, StageEdges } from './events.js';
import { withGeneratedDeps } from './collecting.js';
import { runGeneratedSweep } from './generated-sweep.js';
import { InstanceRunner } from './instance-runner.js';
import { Outcomes } from './outcomes.js';

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
  /** Stop a custom generator after this many points (dev mode tries one). */
  readonly generatedLimit?: number;
  /** GPU devices to hand out to stages that ask for them (`--gpus`); default none. */
  readonly gpus?: number;
}

// Other modules have always found the log file's name here.
export { logFileName } from './log-sink.js';

/** The run's DAG at the level of declared stages: a sweep's instances are one node. */
function stageEdges(graph: PipelineGraph, names: readonly string[]): StageEdges[] {
  const edges = new Map<string, Set<string>>();
  const taking = new Set(names);
  for (const name of names) {
    const node = graph.nodes.get(name)!;
    const upstream = edges.get(node.of) ?? new Set<string>();
    edges.set(node.of, upstream);
    for (const up of node.upstream) {
      const of = graph.nodes.get(up)?.of;
      if (of !== undefined && of !== node.of && taking.has(up)) upstream.add(of);
    }
  }
  return [...edges].map(([stage, upstream]) => ({ stage, upstream: [...upstream] }));
}

export async function runStages(options: SchedulerOptions): Promise<RunSummary> {
  const { graph, jobs, failMode, onEvent } = options;
  const started = Date.now();
  const stop = new AbortController();
  const onCancel = () => stop.abort(options.signal!.reason);
  options.signal?.addEventListener('abort', onCancel, { once: true });
  // Cancelled before the run began (Ctrl-C while the project loaded): no 'abort' event will come.
  if (options.signal?.aborted) onCancel();
  // Results are read by collecting stages and custom generators only.
  const readsResults = [...graph.nodes.values()].some((node) => node.generated || Object.keys(node.collects).length > 0);
  const outcomes = new Outcomes(onEvent, failMode, stop, readsResults);
  const runner = new InstanceRunner(options, outcomes, stop.signal);
  const runInstance = (instance: ResolvedStage) => runner.run(instance);
  mkdirSync(options.logDir, { recursive: true });
  ShellPool.removeLeftovers(options.logDir);

  // Dependency counting: each selected stage not yet started, with how many of its selected
  // upstream stages are not done yet. A stage leaves it when it starts or is skipped.
  const selected = new Set(options.stages);
  const waitingOn = new Map(options.stages.map((name) => [name, graph.nodes.get(name)!.upstream.filter((u) => selected.has(u)).length]));
  const ready: string[] = [];
  const running = new Set<string>();

  // A generated sweep's node is not an instance: its instances are announced as they are made.
  onEvent({ type: 'run-started', stages: options.stages.filter((name) => !graph.nodes.get(name)!.generated), jobs, failMode, graph: stageEdges(graph, options.stages) });
  const enqueue = (name: string) => {
    ready.push(name);
    const node = graph.nodes.get(name)!;
    if (!node.generated) onEvent({ type: 'queued', stage: name, of: node.of, params: node.params });
  };
  for (const [name, count] of waitingOn) if (count === 0) enqueue(name);

  /** Its upstream is done: each downstream stage waits on one fewer, and is ready at none. */
  const release = (name: string) => {
    for (const down of graph.nodes.get(name)!.downstream) {
      if (!waitingOn.has(down)) continue;
      const left = waitingOn.get(down)! - 1;
      waitingOn.set(down, left);
      if (left === 0) enqueue(down);
    }
  };
  const skip = (name: string, reason: SkipReason, because?: string) => {
    if (!waitingOn.has(name)) return;
    waitingOn.delete(name);
    const node = graph.nodes.get(name)!;
    if (node.generated) return;
    outcomes.skipped({ type: 'skipped', stage: name, reason, because, of: node.of, params: node.params });
  };
  /** Its outs are not there: nothing downstream of it can run, however far. */
  const skipDownstream = (name: string, because: string, reason: SkipReason = 'upstream-failed') => {
    for (const down of graph.nodes.get(name)!.downstream) {
      if (waitingOn.has(down)) {
        skip(down, reason, because);
        skipDownstream(down, because, reason);
      }
    }
  };

  const runOne = async (name: string, onSlot: () => void) => {
    const node = graph.nodes.get(name)!;
    waitingOn.delete(name);
    // A generated sweep holds no slot itself: its instances take them.
    if (node.generated) onSlot();
    const done = node.generated
      ? await runGeneratedSweep(node, { graph, jobs, failMode, logDir: options.logDir, onEvent, limit: options.generatedLimit, stop: stop.signal, outcomes, runInstance })
      : await runner.run(withGeneratedDeps(graph, outcomes, node), onSlot);
    if (done) release(name);
    else if (!stop.signal.aborted) skipDownstream(name, outcomes.lastFailed ?? name, outcomes.lastBlocked === name ? 'upstream-blocked' : 'upstream-failed');
  };

  // A ready stage is started (planned, then it waits for a command slot itself) while fewer than
  // AHEAD started stages are without a slot: started all at once, a thousand ready stages were all
  // planned before the first command could start, with every shell idle meanwhile. Thousands can
  // still be in flight: wake on each finish instead of racing all of them, which is quadratic.
  const AHEAD = 2 * jobs + 2;
  let ahead = 0;
  let finishedSinceLook = false;
  let wake: (() => void) | undefined;
  const finished = () => {
    finishedSinceLook = true;
    wake?.();
  };
  while (ready.length || running.size) {
    while (!stop.signal.aborted && ready.length && ahead < AHEAD) {
      const name = ready.shift()!;
      running.add(name);
      ahead++;
      let slotted = false;
      const onSlot = () => {
        if (slotted) return;
        slotted = true;
        ahead--;
        finished();
      };
      void runOne(name, onSlot).finally(() => {
        onSlot();
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
  const because = failMode === 'fail-fast' ? outcomes.firstFailed : undefined;
  for (const name of options.stages) if (waitingOn.has(name)) skip(name, 'cancelled', because);
  options.signal?.removeEventListener('abort', onCancel);

  const summary = outcomes.summary(options.signal?.aborted ?? false);
  onEvent({ type: 'run-finished', summary, durationMs: Date.now() - started });
  return summary;
}
