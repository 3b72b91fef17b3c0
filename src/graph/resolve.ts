/**
 * One stage with its params fixed: paths normalized to the project root, the command built.
 * The graph builder and every executor resolve a stage through this one function, so that an
 * instance means the same thing wherever it runs.
 */
import { posix, relative, resolve, sep } from 'node:path';
import { declaredStage, type MissingParam, type Params, type PathDeclaration, type PipelineDeclaration, type PlotOptions, type StageDeclaration } from '../define/declaration.js';
import { interpolate } from '../define/interpolate.js';
import type { ExecutorKind } from '../define/stage.js';
import type { Space } from '../define/sweep.js';
import type { StageControls } from '../define/controls.js';
import { isExternal } from '../define/external.js';
import { PipelineError, closestName, type SourcePosition } from '../errors.js';

export interface ResolvedPath {
  /** Relative to the project root, posix separators, normalized. */
  readonly path: string;
  readonly where?: SourcePosition;
  readonly cache?: boolean;
  readonly persist?: boolean;
  readonly plot?: PlotOptions;
  /** A URL (`https://…`, `s3://…`): outside the workspace, never hashed as a file, linked or cached. */
  readonly external?: boolean;
}

export interface ResolvedOut extends ResolvedPath {
  readonly name: string;
  readonly cache: boolean;
}

export interface ResolvedInput {
  readonly stage: string;
  readonly out: string;
  readonly path: string;
}

export interface ResolvedStage {
  /** The instance's name: the stage's, or `stage@key=value,…` for a point of a sweep. */
  readonly name: string;
  /** The declared stage it is an instance of. */
  readonly of: string;
  /** For a sweep's instance: the swept keys' values. */
  readonly values?: Readonly<Record<string, unknown>>;
  /**
   * A sweep with a custom generator: this node stands for instances made while the run goes;
   * it writes nothing itself.
   */
  readonly generated?: boolean;
  /** For a generated sweep: its space with this run's `-S` overrides fixed as values. */
  readonly space?: Space;
  /** Inputs that collect every instance of a stage (`train.all`): input key → stage. */
  readonly collects: Readonly<Record<string, string>>;
  /** How many of `deps` are the collected instances' outs (added after the declared ones). */
  readonly collectedDeps?: number;
  /** Top-level metrics files (`metrics:` of dvc.yaml) that lie in this stage's outs: read as its metrics. */
  readonly pipelineMetrics?: readonly string[];
  readonly kind: 'ts' | 'cmd';
  readonly desc?: string;
  readonly where?: SourcePosition;
  readonly executor: ExecutorKind;
  readonly alwaysChanged: boolean;
  readonly frozen: boolean;
  /** Retries, timeout, resources, secrets (see define/controls.ts). */
  readonly controls?: StageControls;
  readonly params: Params;
  /** cmd stages: the command with params inserted. */
  readonly command?: string;
  /** The params-file overrides its command and paths were templated with (see StageDeclaration). */
  readonly fileOverrides?: Readonly<Record<string, unknown>>;
  /** Params it lists that their files lack: the instance is blocked until they are there. */
  readonly missingParams?: readonly MissingParam[];
  /** Working folder, relative to the root ('' is the root). */
  readonly wdir: string;
  readonly deps: readonly ResolvedPath[];
  readonly inputs: Readonly<Record<string, ResolvedInput>>;
  readonly outs: readonly ResolvedOut[];
  readonly metrics: readonly ResolvedPath[];
  readonly plots: readonly ResolvedPath[];
}

export interface InstanceOf {
  readonly name: string;
  readonly values?: Readonly<Record<string, unknown>>;
  readonly generated?: boolean;
  readonly space?: Space;
}

