/**
 * The pipeline graph: every stage resolved, edges found, and everything that can be wrong with it
 * checked before anything runs. A built graph is immutable.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MissingParam, PipelineDeclaration, StageDeclaration, StageOverrides } from '../define/declaration.js';
import { checkSpace, expandSweep, instanceNames, type Space } from '../define/sweep.js';
import { NO_OVERRIDES, type ParamOverrides } from '../define/overrides.js';
import { PipelineError, closestName, type SourcePosition } from '../errors.js';
import { resolveStage, writtenPaths, type InstanceOf, type ResolvedStage } from './resolve.js';

export interface GraphNode extends ResolvedStage {
  /** Stages this one reads from, in declaration order. */
  readonly upstream: readonly string[];
  readonly downstream: readonly string[];
  /**
   * Deps that were neither on disk nor made by a stage when the graph was built (a DVC project
   * fresh from git, before `dvc pull`). The pipeline is still valid: such a stage is blocked.
   */
  readonly missing?: readonly MissingDep[];
}

export interface MissingDep {
  readonly path: string;
  readonly where?: SourcePosition;
}

export interface PipelineGraph {
  readonly declaration: PipelineDeclaration;
  /** Every stage, in a topological order that keeps declaration order where it can. */
  readonly order: readonly string[];
  readonly nodes: ReadonlyMap<string, GraphNode>;
  /** Each swept stage's instances (a generated sweep: its one node), in order. */
  readonly sweeps: ReadonlyMap<string, readonly string[]>;
}

export interface GraphOptions {
  /**
   * Only the shape: params are not read. For looking at a pipeline whose params files are
   * elsewhere (a dvc.yaml taken from another repository); never for a run.
   */
  readonly structureOnly?: boolean;
  /** Keep only the first N points of every grid/random sweep (dev mode tries one). */
  readonly sweepLimit?: number;
}

export function buildGraph(input: PipelineDeclaration, overrides: ParamOverrides = NO_OVERRIDES, options: GraphOptions = {}): PipelineGraph {
  const declaration = Object.keys(overrides.global).length && input.withGlobalOverrides
    ? input.withGlobalOverrides(overrides.global) : input;

  const seen = new Map<string, (typeof declaration.stages)[number]>();
  for (const stage of declaration.stages) {
    const first = seen.get(stage.name);
    if (first) {
      throw new PipelineError('duplicate-stage', `two stages are named "${stage.name}"`, stage.where ?? first.where, 'give each stage its own name');
    }
    seen.set(stage.name, stage);
  }

  const sweeps = new Map<string, string[]>();
  const resolved: ResolvedStage[] = [];
  for (const stage of declaration.stages) {
    const instances = instancesOf(declaration, stage, overrides.stages.get(stage.name) ?? {}, options);
    if (stage.sweep) sweeps.set(stage.name, instances.map((i) => i.name));
    resolved.push(...instances);
  }
  const byName = new Map(resolved.map((s) => [s.name, s]));
  // A collecting stage reads every out of every instance: they are its deps, which makes the edges
  // and puts their content in its fingerprint. A generated sweep's instances come later: the edge
  // goes to its node, and the scheduler adds the rest.
  for (const [i, stage] of resolved.entries()) {
    const collected = Object.values(stage.collects).flatMap((of) => (sweeps.get(of) ?? [of]).map((n) => byName.get(n)!)).filter((n) => !n.generated);
    if (collected.length) resolved[i] = withCollectedDeps(stage, collected);
  }

  const producers = indexOuts(resolved);

  const upstream = new Map<string, Set<string>>(resolved.map((s) => [s.name, new Set()]));
  const missing = new Map<string, MissingDep[]>();
  for (const stage of resolved) {
    const edges = upstream.get(stage.name)!;
    for (const [key, input] of Object.entries(stage.inputs)) {
      if (sweeps.has(input.stage)) {
        throw new PipelineError('bad-input', `stage "${stage.name}": input "${key}" reads one out of "${input.stage}", which is a sweep of many instances`, stage.where,
          `collect them all with \`${key}: ${input.stage}.all\` (or a \`collect\` stage) instead`);
      }
      edges.add(input.stage);
    }
    for (const of of Object.values(stage.collects)) for (const name of sweeps.get(of) ?? [of]) edges.add(name);
    for (const dep of stage.deps) {
      const from = producers.producersOf(dep.path);
      for (const producer of from) edges.add(producer);
      if (from.length === 0 && !dep.external && !existsSync(join(declaration.root, dep.path))) {
        const list = missing.get(stage.name) ?? [];
        list.push({ path: dep.path, where: dep.where ?? stage.where });
        missing.set(stage.name, list);
      }
    }
  }

  // A cycle is reported at the dep that closes it: the line to change is that one.
  const edgeWhere = (from: string, to: string): SourcePosition | undefined => {
    const stage = resolved.find((s) => s.name === to)!;
    const input = Object.values(stage.inputs).find((i) => i.stage === from);
    const dep = input ? undefined : stage.deps.find((d) => producers.producersOf(d.path).includes(from));
    return dep?.where ?? stage.where;
  };
  const order = topologicalOrder(resolved.map((s) => s.name), upstream, edgeWhere);
  const downstream = new Map<string, string[]>(order.map((name) => [name, []]));
  for (const name of order) for (const up of upstream.get(name)!) downstream.get(up)!.push(name);

  for (const [i, stage] of resolved.entries()) byName.set(stage.name, resolved[i]!);
  const position = new Map(order.map((name, i) => [name, i]));
  const sortByOrder = (names: Iterable<string>) => [...names].sort((a, b) => position.get(a)! - position.get(b)!);
  // Each resolved stage was made here and is seen by nothing else yet: its edges are added to it
  // before it is frozen. A copy by spread gave every node a hidden class of its own (V8 clones the
  // map): 100,000 sweep instances held 56 MB of them.
  const nodes = new Map<string, GraphNode>(order.map((name) => [name, Object.freeze(Object.assign(byName.get(name)!, {
    upstream: sortByOrder(upstream.get(name)!),
    downstream: sortByOrder(downstream.get(name)!),
    ...(missing.has(name) ? { missing: missing.get(name) } : {}),
  }))]));
  return Object.freeze({ declaration, order, nodes, sweeps });
}

