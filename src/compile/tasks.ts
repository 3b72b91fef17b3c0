/**
 * The pipeline as cluster tasks, the same for every target: one task per stage instance, or one
 * looping task per sweep; which tasks each waits for; which pipeline parameters it reads; and the
 * command it runs, `pipewright exec INSTANCE`, the one exec path (DESIGN.md's address rule).
 * kfp.ts and argo.ts only spell this plan in their own YAML.
 */
import { posix } from 'node:path';
import { declaredStage } from '../define/declaration.js';
import { mergeKubernetes, type KubernetesKnobs, type StageControls } from '../define/controls.js';
import { PipelineError } from '../errors.js';
import type { GraphNode, PipelineGraph } from '../graph/graph.js';

import { DnsNames, ParamNames, type DnsLabel, type ParamName } from './names.js';
import { realNumberKeys } from './real-params.js';

export type CompileTarget = 'kfp' | 'argo';
export const COMPILE_TARGETS: readonly CompileTarget[] = ['kfp', 'argo'];

/** Kubeflow's parameter types (`ParameterType.ParameterTypeEnum`); Argo passes every value as text. */
export type ParameterType = 'STRING' | 'NUMBER_INTEGER' | 'NUMBER_DOUBLE' | 'BOOLEAN' | 'LIST' | 'STRUCT';

export interface CompileOptions {
  /** The image every task runs: Node, pipewright and the project (see the Dockerfile). */
  readonly image: string;
  /**
   * The shared volume that holds the project and carries outs from task to task; absent when a
   * remote carries them, each task then working in the image's own copy (IMAGE_PROJECT).
   */
  readonly volume?: { readonly claim: string; readonly mountPath: string };
  /**
   * The remote outs travel through (`exec --cached --remote NAME`), with the env vars each task
   * reads from Kubernetes Secrets (`AWS_ACCESS_KEY_ID: s3-creds/AWS_ACCESS_KEY_ID`), as stages' `secrets:` are.
   */
  readonly remote?: { readonly name: string; readonly secrets: Readonly<Record<string, string>> };
  /** `-j`: how many instances of a sweep (Argo: of the whole workflow) run at once. */
  readonly parallelism?: number;
  /** The Kubernetes resource name of a GPU. */
  readonly accelerator: string;
  /** Knobs of every task's pod (pipewright.config.yaml's `kubernetes:`, then the flags). */
  readonly kubernetes?: KubernetesKnobs;
  /** Knobs of the tasks whose stage has a label (`kubernetes.labels` of pipewright.config.yaml). */
  readonly kubernetesByLabel?: Readonly<Record<string, KubernetesKnobs>>;
  /**
   * The project's folder inside the volume (or the image's copy), when its paths reach above it
   * (`../data`, `wdir: ..`): then the volume holds that ancestor, and tasks run in this sub-folder.
   */
  readonly projectSubFolder?: string;
}

/** A task's pod knobs: the pipeline's, then those of each of its stage's labels, then the stage's own. */
export function taskKubernetes(task: TaskPlan, options: CompileOptions): KubernetesKnobs | undefined {
  let knobs = options.kubernetes;
  for (const label of task.controls?.labels ?? []) knobs = mergeKubernetes(knobs, options.kubernetesByLabel?.[label]);
  return mergeKubernetes(knobs, task.controls?.kubernetes);
}

/** A param of a stage, offered as a parameter of the compiled pipeline with its current value as default. */
export interface PipelineParam {
  readonly name: ParamName;
  /**
   * The declared stage whose param it is (`-S stage.key=…`); absent for a key of the params file
   * that several stages read with one value (`-S key=…` sets it for all, as in a local run).
   */
  readonly stage?: string;
  readonly key: string;
  readonly type: ParameterType;
  readonly defaultValue: unknown;
}

export interface TaskPlan {
  readonly name: DnsLabel;
  /** The declared stage. */
  readonly stage: string;
  /**
   * The instances it runs: one, or every point of a sweep, run as a loop (KFP's ParallelFor,
   * Argo's withItems) whose item is the instance's name.
   */
  readonly instances: readonly string[];
  readonly loop: boolean;
  /** Tasks it waits for, in the graph's order. */
  readonly dependsOn: readonly DnsLabel[];
  /** The pipeline parameters it reads (a sweep's swept keys are not: its item names them). */
  readonly params: readonly PipelineParam[];
  readonly controls?: StageControls;
  readonly desc?: string;
  /** Its stage has metrics (files, a pipeline's metrics, or a TS stage's return): Kubeflow gets them as a Metrics artifact. */
  readonly metrics: boolean;
}

