/**
 * A sweep with a custom generator: its instances are not in the graph, they are made while the
 * run goes. The generator is asked for the next point whenever a slot could take one, so that it
 * sees every result finished before it answers.
 */
import { join } from 'node:path';
import { declaredStage } from '../define/declaration.js';
import { instanceName, type InstanceResult, type Space } from '../define/sweep.js';
import type { GraphNode, PipelineGraph } from '../graph/graph.js';
import { resolveStage, writtenPaths, type ResolvedStage } from '../graph/resolve.js';
import type { FailMode, RunEventListener } from './events.js';
import { logFileName } from './log-sink.js';
import type { Outcomes } from './outcomes.js';

export interface GeneratedSweepRun {
  readonly graph: PipelineGraph;
  /** How many of its instances may be in flight at once (`-j`). */
  readonly jobs: number;
  readonly failMode: FailMode;
  readonly logDir: string;
  readonly onEvent: RunEventListener;
  /** Stop after this many points (dev mode tries one). */
  readonly limit?: number;
  readonly stop: AbortSignal;
  readonly outcomes: Outcomes;
  /** Runs one instance it made (the InstanceRunner's `run`). */
  readonly runInstance: (instance: ResolvedStage) => Promise<boolean>;
}

/** Runs the sweep's instances as its generator proposes them; true when all of them succeeded. */
export async function runGeneratedSweep(node: GraphNode, run: GeneratedSweepRun): Promise<boolean> {
  const { graph, outcomes, stop } = run;
  const declared = declaredStage(graph.declaration, node.of)!;
  const sweep = declared.sweep!;
  // The space as this run has it: a key set with -S is a fixed value, whatever is proposed for it.
  const space = node.space ?? sweep.space;
  const fixed = Object.fromEntries(Object.entries(space).flatMap(([k, e]) => (e.kind === 'value' ? [[k, e.value]] : [])));
  const seen: InstanceResult[] = [];
  const names: string[] = [];
  const made = new Set<string>();
  outcomes.generated.set(node.of, names);
  const written = new Map<string, string>();
  const nameOf = pointNamer(node.of, space);
  const inFlight = new Set<Promise<void>>();
  let ok = true;
  const iterator = sweep.generate!(space, seen)[Symbol.asyncIterator]();
  try {
    while (!stop.aborted) {
      while (inFlight.size >= run.jobs) await Promise.race(inFlight);
      if (names.length >= (run.limit ?? Infinity)) break;
      const next = await iterator.next();
      if (next.done) break;
      const values = { ...next.value, ...fixed };
      const name = nameOf(values);
      if (made.has(name)) {
        // A point proposed again is the same instance: it is not run twice, its result is told again.
        await Promise.all(inFlight);
        const earlier = outcomes.results.get(name);
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
        outcomes.failed(name, err, 0, join(run.logDir, logFileName(name)));
        if (run.failMode === 'fail-fast') break;
        continue;
      }
      names.push(name);
      made.add(name);
      run.onEvent({ type: 'queued', stage: name, of: node.of, params: instance.params });
      const running = run.runInstance(instance).then((done) => {
        ok &&= done;
        seen.push(outcomes.results.get(name) ?? { name, params: instance.params, values, status: 'failed' });
        inFlight.delete(running);
      });
      inFlight.add(running);
    }
  } catch (err) {
    ok = false;
    outcomes.failed(node.of, err, 0, join(run.logDir, logFileName(node.of)));
  } finally {
    await Promise.all(inFlight);
    await iterator.return?.();
  }
  return ok && !stop.aborted;
}

/**
 * Names a proposed point's instance: with 4 significant digits, more only when two different
 * points would share a name, so that names stay short and never mix two points' results.
 */
function pointNamer(of: string, space: Space): (values: Record<string, unknown>) => string {
  const keys = Object.keys(space).filter((k) => space[k]!.kind !== 'value');
  const pointOf = new Map<string, string>();
  return (values) => {
    const point = JSON.stringify(keys.map((k) => values[k]));
    for (const digits of [4, 6, 10, 17]) {
      const name = instanceName(of, keys, values, digits);
      const taken = pointOf.get(name);
      if (taken === undefined || taken === point) {
        pointOf.set(name, point);
        return name;
      }
    }
    return `${instanceName(of, keys, values, 17)}#${pointOf.size + 1}`;
  };
}
