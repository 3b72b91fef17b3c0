/**
 * `compile` as a library call: the graph → the task plan → one target's documents → YAML text.
 */
import { basename } from 'node:path';
import type { PipelineGraph } from '../graph/graph.js';
import { compileArgo, argoHeader } from './argo.js';
import { compileKfp, kfpHeader } from './kfp.js';
import { planTasks, projectDir, taskKubernetes, type CompileOptions, type CompilePlan, type CompileTarget } from './tasks.js';
import { yamlText } from './write.js';

export interface Compiled {
  readonly plan: CompilePlan;
  /** The YAML documents, in file order (KFP: the PipelineSpec, then the platform spec). */
  readonly documents: readonly unknown[];
  readonly text: string;
  /** What the target cannot carry, for the user to know (said on stderr by the CLI). */
  readonly notes: readonly string[];
}

export function compilePipeline(graph: PipelineGraph, target: CompileTarget, given: CompileOptions): Compiled {
  const plan = planTasks(graph);
  // A project whose paths reach above it runs in its sub-folder of the volume, which holds the ancestor.
  const options: CompileOptions = plan.subFolder ? { ...given, projectSubFolder: plan.subFolder } : given;
  const placement = plan.subFolder
    ? [`its paths reach above the project's folder: the ${given.volume ? 'volume' : 'image'} must hold the folder that contains ${plan.subFolder}, and tasks run in ${projectDir(options)}`]
    : [];
  const withPlacement = (header: string) => [header, ...placement.map((line) => `# Note: ${line}.`)].join('\n');
  const source = basename(graph.declaration.file);
  if (target === 'kfp') {
    const { pipelineSpec, platformSpec } = compileKfp(plan, options);
    const documents = platformSpec ? [pipelineSpec, platformSpec] : [pipelineSpec];
    const accounts = [...new Set(plan.tasks.map((t) => taskKubernetes(t, options)?.serviceAccountName).filter((a) => a !== undefined))];
    const notes = [...placement, ...accounts.length
      ? [`Kubeflow takes the service account when a run starts, not from the pipeline: start runs with ${accounts.join(' or ')} (the run form's service account, or service_account= in the KFP SDK)`]
      : []];
    return { plan, documents, text: yamlText(withPlacement(kfpHeader(plan, source, options)), documents), notes };
  }
  const workflow = compileArgo(plan, options);
  return { plan, documents: [workflow], text: yamlText(withPlacement(argoHeader(source, options)), [workflow]), notes: placement };
}

export { COMPILE_TARGETS, type CompileOptions, type CompileTarget } from './tasks.js';
