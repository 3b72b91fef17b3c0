/**
 * The pipeline's instances with everything resolved, as one plain object each: what `list --json`
 * and `show STAGE` print, and what tools outside pipewright (an IDE, a dashboard, a compiler to
 * another orchestrator) read instead of re-implementing templating, params files and sweeps.
 */
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { declaredStage, type Params } from '../define/declaration.js';
import type { ExecutorKind } from '../define/stage.js';
import { PipelineError, closestName, type SourcePosition } from '../errors.js';
import type { GraphNode, PipelineGraph } from './graph.js';
import { writtenPaths } from './resolve.js';
import type { StageControls } from '../define/controls.js';

/** Where a TS stage's code is, for a stage with no shell command. */
export interface TsCode {
  /** The module that called `stage()`, relative to the project root (absent for a built-in stage). */
  readonly module?: string;
  /** The stage's name as given to `stage()`; the export that holds it is not tracked. */
  readonly stage: string;
  /** Pipewright's own code (the `collect:` stage of pipewright.yaml): its name and version. */
  readonly builtin?: string;
}

/** One named input of a stage: another stage's out, or every instance of a sweep. */
export type InputListing =
  | { readonly stage: string; readonly out: string; readonly path: string }
  /** `train.all` (or `collect: train`): every instance of `stage`, which are in `upstream`. */
  | { readonly stage: string; readonly all: true };

/** How a written path is kept. */
export interface OutOptions {
  /** False: hashed and recorded, not stored in the cache (DVC's `cache: false`). */
  readonly cache: boolean;
  /** True: kept in place while the stage runs rather than removed first (DVC's `persist`). */
  readonly persist: boolean;
  /** A URL: written outside the workspace, never hashed, linked or cached here. */
  readonly external?: true;
}

export interface StageOptionsListing {
  /** Never run; the recorded outs are kept. */
  readonly frozen: boolean;
  /** Run every time, even when nothing changed (DVC's `always_changed`). */
  readonly alwaysChanged: boolean;
  /** Where it runs: cmd stages always in a child process. */
  readonly executor: ExecutorKind;
  /** Every path in `outs` → how it is kept. */
  readonly outs: Readonly<Record<string, OutOptions>>;
  /** Retries, timeout (ms), resources and secrets (env var → cluster secret), when set. */
  readonly controls?: StageControls;
}

/**
 * One instance of the pipeline, resolved: templating done, params read from their files with
 * defaults and `-S` applied, paths relative to the project root with posix separators.
 *
 * `name`, `kind`, `of`, `deps`, `outs`, `upstream` and `collects` are the fields `list --json`
 * always had, with the same meaning; the rest were added beside them.
 */
export interface StageListing {
  /** The instance's name: the stage's, or `stage@…` for a point of a sweep or a foreach/matrix entry. */
  readonly name: string;
  readonly kind: 'cmd' | 'ts';
  /** The declared stage, for a sweep's instance or an entry of a dvc.yaml `foreach`/`matrix`. */
  readonly of?: string;
  /** Declared deps and the paths of named inputs; not the outs a collecting stage gathers. */
  readonly deps: readonly string[];
  /** Every path the stage writes: outs, metrics and plots files (those not inside an out). */
  readonly outs: readonly string[];
  /** Instances this one reads from, in the graph's order. */
  readonly upstream: readonly string[];
  /** Stages whose every instance this one collects, with how many there are now. */
  readonly collects?: Readonly<Record<string, number>>;

  readonly desc?: string;
  /** For a sweep's instance: the swept keys' values (also in `params`). */
  readonly values?: Readonly<Record<string, unknown>>;
  /** A sweep with a custom generator: this entry stands for instances made while a run goes. */
  readonly generated?: true;
  /** cmd stages: the shell command as it will run, params inserted. */
  readonly cmd?: string;
  /** TS stages: where the code is. */
  readonly ts?: TsCode;
  /** Working folder, relative to the root ('' is the root). */
  readonly wdir: string;
  /** The params the stage reads, with their values: defaults, params files, then `-S`. */
  readonly params: Params;
  /** Named inputs: key → the producing stage and the path read. */
  readonly inputs: Readonly<Record<string, InputListing>>;
  /** Files read as this stage's metrics (its own, and top-level `metrics:` inside its outs). */
  readonly metrics: readonly string[];
  readonly plots: readonly string[];
  readonly options: StageOptionsListing;
  /** Where a YAML stage is declared: the file relative to the project root, line and column. */
  readonly where?: SourcePosition;
}

/** Every instance, in the graph's (topological) order. */
export function listStages(graph: PipelineGraph): StageListing[] {
  return graph.order.map((name) => listStage(graph, graph.nodes.get(name)!));
}

