/**
 * Runs the selected stages of a graph: each as soon as its upstream is done, up to `jobs` at once,
 * on the executor the stage asks for. Reports everything as events; never prints.
 */
import { setMaxListeners } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { declaredStage } from '../define/declaration.js';
import type { ExecutorKind, Metrics } from '../define/stage.js';
import { instanceName, type InstanceResult } from '../define/sweep.js';
import { addressOf, type ExecResultFrom, type Executor } from '../executors/executor.js';
import { describeReason } from '../cache/reasons.js';
import type { Plan, StageCache } from '../cache/stage-cache.js';
import { prepareOuts, readMetrics } from '../executors/exec-instance.js';
import { ShellPool } from '../executors/shell-pool.js';
import { MissingDeps } from '../cache/missing-deps.js';
import { withCollectedDeps, type GraphNode, type PipelineGraph } from '../graph/graph.js';
import { resolveStage, writtenPaths, type ResolvedStage } from '../graph/resolve.js';
import type { FailMode, RunEventListener, RunSummary, SkipReason, StageEdges } from './events.js';
import { Slots, UnsatisfiableClaim, type Held } from './slots.js';
import { withAttempts } from './attempts.js';
import { masker, secretValues } from './secrets.js';
import { formatDuration } from '../define/controls.js';
import { LogSink, logFileName } from './log-sink.js';

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
  const selected = new Set(options.stages);
  const waitingOn = new Map(options.stages.map((name) => [name, graph.nodes.get(name)!.upstream.filter((u) => selected.has(u)).length]));
  const ready: string[] = [];
  const running = new Set<string>();
  const succeeded: string[] = [];
  const upToDate: string[] = [];
  const restored: string[] = [];
  const failed: string[] = [];
  const blocked: string[] = [];
  const skipped: string[] = [];
  const missing = new MissingDeps(graph);
  const stop = new AbortController();
  // Every stage waiting for a slot, and every running one, listens to it.
  setMaxListeners(Infinity, stop.signal);
  const slots = new Slots(jobs, options.gpus ?? 0);
  const onCancel = () => stop.abort(options.signal!.reason);
  options.signal?.addEventListener('abort', onCancel, { once: true });
  mkdirSync(options.logDir, { recursive: true });
  ShellPool.removeLeftovers(options.logDir);

  // A generated sweep's node is not an instance: its instances are announced as they are made.
  onEvent({ type: 'run-started', stages: options.stages.filter((name) => !graph.nodes.get(name)!.generated), jobs, failMode, graph: stageEdges(graph, options.stages) });
  const enqueue = (name: string) => {
    ready.push(name);
    const node = graph.nodes.get(name)!;
    if (!node.generated) onEvent({ type: 'queued', stage: name, of: node.of, params: node.params });
  };
  for (const [name, count] of waitingOn) if (count === 0) enqueue(name);

  const skip = (name: string, reason: SkipReason, because?: string) => {
    if (!waitingOn.has(name)) return;
    waitingOn.delete(name);
    const node = graph.nodes.get(name)!;
    if (node.generated) return;
    skipped.push(name);
    onEvent({ type: 'skipped', stage: name, reason, because, of: node.of, params: node.params });
  };
  const skipDownstream = (name: string, because: string, reason: SkipReason = 'upstream-failed') => {
    for (const down of graph.nodes.get(name)!.downstream) {
      if (waitingOn.has(down)) {
        skip(down, reason, because);
        skipDownstream(down, because, reason);
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
  };

  /** What became of each instance, for collecting stages and custom generators. */
  const results = new Map<string, InstanceResult>();
  const generatedInstances = new Map<string, string[]>();
  const record = (node: ResolvedStage, status: InstanceResult['status'], metrics: Metrics | undefined) =>
    results.set(node.name, { name: node.name, params: node.params, values: node.values ?? {}, status, ...(metrics ? { metrics } : {}) });

  /**
   * Runs (or skips, or restores) one instance; true when its outs are there for what follows.
   * `onSlot` is told when it has its command slot.
   */
  const runInstance = async (node: ResolvedStage, onSlot?: () => void): Promise<boolean> => {
    const name = node.name;
    const root = graph.declaration.root;
    const logPath = join(options.logDir, logFileName(name));
    const t0 = Date.now();
    const failWith = (err: unknown) => {
      fail(name, err instanceof Error ? err : new Error(String(err)), Date.now() - t0, logPath);
      record(node, 'failed', undefined);
      return false;
    };
    // A dep that is not there and that no stage makes: the stage cannot start; say how to get it.
    const lacking = graph.nodes.get(name)?.missing?.length ? missing.blocked(name) : [];
    if (lacking.length) {
      failed.push(name);
      blocked.push(name);
      record(node, 'failed', undefined);
      const message = `blocked: ${lacking.map((d) => `dep ${d.path} missing (${d.help})`).join('; ')}`;
      onEvent({ type: 'failed', stage: name, durationMs: 0, error: { message }, logPath, blocked: lacking });
      if (failMode === 'fail-fast') stop.abort(new Error(`stage "${name}" is blocked`));
      return false;
    }
    let plan: Plan | undefined;
    if (options.cache) {
      try {
        plan = await options.cache.plan(node, { force: options.force?.(node.of) });
        const decision = plan.decision;
        if (decision.action === 'skip') {
          const metrics = readMetrics(root, node) ?? decision.entry.metrics;
          upToDate.push(name);
          record(node, 'skipped', metrics);
          onEvent({ type: 'up-to-date', stage: name, metrics, outs: decision.entry.outs, fingerprint: plan.fingerprint });
          return true;
        }
        if (decision.action === 'restore') {
          const entry = await options.cache.restore(node, { ...plan, decision });
          const metrics = readMetrics(root, node) ?? entry.metrics;
          restored.push(name);
          record(node, 'restored', metrics);
          onEvent({ type: 'restored', stage: name, from: decision.from, reasons: decision.reasons.map(describeReason), metrics, outs: entry.outs, fingerprint: plan.fingerprint });
          return true;
        }
        if (decision.action === 'fail') return failWith(new Error(decision.message));
        options.cache.forgetOuts(node);
      } catch (err) {
        return failWith(err);
      }
    }
    // What can be done before a command slot is, so that a freed slot starts the next command at
    // once: stale outs removed (a cmd stage run in this thread is not prepared again). The log
    // file is made only when something is printed (a new file per stage cost ~0.8 ms of CPU).
    try {
      prepareOuts(root, node);
    } catch (err) {
      return failWith(err);
    }
    let secrets: string[];
    try {
      secrets = secretValues(name, node.controls);
    } catch (err) {
      return failWith(err);
    }
    let held: Held;
    try {
      held = await slots.acquire(stop.signal, node.controls?.resources);
      onSlot?.();
    } catch (err) {
      if (err instanceof UnsatisfiableClaim) {
        onSlot?.();
        return failWith(new Error(`cannot run on this machine: ${err.message}`));
      }
      skipped.push(name);
      onEvent({ type: 'skipped', stage: name, reason: 'cancelled', because: failMode === 'fail-fast' ? failed[0] : undefined });
      return false;
    }
    // A command not streamed writes its log file itself; one with secrets goes through the log,
    // which masks them, and one with retries too, so that every attempt's output is kept.
    const commandWritesLog = options.streamOutput === false && node.kind === 'cmd' && secrets.length === 0 && !node.controls?.retry;
    const log = new LogSink(logPath, (stream, line) => onEvent({ type: 'log', stage: name, stream, line }), secrets.length ? masker(secrets) : undefined);
    onEvent({ type: 'started', stage: name, executor: node.executor, logPath, reasons: plan?.decision.reasons.map(describeReason) ?? [] });
    const executor = options.executorFor(node.executor);
    try {
      const result = await withAttempts({
        retry: node.controls?.retry,
        timeoutMs: node.controls?.timeoutMs,
        stop: stop.signal,
        attempt: (signal) => executor.execute({
          address: addressOf(graph.declaration.file, node, collectedOf(node)),
          kind: node.kind,
          output: (stream, text) => log.write(stream, text),
          signal,
          logFile: commandWritesLog ? logPath : undefined,
          ...(commandWritesLog ? { onOutputFile: (path: string) => onEvent({ type: 'output-file', stage: name, path }) } : {}),
          resolved: { stage: node, root },
          ...(held.devices.length ? { env: { CUDA_VISIBLE_DEVICES: held.devices.join(',') } } : {}),
          ...(plan ? { inputs: plan.parts.deps, planned: { fingerprint: plan.fingerprint, parts: plan.parts } } : {}),
        }),
        onRetry: (attempt, total, error, delayMs) => {
          log.note(`attempt ${attempt} of ${total} failed: ${error.message}; retrying in ${formatDuration(delayMs)}`);
          onEvent({ type: 'retrying', stage: name, attempt, of: total, error: error.message, delayMs });
          // Whatever the failed attempt left is removed, as before the first one.
          prepareOuts(root, node);
        },
      }).finally(held.release);
      await log.close();
      const entry = options.cache && plan ? await options.cache.commit(node, plan, result.metrics) : undefined;
      succeeded.push(name);
      record(node, 'ran', result.metrics);
      const host = (result as ExecResultFrom).host;
      onEvent({ type: 'succeeded', stage: name, durationMs: Date.now() - t0, metrics: result.metrics, outs: entry?.outs, fingerprint: plan?.fingerprint, ...(host ? { host } : {}) });
      return true;
    } catch (err) {
      await log.close();
      if (stop.signal.aborted && (err as Error).name === 'CancelledError') {
        skipped.push(name);
        onEvent({ type: 'skipped', stage: name, reason: 'cancelled' });
        return false;
      }
      return failWith(err);
    }
  };

  const collectedOf = (node: ResolvedStage) => {
    const names = (of: string) => generatedInstances.get(of) ?? graph.sweeps.get(of) ?? [of];
    return Object.fromEntries(Object.entries(node.collects).map(([key, of]) => [key, names(of).map((n) => results.get(n)).filter((r) => r !== undefined)]));
  };

  /**
   * A sweep with a custom generator: asks it for the next point whenever a slot could take one,
   * so that it sees every result finished before it answers.
   */
  const runGenerated = async (node: GraphNode): Promise<boolean> => {
    const declared = declaredStage(graph.declaration, node.of)!;
    const sweep = declared.sweep!;
    // The space as this run has it: a key set with -S is a fixed value, whatever is proposed for it.
    const space = node.space ?? sweep.space;
    const fixed = Object.fromEntries(Object.entries(space).flatMap(([k, e]) => (e.kind === 'value' ? [[k, e.value]] : [])));
    const seen: InstanceResult[] = [];
    const names: string[] = [];
    const made = new Set<string>();
    generatedInstances.set(node.of, names);
    const written = new Map<string, string>();
    const keys = Object.keys(space).filter((k) => space[k]!.kind !== 'value');
    // Named with 4 significant digits, more only when two different points would share a name.
    const pointOf = new Map<string, string>();
    const generatedName = (values: Record<string, unknown>): string => {
      const point = JSON.stringify(keys.map((k) => values[k]));
      for (const digits of [4, 6, 10, 17]) {
        const name = instanceName(node.of, keys, values, digits);
        const taken = pointOf.get(name);
        if (taken === undefined || taken === point) {
          pointOf.set(name, point);
          return name;
        }
      }
      return `${instanceName(node.of, keys, values, 17)}#${pointOf.size + 1}`;
    };
    const inFlight = new Set<Promise<void>>();
    let ok = true;
    const iterator = sweep.generate!(space, seen)[Symbol.asyncIterator]();
    try {
      while (!stop.signal.aborted) {
        while (inFlight.size >= jobs) await Promise.race(inFlight);
        if (names.length >= (options.generatedLimit ?? Infinity)) break;
        const next = await iterator.next();
        if (next.done) break;
        const values = { ...next.value, ...fixed };
        const name = generatedName(values);
        if (made.has(name)) {
          // A point proposed again is the same instance: it is not run twice, its result is told again.
          await Promise.all(inFlight);
          const earlier = results.get(name);
          if (earlier) seen.push(earlier);
          continue;
        }
        let instance: ResolvedStage;
        try {
          // The node's params hold the stage's defaults with this run's -S overrides applied.
          instance = resolveStage(graph.declaration, declared, declared.resolveParams({ ...node.params, ...values }), { name, values });
          for (const out of writtenPaths(instance)) {
            const other = written.get(out.path);
            if (other) throw new Error(`instances "${other}" and "${name}" both write "${out.path}": template the path with the swept params`);
            written.set(out.path, name);
          }
        } catch (err) {
          ok = false;
          fail(name, err instanceof Error ? err : new Error(String(err)), 0, join(options.logDir, logFileName(name)));
          if (failMode === 'fail-fast') break;
          continue;
        }
        names.push(name);
        made.add(name);
        onEvent({ type: 'queued', stage: name, of: node.of, params: instance.params });
        const running = runInstance(instance).then((done) => {
          ok &&= done;
          seen.push(results.get(name) ?? { name, params: instance.params, values, status: 'failed' });
          inFlight.delete(running);
        });
        inFlight.add(running);
      }
    } catch (err) {
      ok = false;
      fail(node.of, err instanceof Error ? err : new Error(String(err)), 0, join(options.logDir, logFileName(node.of)));
    } finally {
      await Promise.all(inFlight);
      await iterator.return?.();
    }
    return ok && !stop.signal.aborted;
  };

  const runOne = async (name: string, onSlot: () => void) => {
    const node = graph.nodes.get(name)!;
    waitingOn.delete(name);
    // A generated sweep holds no slot itself: its instances take them.
    if (node.generated) onSlot();
    const done = node.generated ? await runGenerated(node) : await runInstance(withGeneratedDeps(node), onSlot);
    if (done) release(name);
    else if (!stop.signal.aborted) skipDownstream(name, failed.at(-1) ?? name, blocked.at(-1) === name ? 'upstream-blocked' : 'upstream-failed');
  };

  /** A collecting stage of a generated sweep reads what it made: those outs join its deps now. */
  const withGeneratedDeps = (node: GraphNode): ResolvedStage => {
    const instances = Object.values(node.collects).flatMap((of) => {
      const producer = declaredStage(graph.declaration, of)!;
      return (generatedInstances.get(of) ?? []).map((n) => results.get(n)).filter((r) => r !== undefined && r.status !== 'failed')
        .map((r) => resolveStage(graph.declaration, producer, r!.params, { name: r!.name, values: r!.values }));
    });
    return instances.length ? withCollectedDeps(node, instances) : node;
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
  const because = failMode === 'fail-fast' && failed.length ? failed[0] : undefined;
  for (const name of options.stages) if (waitingOn.has(name)) skip(name, 'cancelled', because);
  options.signal?.removeEventListener('abort', onCancel);

  const summary: RunSummary = { succeeded, upToDate, restored, failed, blocked, skipped, cancelled: options.signal?.aborted ?? false };
  onEvent({ type: 'run-finished', summary, durationMs: Date.now() - started });
  return summary;
}
