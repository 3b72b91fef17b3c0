/**
 * The listing of resolved instances (what `list --json` and `show STAGE` print), and how a name
 * on the command line finds its instances, called directly on graphs of real pipeline files.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { pipeline, stage } from '../../src/define/stage.js';
import { declarePipeline } from '../../src/define/ts-pipeline.js';
import { grid } from '../../src/define/sweep.js';
import { loadYamlPipeline } from '../../src/define/yaml-pipeline.js';
import { buildGraph } from '../../src/graph/graph.js';
import { instancesNamed, listStage, listStages, stageNames, unknownStageError } from '../../src/graph/listing.js';
import { cmd, dvcGraph, folder, tsGraph, yamlGraph } from '../helpers/graphs.js';

const listed = (graph: ReturnType<typeof tsGraph>, name: string) => listStage(graph, graph.nodes.get(name)!);

describe('a listed instance', () => {
  it('a cmd stage of a pipewright.yaml: every field, paths from the root, where it is declared', () => {
    const graph = yamlGraph(`stages:
  prep:
    desc: prepares
    cmd: python prep.py \${params.size}
    wdir: src
    params: [size]
    deps: [prep.py]
    outs:
      - ../data/raw
      - ../data/cache.db:
          cache: false
          persist: true
      - s3://bucket/copy
    metrics: [m.json, ../data/raw/m.json]
    plots: [p.csv]
    frozen: true
    always_changed: true
    retries: 2
`, { 'src/prep.py': '', 'src/params.yaml': 'size: 7\n' });
    assert.deepEqual(listStages(graph), [{
      name: 'prep',
      kind: 'cmd',
      deps: ['src/prep.py'],
      outs: ['data/raw', 'data/cache.db', 'src/m.json', 'src/p.csv', 's3://bucket/copy'],
      upstream: [],
      desc: 'prepares',
      cmd: 'python prep.py 7',
      wdir: 'src',
      params: { size: 7 },
      inputs: {},
      metrics: ['src/m.json', 'data/raw/m.json'],
      plots: ['src/p.csv'],
      options: {
        frozen: true,
        alwaysChanged: true,
        executor: 'processes',
        outs: {
          'data/raw': { cache: true, persist: false },
          'data/cache.db': { cache: false, persist: true },
          'src/m.json': { cache: true, persist: false },
          'src/p.csv': { cache: true, persist: false },
          's3://bucket/copy': { cache: true, persist: false, external: true },
        },
        controls: graph.nodes.get('prep')!.controls,
      },
      where: { file: 'pipewright.yaml', line: 2, col: 3 },
    }]);
    assert.equal(graph.nodes.get('prep')!.controls?.retry?.limit, 2);
  });

  it('a position written relative to the working folder is made relative to the root', () => {
    const dir = folder({ 'sub/pipewright.yaml': 'stages:\n  a:\n    cmd: "true"\n' });
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const graph = buildGraph(loadYamlPipeline(join(dir, 'sub/pipewright.yaml')));
      assert.equal(graph.nodes.get('a')!.where?.file, 'sub/pipewright.yaml', 'as recorded: relative to the cwd');
      assert.deepEqual(listed(graph, 'a').where, { file: 'pipewright.yaml', line: 2, col: 3 });
      assert.equal(unknownStageError(graph, 'b').where?.file, 'pipewright.yaml');
    } finally {
      process.chdir(cwd);
    }
  });

  it('a TS stage: its module, no cmd, no position, and its named inputs', () => {
    const prepare = stage('prepare', {
      params: z.object({ seed: z.number().default(7) }), outs: { data: 'data/all.txt', side: 'side.txt' }, uncached: ['data'], run: () => {},
    });
    const fit = stage('fit', { inputs: { rows: prepare.outs.data }, deps: ['cfg.json'], outs: { model: 'model.bin' }, metrics: 'fit.json', run: () => {} });
    const graph = tsGraph([prepare, fit]);
    const list = listStages(graph);
    assert.deepEqual(list.map((l) => l.name), ['prepare', 'fit']);
    const [p, f] = list;
    assert.deepEqual(p!.ts, { module: 'pipewright.ts', stage: 'prepare' });
    assert.equal('cmd' in p!, false);
    assert.equal('where' in p!, false, 'a TS stage has no line: ts.module says where');
    assert.equal('of' in p!, false);
    assert.equal('desc' in p!, false);
    assert.equal('values' in p!, false);
    assert.equal('generated' in p!, false);
    assert.equal('collects' in p!, false);
    assert.equal('controls' in p!.options, false);
    assert.deepEqual(p!.options.outs, { 'data/all.txt': { cache: false, persist: false }, 'side.txt': { cache: true, persist: false } });
    assert.equal(p!.options.executor, 'threads');
    assert.deepEqual(f!.deps, ['cfg.json', 'data/all.txt']);
    assert.deepEqual(f!.inputs, { rows: { stage: 'prepare', out: 'data', path: 'data/all.txt' } });
    assert.deepEqual(f!.upstream, ['prepare']);
    assert.deepEqual(f!.outs, ['model.bin', 'fit.json']);
    assert.deepEqual(f!.metrics, ['fit.json']);
  });

  it('a TS stage made in a module of the project is listed by its path there; one outside the project by its absolute path', async () => {
    const maker = 'export const make = (stage, name) => stage(name, { run: () => {} });\n';
    const dir = folder({ 'lib/make.mjs': maker });
    const outside = folder({ 'make.mjs': maker });
    const inside = (await import(pathToFileURL(join(dir, 'lib/make.mjs')).href)).make(stage, 'inside');
    const shared = (await import(pathToFileURL(join(outside, 'make.mjs')).href)).make(stage, 'shared');
    const graph = buildGraph(declarePipeline(pipeline('p', [inside, shared]), join(dir, 'pipewright.ts')));
    assert.equal(listed(graph, 'inside').ts?.module, 'lib/make.mjs');
    assert.equal(listed(graph, 'shared').ts?.module, join(outside, 'make.mjs'));
  });

  it('a sweep\'s instances and the stage that collects them', () => {
    const train = stage('train', cmd('t ${params.lr}', {
      params: z.object({ lr: z.number().default(1) }), sweep: { space: { lr: grid([1, 2]) } }, outs: { m: 'm-${params.lr}' },
    }));
    const report = stage('report', cmd('r', { deps: ['notes.md'], inputs: { runs: train.all } }));
    const graph = tsGraph([train, report]);
    const one = listed(graph, 'train@lr=2');
    assert.equal(one.of, 'train');
    assert.deepEqual(one.values, { lr: 2 });
    assert.equal(one.cmd, 't 2');
    assert.equal('ts' in one, false);
    const r = listed(graph, 'report');
    assert.deepEqual(r.collects, { train: 2 });
    assert.deepEqual(r.inputs, { runs: { stage: 'train', all: true } });
    assert.deepEqual(r.deps, ['notes.md'], 'the collected outs are not listed as deps');
    assert.deepEqual(r.upstream, ['train@lr=1', 'train@lr=2']);
  });

  it('collecting a stage that is not swept counts one instance', () => {
    const one = stage('one', cmd('o', { outs: { o: 'o.txt' } }));
    const graph = tsGraph([one, stage('report', cmd('r', { inputs: { runs: one.all } }))]);
    assert.deepEqual(listed(graph, 'report').collects, { one: 1 });
  });

  it('a generated sweep', () => {
    const graph = tsGraph([stage('g', cmd('g', { params: z.object({ lr: z.number().default(1) }), sweep: { space: { lr: grid([1]) }, generate: async function* () {} } }))]);
    const g = listed(graph, 'g');
    assert.equal(g.generated, true);
    assert.equal('of' in g, false);
  });

  it('the built-in collector of a pipewright.yaml', () => {
    const graph = yamlGraph(`stages:
  train:
    cmd: echo \${params.lr} > m-\${params.lr}
    params: [lr]
    sweep:
      space:
        lr: {grid: [1, 2]}
    outs: ["m-\${params.lr}"]
  results:
    collect: train
    outs: [runs.csv]
`, { 'params.yaml': 'lr: 1\n' });
    const results = listed(graph, 'results');
    assert.equal(results.kind, 'ts');
    assert.equal(results.ts?.builtin, 'collect@1');
    assert.equal(results.ts?.stage, 'results');
    assert.equal(results.options.executor, 'inline');
    assert.deepEqual(results.collects, { train: 2 });
  });
});

describe('names and their instances', () => {
  const dvc = `stages:
  train:
    foreach: [us, eu]
    do:
      cmd: echo \${item} > m-\${item}
      outs: ["m-\${item}"]
  eval:
    cmd: echo
`;
  it('a dvc.yaml foreach stage\'s entries are listed with the stage they came from', () => {
    const graph = dvcGraph(dvc);
    assert.deepEqual(graph.order, ['train@us', 'train@eu', 'eval']);
    assert.equal(listed(graph, 'train@eu').of, 'train');
    assert.equal('of' in listed(graph, 'eval'), false);
    assert.deepEqual(instancesNamed(graph, 'train'), ['train@us', 'train@eu']);
    assert.deepEqual(instancesNamed(graph, 'train@us'), ['train@us']);
    assert.deepEqual(instancesNamed(graph, 'eval'), ['eval']);
    assert.equal(instancesNamed(graph, 'trai'), undefined);
    assert.deepEqual(stageNames(graph), ['train@us', 'train@eu', 'eval', 'train']);
  });

  it('a TS stage named with an "@" is a stage of its own', () => {
    const graph = tsGraph([stage('a@b', cmd('true'))]);
    assert.equal('of' in listed(graph, 'a@b'), false);
    assert.equal(instancesNamed(graph, 'a'), undefined);
    assert.deepEqual(stageNames(graph), ['a@b']);
  });

  it('a sweep\'s name stands for its instances', () => {
    const graph = tsGraph([stage('train', cmd('t', { params: z.object({ lr: z.number().default(1) }), sweep: { space: { lr: grid([1, 2]) } }, outs: { m: 'm-${params.lr}' } }))]);
    assert.deepEqual(instancesNamed(graph, 'train'), ['train@lr=1', 'train@lr=2']);
    assert.deepEqual(stageNames(graph), ['train@lr=1', 'train@lr=2', 'train']);
  });

  it('an unknown name: the closest one among instances, sweeps and foreach stages', () => {
    const graph = dvcGraph(dvc);
    const err = unknownStageError(graph, 'trian');
    assert.equal(err.code, 'unknown-stage');
    assert.equal(err.message, 'no stage named "trian"');
    assert.equal(err.hint, 'did you mean "train"?');
    assert.equal(err.where?.file, 'dvc.yaml');
  });

  it('an unknown name close to none lists the stages, a dozen at most', () => {
    const few = yamlGraph('stages:\n  a:\n    cmd: "true"\n  b:\n    cmd: "true"\n');
    assert.equal(unknownStageError(few, 'zzzzzz').hint, 'stages: a, b (see `pipewright list`)');
    const twelve = yamlGraph(`stages:\n${Array.from({ length: 12 }, (_, i) => `  s${i}:\n    cmd: "true"\n`).join('')}`);
    assert.equal(unknownStageError(twelve, 'zzzzzz').hint, `stages: ${Array.from({ length: 12 }, (_, i) => `s${i}`).join(', ')} (see \`pipewright list\`)`);
    const many = yamlGraph(`stages:\n${Array.from({ length: 14 }, (_, i) => `  s${i}:\n    cmd: "true"\n`).join('')}`);
    assert.equal(unknownStageError(many, 'zzzzzz').hint, `stages: ${Array.from({ length: 12 }, (_, i) => `s${i}`).join(', ')}, … (14 in all) (see \`pipewright list\`)`);
  });
});
