/** Which stage instances a push, pull or fetch is about: named stages, or all of this pipeline's. */
import { PipelineError, closestName } from '../errors.js';
import type { PipelineGraph } from '../graph/graph.js';

/** The declared stage an instance name belongs to: `train@lr=0.1` → `train`. */
const declaredOf = (instance: string): string => instance.split('@')[0]!;

/**
 * A test on instance names (of the lockfile and the run-cache). With no targets: every instance of
 * a stage this pipeline declares, including sweep points it no longer makes (a run-cache entry of
 * an earlier sweep still restores when those values come back). With targets: those stages, or
 * those instances, exactly; upstream stages are not implied (push what you name).
 */
export function stageFilter(graph: PipelineGraph, targets: readonly string[]): (instance: string) => boolean {
  const declared = new Set(graph.declaration.stages.map((s) => s.name));
  for (const target of targets) {
    if (!declared.has(target) && !graph.nodes.has(target) && !graph.sweeps.has(target)) {
      const known = [...new Set([...declared, ...graph.order])];
      const guess = closestName(target, known);
      throw new PipelineError('unknown-stage', `no stage named "${target}"`, { file: graph.declaration.file },
        guess ? `did you mean "${guess}"?` : `stages: ${[...declared].join(', ')}`);
    }
  }
  if (targets.length === 0) return (name) => declared.has(declaredOf(name));
  const wanted = new Set(targets);
  return (name) => wanted.has(name) || wanted.has(declaredOf(name));
}