/** A stage's instances: itself, or one per point of its sweep (a generated sweep: one node for all). */
function instancesOf(declaration: PipelineDeclaration, declared: StageDeclaration, overrides: StageOverrides, options: GraphOptions): ResolvedStage[] {
  // A stage templated when its file was read (dvc.yaml) is templated again with its own overrides.
  const stage = Object.keys(overrides).length && declaration.withStageOverrides
    ? declaration.withStageOverrides(declared.name, overrides) ?? declared : declared;
  // A param its file lacks does not make the pipeline invalid: the instance is blocked (as DVC
  // reports a missing param only when the stage is checked or run).
  const instance = (more: StageOverrides, of?: InstanceOf): ResolvedStage => {
    if (options.structureOnly) return resolveStage(declaration, stage, { ...more }, of);
    const missingParams: MissingParam[] = [];
    const node = resolveStage(declaration, stage, stage.resolveParams({ ...overrides, ...more }, (m) => missingParams.push(m)), of);
    return missingParams.length ? { ...node, missingParams } : node;
  };
  const sweep = stage.sweep;
  if (!sweep) return [instance({})];
  const where = sweep.where ?? stage.where;
  const problem = checkSpace(sweep);
  if (problem) throw new PipelineError('bad-sweep', `stage "${stage.name}": sweep ${problem}`, where);
  for (const key of Object.keys(sweep.space)) {
    if (!stage.paramKeys.includes(key)) {
      const guess = closestName(key, stage.paramKeys);
      throw new PipelineError('bad-sweep', `stage "${stage.name}": sweep space names "${key}", which is not one of its params`, where,
        guess ? `did you mean "${guess}"?` : stage.paramKeys.length ? `its params are: ${stage.paramKeys.join(', ')}` : 'declare the param first');
    }
  }
  // A key set with -S is fixed for this run: its dimension is dropped.
  const space: Space = Object.fromEntries(Object.entries(sweep.space).map(([key, entry]) =>
    [key, Object.hasOwn(overrides, key) ? { kind: 'value', value: overrides[key] } : entry]));
  if (sweep.generate) return [instance({}, { name: stage.name, generated: true, space })];
  const points = expandSweep({ ...sweep, space }).slice(0, options.sweepLimit);
  const names = instanceNames(stage.name, space, points);
  return points.map((point, i) => instance(point.values, { name: names[i]!, values: point.values }));
}

