/**
 * One stage resolved: its paths as every command reads them (relative to the project root, posix,
 * normalized), its inputs, the executor it runs on, and the paths it writes.
 */
import { strict as assert } from 'node:assert';
import { basename } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { stage } from '../../src/define/stage.js';
import { grid } from '../../src/define/sweep.js';
import { normalizePath, writtenPaths } from '../../src/graph/resolve.js';
import { cmd, rejection, tsGraph, yamlGraph } from '../helpers/graphs.js';

const node = (graph: ReturnType<typeof tsGraph>, name: string) => graph.nodes.get(name)!;

describe('paths', () => {
  it('are relative to the project root with posix separators, normalized', () => {
    const root = '/home/me/proj';
    assert.equal(normalizePath('./data//raw/', 's', undefined, root), 'data/raw');
    assert.equal(normalizePath('data\\raw\\x.csv', 's', undefined, root), 'data/raw/x.csv');
    assert.equal(normalizePath('a/../b', 's', undefined, root), 'b');
    assert.equal(normalizePath('.', 's', undefined, root), '');
    assert.equal(normalizePath('./', 's', undefined, root), '');
    assert.equal(normalizePath('../proj/x', 's', undefined, root), 'x', 'one path, one spelling');
    assert.equal(normalizePath('../proj', 's', undefined, root), '');
    assert.equal(normalizePath('../other/x', 's', undefined, root), '../other/x');
    assert.equal(normalizePath('../../x/', 's', undefined, root), '../../x');
    assert.equal(normalizePath('x/../../proj/y', 's', undefined, root), 'y');
  });

  it('rejects an absolute path, naming the stage and where it is written', () => {
    const where = { file: 'pipewright.yaml', line: 3, col: 5 };
    const err = rejection(() => normalizePath('/data/x', 'prep', where, '/p'));
    assert.equal(err.code, 'bad-input');
    assert.equal(err.message, 'stage "prep": path "/data/x" is absolute');
    assert.deepEqual(err.where, where);
    assert.equal(err.hint, 'write paths relative to the pipeline file');
  });

  it('resolves a stage\'s deps and outs in its wdir, with their options', () => {
    const graph = yamlGraph(`stages:
  prep:
    cmd: python prep.py
    wdir: src
    deps: [prep.py, ../data/in.csv, "https://example.com/x.csv"]
    outs:
      - ../data/raw/
      - ../data/cache.db:
          cache: false
          persist: true
      - s3://bucket/out
    metrics: [m.json]
    plots:
      - p.csv:
          x: step
          y: loss
`, { 'src/prep.py': '', 'data/in.csv': '' });
    const prep = node(graph, 'prep');
    assert.deepEqual(prep.deps, [
      { path: 'src/prep.py', where: prep.deps[0]!.where },
      { path: 'data/in.csv', where: prep.deps[1]!.where },
      { path: 'https://example.com/x.csv', external: true, where: prep.deps[2]!.where },
    ]);
    assert.deepEqual(prep.deps.map((d) => d.where?.line), [5, 5, 5]);
    assert.deepEqual(prep.outs.map(({ where, ...o }) => o), [
      { path: 'data/raw', name: '../data/raw/', cache: true },
      { path: 'data/cache.db', cache: false, persist: true, name: '../data/cache.db' },
      { path: 's3://bucket/out', external: true, name: 's3://bucket/out', cache: true },
    ]);
    assert.deepEqual(prep.outs.map((o) => o.where?.line), [7, 8, 11]);
    assert.deepEqual(prep.metrics.map(({ where, ...m }) => m), [{ path: 'src/m.json' }]);
    assert.deepEqual(prep.plots.map((p) => [p.path, p.plot?.x, p.plot?.y]), [['src/p.csv', 'step', ['loss']]]);
    assert.equal(prep.wdir, 'src');
    assert.equal(prep.missing, undefined, 'every dep is there or external');
  });

  it('templates paths with the params', () => {
    const graph = tsGraph([stage('t', cmd('t', { params: z.object({ lr: z.number().default(0.5) }), deps: ['in-${params.lr}'], outs: { m: 'model-${params.lr}/' } }))]);
    assert.deepEqual(node(graph, 't').deps.map((d) => d.path), ['in-0.5']);
    assert.deepEqual(node(graph, 't').outs.map((o) => o.path), ['model-0.5']);
  });
});

