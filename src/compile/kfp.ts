/**
 * The plan as a Kubeflow Pipelines v2 PipelineSpec (schemaVersion 2.1.0), shaped as KFP's own
 * compiler writes it (see shared/reference/kfp/), plus the kfp-kubernetes platform spec as the
 * second YAML document: the workspace volume, secrets as env vars, timeouts.
 *
 * One builder per part, as KFP's pipeline_spec_builder has them; `compileKfp` only assembles.
 * Tasks that differ only by the instance they run share one component and executor, which take
 * the instance as an input (shared-templates.ts).
 */
import { METRICS_ARTIFACT_TYPE, METRICS_OUTPUT } from './kfp-metrics.js';
import { sharedTemplates } from './shared-templates.js';
import {
  PIPEWRIGHT_COMMAND, execArgs, taskKubernetes, memoryQuantity, secretRef, taskSecrets, whereOutsTravel, wholeGpus, type CompileOptions, type CompilePlan, type PipelineParam, type TaskPlan,
} from './tasks.js';

type Json = Record<string, unknown>;

export interface KfpDocuments {
  readonly pipelineSpec: Json;
  /** `platforms.kubernetes`: absent when no executor needs anything of Kubernetes. */
  readonly platformSpec?: Json;
}

/** The input of a loop's (or a shared) component: the instance's name. */
const INSTANCE_INPUT = 'instance';
const channel = (name: string) => `pipelinechannel--${name}`;

export function compileKfp(plan: CompilePlan, options: CompileOptions): KfpDocuments {
  const components: Json = {};
  const executors: Json = {};
  const platformExecutors: Json = {};
  const rootTasks: Json = {};
  const shared = sharedTemplates(plan.tasks, (task) => ({ container: containerSpec(task, options, placeholder(INSTANCE_INPUT)), kubernetes: kubernetesConfig(task, options) }));
  for (const task of plan.tasks) {
    const template = shared.of(task);
    const owner = template.shared ? template.owner : task;
    const component = `comp-${owner.name}`;
    const executor = `exec-${owner.name}`;
    if (owner === task) {
      components[component] = {
        executorLabel: executor, ...inputDefinitions(task.params, template.shared),
        ...(task.metrics ? { outputDefinitions: { artifacts: { [METRICS_OUTPUT]: { artifactType: { ...METRICS_ARTIFACT_TYPE } } } } } : {}),
      };
      executors[executor] = { container: template.shared ? template.body.container : containerSpec(task, options, task.instances[0]!) };
      platformExecutors[executor] = kubernetesConfig(task, options);
    }
    if (!task.loop) {
      const instance = template.shared ? { [INSTANCE_INPUT]: { runtimeValue: { constant: task.instances[0]! } } } : {};
      rootTasks[task.name] = taskSpec(task, component, (p) => ({ componentInputParameter: p.name }), instance);
      continue;
    }
    // A sweep: a ParallelFor over its instances' names, as KFP compiles `dsl.ParallelFor`.
    const loop = `comp-for-loop-${task.name}`;
    const item = channel(`${task.name}-loop-item`);
    components[loop] = {
      dag: {
        tasks: {
          [task.name]: taskSpec(task, component, (p) => ({ componentInputParameter: channel(p.name) }), { [INSTANCE_INPUT]: { componentInputParameter: item } }, false),
        },
      },
      inputDefinitions: {
        parameters: {
          ...Object.fromEntries(task.params.map((p) => [channel(p.name), { parameterType: p.type }])),
          [item]: { parameterType: 'STRING' },
        },
      },
    };
    rootTasks[task.name] = {
      componentRef: { name: loop },
      ...dependentTasks(task),
      ...(task.params.length ? { inputs: { parameters: Object.fromEntries(task.params.map((p) => [channel(p.name), { componentInputParameter: p.name }])) } } : {}),
      parameterIterator: { itemInput: item, items: { raw: JSON.stringify(task.instances) } },
      ...(options.parallelism ? { iteratorPolicy: { parallelismLimit: options.parallelism } } : {}),
      taskInfo: { name: task.name },
    };
  }
  const pipelineSpec: Json = {
    components,
    deploymentSpec: { executors },
    pipelineInfo: { name: plan.name, ...(plan.displayName !== plan.name ? { displayName: plan.displayName } : {}) },
    root: {
      dag: { tasks: rootTasks },
      ...(plan.params.length ? {
        inputDefinitions: {
          parameters: Object.fromEntries(plan.params.map((p) => [p.name, { defaultValue: p.defaultValue, isOptional: true, parameterType: p.type }])),
        },
      } : {}),
    },
    schemaVersion: '2.1.0',
    sdkVersion: 'pipewright',
  };
  const needed = Object.entries(platformExecutors).filter(([, config]) => Object.keys(config as Json).length);
  return {
    pipelineSpec,
    ...(needed.length ? { platformSpec: { platforms: { kubernetes: { deploymentSpec: { executors: Object.fromEntries(needed) } } } } } : {}),
  };
}

function inputDefinitions(params: readonly PipelineParam[], takesInstance: boolean): Json {
  const parameters: Json = Object.fromEntries(params.map((p) => [p.name, { parameterType: p.type }]));
  if (takesInstance) parameters[INSTANCE_INPUT] = { parameterType: 'STRING' };
  return Object.keys(parameters).length ? { inputDefinitions: { parameters } } : {};
}

