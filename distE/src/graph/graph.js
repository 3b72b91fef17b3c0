/**
 * The pipeline graph: every stage resolved, edges found, and everything that can be wrong with it
 * checked before anything runs. A built graph is immutable.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkSpace, expandSweep, instanceNames } from '../define/sweep.js';
import { NO_OVERRIDES } from '../define/overrides.js';
import { PipelineError, closestName } from '../errors.js';
import { resolveStage, writtenPaths } from './resolve.js';
export function buildGraph(input, overrides = NO_OVERRIDES, options = {}) {
    const declaration = Object.keys(overrides.global).length && input.withGlobalOverrides
        ? input.withGlobalOverrides(overrides.global) : input;
    const seen = new Map();
    for (const stage of declaration.stages) {
        const first = seen.get(stage.name);
        if (first) {
            throw new PipelineError('duplicate-stage', `two stages are named "${stage.name}"`, stage.where ?? first.where, 'give each stage its own name');
        }
        seen.set(stage.name, stage);
    }
    const sweeps = new Map();
    const resolved = [];
    for (const stage of declaration.stages) {
        const instances = instancesOf(declaration, stage, overrides.stages.get(stage.name) ?? {}, options);
        if (stage.sweep)
            sweeps.set(stage.name, instances.map((i) => i.name));
        resolved.push(...instances);
    }
    const byName = new Map(resolved.map((s) => [s.name, s]));
    // A collecting stage reads every out of every instance: they are its deps, which makes the edges
    // and puts their content in its fingerprint. A generated sweep's instances come later: the edge
    // goes to its node, and the scheduler adds the rest.
    for (const [i, stage] of resolved.entries()) {
        const collected = Object.values(stage.collects).flatMap((of) => (sweeps.get(of) ?? [of]).map((n) => byName.get(n))).filter((n) => !n.generated);
        if (collected.length)
            resolved[i] = withCollectedDeps(stage, collected);
    }
    const producers = indexOuts(resolved);
    const upstream = new Map(resolved.map((s) => [s.name, new Set()]));
    for (const stage of resolved) {
        const edges = upstream.get(stage.name);
        for (const [key, input] of Object.entries(stage.inputs)) {
            if (sweeps.has(input.stage)) {
                throw new PipelineError('bad-input', `stage "${stage.name}": input "${key}" reads one out of "${input.stage}", which is a sweep of many instances`, stage.where, `collect them all with \`${key}: ${input.stage}.all\` (or a \`collect\` stage) instead`);
            }
            edges.add(input.stage);
        }
        for (const of of Object.values(stage.collects))
            for (const name of sweeps.get(of) ?? [of])
                edges.add(name);
        for (const dep of stage.deps) {
            const from = producers.producersOf(dep.path);
            for (const producer of from)
                edges.add(producer);
            if (from.length === 0 && !options.structureOnly && !existsSync(join(declaration.root, dep.path))) {
                const guess = closestName(dep.path, producers.paths());
                throw new PipelineError('missing-dep', `stage "${stage.name}": dep "${dep.path}" does not exist and no stage produces it`, dep.where ?? stage.where, guess ? `did you mean "${guess}"?` : 'create the file, or add a stage that lists it in its outs');
            }
        }
    }
    const order = topologicalOrder(resolved.map((s) => s.name), upstream);
    const downstream = new Map(order.map((name) => [name, []]));
    for (const name of order)
        for (const up of upstream.get(name))
            downstream.get(up).push(name);
    for (const [i, stage] of resolved.entries())
        byName.set(stage.name, resolved[i]);
    const position = new Map(order.map((name, i) => [name, i]));
    const sortByOrder = (names) => [...names].sort((a, b) => position.get(a) - position.get(b));
    const nodes = new Map(order.map((name) => [name, Object.freeze({
            ...byName.get(name),
            upstream: sortByOrder(upstream.get(name)),
            downstream: sortByOrder(downstream.get(name)),
        })]));
    return Object.freeze({ declaration, order, nodes, sweeps });
}
/** A stage's instances: itself, or one per point of its sweep (a generated sweep: one node for all). */
function instancesOf(declaration, stage, overrides, options) {
    const paramsWith = (more) => (options.structureOnly ? { ...more } : stage.resolveParams({ ...overrides, ...more }));
    const sweep = stage.sweep;
    if (!sweep)
        return [resolveStage(declaration, stage, paramsWith({}))];
    const where = sweep.where ?? stage.where;
    const problem = checkSpace(sweep);
    if (problem)
        throw new PipelineError('bad-sweep', `stage "${stage.name}": sweep ${problem}`, where);
    for (const key of Object.keys(sweep.space)) {
        if (!stage.paramKeys.includes(key)) {
            const guess = closestName(key, stage.paramKeys);
            throw new PipelineError('bad-sweep', `stage "${stage.name}": sweep space names "${key}", which is not one of its params`, where, guess ? `did you mean "${guess}"?` : stage.paramKeys.length ? `its params are: ${stage.paramKeys.join(', ')}` : 'declare the param first');
        }
    }
    // A key set with -S is fixed for this run: its dimension is dropped.
    const space = Object.fromEntries(Object.entries(sweep.space).map(([key, entry]) => [key, Object.hasOwn(overrides, key) ? { kind: 'value', value: overrides[key] } : entry]));
    if (sweep.generate)
        return [resolveStage(declaration, stage, paramsWith({}), { name: stage.name, generated: true, space })];
    const points = expandSweep({ ...sweep, space }).slice(0, options.sweepLimit);
    const names = instanceNames(stage.name, space, points);
    return points.map((point, i) => resolveStage(declaration, stage, paramsWith(point.values), { name: names[i], values: point.values }));
}
export function withCollectedDeps(stage, instances) {
    const seen = new Set(stage.deps.map((d) => d.path));
    const deps = [...stage.deps];
    for (const instance of instances) {
        for (const out of writtenPaths(instance)) {
            if (!seen.has(out.path))
                deps.push({ path: out.path, where: out.where });
            seen.add(out.path);
        }
    }
    return { ...stage, deps, collectedDeps: deps.length - stage.deps.length + (stage.collectedDeps ?? 0) };
}
/** Indexes every written path; rejects two stages writing one path or one path inside another's. */
function indexOuts(stages) {
    const owner = new Map();
    for (const stage of stages) {
        for (const out of writtenPaths(stage)) {
            // Outs may lie above the pipeline file (a dvc.yaml in a sub-folder of its repository writes
            // `../data`), but an out cannot be the project folder itself.
            if (out.path === '' || /^(\.\.\/)*\.\.$/.test(out.path)) {
                throw new PipelineError('bad-input', `stage "${stage.name}": out "${out.path || '.'}" is a folder that holds the pipeline itself`, out.where ?? stage.where, 'outs must be files or folders that do not contain the pipeline file');
            }
            const other = owner.get(out.path);
            if (other && other.of === stage.of && other.stage !== stage.name) {
                throw new PipelineError('out-conflict', `sweep "${stage.of}": instances "${other.stage}" and "${stage.name}" both write "${out.path}"`, out.where ?? stage.where, `template the path with the swept params so each instance writes its own, e.g. "${out.path}-\${params.${Object.keys(stage.values ?? {})[0] ?? 'x'}}"`);
            }
            if (other) {
                throw new PipelineError('out-conflict', other.stage === stage.name ? `stage "${stage.name}" lists out "${out.path}" twice` : `stages "${other.stage}" and "${stage.name}" both write "${out.path}"`, out.where ?? stage.where, 'every file or folder has one stage that writes it');
            }
            owner.set(out.path, { stage: stage.name, of: stage.of, where: out.where });
        }
    }
    const sorted = [...owner.keys()].sort();
    for (const path of sorted) {
        for (const ancestor of ancestors(path)) {
            const outer = owner.get(ancestor);
            if (outer) {
                const inner = owner.get(path);
                throw new PipelineError('out-overlap', `out "${path}" of stage "${inner.stage}" lies inside out "${ancestor}" of stage "${outer.stage}"`, inner.where, 'outs may not overlap: write to a path outside the other out, or make it one out');
            }
        }
    }
    return {
        producersOf(path) {
            const found = new Set();
            const exact = owner.get(path);
            if (exact)
                found.add(exact.stage);
            for (const ancestor of ancestors(path)) {
                const o = owner.get(ancestor);
                if (o)
                    found.add(o.stage);
            }
            // Outs inside a dep folder: the sorted list puts them right after `path/`.
            const prefix = `${path}/`;
            for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i].startsWith(prefix); i++)
                found.add(owner.get(sorted[i]).stage);
            return [...found];
        },
        paths: () => sorted,
    };
}
function ancestors(path) {
    const parts = path.split('/');
    return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}
function lowerBound(sorted, key) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
/**
 * Depth-first, taking stages in declaration order and each one's upstream first: O(stages +
 * edges), and the order keeps the declaration's wherever the edges allow. A back edge is a cycle,
 * reported as the path around it in the direction data flows.
 */
function topologicalOrder(names, upstream) {
    const index = new Map(names.map((n, i) => [n, i]));
    const state = new Map();
    const order = [];
    const path = [];
    const visit = (name) => {
        state.set(name, 'open');
        path.push(name);
        const ups = [...upstream.get(name)].sort((a, b) => index.get(a) - index.get(b));
        for (const up of ups) {
            const seen = state.get(up);
            if (seen === 'open') {
                const cycle = [...path.slice(path.indexOf(up)), up].reverse();
                throw new PipelineError('cycle', `the pipeline has a cycle: ${cycle.join(' -> ')}`, undefined, 'a stage cannot depend, directly or through others, on its own outs');
            }
            if (seen === undefined)
                visit(up);
        }
        path.pop();
        state.set(name, 'done');
        order.push(name);
    };
    for (const name of names)
        if (!state.has(name))
            visit(name);
    return order;
}
//# sourceMappingURL=graph.js.map