describe('params in paths', () => {
  it('are inserted as they are, not shell-quoted as in a command', () => {
    const graph = yamlGraph('stages:\n  t:\n    cmd: echo ${params.name}\n    params: [name]\n    outs: ["out-${params.name}.txt"]\n', { 'params.yaml': 'name: big model\n' });
    assert.deepEqual(node(graph, 't').outs.map((o) => o.path), ['out-big model.txt']);
    assert.equal(node(graph, 't').command, "echo 'big model'");
  });

  it('rejects a value that would change the folder, naming the stage and the line', () => {
    const err = rejection(() => yamlGraph('stages:\n  t:\n    cmd: echo\n    params: [name]\n    deps:\n      - "in/${params.name}"\n', { 'params.yaml': 'name: ../up\n' }));
    assert.equal(err.code, 'interpolation');
    assert.equal(err.message, 'stage "t": ${params.name} = "../up" may not be used in a path');
    assert.equal(err.where?.line, 6);
  });
});

describe('named inputs', () => {
  it('read another stage\'s out at its normalized path', () => {
    const prepare = stage('prepare', cmd('p', { outs: { train: './data//train.csv' } }));
    const graph = tsGraph([prepare, stage('fit', cmd('f', { inputs: { rows: prepare.outs.train } }))]);
    assert.deepEqual(node(graph, 'fit').inputs, { rows: { stage: 'prepare', out: 'train', path: 'data/train.csv' } });
    assert.deepEqual(node(graph, 'fit').collects, {});
    assert.deepEqual(node(graph, 'fit').upstream, ['prepare']);
  });

  it('`stage.all` collects every instance rather than reading one out', () => {
    const train = stage('train', cmd('t', { params: z.object({ lr: z.number().default(1) }), sweep: { space: { lr: grid([1, 2]) } }, outs: { m: 'm-${params.lr}' } }));
    const graph = tsGraph([train, stage('report', cmd('r', { inputs: { runs: train.all } }))]);
    assert.deepEqual(node(graph, 'report').inputs, {});
    assert.deepEqual(node(graph, 'report').collects, { runs: 'train' });
  });

  it('rejects an input from a stage not in the pipeline, with the closest name', () => {
    const prepare = stage('prepare', cmd('p', { outs: { train: 'train.csv' } }));
    const err = rejection(() => tsGraph([stage('prepar', cmd('p')), stage('fit', cmd('f', { inputs: { rows: prepare.outs.train } }))]));
    assert.equal(err.code, 'bad-input');
    assert.equal(err.message, 'stage "fit": input "rows" comes from stage "prepare", which is not in the pipeline');
    assert.equal(err.hint, 'did you mean "prepar"? Otherwise add "prepare" to the pipeline\'s stage list');
    assert.match(err.where!.file, /pipewright\.ts$/);
  });

  it('rejects an input from a stage not in the pipeline, nothing close', () => {
    const prepare = stage('prepare', cmd('p', { outs: { train: 'train.csv' } }));
    const err = rejection(() => tsGraph([stage('zzz', cmd('p')), stage('fit', cmd('f', { inputs: { rows: prepare.outs.train } }))]));
    assert.equal(err.hint, 'add "prepare" to the pipeline\'s stage list');
  });

  it('rejects an input naming an out its stage does not declare', () => {
    const written = stage('prepare', cmd('p', { outs: { train: 'train.csv' } }));
    const declared = stage('prepare', cmd('p', { outs: { test: 'test.csv' } }));
    const err = rejection(() => tsGraph([declared, stage('fit', cmd('f', { inputs: { rows: written.outs.train } }))]));
    assert.equal(err.code, 'bad-input');
    assert.equal(err.message, 'stage "fit": input "rows" names out "train", which stage "prepare" does not declare');
    assert.match(err.where!.file, /pipewright\.ts$/);
  });
});

describe('the executor a stage runs on', () => {
  it('cmd stages in a child process, TS stages on a thread unless they ask, bullmq for either when asked', () => {
    const graph = tsGraph([
      stage('c', cmd('true')),
      stage('c-threads', cmd('true', { executor: 'threads' })),
      stage('c-bull', cmd('true', { executor: 'bullmq' })),
      stage('t', { run: () => {} }),
      stage('t-inline', { run: () => {}, executor: 'inline' }),
      stage('t-proc', { run: () => {}, executor: 'processes' }),
      stage('t-bull', { run: () => {}, executor: 'bullmq' }),
    ]);
    assert.deepEqual(graph.order.map((n) => [n, node(graph, n).executor, node(graph, n).kind]), [
      ['c', 'processes', 'cmd'], ['c-threads', 'processes', 'cmd'], ['c-bull', 'bullmq', 'cmd'],
      ['t', 'threads', 'ts'], ['t-inline', 'inline', 'ts'], ['t-proc', 'processes', 'ts'], ['t-bull', 'bullmq', 'ts'],
    ]);
  });
});