export function listStage(graph: PipelineGraph, node: GraphNode): StageListing {
  const root = graph.declaration.root;
  const declared = declaredStage(graph.declaration, node.of);
  const collected = Object.values(node.collects);
  // Collected instances' outs were appended to deps to make edges; they are listed as `collects`.
  const declaredDeps = node.deps.slice(0, node.deps.length - (node.collectedDeps ?? 0));
  // External outs (URLs) are written elsewhere, but they are the stage's outs all the same.
  const written = [...writtenPaths(node), ...node.outs.filter((o) => o.external)];
  const inputs: Record<string, InputListing> = {};
  for (const [key, input] of Object.entries(node.inputs)) inputs[key] = { stage: input.stage, out: input.out, path: input.path };
  for (const [key, stage] of Object.entries(node.collects)) inputs[key] = { stage, all: true };
  const module = declared?.codeFiles[0];
  const of = node.of !== node.name ? node.of : expandedFrom(graph, node.name);
  return {
    name: node.name,
    kind: node.kind,
    ...(of ? { of } : {}),
    deps: [...declaredDeps.map((d) => d.path), ...Object.values(node.inputs).map((i) => i.path)],
    outs: written.map((o) => o.path),
    upstream: node.upstream,
    ...(collected.length ? { collects: Object.fromEntries(collected.map((of) => [of, graph.sweeps.get(of)?.length ?? 1])) } : {}),
    ...(node.desc ? { desc: node.desc } : {}),
    ...(node.values ? { values: node.values } : {}),
    ...(node.generated ? { generated: true as const } : {}),
    ...(node.command !== undefined ? { cmd: node.command } : {}),
    ...(node.kind === 'ts' ? {
      ts: {
        ...(module ? { module: rootRelative(root, module) } : {}),
        stage: node.of,
        ...(declared?.builtin ? { builtin: declared.builtin } : {}),
      },
    } : {}),
    wdir: node.wdir,
    params: node.params,
    inputs,
    metrics: [...new Set([...node.metrics.map((m) => m.path), ...(node.pipelineMetrics ?? [])])],
    plots: node.plots.map((p) => p.path),
    options: {
      frozen: node.frozen,
      alwaysChanged: node.alwaysChanged,
      executor: node.executor,
      outs: Object.fromEntries(written.map((o) => [o.path, { cache: o.cache, persist: o.persist === true, ...(o.external ? { external: true } : {}) }])),
      ...(node.controls ? { controls: node.controls } : {}),
    },
    // A TS stage's position is the pipeline file's, with no line: `ts.module` says more.
    ...(node.where?.line ? { where: { ...node.where, file: rootRelative(root, node.where.file) } } : {}),
  };
}

/**
 * The dvc.yaml stage a `foreach`/`matrix` entry was expanded from: `train` for `train@us`. Such
 * entries are stages of their own by the time the graph is built, so the name is all that says
 * so; a YAML stage name cannot hold an '@' otherwise (TS stage names can, hence the format check).
 */
function expandedFrom(graph: PipelineGraph, name: string): string | undefined {
  const at = name.indexOf('@');
  return graph.declaration.format === 'yaml' && at > 0 ? name.slice(0, at) : undefined;
}

/**
 * The instances a name stands for: one instance, or every instance of a declared sweep (or of a
 * dvc.yaml foreach/matrix stage, whose instances are named `name@…`). Undefined when it names none.
 */
export function instancesNamed(graph: PipelineGraph, name: string): readonly string[] | undefined {
  if (graph.nodes.has(name)) return [name];
  const swept = graph.sweeps.get(name);
  if (swept) return swept;
  const expanded = graph.order.filter((n) => expandedFrom(graph, n) === name);
  return expanded.length ? expanded : undefined;
}

/** Every name `instancesNamed` knows, for "did you mean". */
export function stageNames(graph: PipelineGraph): string[] {
  return [...new Set([...graph.order, ...graph.sweeps.keys(), ...graph.order.flatMap((n) => expandedFrom(graph, n) ?? [])])];
}

/** The error for a stage name that names none, with the closest one when there is one. */
export function unknownStageError(graph: PipelineGraph, name: string): PipelineError {
  const guess = closestName(name, stageNames(graph));
  return new PipelineError('unknown-stage', `no stage named "${name}"`, { file: rootRelative(graph.declaration.root, graph.declaration.file) },
    guess ? `did you mean "${guess}"?` : `stages: ${abbreviated(graph.declaration.stages.map((s) => s.name))} (see \`pipewright list\`)`);
}

function abbreviated(names: readonly string[], max = 12): string {
  return names.length > max ? `${names.slice(0, max).join(', ')}, … (${names.length} in all)` : names.join(', ');
}

/** A source file as a root-relative posix path (positions are recorded relative to the cwd). */
function rootRelative(root: string, file: string): string {
  const abs = isAbsolute(file) ? file : resolve(file);
  const rel = relative(root, abs);
  return (rel && !rel.startsWith('..') ? rel : abs).split(sep).join(posix.sep);
}
