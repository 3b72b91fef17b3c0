/**
 * What `runs`, `show`, `diff` and `metrics` print, as data: tables of runs with the params that
 * differ between them and their metrics (like `dvc exp show`), and diffs of two runs with deltas.
 */
import { flattenParams } from '../define/interpolate.js';
/** Flattened `stage.key` → value of each whole stage's params (or metrics) in a run. */
function flatten(instances, pick) {
    const out = new Map();
    for (const instance of instances)
        for (const [key, value] of flattenParams(instance[pick] ?? {}))
            out.set(`${instance.name}.${key}`, value);
    return out;
}
export function runRows(store, runs) {
    const stages = store.stageInstances(runs.map((r) => r.id));
    const params = new Map(runs.map((r) => [r.id, flatten(stages.get(r.id), 'params')]));
    const metrics = new Map(runs.map((r) => [r.id, flatten(stages.get(r.id), 'metrics')]));
    // Only params that differ between the runs shown say anything; with one run, all of them.
    const keys = [...new Set([...params.values()].flatMap((p) => [...p.keys()]))];
    const varying = runs.length < 2 ? keys : keys.filter((k) => new Set(runs.map((r) => JSON.stringify(params.get(r.id).get(k)))).size > 1);
    return runs.map((run) => ({
        id: run.id,
        name: run.name,
        status: run.status,
        startedAt: run.startedAt,
        ...(run.endedAt === undefined ? {} : { durationMs: run.endedAt - run.startedAt }),
        ...(run.gitCommit === undefined ? {} : { gitCommit: run.gitCommit, gitDirty: run.gitDirty }),
        ...(run.version === undefined ? {} : { version: run.version }),
        ...(run.counts === undefined ? {} : { counts: run.counts }),
        params: Object.fromEntries(varying.map((k) => [k, params.get(run.id).get(k)])),
        metrics: Object.fromEntries(metrics.get(run.id)),
        sweeps: store.sweepSummaries(run.id),
    }));
}
/** What changed from run a to run b; `all` keeps unchanged metrics too (with delta 0). */
export function diffRuns(store, a, b, options = {}) {
    const before = new Map(store.instances(a.id).map((i) => [i.name, i]));
    const after = new Map(store.instances(b.id).map((i) => [i.name, i]));
    const params = [];
    const metrics = [];
    for (const [name, instance] of after) {
        const old = before.get(name);
        if (!old)
            continue;
        params.push(...changes(name, old.params, instance.params, false));
        metrics.push(...changes(name, old.metrics ?? {}, instance.metrics ?? {}, options.all === true));
    }
    return {
        a: { id: a.id, name: a.name },
        b: { id: b.id, name: b.name },
        params,
        metrics,
        added: [...after.keys()].filter((n) => !before.has(n)),
        removed: [...before.keys()].filter((n) => !after.has(n)),
    };
}
function changes(instance, a, b, all) {
    const left = new Map(flattenParams(a));
    const right = new Map(flattenParams(b));
    const out = [];
    for (const key of new Set([...left.keys(), ...right.keys()])) {
        const x = left.get(key);
        const y = right.get(key);
        const same = JSON.stringify(x) === JSON.stringify(y);
        if (same && !all)
            continue;
        out.push({ instance, key, a: x, b: y, ...(typeof x === 'number' && typeof y === 'number' ? { delta: y - x } : {}) });
    }
    return out;
}
//# sourceMappingURL=runs.js.map