export function withCollectedDeps(stage: ResolvedStage, instances: readonly ResolvedStage[]): ResolvedStage {
  const seen = new Set(stage.deps.map((d) => d.path));
  const deps = [...stage.deps];
  for (const instance of instances) {
    for (const out of writtenPaths(instance)) {
      if (!seen.has(out.path)) deps.push({ path: out.path, where: out.where });
      seen.add(out.path);
    }
  }
  return { ...stage, deps, collectedDeps: deps.length - stage.deps.length + (stage.collectedDeps ?? 0) };
}

interface OutIndex {
  /** Stages whose outs are `path`, contain it, or lie inside it. */
  producersOf(path: string): string[];
  paths(): string[];
}

/** Indexes every written path; rejects two stages writing one path or one path inside another's. */
function indexOuts(stages: readonly ResolvedStage[]): OutIndex {
  const owner = new Map<string, { stage: string; of: string; where: ResolvedStage['where'] }>();
  for (const stage of stages) {
    for (const out of writtenPaths(stage)) {
      // Outs may lie above the pipeline file (a dvc.yaml in a sub-folder of its repository writes
      // `../data`), but an out cannot be the project folder itself.
      if (out.path === '' || /^(\.\.\/)*\.\.$/.test(out.path)) {
        throw new PipelineError('bad-input', `stage "${stage.name}": out "${out.path || '.'}" is a folder that holds the pipeline itself`, out.where ?? stage.where,
          'outs must be files or folders that do not contain the pipeline file');
      }
      const other = owner.get(out.path);
      if (other && other.of === stage.of && other.stage !== stage.name) {
        throw new PipelineError('out-conflict', `sweep "${stage.of}": instances "${other.stage}" and "${stage.name}" both write "${out.path}"`,
          out.where ?? stage.where, `template the path with the swept params so each instance writes its own, e.g. "${out.path}-\${params.${Object.keys(stage.values ?? {})[0] ?? 'x'}}"`);
      }
      if (other) {
        throw new PipelineError('out-conflict',
          other.stage === stage.name ? `stage "${stage.name}" lists out "${out.path}" twice` : `stages "${other.stage}" and "${stage.name}" both write "${out.path}"`,
          out.where ?? stage.where, 'every file or folder has one stage that writes it');
      }
      owner.set(out.path, { stage: stage.name, of: stage.of, where: out.where });
    }
  }
  const sorted = [...owner.keys()].sort();
  for (const path of sorted) {
    for (const ancestor of ancestors(path)) {
      const outer = owner.get(ancestor);
      if (outer) {
        const inner = owner.get(path)!;
        throw new PipelineError('out-overlap', `out "${path}" of stage "${inner.stage}" lies inside out "${ancestor}" of stage "${outer.stage}"`,
          inner.where, 'outs may not overlap: write to a path outside the other out, or make it one out');
      }
    }
  }
  return {
    producersOf(path) {
      const found = new Set<string>();
      const exact = owner.get(path);
      if (exact) found.add(exact.stage);
      for (const ancestor of ancestors(path)) {
        const o = owner.get(ancestor);
        if (o) found.add(o.stage);
      }
      // Outs inside a dep folder: the sorted list puts them right after `path/`.
      const prefix = `${path}/`;
      for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i]!.startsWith(prefix); i++) found.add(owner.get(sorted[i]!)!.stage);
      return [...found];
    },
    paths: () => sorted,
  };
}

function ancestors(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Depth-first, taking stages in declaration order and each one's upstream first: O(stages +
 * edges), and the order keeps the declaration's wherever the edges allow. A back edge is a cycle,
 * reported as the path around it in the direction data flows.
 */
function topologicalOrder(names: readonly string[], upstream: ReadonlyMap<string, ReadonlySet<string>>,
  /** Where `to` is written to read from `from`. */
  edgeWhere: (from: string, to: string) => SourcePosition | undefined): string[] {
  const index = new Map(names.map((n, i) => [n, i]));
  const state = new Map<string, 'open' | 'done'>();
  const order: string[] = [];
  const path: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'open');
    path.push(name);
    const ups = [...upstream.get(name)!].sort((a, b) => index.get(a)! - index.get(b)!);
    for (const up of ups) {
      const seen = state.get(up);
      if (seen === 'open') {
        const cycle = [...path.slice(path.indexOf(up)), up].reverse();
        throw new PipelineError('cycle', `the pipeline has a cycle: ${cycle.join(' -> ')}`, edgeWhere(up, name),
          `a stage cannot depend, directly or through others, on its own outs; here "${name}" reads what "${up}" writes`);
      }
      if (seen === undefined) visit(up);
    }
    path.pop();
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of names) if (!state.has(name)) visit(name);
  return order;
}
