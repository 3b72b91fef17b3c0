/**
 * One stage with its params fixed: paths normalized to the project root, the command built.
 * The graph builder and every executor resolve a stage through this one function, so that an
 * instance means the same thing wherever it runs.
 */
import { posix, relative, resolve, sep } from 'node:path';
import { declaredStage } from '../define/declaration.js';
import { interpolate } from '../define/interpolate.js';
import { PipelineError, closestName } from '../errors.js';
export function resolveStage(pipeline, stage, params, instance = { name: stage.name }) {
    const path = (p) => ({
        path: normalizePath(interpolate(p.path, params, { stage: stage.name, mode: 'path', where: p.where }), stage.name, p.where, pipeline.root),
        where: p.where,
        ...(p.cache === false ? { cache: false } : {}),
        ...(p.persist ? { persist: true } : {}),
        ...(p.plot ? { plot: p.plot } : {}),
    });
    const inputs = {};
    const collects = {};
    for (const [key, input] of Object.entries(stage.inputs)) {
        const producer = declaredStage(pipeline, input.stage);
        if (!producer) {
            const guess = closestName(input.stage, pipeline.stages.map((s) => s.name));
            throw new PipelineError('bad-input', `stage "${stage.name}": input "${key}" comes from stage "${input.stage}", which is not in the pipeline`, stage.where, guess ? `did you mean "${guess}"? Otherwise add "${input.stage}" to the pipeline's stage list` : `add "${input.stage}" to the pipeline's stage list`);
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
    const written = (list) => (instance.generated ? [] : list.map(path));
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
        executor: stage.kind === 'cmd' ? 'processes' : stage.executor ?? 'threads',
        alwaysChanged: stage.alwaysChanged,
        frozen: stage.frozen,
        params,
        command: stage.command?.(params),
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
export function normalizePath(raw, stage, where, root) {
    if (posix.isAbsolute(raw)) {
        throw new PipelineError('bad-input', `stage "${stage}": path "${raw}" is absolute`, where, 'write paths relative to the pipeline file');
    }
    let normalized = posix.normalize(raw.replaceAll('\\', '/')).replace(/\/+$/, '');
    // `../<this folder>/x` (a stage with `wdir: ..`) is `x`: one path, one spelling.
    if (normalized.startsWith('../'))
        normalized = relative(root, resolve(root, normalized)).split(sep).join('/');
    return normalized === '.' ? '' : normalized;
}
/**
 * Every path a stage writes: outs, metrics and plots files. A metrics or plots file inside one of
 * the stage's own out folders (`models/x/metrics.json` beside `models/x`) is part of that out.
 */
export function writtenPaths(stage) {
    const named = (p) => ({ ...p, name: p.path, cache: p.cache !== false });
    const inOut = (p) => stage.outs.some((o) => p.path.startsWith(`${o.path}/`));
    return [...stage.outs, ...[...stage.metrics, ...stage.plots].filter((p) => !inOut(p)).map(named)];
}
//# sourceMappingURL=resolve.js.map