/**
 * What `runs`, `show`, `diff` and `metrics` print, as data: tables of runs with the params that
 * differ between them and their metrics (like `dvc exp show`), and diffs of two runs with deltas.
 */
import { flattenParams } from '../define/interpolate.js';
import type { InstanceRecord, RunRecord, RunStore, SweepSummary } from '../store/run-store.js';

export interface RunRow {
  readonly id: number;
  readonly name: string;
  readonly status: RunRecord['status'];
  readonly startedAt: number;
  readonly durationMs?: number;
  readonly gitCommit?: string;
  readonly gitDirty?: boolean;
  readonly version?: string;
  readonly counts?: Readonly<Record<string, number>>;
  /** `stage.param` → value, for params that differ between the runs listed. */
  readonly params: Readonly<Record<string, unknown>>;
  /** `stage.metric` → value. */
  readonly metrics: Readonly<Record<string, unknown>>;
  /** Each swept stage: its instance count and the range of its first metric. */
  readonly sweeps: readonly SweepSummary[];
}

/** Flattened `stage.key` → value of each whole stage's params (or metrics) in a run. */
function flatten(instances: readonly InstanceRecord[], pick: 'params' | 'metrics'): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const instance of instances) for (const [key, value] of flattenParams(instance[pick] ?? {})) out.set(`${instance.name}.${key}`, value);
  return out;
}

export function runRows(store: RunStore, runs: readonly RunRecord[]): RunRow[] {
  const stages = store.stageInstances(runs.map((r) => r.id));
  const params = new Map(runs.map((r) => [r.id, flatten(stages.get(r.id)!, 'params')]));
  const metrics = new Map(runs.map((r) => [r.id, flatten(stages.get(r.id)!, 'metrics')]));
  // Only params that differ between the runs shown say anything; with one run, all of them.
  const keys = [...new Set([...params.values()].flatMap((p) => [...p.keys()]))];
  const varying = runs.length < 2 ? keys : keys.filter((k) => new Set(runs.map((r) => JSON.stringify(params.get(r.id)!.get(k)))).size > 1);
  return runs.map((run) => ({
    id: run.id,
    name: run.name,
    status: run.status,
    startedAt: run.startedAt,
    ...(run.endedAt === undefined ? {} : { durationMs: run.endedAt - run.startedAt }),
    ...(run.gitCommit === undefined ? {} : { gitCommit: run.gitCommit, gitDirty: run.gitDirty }),
    ...(run.version === undefined ? {} : { version: run.version }),
    ...(run.counts === undefined ? {} : { counts: run.counts }),
    params: Object.fromEntries(varying.map((k) => [k, params.get(run.id)!.get(k)])),
    metrics: Object.fromEntries(metrics.get(run.id)!),
    sweeps: store.sweepSummaries(run.id),
  }));
}

export interface ValueChange {
  readonly instance: string;
  readonly key: string;
  readonly a: unknown;
  readonly b: unknown;
  /** b − a, for numbers. */
  readonly delta?: number;
}

export interface RunDiff {
  readonly a: { readonly id: number; readonly name: string };
  readonly b: { readonly id: number; readonly name: string };
  readonly params: readonly ValueChange[];
  readonly metrics: readonly ValueChange[];
  /** Instances only in b, and only in a. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** What changed from run a to run b; `all` keeps unchanged metrics too (with delta 0). */
export function diffRuns(store: RunStore, a: RunRecord, b: RunRecord, options: { all?: boolean } = {}): RunDiff {
  const before = new Map(store.instances(a.id).map((i) => [i.name, i]));
  const after = new Map(store.instances(b.id).map((i) => [i.name, i]));
  const params: ValueChange[] = [];
  const metrics: ValueChange[] = [];
  for (const [name, instance] of after) {
    const old = before.get(name);
    if (!old) continue;
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

function changes(instance: string, a: Record<string, unknown>, b: Record<string, unknown>, all: boolean): ValueChange[] {
  const left = new Map(flattenParams(a));
  const right = new Map(flattenParams(b));
  const out: ValueChange[] = [];
  for (const key of new Set([...left.keys(), ...right.keys()])) {
    const x = left.get(key);
    const y = right.get(key);
    const same = JSON.stringify(x) === JSON.stringify(y);
    if (same && !all) continue;
    out.push({ instance, key, a: x, b: y, ...(typeof x === 'number' && typeof y === 'number' ? { delta: y - x } : {}) });
  }
  return out;
}