export interface CompilePlan {
  /** The pipeline's name as a DNS label (the workflow's and the KFP pipeline's name). */
  readonly name: DnsLabel;
  /** As the pipeline file names it. */
  readonly displayName: string;
  readonly params: readonly PipelineParam[];
  /** In a topological order. */
  readonly tasks: readonly TaskPlan[];
  /** Set when the pipeline's paths reach above its folder: the folder's path below the highest one they reach. */
  readonly subFolder?: string;
}

/** Names no task may take: the Argo DAG template and the KFP pipeline parameter of the volume. */
export const ENTRY_TEMPLATE = 'main';

export function planTasks(graph: PipelineGraph): CompilePlan {
  const declaration = graph.declaration;
  const dns = new DnsNames();
  dns.reserve(ENTRY_TEMPLATE);
  const paramNames = new ParamNames();
  const params = new Map<string, PipelineParam>();
  const taskOf = new Map<string, DnsLabel>();
  const plans: { name: DnsLabel; stage: string; instances: string[]; loop: boolean; upstream: Set<string>; params: PipelineParam[]; controls?: StageControls; desc?: string; metrics: boolean }[] = [];

  const shared = sharedKeys(graph);
  const realInFiles = realNumberKeys(declaration.sourceFiles?.() ?? []);
  const groups = loopGroups(graph);
  /** The pipeline parameters an instance reads (its group's varying values come with the instance instead). */
  const paramsOf = (node: GraphNode): PipelineParam[] => {
    const declared = declaredStage(declaration, node.of)!;
    // A sweep's values come with its instance (a loop's item, or the instance's name); one that -S
    // fixed to a single point is one task whose fixed values are parameters like any other.
    const sweptKeys = new Set(graph.sweeps.has(node.of) && node.name !== node.of ? Object.keys(node.values ?? {}) : []);
    const taskParams: PipelineParam[] = [];
    for (const key of declared.paramKeys) {
      if (sweptKeys.has(key)) continue;
      const value = valueAt(node.params, key);
      const type = parameterType(value, realInFiles.has(key) || declared.realKeys?.includes(key) === true);
      if (!type) continue;
      const global = shared.has(key);
      const id = global ? key : `${node.of}\0${key}`;
      let param = params.get(id);
      if (!param) {
        param = { name: paramNames.of(global ? key : `${node.of}_${key}`), ...(global ? {} : { stage: node.of }), key, type, defaultValue: value };
        params.set(id, param);
      }
      taskParams.push(param);
    }
    return taskParams;
  };
  const instanceParams = new Map<string, PipelineParam[]>();
  for (const instance of graph.order) {
    const node = graph.nodes.get(instance)!;
    if (node.generated) {
      throw new PipelineError('not-compilable', `stage "${node.of}" is a sweep with a custom generator: its instances are only known while a run goes`, node.where,
        'a compiled workflow needs every instance beforehand: give the sweep a grid or a list of points, or run it with `pipewright run` (or on workers)');
    }
    instanceParams.set(instance, paramsOf(node));
  }
  const looping = groupsThatLoop(graph, groups, (instance) => {
    const node = graph.nodes.get(instance)!;
    return JSON.stringify([instanceParams.get(instance)!.map((p) => p.name), node.controls ?? null, node.desc ?? null]);
  });
  for (const instance of graph.order) {
    const node = graph.nodes.get(instance)!;
    // A sweep (or a dvc.yaml foreach/matrix stage) is one looping task, unless that would change
    // the graph or its instances differ in more than their name (then each instance is a task of
    // its own, named by its instance).
    const group = groups.get(instance);
    const loop = group !== undefined && looping.has(group);
    const existing = loop ? plans.find((p) => p.loop && p.stage === group) : undefined;
    if (existing) {
      existing.instances.push(instance);
      node.upstream.forEach((u) => existing.upstream.add(u));
      taskOf.set(instance, existing.name);
      continue;
    }
    const name = dns.of(loop ? group : instance);
    taskOf.set(instance, name);
    const metrics = node.metrics.length > 0 || (node.pipelineMetrics?.length ?? 0) > 0 || node.kind === 'ts';
    plans.push({
      name, stage: loop ? group : node.of, instances: [instance], loop, upstream: new Set(node.upstream), params: instanceParams.get(instance)!, metrics,
      ...(node.controls ? { controls: node.controls } : {}), ...(node.desc ? { desc: node.desc } : {}),
    });
  }

  const tasks: TaskPlan[] = plans.map((p) => ({
    name: p.name,
    stage: p.stage,
    instances: p.instances,
    loop: p.loop,
    dependsOn: [...new Set([...p.upstream].map((u) => taskOf.get(u)!))].filter((t) => t !== p.name),
    params: p.params,
    metrics: p.metrics,
    ...(p.controls ? { controls: p.controls } : {}),
    ...(p.desc ? { desc: p.desc } : {}),
  }));
  const subFolder = folderBelowReach(graph);
  return { name: new DnsNames().of(declaration.name), displayName: declaration.name, params: [...params.values()], tasks, ...(subFolder ? { subFolder } : {}) };
}

