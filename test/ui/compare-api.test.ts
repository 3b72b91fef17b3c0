/**
 * The compare page's routes on two real runs (compare-fixture.ts): values and deltas against the
 * first run, the plots as `pipewright plots` overlays them, a sweep's parallel coordinates, the
 * significance of `pipewright analyze --json` (computed once, then from memory), 400s for bad
 * queries, chunks served by name only, and nothing written to the project.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { useProjects, type TestProject } from '../helpers/project.js';
import { COMPARE_FILES, recordCompareRuns } from './compare-fixture.js';
import { rawGet, signIn, startUi, type RunningUi } from './helpers.js';

const project = useProjects();

interface Row { instance: string; key: string; values: unknown[]; deltas: (number | null)[] }

/** Every file of the project (but the store's database, which SQLite may touch on opening) and its size and mtime. */
function snapshot(p: TestProject): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.name === 'node_modules' || /^runs\.db/.test(entry.name)) continue;
      if (entry.isDirectory()) walk(path);
      else out[relative(p.dir, path)] = `${statSync(path).size} ${statSync(path).mtimeMs}`;
    }
  };
  walk(p.dir);
  return out;
}

describe('pipewright ui: compare, plots and significance', () => {
  let p: TestProject;
  let ui: RunningUi;
  let cookie: string;
  let before_: Record<string, string>;
  /** Where the CLI's own plots go: outside the project, whose files must not change. */
  const out = mkdtempSync(join(tmpdir(), 'pw-ui-compare-'));
  const get = (target: string) => rawGet(ui.port, target, { cookie });
  const json = async <T>(target: string): Promise<T> => {
    const reply = await get(target);
    assert.equal(reply.status, 200, `${target}: ${reply.body}`);
    return JSON.parse(reply.body) as T;
  };

  before(async () => {
    p = project(COMPARE_FILES);
    await recordCompareRuns(p);
    before_ = snapshot(p);
    ui = await startUi(p);
    cookie = await signIn(ui);
  });
  after(async () => {
    await ui?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('compares runs against the first: the params that differ, every metric, deltas', async () => {
    const body = await json<{ runs: { id: number; name: string; sweeps: { stage: string; count: number }[] }[]; params: Row[]; metrics: Row[]; partial: unknown[] }>('/api/compare?runs=1,2');
    assert.deepEqual(body.runs.map((r) => [r.id, r.name]), [[1, 'first'], [2, 'second']]);
    assert.deepEqual(body.runs[1]!.sweeps.map((s) => [s.stage, s.count]), [['fit', 16]]);
    assert.deepEqual(body.params, [{ instance: 'evaluate', key: 'evaluate.lr', values: [0.1, 0.3], deltas: [0, 0.3 - 0.1] }]);
    const acc = body.metrics.find((m) => m.instance === 'evaluate' && m.key === 'acc')!;
    assert.deepEqual(acc.values, [0.9, 0.7]);
    assert.ok(Math.abs(acc.deltas[1]! + 0.2) < 1e-12, `delta ${acc.deltas[1]}`);
    // The sweep was cached by run #2: its 16 instances' metrics are there, unchanged.
    const scores = body.metrics.filter((m) => m.instance.startsWith('fit@') && m.key === 'score');
    assert.equal(scores.length, 16);
    assert.ok(scores.every((m) => m.deltas[1] === 0));
    assert.deepEqual(body.partial, []);
    // The first run listed is the one the others are measured from.
    const reversed = await json<{ metrics: Row[] }>('/api/compare?runs=2,1');
    const loss = reversed.metrics.find((m) => m.key === 'loss')!;
    assert.deepEqual(loss.values, [0.3, 0.1]);
    assert.ok(Math.abs(loss.deltas[1]! + 0.2) < 1e-12);
  });

  it('agrees with `pipewright diff --json` for two runs', async () => {
    const diff = JSON.parse((await p.run('diff', '1', '2', '--json')).stdout) as { params: { instance: string; key: string; a: unknown; b: unknown; delta?: number }[]; metrics: { key: string; delta?: number }[] };
    const body = await json<{ params: Row[]; metrics: Row[] }>('/api/compare?runs=1,2');
    assert.deepEqual(diff.params, body.params.map((r) => ({ instance: r.instance, key: r.key, a: r.values[0], b: r.values[1], delta: r.deltas[1] })));
    assert.deepEqual(diff.metrics.map((m) => [m.key, m.delta]), body.metrics.filter((m) => m.deltas[1] !== 0).map((m) => [m.key, m.deltas[1]]));
  });

  it('serves the runs\' plots overlaid as `pipewright plots` builds them, and by stage', async () => {
    const body = await json<{ plots: { id: string; spec: { title: string; data: { values: { run: string; x: number; y: number }[] } } }[] }>('/api/plots?runs=1,2');
    assert.deepEqual(body.plots.map((plot) => plot.id), ['curve.json']);
    const { spec } = body.plots[0]!;
    assert.equal(spec.title, 'Loss by step');
    const of = (run: string) => spec.data.values.filter((v) => v.run === run).map((v) => [v.x, v.y]);
    assert.deepEqual(of('#1 first'), [0, 1, 2, 3].map((step) => [step, 1 / (1 + 1 * step)]));
    assert.deepEqual(of('#2 second'), [0, 1, 2, 3].map((step) => [step, 1 / (1 + 3 * step)]));
    // The CLI draws the same chart from the same module: one plot of two runs.
    const cli = await p.run('plots', '1', '2', '-o', join(out, 'plots'));
    assert.match(cli.stdout, /1 plot of 2 runs/);
    assert.deepEqual((await json<{ plots: unknown[] }>('/api/plots?runs=2&stage=evaluate')).plots.length, 1);
    assert.deepEqual((await json<{ plots: unknown[] }>('/api/plots?runs=1,2&stage=fit')).plots, []);
  });

  it('draws a sweep in parallel coordinates against the metric asked for', async () => {
    const body = await json<{ metric: string; metrics: string[]; instances: number; spec: { layer: { data: { values: { axis: string; position: number; metric?: number }[] } }[] } }>('/api/runs/2/sweep?stage=fit');
    assert.equal(body.metric, 'score', 'the first numeric metric by default');
    assert.deepEqual(body.metrics, ['score', 'size']);
    assert.equal(body.instances, 16);
    const lines = body.spec.layer[1]!.data.values;
    assert.deepEqual([...new Set(lines.map((v) => v.axis))], ['a', 'b', 'score']);
    assert.equal(lines.length, 16 * 3);
    assert.ok(lines.every((v) => v.position >= 0 && v.position <= 1));
    const size = await json<{ metric: string; spec: { layer: { data: { values: { axis: string; position: number }[] } }[] } }>('/api/runs/2/sweep?stage=fit&metric=size');
    assert.equal(size.metric, 'size');
    assert.ok(size.spec.layer[1]!.data.values.filter((v) => v.axis === 'size').every((v) => v.position === 0.5), 'a constant metric sits mid-axis');
  });

  it('computes the significance as `pipewright analyze --json` does, once per run, stage and metric', async () => {
    const cli = await p.run('analyze', '2', '--stage', 'fit', '--metric', 'score', '--json', '-o', join(out, 'analysis'));
    assert.equal(cli.code, 0, cli.stderr);
    const expected = JSON.parse(cli.stdout) as { r2: number; ranking: unknown[]; instances: number; params: string[] };
    type Answer = { r2: number; ranking: { param: string }[]; instances: number; params: string[]; cached: boolean; spec: { data: { values: { param: string; importance: number }[] } } };
    const first = await json<Answer>('/api/runs/2/significance?stage=fit&metric=score');
    assert.equal(first.cached, false);
    assert.equal(first.r2, expected.r2);
    assert.deepEqual(first.ranking, expected.ranking);
    assert.equal(first.instances, 16);
    assert.deepEqual(first.ranking.map((r) => r.param), ['b', 'a']);
    assert.deepEqual(first.spec.data.values.map((v) => v.param), ['b', 'a'], 'the bar plot of analyze');
    const second = await json<Answer>('/api/runs/2/significance?stage=fit&metric=score');
    assert.equal(second.cached, true, 'the second call is answered from memory');
    assert.deepEqual({ ...second, cached: false }, first);
    // Another metric, or another run, is another analysis.
    assert.equal((await json<Answer>('/api/runs/1/significance?stage=fit&metric=score')).cached, false);
  });

  it('answers bad queries with 400 (or 404) and a message saying what is wrong', async () => {
    const cases: [string, number, RegExp][] = [
      ['/api/compare?runs=1', 400, /at least 2 run ids/],
      ['/api/compare', 400, /runs must be run ids separated by commas/],
      ['/api/compare?runs=1,x', 400, /runs must be run ids separated by commas \(runs=1,2\), got "1,x"/],
      ['/api/compare?runs=1,1', 400, /run #1 is listed twice/],
      ['/api/compare?runs=1,99', 404, /no run #99/],
      [`/api/compare?runs=${Array.from({ length: 21 }, (_, i) => i + 1).join(',')}`, 400, /at most 20 run ids/],
      ['/api/plots?runs=', 400, /runs must be run ids/],
      ['/api/plots?runs=1,2&stage=nope', 400, /no run of #1, #2 has stage "nope" \(stages: evaluate, fit\)/],
      ['/api/runs/2/sweep', 400, /stage is required/],
      ['/api/runs/2/sweep?stage=fit&metric=nope', 400, /no instance of "fit" in run #2 has a numeric metric "nope": its metrics: score, size/],
      ['/api/runs/2/significance?stage=fit', 400, /metric is required/],
      ['/api/runs/2/significance?metric=score', 400, /stage is required/],
      ['/api/runs/2/significance?stage=nope&metric=score', 400, /run #2 second has no instances of stage "nope": its stages: evaluate, fit/],
      ['/api/runs/2/significance?stage=evaluate&metric=acc', 400, /only 1 instance has the metric "acc": at least 3 are needed/],
      ['/api/runs/9/significance?stage=fit&metric=score', 404, /no run #9/],
    ];
    for (const [target, status, message] of cases) {
      const reply = await get(target);
      assert.equal(reply.status, status, `${target}: ${reply.body}`);
      assert.match(reply.body, message, target);
    }
    // Without the cookie, nothing.
    assert.equal((await rawGet(ui.port, '/api/compare?runs=1,2')).status, 401);
  });

  it('serves the page\'s chunks by their names only, and wrote nothing into the project', async () => {
    const entry = (await get('/assets/ui-client.js')).body;
    const chunks = [...entry.matchAll(/"\.\/(ui-chunks\/[\w-]+\.js)"/g)].map((m) => m[1]!);
    assert.ok(chunks.length >= 2, `the entry imports its chunks: ${chunks.join(', ')}`);
    for (const chunk of chunks) {
      const reply = await get(`/assets/${chunk}`);
      assert.equal(reply.status, 200, chunk);
      assert.match(String(reply.headers['content-type']), /^text\/javascript/);
    }
    for (const target of ['/assets/ui-chunks/../../main.js', '/assets/ui-chunks/%2e%2e/main.js', '/assets/ui-chunks/', '/assets/ui-chunks/x.js', '/assets/main.js']) {
      assert.equal((await get(target)).status, 404, target);
    }
    assert.deepEqual(snapshot(p), before_);
  });
});

describe('pipewright ui: plots after the pipeline is edited', () => {
  it('reads the plot definitions again once the pipeline file changed', async () => {
    const p = project(COMPARE_FILES);
    await recordCompareRuns(p);
    const ui = await startUi(p);
    try {
      const cookie = await signIn(ui);
      const title = async () => (JSON.parse((await rawGet(ui.port, '/api/plots?runs=2&stage=evaluate', { cookie })).body) as { plots: { spec: { title: string } }[] }).plots[0]!.spec.title;
      assert.equal(await title(), 'Loss by step');
      p.write({ 'pipewright.yaml': COMPARE_FILES['pipewright.yaml'].replace('title: Loss by step', 'title: Loss per step') });
      assert.equal(await title(), 'Loss per step', 'not the definitions the UI read when it started');
    } finally {
      await ui.stop();
    }
  });
});
