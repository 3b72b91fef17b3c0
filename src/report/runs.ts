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

/** One param or metric of one instance across N runs: its values, and each one's change from the first run's. */
export interface ValueRow {
  readonly instance: string;
  readonly key: string;
  /** Per run, in the order compared (undefined where the run has no such value). */
  readonly values: readonly unknown[];
  /** values[i] − values[0], where both are numbers. */
  readonly deltas: readonly (number | undefined)[];
}

export interface RunComparison {
  readonly runs: readonly { readonly id: number; readonly name: string }[];
  /** Params that differ between the runs, of the instances every run has. */
  readonly params: readonly ValueRow[];
  /** Metrics that differ (all of them with `all`), of the instances every run has. */
  readonly metrics: readonly ValueRow[];
  /** Instances some runs lack: which runs (ids) have them. */
  readonly partial: readonly { readonly instance: string; readonly in: readonly number[] }[];
}

/**
 * What changed across runs, against the first: for the instances every run has (in the last run's
 * order), the params that differ and the metrics (those that differ, or all with `all`).
 */
export function compareRuns(store: RunStore, runs: readonly RunRecord[], options: { all?: boolean } = {}): RunComparison {
  const instances = runs.map((run) => new Map(store.instances(run.id).map((i) => [i.name, i])));
  const params: ValueRow[] = [];
  const metrics: ValueRow[] = [];
  for (const name of instances.at(-1)!.keys()) {
    const each = instances.map((m) => m.get(name));
    if (each.some((i) => i === undefined)) continue;
    params.push(...rows(name, each.map((i) => i!.params), false));
    metrics.push(...rows(name, each.map((i) => i!.metrics ?? {}), options.all === true));
  }
  const names = [...new Set(instances.flatMap((m) => [...m.keys()]))];
  const partial = names.map((instance) => ({ instance, in: runs.filter((_, r) => instances[r]!.has(instance)).map((r) => r.id) }))
    .filter((p) => p.in.length < runs.length);
  return { runs: runs.map((r) => ({ id: r.id, name: r.name })), params, metrics, partial };
}

/** What changed from run a to run b; `all` keeps unchanged metrics too (with delta 0). */
export function diffRuns(store: RunStore, a: RunRecord, b: RunRecord, options: { all?: boolean } = {}): RunDiff {
  const compared = compareRuns(store, [a, b], options);
  const pair = (row: ValueRow): ValueChange => ({
    instance: row.instance, key: row.key, a: row.values[0], b: row.values[1], ...(row.deltas[1] === undefined ? {} : { delta: row.deltas[1] }),
  });
  const only = (id: number) => compared.partial.filter((p) => p.in.length === 1 && p.in[0] === id).map((p) => p.instance);
  return {
    a: { id: a.id, name: a.name },
    b: { id: b.id, name: b.name },
    params: compared.params.map(pair),
    metrics: compared.metrics.map(pair),
    added: only(b.id),
    removed: only(a.id),
  };
}

function rows(instance: string, values: readonly Record<string, unknown>[], all: boolean): ValueRow[] {
  const flat = values.map((v) => new Map(flattenParams(v)));
  const out: ValueRow[] = [];
  for (const key of new Set(flat.flatMap((m) => [...m.keys()]))) {
    const each = flat.map((m) => m.get(key));
    const same = new Set(each.map((v) => JSON.stringify(v))).size === 1;
    if (same && !all) continue;
    const first = each[0];
    out.push({ instance, key, values: each, deltas: each.map((v) => (typeof first === 'number' && typeof v === 'number' ? v - first : undefined)) });
  }
  return out;
}