function dependentTasks(task: TaskPlan): Json {
  return task.dependsOn.length ? { dependentTasks: [...task.dependsOn] } : {};
}

/**
 * One task of a DAG. Caching is off: whether an instance must run is pipewright's own cache's
 * call (the fingerprint of its code, params and deps on the shared volume), which KFP's cache,
 * keyed on the task's inputs only, cannot see: it would skip a stage whose data changed.
 */
function taskSpec(task: TaskPlan, component: string, paramSource: (p: PipelineParam) => Json, more: Json = {}, withDependencies = true): Json {
  const parameters: Json = { ...Object.fromEntries(task.params.map((p) => [p.name, paramSource(p)])), ...more };
  const retry = task.controls?.retry;
  return {
    cachingOptions: {},
    componentRef: { name: component },
    ...(withDependencies ? dependentTasks(task) : {}),
    ...(Object.keys(parameters).length ? { inputs: { parameters } } : {}),
    ...(retry && retry.limit > 0 ? {
      retryPolicy: {
        backoffDuration: `${retry.backoffMs / 1000}s`,
        backoffFactor: retry.factor,
        backoffMaxDuration: '3600s',
        maxRetryCount: retry.limit,
      },
    } : {}),
    taskInfo: { name: task.name },
  };
}

/** The container of a task running `instance` (a name, or the input's placeholder). */
function containerSpec(task: TaskPlan, options: CompileOptions, instance: string): Json {
  const resources = task.controls?.resources;
  const gpus = resources ? wholeGpus(resources.gpus) : 0;
  return {
    // `{{$}}`: the executor input, which says where the Metrics artifact and the executor output go.
    args: [...execArgs(task, instance, options, (p) => placeholder(p.name)), ...(task.metrics ? ['--kfp-executor-input', '{{$}}'] : [])],
    command: [...PIPEWRIGHT_COMMAND],
    image: options.image,
    ...(resources && (resources.cpuLimit || resources.memoryBytes || gpus) ? {
      resources: {
        ...(resources.cpuLimit ? { resourceCpuLimit: String(resources.cpuLimit) } : {}),
        ...(resources.memoryBytes ? { resourceMemoryLimit: memoryQuantity(resources.memoryBytes) } : {}),
        ...(gpus ? { accelerator: { resourceCount: String(gpus), resourceType: options.accelerator } } : {}),
      },
    } : {}),
  };
}

/** KFP's placeholder for a component input, replaced by its value inside the argument. */
function placeholder(input: string): string {
  return `{{$.inputs.parameters['${input}']}}`;
}

/** kfp-kubernetes' KubernetesExecutorConfig: the volume (if any), secrets as env vars (the stage's and the remote's), a timeout. */
function kubernetesConfig(task: TaskPlan, options: CompileOptions): Json {
  const volume = options.volume;
  const bySecret = new Map<string, { envVar: string; secretKey: string }[]>();
  for (const [envVar, ref] of taskSecrets(task, options)) {
    const { secret, key } = secretRef(ref);
    bySecret.set(secret, [...(bySecret.get(secret) ?? []), { envVar, secretKey: key }]);
  }
  const timeoutMs = task.controls?.timeoutMs;
  const knobs = taskKubernetes(task, options);
  return {
    ...(volume ? { pvcMount: [{ constant: volume.claim, mountPath: volume.mountPath, pvcNameParameter: { runtimeValue: { constant: volume.claim } } }] } : {}),
    ...(bySecret.size ? {
      secretAsEnv: [...bySecret].map(([secret, keyToEnv]) => ({ keyToEnv, secretName: secret, secretNameParameter: { runtimeValue: { constant: secret } } })),
    } : {}),
    // int64 in proto3 JSON is a string, as kfp-kubernetes' set_timeout writes it.
    ...(timeoutMs ? { activeDeadlineSeconds: String(Math.ceil(timeoutMs / 1000)) } : {}),
    // As kfp-kubernetes' add_node_selector, add_toleration and set_image_pull_secrets write them.
    // (Kubeflow takes the service account when a run starts, not from the pipeline: see compile.ts.)
    ...(knobs?.nodeSelector ? { nodeSelector: { labels: knobs.nodeSelector } } : {}),
    ...(knobs?.tolerations ? {
      tolerations: knobs.tolerations.map((t) => ({ ...t, ...(t.tolerationSeconds === undefined ? {} : { tolerationSeconds: String(t.tolerationSeconds) }) })),
    } : {}),
    ...(knobs?.imagePullSecrets ? {
      imagePullSecret: knobs.imagePullSecrets.map((name) => ({ secretName: name, secretNameParameter: { runtimeValue: { constant: name } } })),
    } : {}),
  };
}

/** KFP's header comment: what the pipeline is and takes, then why caching is off. */
export function kfpHeader(plan: CompilePlan, source: string, options: CompileOptions): string {
  const inputs = plan.params.map((p) => `#    ${p.name}: ${p.type} [Default: ${JSON.stringify(p.defaultValue)}]`);
  return [
    '# PIPELINE DEFINITION',
    `# Name: ${plan.name}`,
    ...(inputs.length ? ['# Inputs:', ...inputs] : []),
    `# Compiled by \`pipewright compile --target kfp\` from ${source}. Each task runs \`pipewright exec\``,
    `# of one stage instance ${whereOutsTravel(options)}. KFP caching is off on purpose: pipewright's cache`,
    '# decides what runs (code, params and data hashes), which KFP\'s input-keyed cache cannot see.',
  ].join('\n');
}
