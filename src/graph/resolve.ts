/**
 * One stage with its params fixed: paths normalized to the project root, the command built.
 * The graph builder and every executor resolve a stage through this one function, so that an
 * instance means the same thing wherever it runs.
 */
import { posix, relative, resolve, sep } from 'node:path';
import { declaredStage, type Params, type PathDeclaration, type PipelineDeclaration, type StageDeclaration } from '../define/declaration.js';
import { interpolate } from '../define/interpolate.js';
import type { ExecutorKind } from '../define/stage.js';
import { PipelineError, closestName, type SourcePosition } from '../errors.js';

export interface ResolvedPath {
  /** Relative to the project root, posix separators, normalized. */
  readonly path: string;
  readonly where?: SourcePosition;
  readonly cache?: boolean;
  readonly persist?: boolean;
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
  readonly name: string;
  readonly kind: 'ts' | 'cmd';
  readonly desc?: string;
  readonly where?: SourcePosition;
  readonly executor: ExecutorKind;
  readonly alwaysChanged: boolean;
  readonly frozen: boolean;
  readonly params: Params;
  /** cmd stages: the command with params inserted. */
  readonly command?: string;
  /** Working folder, relative to the root ('' is the root). */
  readonly wdir: string;
  readonly deps: readonly ResolvedPath[];
  readonly inputs: Readonly<Record<string, ResolvedInput>>;
  readonly outs: readonly ResolvedOut[];
  readonly metrics: readonly ResolvedPath[];
  readonly plots: readonly ResolvedPath[];
}

export function resolveStage(pipeline: PipelineDeclaration, stage: StageDeclaration, params: Params): ResolvedStage {
  const path = (p: PathDeclaration): ResolvedPath => ({
    path: normalizePath(interpolate(p.path, params, { stage: stage.name, mode: 'path', where: p.where }), stage.name, p.where, pipeline.root),
    where: p.where,
    ...(p.cache === false ? { cache: false } : {}),
    ...(p.persist ? { persist: true } : {}),
  });
  const inputs: Record<string, ResolvedInput> = {};
  for (const [key, input] of Object.entries(stage.inputs)) {
    const producer = declaredStage(pipeline, input.stage);
    if (!producer) {
      const guess = closestName(input.stage, pipeline.stages.map((s) => s.name));
      throw new PipelineError('bad-input', `stage "${stage.name}": input "${key}" comes from stage "${input.stage}", which is not in the pipeline`, stage.where,
        guess ? `did you mean "${guess}"? Otherwise add "${input.stage}" to the pipeline's stage list` : `add "${input.stage}" to the pipeline's stage list`);
    }
    const out = producer.outs.find((o) => o.name === input.out);
    if (!out) {
      throw new PipelineError('bad-input', `stage "${stage.name}": input "${key}" names out "${input.out}", which stage "${input.stage}" does not declare`, stage.where);
    }
    inputs[key] = { stage: input.stage, out: input.out, path: normalizePath(out.path, producer.name, out.where, pipeline.root) };
  }
  return {
    name: stage.name,
    kind: stage.kind,
    desc: stage.desc,
    where: stage.where,
    executor: stage.kind === 'cmd' ? 'processes' : stage.executor ?? 'threads',
    alwaysChanged: stage.alwaysChanged,
    frozen: stage.frozen,
    params,
    command: stage.command?.(params),
    wdir: stage.wdir,
    deps: stage.deps.map(path),
    inputs,
    outs: stage.outs.map((o) => ({ ...path(o), name: o.name, cache: o.cache })),
    metrics: stage.metrics.map(path),
    plots: stage.plots.map(path),
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

/** Every path a stage writes: outs, metrics and plots files. */
export function writtenPaths(stage: ResolvedStage): ResolvedOut[] {
  const named = (p: ResolvedPath): ResolvedOut => ({ ...p, name: p.path, cache: p.cache !== false });
  return [...stage.outs, ...stage.metrics.map(named), ...stage.plots.map(named)];
}
