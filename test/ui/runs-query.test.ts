/**
 * The UI's runs query (SQL: filter, sort, page) against the naive way of making the same table:
 * every run loaded, filtered and sorted in memory, then `runRows` for the page. Whatever is done
 * in SQL for speed must give the same rows, in the same order, page after page.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runRows } from '../../src/report/runs.js';
import { RunStore, type InstanceRecord, type RunRecord } from '../../src/store/run-store.js';
import { RunsQueries, type RunsQuery } from '../../src/ui/runs-query.js';

const RUNS = 23;

/** Runs with ties, gaps and sweeps: evaluate's acc has two decimals (ties), some runs lack it. */
function fill(store: RunStore): void {
  for (let i = 0; i < RUNS; i++) {
    const startedAt = 1_700_000_000_000 + i * 60_000 + (i % 4) * 7_000;
    const name = i % 5 === 0 ? `gecko-${i}` : i === 7 ? 'fifty%off' : `run-${i}`;
    const { id } = store.startRun({ name, argv: ['run', '-S', `train.lr=${i % 3}`], host: i % 2 ? 'h1' : 'h2', ...(i % 3 ? { gitCommit: `c0ffee${i}` } : {}) }, startedAt);
    const sweep = i % 6 === 1;
    const records: InstanceRecord[] = [{ name: 'prepare', stage: 'prepare', params: { rows: 10 }, status: 'ran', durationMs: 5 }];
    if (sweep) {
      for (const lr of [0.1, 0.2, 0.3]) records.push({ name: `train@lr=${lr}`, stage: 'train', params: { lr, model: { depth: i % 4 } }, status: 'ran', metrics: { loss: lr / (i + 1) } });
    } else if (i % 7 !== 3) {
      records.push({ name: 'train', stage: 'train', params: { lr: (i % 5) / 10, model: { depth: i % 4 } }, status: 'ran', metrics: { loss: 1 / (i + 1) } });
    }
    // One run in four has no evaluate metrics (not run, or no evaluate at all).
    if (i % 4 === 2) records.push({ name: 'evaluate', stage: 'evaluate', params: {}, status: 'not-run' });
    else if (i % 4 !== 3) records.push({ name: 'evaluate', stage: 'evaluate', params: {}, status: 'ran', metrics: { acc: Math.round(((i * 37) % 10) * 10) / 100 } });
    if (i !== 9) store.recordInstances(id, records);
    const status = i % 8 === 5 ? 'failed' : 'succeeded';
    if (i !== RUNS - 1) store.finishRun(id, status, { ran: records.length }, {}, startedAt + 1_000 * ((i * 13) % 9));
  }
}

/** The value a sort key names, read from the run's instances as a person would. */
function valueOf(store: RunStore, run: RunRecord, key: string): unknown {
  switch (key) {
    case 'id': case 'name': case 'status': case 'startedAt': return run[key];
    case 'durationMs': return run.endedAt === undefined ? undefined : run.endedAt - run.startedAt;
  }
  const [kind, instance, ...path] = key.split('.');
  let value: unknown = store.instances(run.id).find((i) => i.name === instance)?.[kind as 'params' | 'metrics'];
  for (const part of path) value = value === undefined || value === null ? undefined : (value as Record<string, unknown>)[part];
  return value;
}

