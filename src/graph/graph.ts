/**
 * The pipeline graph: every stage resolved, edges found, and everything that can be wrong with it
 * checked before anything runs. A built graph is immutable.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelineDeclaration } from '../define/declaration.js';
import { NO_OVERRIDES, type ParamOverrides } from '../define/overrides.js';
import { PipelineError, closestName } from '../errors.js';
import { resolveStage, writtenPaths, type ResolvedStage } from './resolve.js';

export interface GraphNode extends ResolvedStage {
  /** Stages this one reads from, in declaration order. */
  readonly upstream: readonly string[];
  readonly downstream: readonly string[];
}

export interface PipelineGraph {
  readonly declaration: PipelineDeclaration;
  /** Every stage, in a topological order that keeps declaration order where it can. */
  readonly order: readonly string[];
  readonly nodes: ReadonlyMap<string, GraphNode>;
}

export interface GraphOptions {
  /**
   * Only the shape: params are not read and deps are not checked on disk. For looking at a
   * pipeline whose data is elsewhere (a dvc.yaml taken from another repository); never for a run.
   */
  readonly structureOnly?: boolean;
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

  const resolved = declaration.stages.map((stage) =>
    resolveStage(declaration, stage, options.structureOnly ? {} : stage.resolveParams(overrides.stages.get(stage.name) ?? {})));

  const producers = indexOuts(resolved);
  const upstream = new Map<string, Set<string>>(resolved.map((s) => [s.name, new Set()]));
  for (const stage of resolved) {
    const edges = upstream.get(stage.name)!;
    for (const input of Object.values(stage.inputs)) edges.add(input.stage);
    for (const dep of stage.deps) {
      const from = producers.producersOf(dep.path);
      for (const producer of from) edges.add(producer);
      if (from.length === 0 && !options.structureOnly && !existsSync(join(declaration.root, dep.path))) {
        const guess = closestName(dep.path, producers.paths());
        throw new PipelineError('missing-dep', `stage "${stage.name}": dep "${dep.path}" does not exist and no stage produces it`, dep.where ?? stage.where,
          guess ? `did you mean "${guess}"?` : 'create the file, or add a stage that lists it in its outs');
      }
    }
  }

  const order = topologicalOrder(resolved.map((s) => s.name), upstream);
  const downstream = new Map<string, string[]>(order.map((name) => [name, []]));
  for (const name of order) for (const up of upstream.get(name)!) downstream.get(up)!.push(name);

  const byName = new Map(resolved.map((s) => [s.name, s]));
  const position = new Map(order.map((name, i) => [name, i]));
  const sortByOrder = (names: Iterable<string>) => [...names].sort((a, b) => position.get(a)! - position.get(b)!);
  const nodes = new Map<string, GraphNode>(order.map((name) => [name, Object.freeze({
    ...byName.get(name)!,
    upstream: sortByOrder(upstream.get(name)!),
    downstream: sortByOrder(downstream.get(name)!),
  })]));
  return Object.freeze({ declaration, order, nodes });
}

interface OutIndex {
  /** Stages whose outs are `path`, contain it, or lie inside it. */
  producersOf(path: string): string[];
  paths(): string[];
}

/** Indexes every written path; rejects two stages writing one path or one path inside another's. */
function indexOuts(stages: readonly ResolvedStage[]): OutIndex {
  const owner = new Map<string, { stage: string; where: ResolvedStage['where'] }>();
  for (const stage of stages) {
    for (const out of writtenPaths(stage)) {
      // Outs may lie above the pipeline file (a dvc.yaml in a sub-folder of its repository writes
      // `../data`), but an out cannot be the project folder itself.
      if (out.path === '' || /^(\.\.\/)*\.\.$/.test(out.path)) {
        throw new PipelineError('bad-input', `stage "${stage.name}": out "${out.path || '.'}" is a folder that holds the pipeline itself`, out.where ?? stage.where,
          'outs must be files or folders that do not contain the pipeline file');
      }
      const other = owner.get(out.path);
      if (other) {
        throw new PipelineError('out-conflict',
          other.stage === stage.name ? `stage "${stage.name}" lists out "${out.path}" twice` : `stages "${other.stage}" and "${stage.name}" both write "${out.path}"`,
          out.where ?? stage.where, 'every file or folder has one stage that writes it');
      }
      owner.set(out.path, { stage: stage.name, where: out.where });
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
function topologicalOrder(names: readonly string[], upstream: ReadonlyMap<string, ReadonlySet<string>>): string[] {
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
        throw new PipelineError('cycle', `the pipeline has a cycle: ${cycle.join(' -> ')}`, undefined,
          'a stage cannot depend, directly or through others, on its own outs');
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
