/**
 * `compile` as a library call: the graph → the task plan → one target's documents → YAML text.
 */
import { basename } from 'node:path';
import type { PipelineGraph } from '../graph/graph.js';
import { compileArgo, argoHeader } from './argo.js';
import { compileKfp, kfpHeader } from './kfp.js';
import { planTasks, taskKubernetes, type CompileOptions, type CompilePlan, type CompileTarget } from './tasks.js';
import { yamlText } from './write.js';

export interface Compiled {
  readonly plan: CompilePlan;
  /** The YAML documents, in file order (KFP: the PipelineSpec, then the platform spec). */
  readonly documents: readonly unknown[];
  readonly text: string;
  /** What the target cannot carry, for the user to know (said on stderr by the CLI). */
  readonly notes: readonly string[];
}

export function compilePipeline(graph: PipelineGraph, target: CompileTarget, options: CompileOptions): Compiled {
  const plan = planTasks(graph);
  const source = basename(graph.declaration.file);
  if (target === 'kfp') {
    const { pipelineSpec, platformSpec } = compileKfp(plan, options);
    const documents = platformSpec ? [pipelineSpec, platformSpec] : [pipelineSpec];
    const accounts = [...new Set(plan.tasks.map((t) => taskKubernetes(t, options)?.serviceAccountName).filter((a) => a !== undefined))];
    const notes = accounts.length
      ? [`Kubeflow takes the service account when a run starts, not from the pipeline: start runs with ${accounts.join(' or ')} (the run form's service account, or service_account= in the KFP SDK)`]
      : [];
    return { plan, documents, text: yamlText(kfpHeader(plan, source, options), documents), notes };
  }
  const workflow = compileArgo(plan, options);
  return { plan, documents: [workflow], text: yamlText(argoHeader(source, options), [workflow]), notes: [] };
}

export { COMPILE_TARGETS, type CompileOptions, type CompileTarget } from './tasks.js';
