/**
 * What a collecting stage sees of the instances it collects during a run: their results as this
 * run left them (collected.ts is the same for a stage run on its own, from the lockfile), and a
 * custom generator's outs as deps, which the graph could not know before the run made them.
 */
import { declaredStage } from '../define/declaration.js';
import type { InstanceResult } from '../define/sweep.js';
import { withCollectedDeps, type GraphNode, type PipelineGraph } from '../graph/graph.js';
import { resolveStage, type ResolvedStage } from '../graph/resolve.js';
import type { Outcomes } from './outcomes.js';

/** For each key the stage collects under, the results of that stage's instances, in order. */
export function collectedOf(graph: PipelineGraph, outcomes: Outcomes, node: ResolvedStage): Record<string, InstanceResult[]> {
  const names = (of: string) => outcomes.generated.get(of) ?? graph.sweeps.get(of) ?? [of];
  return Object.fromEntries(Object.entries(node.collects).map(([key, of]) => [key, names(of).map((n) => outcomes.results.get(n)).filter((r) => r !== undefined)]));
}

/** A collecting stage of a generated sweep reads what it made: those outs join its deps now. */
export function withGeneratedDeps(graph: PipelineGraph, outcomes: Outcomes, node: GraphNode): ResolvedStage {
  const instances = Object.values(node.collects).flatMap((of) => {
    const producer = declaredStage(graph.declaration, of)!;
    return (outcomes.generated.get(of) ?? []).map((n) => outcomes.results.get(n)).filter((r) => r !== undefined && r.status !== 'failed')
      .map((r) => resolveStage(graph.declaration, producer, r!.params, { name: r!.name, values: r!.values }));
  });
  return instances.length ? withCollectedDeps(node, instances) : node;
}