/**
 * How far above its own folder the pipeline reaches (`../data/raw`, `wdir: ..`), as the path of
 * its folder below that ancestor (`src` for one level): the volume must hold the ancestor, or the
 * stages would write outside it. Undefined when every path stays inside.
 */
function folderBelowReach(graph: PipelineGraph): string | undefined {
  let levels = 0;
  for (const node of graph.nodes.values()) {
    for (const path of [node.wdir, ...[...node.deps, ...node.outs, ...node.metrics, ...node.plots].map((p) => p.path)]) {
      const parts = posix.normalize(path.replace(/\\/g, '/')).split('/');
      let up = 0;
      while (parts[up] === '..') up++;
      levels = Math.max(levels, up);
    }
  }
  if (levels === 0) return undefined;
  const own = graph.declaration.root.replace(/\\/g, '/').split('/').filter(Boolean);
  if (levels > own.length) {
    throw new PipelineError('not-compilable', `the pipeline reaches ${levels} folders above its own, past the file system's root`, undefined, 'keep its paths inside the repository');
  }
  return own.slice(own.length - levels).join('/');
}

/**
 * Keys of a YAML pipeline's params files read by several stages with one value: one pipeline
 * parameter each, as one edit of params.yaml changes them all. TS stages' params are their own.
 */
function sharedKeys(graph: PipelineGraph): Set<string> {
  const declaration = graph.declaration;
  if (!declaration.withGlobalOverrides) return new Set();
  const seen = new Map<string, string | undefined>();
  const conflicting = new Set<string>();
  for (const instance of graph.order) {
    const node = graph.nodes.get(instance)!;
    for (const key of declaredStage(declaration, node.of)?.paramKeys ?? []) {
      if (Object.hasOwn(node.values ?? {}, key)) continue;
      const text = JSON.stringify(valueAt(node.params, key));
      if (seen.has(key) && seen.get(key) !== text) conflicting.add(key);
      seen.set(key, text);
    }
  }
  return new Set([...seen.keys()].filter((k) => !conflicting.has(k)));
}