/** The page the naive way: all runs, filtered and sorted in memory (no value last, ties newest first). */
function naivePage(store: RunStore, query: RunsQuery): { total: number; runs: RunRecord[] } {
  const q = query.q?.toLowerCase();
  const matching = store.runs().filter((run) =>
    (!query.status || run.status === query.status) &&
    (!q || [run.name, run.status, JSON.stringify(run.argv), run.gitCommit ?? '', run.host].some((text) => text.toLowerCase().includes(q)) || String(run.id) === q.replace(/^#/, '')));
  const descending = query.sort.startsWith('-');
  const key = descending ? query.sort.slice(1) : query.sort;
  const sorted = matching.map((run) => ({ run, value: valueOf(store, run, key) })).sort((a, b) => {
    const missingA = a.value === undefined || a.value === null;
    const missingB = b.value === undefined || b.value === null;
    if (missingA !== missingB) return missingA ? 1 : -1;
    if (!missingA && a.value !== b.value) return ((a.value as number) < (b.value as number) ? -1 : 1) * (descending ? -1 : 1);
    return b.run.id - a.run.id;
  });
  return { total: matching.length, runs: sorted.slice(query.offset, query.offset + query.limit).map((s) => s.run) };
}

describe('the UI runs query', () => {
  let dir: string;
  let store: RunStore;
  let queries: RunsQueries;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pw-runs-query-'));
    store = new RunStore(join(dir, 'runs.db'));
    fill(store);
    queries = new RunsQueries(store);
  });
  after(() => {
    queries?.close();
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the naive table\'s rows, page by page, for every kind of sort, runs without the value last', () => {
    const sorts = ['id', 'name', 'status', 'startedAt', 'durationMs', 'metrics.evaluate.acc', 'metrics.train.loss', 'params.train.lr', 'params.train.model.depth'];
    for (const sort of [...sorts, ...sorts.map((s) => `-${s}`)]) {
      for (let offset = 0; offset < RUNS + 4; offset += 4) {
        const query = { offset, limit: 4, sort };
        const page = queries.page(query);
        const expected = naivePage(store, query);
        assert.equal(page.total, RUNS, sort);
        assert.deepEqual(page.rows.map((r) => r.id), expected.runs.map((r) => r.id), `${sort} from ${offset}`);
        assert.deepEqual(page.rows, runRows(store, expected.runs), `${sort} from ${offset}`);
      }
    }
  });

  it('puts runs without a metric last both ways, and breaks ties newest first', () => {
    const ids = (sort: string) => queries.page({ offset: 0, limit: RUNS, sort }).rows.map((r) => r.id);
    const acc = (id: number) => valueOf(store, store.run(id)!, 'metrics.evaluate.acc');
    for (const sort of ['metrics.evaluate.acc', '-metrics.evaluate.acc']) {
      const values = ids(sort).map(acc);
      const firstMissing = values.findIndex((v) => v === undefined);
      assert.ok(firstMissing > 0, sort);
      assert.ok(values.slice(firstMissing).every((v) => v === undefined), `${sort}: ${JSON.stringify(values)}`);
    }
    for (const sort of ['metrics.evaluate.acc', '-metrics.evaluate.acc']) {
      const byValue = new Map<unknown, number[]>();
      for (const id of ids(sort)) if (acc(id) !== undefined) byValue.set(acc(id), [...(byValue.get(acc(id)) ?? []), id]);
      const ties = [...byValue.values()].filter((group) => group.length > 1);
      assert.ok(ties.length > 0, 'the data has ties');
      for (const group of ties) assert.deepEqual(group, [...group].sort((a, b) => b - a), sort);
    }
  });

  it('filters by text and status the same way, with the page\'s param and metric columns', () => {
    for (const filter of [{ q: 'gecko' }, { q: 'GECKO' }, { q: '%' }, { q: 'c0ffee1' }, { q: '#3' }, { q: 'h1' }, { status: 'failed' }, { q: 'gecko', status: 'succeeded' }, { q: 'nothing-matches' }]) {
      for (const sort of ['-id', '-metrics.evaluate.acc', 'params.train.lr']) {
        const query = { offset: 0, limit: 5, sort, ...filter };
        const page = queries.page(query);
        const expected = naivePage(store, query);
        const label = JSON.stringify(query);
        assert.equal(page.total, expected.total, label);
        assert.deepEqual(page.rows, runRows(store, expected.runs), label);
        assert.deepEqual(page.metricKeys, [...new Set(page.rows.flatMap((r) => Object.keys(r.metrics)))], label);
      }
    }
    assert.equal(queries.page({ offset: 0, limit: 5, sort: '-id', q: '%' }).total, 1, 'a % is a character, not a wildcard');
  });

  it('runsById keeps the order asked for and leaves unknown ids out', () => {
    assert.deepEqual(store.runsById([5, 999, 2, 17]).map((r) => r.id), [5, 2, 17]);
    assert.deepEqual(store.runsById([]), []);
    assert.deepEqual(store.runsById([4]), [store.run(4)]);
  });
});