export function resolveStage(pipeline: PipelineDeclaration, stage: StageDeclaration, params: Params, instance: InstanceOf = { name: stage.name }): ResolvedStage {
  const path = (p: PathDeclaration): ResolvedPath => {
    const raw = interpolate(p.path, params, { stage: stage.name, mode: 'path', where: p.where });
    return {
      path: isExternal(raw) ? raw : normalizePath(raw, stage.name, p.where, pipeline.root),
      ...(isExternal(raw) ? { external: true } : {}),
      where: p.where,
    ...(p.cache === false ? { cache: false } : {}),
    ...(p.persist ? { persist: true } : {}),
      ...(p.plot ? { plot: p.plot } : {}),
    };
  };
  const inputs: Record<string, ResolvedInput> = {};
  const collects: Record<string, string> = {};
  for (const [key, input] of Object.entries(stage.inputs)) {
    const producer = declaredStage(pipeline, input.stage);
    if (!producer) {
      const guess = closestName(input.stage, pipeline.stages.map((s) => s.name));
      throw new PipelineError('bad-input', `stage "${stage.name}": input "${key}" comes from stage "${input.stage}", which is not in the pipeline`, stage.where,
        guess ? `did you mean "${guess}"? Otherwise add "${input.stage}" to the pipeline's stage list` : `add "${input.stage}" to the pipeline's stage list`);
    }
    if (input.out === undefined) {
      collects[key] = producer.name;
      continue;
    }
    const out = producer.outs.find((o) => o.name === input.out);
    if (!out) {
      throw new PipelineError('bad-input', `stage "${stage.name}": input "${key}" names out "${input.out}", which stage "${input.stage}" does not declare`, stage.where);
    }
    inputs[key] = { stage: input.stage, out: input.out, path: normalizePath(out.path, producer.name, out.where, pipeline.root) };
  }
  // A generated sweep's node writes nothing: its outs are templated per instance, made later.
  const written = (list: readonly PathDeclaration[]) => (instance.generated ? [] : list.map(path));
  const outs = instance.generated ? [] : stage.outs.map((o) => ({ ...path(o), name: o.name, cache: o.cache }));
  // Metrics files named at the pipeline's top level belong to the stage whose outs hold them.
  const pipelineMetrics = (pipeline.metricsFiles ?? []).filter((m) => outs.some((o) => m === o.path || m.startsWith(`${o.path}/`)));
  return {
    name: instance.name,
    of: stage.name,
    ...(instance.values ? { values: instance.values } : {}),
    ...(instance.generated ? { generated: true, space: instance.space } : {}),
    collects,
    kind: stage.kind,
    desc: stage.desc,
    where: stage.where,
    executor: stage.executor === 'bullmq' ? 'bullmq' : stage.kind === 'cmd' ? 'processes' : stage.executor ?? 'threads',
    alwaysChanged: stage.alwaysChanged,
    frozen: stage.frozen,
    ...(stage.controls ? { controls: stage.controls } : {}),
    params,
    command: stage.command?.(params),
    ...(stage.fileOverrides ? { fileOverrides: stage.fileOverrides } : {}),
    wdir: stage.wdir,
    deps: stage.deps.map(path),
    inputs,
    outs,
    ...(pipelineMetrics.length ? { pipelineMetrics } : {}),
    metrics: written(stage.metrics),
    plots: written(stage.plots),
  };
}

/** Root-relative posix path. Deps may lie outside the project; that is checked where it matters. */
export function normalizePath(raw: string, stage: string, where: SourcePosition | undefined, root: string): string {
  if (posix.isAbsolute(raw)) {
    throw new PipelineError('bad-input', `stage "${stage}": path "${raw}" is absolute`, where, 'write paths relative to the pipeline file');
  }
  let normalized = posix.normalize(raw.replaceAll('\\', '/')).replace(/\/+$/, '');
  // `../<this folder>/x` (a stage with `wdir: ..`) is `x`: one path, one spelling.
  if (normalized.startsWith('../')) normalized = relative(root, resolve(root, normalized)).split(sep).join('/');
  return normalized === '.' ? '' : normalized;
}

/**
 * Every path a stage writes in the workspace: outs, metrics and plots files. A metrics or plots
 * file inside one of the stage's own out folders (`models/x/metrics.json` beside `models/x`) is
 * part of that out. External outs (URLs) are written elsewhere: they are not among them.
 */
export function writtenPaths(stage: ResolvedStage): ResolvedOut[] {
  const named = (p: ResolvedPath): ResolvedOut => ({ ...p, name: p.path, cache: p.cache !== false });
  const inOut = (p: ResolvedPath) => stage.outs.some((o) => p.path.startsWith(`${o.path}/`));
  return [...stage.outs, ...[...stage.metrics, ...stage.plots].filter((p) => !inOut(p)).map(named)].filter((p) => !p.external);
}