/** A param's value by its key: top-level for TS stages, dotted (`texts.count`) for YAML ones. */
function valueAt(params: Readonly<Record<string, unknown>>, key: string): unknown {
  if (Object.hasOwn(params, key)) return params[key];
  let value: unknown = params;
  for (const part of key.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * Undefined for a value no parameter can hold (null, undefined): the stage then keeps its own.
 * `real`: the param is a real number even where its value is whole (see real-params.ts).
 */
export function parameterType(value: unknown, real = false): ParameterType | undefined {
  if (typeof value === 'string') return 'STRING';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (typeof value === 'number') return Number.isInteger(value) && !real ? 'NUMBER_INTEGER' : 'NUMBER_DOUBLE';
  if (Array.isArray(value)) return 'LIST';
  if (value !== null && typeof value === 'object') return 'STRUCT';
  return undefined;
}

/**
 * A parameter's value as the text a workflow engine holds and substitutes: strings as they are,
 * everything else as JSON (which `-S` reads back as YAML, so `0.1` is a number again).
 */
export function parameterText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The container's arguments after `pipewright`: `exec --cached [--remote NAME] INSTANCE -C DIR`
 * (pipewright's cache decides whether it runs; see task-exec.ts) and one override per
 * param, each one argv element with the engine's placeholder inside it. No shell ever sees them,
 * so quotes, `$`, `{{` and newlines in a value reach the stage unchanged. A string goes through
 * `--set-string` (taken literally); other types through `-S`, read back as YAML.
 */
export function execArgs(task: TaskPlan, instance: string, options: CompileOptions, placeholder: (param: PipelineParam) => string): string[] {
  return [
    'exec', '--cached', ...(options.remote ? ['--remote', options.remote.name] : []), instance, '-C', projectDir(options),
    ...task.params.flatMap((p) => [p.type === 'STRING' ? '--set-string' : '-S', `${p.stage === undefined ? '' : `${p.stage}.`}${p.key}=${placeholder(p)}`]),
  ];
}

/** Where the Dockerfile puts the project in the image: a task's own copy when no volume is mounted. */
export const IMAGE_PROJECT = '/opt/project';

/** The folder a task works in: the volume's mount, else the image's copy of the project. */
export function projectDir(options: CompileOptions): string {
  const base = options.volume?.mountPath ?? IMAGE_PROJECT;
  return options.projectSubFolder ? posix.join(base, options.projectSubFolder) : base;
}

/** For the compiled file's header: how outs go from task to task. */
export function whereOutsTravel(options: CompileOptions): string {
  if (!options.remote) return 'on the shared volume, which carries outs from task to task';
  return `${options.volume ? 'on the shared volume' : 'in the image\'s copy of the project'}, outs through remote ${options.remote.name} (exec --remote)`;
}

/** A task's env vars from Secrets (env var → `secret/key`): its stage's `secrets:`, then the remote's credentials. */
export function taskSecrets(task: TaskPlan, options: CompileOptions): [string, string][] {
  return Object.entries({ ...task.controls?.secrets, ...options.remote?.secrets });
}

/** The command the image runs a task with. */
export const PIPEWRIGHT_COMMAND: readonly string[] = ['pipewright'];

/** `8 GiB` → `8Gi`; a size that is no whole number of Mi stays in bytes. Kubernetes reads both. */
export function memoryQuantity(bytes: number): string {
  for (const [unit, size] of [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['G', 1e9], ['M', 1e6]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(Math.ceil(bytes));
}

/** `ngc/key` → the Kubernetes Secret `ngc` and its key `key`. */
export function secretRef(ref: string): { readonly secret: string; readonly key: string } {
  const slash = ref.indexOf('/');
  return { secret: ref.slice(0, slash), key: ref.slice(slash + 1) };
}

/** A GPU fraction (0.5 shares a device locally) still takes a whole device on a cluster. */
export function wholeGpus(gpus: number): number {
  return Math.ceil(gpus);
}

/**
 * The instances that could run as one loop, by group: a sweep's points, and a dvc.yaml
 * `foreach`/`matrix` stage's instances (declared one by one as `name@key`, so grouped by name).
 */
function loopGroups(graph: PipelineGraph): Map<string, string> {
  const groups = new Map<string, string>();
  const members = new Map<string, string[]>();
  for (const name of graph.order) {
    const node = graph.nodes.get(name)!;
    const at = name.indexOf('@');
    const group = graph.sweeps.has(node.of) && node.name !== node.of ? node.of
      : graph.declaration.format === 'yaml' && node.of === name && at > 0 ? `${name.slice(0, at)}@` : undefined;
    if (group === undefined) continue;
    groups.set(name, group);
    members.set(group, [...members.get(group) ?? [], name]);
  }
  // A foreach stage that resolved to one instance is a task like any other.
  for (const [group, names] of members) if (group.endsWith('@') && names.length < 2) names.forEach((n) => groups.delete(n));
  // The loop is named as the stage is written (`build`, not `build@`).
  for (const [name, group] of groups) if (group.endsWith('@')) groups.set(name, group.slice(0, -1));
  return groups;
}

/**
 * The groups that are one looping task each: those whose instances differ only by name (the same
 * parameters, controls and description: a loop's template is shared), and which a loop would not
 * change the graph of. A loop runs its instances at once and waits for all its upstream, so an
 * instance that reads another instance of its own group would lose that edge, and a stage between
 * two instances of one group (`b` reads `a@k=1`, `a@k=2` reads `b`) would make the loop and that
 * stage wait for each other. Those groups' instances become tasks of their own, so the compiled
 * graph is exactly the pipeline's.
 */
function groupsThatLoop(graph: PipelineGraph, groups: ReadonlyMap<string, string>, signature: (instance: string) => string): Set<string> {
  const expand = new Set<string>();
  const seen = new Map<string, string>();
  for (const [name, group] of groups) {
    const sig = signature(name);
    if (seen.has(group) && seen.get(group) !== sig) expand.add(group);
    seen.set(group, sig);
  }
  for (const name of graph.order) {
    const group = groups.get(name);
    if (group && graph.nodes.get(name)!.upstream.some((u) => groups.get(u) === group)) expand.add(group);
  }
  // Collapse each looping group to one node; a group on a cycle of the collapsed graph is expanded,
  // until none is left (expanding one may break the cycle another was on).
  for (;;) {
    const key = (name: string) => {
      const group = groups.get(name);
      return group !== undefined && !expand.has(group) ? `loop:${group}` : name;
    };
    const edges = new Map<string, Set<string>>();
    for (const name of graph.order) {
      const to = key(name);
      for (const u of graph.nodes.get(name)!.upstream) {
        const from = key(u);
        if (from === to) continue;
        if (!edges.has(from)) edges.set(from, new Set());
        edges.get(from)!.add(to);
      }
    }
    const loops = [...new Set(graph.order.map(key))].filter((k) => k.startsWith('loop:'));
    const onCycle = loops.filter((k) => reaches(edges, k, k));
    if (onCycle.length === 0) return new Set([...new Set(groups.values())].filter((g) => !expand.has(g)));
    for (const k of onCycle) expand.add(k.slice('loop:'.length));
  }
}

/** Whether `to` can be reached from `from` along at least one edge. */
function reaches(edges: ReadonlyMap<string, ReadonlySet<string>>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [...(edges.get(from) ?? [])];
  while (stack.length) {
    const next = stack.pop()!;
    if (next === to) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(edges.get(next) ?? []));
  }
  return false;
}
