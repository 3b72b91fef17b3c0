/**
 * `compile` as a library call: the graph → the task plan → one target's documents → YAML text.
 */
import { basename } from 'node:path';
import type { PipelineGraph } from '../graph/graph.js';
import { compileArgo, argoHeader } from './argo.js';
import { compileKfp, kfpHeader } from './kfp.js';
import { planTasks, type CompileOptions, type CompilePlan, type CompileTarget } from './tasks.js';
import { yamlText } from './write.js';

export interface Compiled {
  readonly plan: CompilePlan;
  /** The YAML documents, in file order (KFP: the PipelineSpec, then the platform spec). */
  readonly documents: readonly unknown[];
  readonly text: string;
}

export function compilePipeline(graph: PipelineGraph, target: CompileTarget, options: CompileOptions): Compiled {
  const plan = planTasks(graph);
  const source = basename(graph.declaration.file);
  if (target === 'kfp') {
    const { pipelineSpec, platformSpec } = compileKfp(plan, options);
    const documents = platformSpec ? [pipelineSpec, platformSpec] : [pipelineSpec];
    return { plan, documents, text: yamlText(kfpHeader(plan, source, options), documents) };
  }
  const workflow = compileArgo(plan, options);
  return { plan, documents: [workflow], text: yamlText(argoHeader(source, options), [workflow]) };
}

export { COMPILE_TARGETS, type CompileOptions, type CompileTarget } from './tasks.js';