describe('what a resolved stage carries', () => {
  it('its declared fields, the command with params inserted, and controls only when set', () => {
    const graph = tsGraph([
      stage('a', cmd('echo ${params.n}', { params: z.object({ n: z.number().default(3) }), desc: 'says n', alwaysChanged: true, frozen: true, retries: 2 })),
      stage('b', { run: () => {} }),
    ]);
    const a = node(graph, 'a');
    assert.equal(a.name, 'a');
    assert.equal(a.of, 'a');
    assert.equal(a.command, 'echo 3');
    assert.deepEqual(a.params, { n: 3 });
    assert.equal(a.desc, 'says n');
    assert.equal(a.alwaysChanged, true);
    assert.equal(a.frozen, true);
    assert.equal(a.controls?.retry?.limit, 2);
    assert.equal(a.wdir, '');
    assert.equal('values' in a, false);
    assert.equal('generated' in a, false);
    const b = node(graph, 'b');
    assert.equal(b.command, undefined);
    assert.equal(b.alwaysChanged, false);
    assert.equal(b.frozen, false);
    assert.equal('controls' in b, false);
    assert.equal('fileOverrides' in b, false);
  });

  it('a dvc.yaml stage keeps the params-file overrides it was templated with', async () => {
    const { dvcGraph } = await import('../helpers/graphs.js');
    const graph = dvcGraph('stages:\n  a:\n    cmd: echo ${lr}\n    params: [lr]\n', { 'params.yaml': 'lr: 1\n' }, ['lr=2']);
    assert.equal(node(graph, 'a').command, 'echo 2');
    assert.deepEqual(node(graph, 'a').fileOverrides, { lr: 2 });
  });

  it('a generated sweep\'s node writes nothing but keeps its deps', () => {
    const graph = tsGraph([stage('g', cmd('g', {
      params: z.object({ lr: z.number().default(1) }), sweep: { space: { lr: grid([1, 2]) }, generate: async function* () {} },
      deps: ['in.csv'], outs: { m: 'm-${params.lr}' }, metrics: 'metrics-${params.lr}.json', plots: ['p-${params.lr}.csv'],
    }))]);
    const g = node(graph, 'g');
    assert.deepEqual([g.outs, g.metrics, g.plots], [[], [], []]);
    assert.deepEqual(g.deps.map((d) => d.path), ['in.csv']);
    assert.equal(g.generated, true);
    assert.deepEqual(writtenPaths(g), []);
  });

  it('top-level metrics files belong to the stage whose outs hold them', () => {
    const graph = yamlGraph(`metrics: [eval/scores.json, model.json, evaluation/x.json]
stages:
  eval:
    cmd: mkdir -p eval
    outs: [eval, eval.log]
  model:
    cmd: touch model.json
    outs: [model.json]
  other:
    cmd: touch o
    outs: [o]
`);
    assert.deepEqual(node(graph, 'eval').pipelineMetrics, ['eval/scores.json']);
    assert.deepEqual(node(graph, 'model').pipelineMetrics, ['model.json']);
    assert.equal('pipelineMetrics' in node(graph, 'other'), false);
  });
});

describe('the paths a stage writes', () => {
  it('outs, then metrics and plots files not inside an out; URLs are written elsewhere', () => {
    const graph = yamlGraph(`stages:
  train:
    cmd: train
    outs: [models, s3://bucket/m]
    metrics:
      - models/metrics.json
      - scores.json:
          cache: false
    plots: [models/p.csv, loss.csv, https://example.com/p.csv, models-p.csv]
`);
    const written = writtenPaths(node(graph, 'train'));
    assert.deepEqual(written.map((w) => [w.path, w.name, w.cache]), [
      ['models', 'models', true], ['scores.json', 'scores.json', false], ['loss.csv', 'loss.csv', true], ['models-p.csv', 'models-p.csv', true],
    ]);
  });

  it('an instance of a sweep is named for its point and writes its own paths', () => {
    const graph = tsGraph([stage('t', cmd('t', { params: z.object({ lr: z.number().default(1) }), sweep: { space: { lr: grid([1, 2]) } }, outs: { m: 'm-${params.lr}' } }))]);
    assert.deepEqual(graph.order.map((n) => [n, node(graph, n).of, node(graph, n).values, writtenPaths(node(graph, n)).map((w) => w.path)]), [
      ['t@lr=1', 't', { lr: 1 }, ['m-1']], ['t@lr=2', 't', { lr: 2 }, ['m-2']],
    ]);
    assert.equal(basename(graph.declaration.file), 'pipewright.ts');
  });
});
