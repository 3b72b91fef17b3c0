/**
 * The graph builder and stage selection, called directly on declarations read from real pipeline
 * files in temp folders (pipewright.yaml through its loader, TS stages through `declarePipeline`):
 * the order stages run in, the edges, what is rejected and where it points, and which stages a
 * command acts on. validation.test.ts covers the same errors through the CLI (exit 2).
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { loadDvcPipeline } from '../../src/define/dvc-pipeline.js';
import { parseOverrides } from '../../src/define/overrides.js';
import { grid } from '../../src/define/sweep.js';
import { stage } from '../../src/define/stage.js';
import { buildGraph, withCollectedDeps, type PipelineGraph } from '../../src/graph/graph.js';
import { selectStages } from '../../src/graph/select.js';
import { cmd, folder, rejection, tsDeclaration, tsGraph, yamlGraph } from '../helpers/graphs.js';

const edges = (graph: PipelineGraph) => Object.fromEntries(graph.order.map((n) => [n, { up: graph.nodes.get(n)!.upstream, down: graph.nodes.get(n)!.downstream }]));

describe('the order stages run in', () => {
  it('puts each stage after what it reads and keeps the declaration order elsewhere', () => {
    const graph = yamlGraph(`stages:
  report:
    cmd: cat b.txt > r.txt
    deps: [b.txt]
    outs: [r.txt]
  lone:
    cmd: touch l.txt
    outs: [l.txt]
  b:
    cmd: cat a.txt > b.txt
    deps: [a.txt]
    outs: [b.txt]
  a:
    cmd: touch a.txt
    outs: [a.txt]
  other:
    cmd: touch o.txt
    outs: [o.txt]
`);
    assert.deepEqual(graph.order, ['a', 'b', 'report', 'lone', 'other']);
    assert.deepEqual(edges(graph), {
      a: { up: [], down: ['b'] },
      b: { up: ['a'], down: ['report'] },
      report: { up: ['b'], down: [] },
      lone: { up: [], down: [] },
      other: { up: [], down: [] },
    });
  });

  it('visits a stage\'s upstream in declaration order, and lists upstream and downstream in the graph\'s order', () => {
    const first = stage('first', cmd('touch f', { outs: { f: 'f' } }));
    const second = stage('second', cmd('touch s', { outs: { s: 's' } }));
    const third = stage('third', cmd('touch t', { outs: { t: 't' } }));
    // Inputs written last-declared first: the order still follows the declaration.
    const join3 = stage('join', cmd('cat', { inputs: { t: third.outs.t, s: second.outs.s, f: first.outs.f } }));
    const tail = stage('tail', cmd('cat', { inputs: { f: first.outs.f } }));
    const graph = tsGraph([join3, tail, third, second, first]);
    assert.deepEqual(graph.order, ['third', 'second', 'first', 'join', 'tail']);
    assert.deepEqual(graph.nodes.get('join')!.upstream, ['third', 'second', 'first']);
    assert.deepEqual(graph.nodes.get('first')!.downstream, ['join', 'tail']);
  });

  it('takes upstream stages by declaration, not by the order the inputs are written in', () => {
    const first = stage('first', cmd('touch f', { outs: { f: 'f' } }));
    const third = stage('third', cmd('touch t', { outs: { t: 't' } }));
    const reader = stage('reader', cmd('cat', { inputs: { f: first.outs.f, t: third.outs.t } }));
    const graph = tsGraph([reader, third, stage('middle', cmd('true')), first]);
    assert.deepEqual(graph.order, ['third', 'first', 'reader', 'middle']);
    assert.deepEqual(graph.nodes.get('reader')!.upstream, ['third', 'first'], 'in the graph\'s order');
  });

  it('a dep on a path read by several stages gives each of them an edge, listed once', () => {
    const graph = yamlGraph(`stages:
  make:
    cmd: mkdir -p d && touch d/a d/b
    outs: [d]
  use:
    cmd: cat d/a d/b
    deps: [d/a, d/b, d]
`);
    assert.deepEqual(graph.nodes.get('use')!.upstream, ['make']);
    assert.deepEqual(graph.nodes.get('make')!.downstream, ['use']);
  });

  it('builds an immutable graph', () => {
    const graph = yamlGraph('stages:\n  a:\n    cmd: "true"\n');
    assert.ok(Object.isFrozen(graph));
    assert.ok(Object.isFrozen(graph.nodes.get('a')));
  });
});

describe('edges from paths', () => {
  const yaml = `stages:
  dat:
    cmd: touch dat
    outs: [dat]
  csv:
    cmd: touch data.csv
    outs: [data.csv]
  a:
    cmd: touch data/a
    outs: [data/a]
  b:
    cmd: mkdir -p data/b && touch data/b/x
    outs: [data/b]
  zero:
    cmd: touch data0
    outs: [data0]
  whole:
    cmd: cat data/*
    deps: [data]
  inner:
    cmd: cat data/b/x
    deps: [data/b/x]
  exact:
    cmd: cat data.csv
    deps: [data.csv]
`;
  it('a dep on a folder reads every out inside it, and nothing beside it', () => {
    const graph = yamlGraph(yaml);
    assert.deepEqual(graph.nodes.get('whole')!.upstream, ['a', 'b']);
  });

  it('a dep inside an out folder reads that out', () => {
    assert.deepEqual(yamlGraph(yaml).nodes.get('inner')!.upstream, ['b']);
  });

  it('a dep that is an out reads that out only', () => {
    const graph = yamlGraph(yaml);
    assert.deepEqual(graph.nodes.get('exact')!.upstream, ['csv']);
    assert.deepEqual(graph.nodes.get('dat')!.downstream, []);
    assert.deepEqual(graph.nodes.get('zero')!.downstream, []);
  });

  it('outs found by a folder dep among many others (the sorted index, both halves)', () => {
    // Declared out of order: the index sorts them.
    const stages = [7, 2, 8, 0, 5, 3, 1, 6, 4].map((i) => `  s${i}:\n    cmd: touch p${i}/f\n    outs: [p${i}/f]\n`).join('');
    const graph = yamlGraph(`stages:\n${stages}  read:\n    cmd: cat\n    deps: [p0, p4, p8]\n`);
    assert.deepEqual(graph.nodes.get('read')!.upstream, ['s8', 's0', 's4']);
  });
});

describe('deps that are not there', () => {
  it('marks a stage whose dep is neither on disk nor made by a stage, with where the dep is written', () => {
    const graph = yamlGraph(`stages:
  make:
    cmd: touch made.txt
    outs: [made.txt]
  use:
    cmd: cat made.txt here.txt gone.txt
    deps:
      - made.txt
      - here.txt
      - https://example.com/data.csv
      - gone.txt
      - also-gone
`, { 'here.txt': 'x' });
    const use = graph.nodes.get('use')!;
    assert.deepEqual(use.missing?.map((m) => m.path), ['gone.txt', 'also-gone']);
    assert.deepEqual(use.missing?.map((m) => [m.where?.line, m.where?.col]), [[11, 9], [12, 9]]);
    assert.equal('missing' in graph.nodes.get('make')!, false, 'a stage missing nothing has no list');
  });

  it('points a TS stage\'s missing dep at the pipeline file', () => {
    const graph = tsGraph([stage('a', cmd('cat x', { deps: ['x'] }))]);
    assert.deepEqual(graph.nodes.get('a')!.missing, [{ path: 'x', where: { file: graph.nodes.get('a')!.where!.file } }]);
  });
});

describe('what the builder rejects', () => {
  it('two stages with one name, pointing at the second', () => {
    const err = rejection(() => tsGraph([stage('prep', cmd('true')), stage('prep', cmd('true'))]));
    assert.equal(err.code, 'duplicate-stage');
    assert.equal(err.message, 'two stages are named "prep"');
    assert.equal(err.hint, 'give each stage its own name');
  });

  it('a cycle, in the direction data flows, at the dep that closes it', () => {
    const err = rejection(() => yamlGraph(`stages:
  a:
    cmd: cat c.txt > a.txt
    deps: [c.txt]
    outs: [a.txt]
  b:
    cmd: cat a.txt > b.txt
    deps:
      - other
      - a.txt
    outs: [b.txt]
  c:
    cmd: cat b.txt > c.txt
    deps: [b.txt]
    outs: [c.txt]
`, { other: '' }));
    assert.equal(err.code, 'cycle');
    assert.equal(err.message, 'the pipeline has a cycle: a -> b -> c -> a');
    assert.deepEqual([err.where?.line, err.where?.col], [10, 9]);
    assert.equal(err.hint, 'a stage cannot depend, directly or through others, on its own outs; here "b" reads what "a" writes');
  });

  it('a cycle reached from a stage outside it names only the stages around it', () => {
    const err = rejection(() => yamlGraph(`stages:
  report:
    cmd: cat a.txt
    deps: [a.txt]
  a:
    cmd: cat b.txt > a.txt
    deps: [b.txt]
    outs: [a.txt]
  b:
    cmd: cat a.txt > b.txt
    deps: [a.txt]
    outs: [b.txt]
`));
    assert.equal(err.message, 'the pipeline has a cycle: a -> b -> a');
  });

  it('a stage reading its own out is a cycle of one', () => {
    const err = rejection(() => yamlGraph('stages:\n  a:\n    cmd: touch x\n    deps: [x]\n    outs: [x]\n'));
    assert.equal(err.message, 'the pipeline has a cycle: a -> a');
  });

  it('a cycle through named inputs points at the reading stage', () => {
    const declaration = tsDeclaration([
      stage('a', cmd('true', { deps: ['b.txt'], outs: { a: 'a.txt' } })),
      stage('b', cmd('true', { inputs: { a: { ...stage('a', cmd('true', { outs: { a: 'a.txt' } })).outs.a } }, outs: { b: 'b.txt' } })),
    ]);
    const err = rejection(() => buildGraph(declaration));
    assert.equal(err.code, 'cycle');
    assert.equal(err.message, 'the pipeline has a cycle: a -> b -> a');
    assert.deepEqual(err.where, declaration.stages[0]!.where);
  });

  it('two stages writing one path', () => {
    const err = rejection(() => yamlGraph('stages:\n  a:\n    cmd: touch x\n    outs: [x]\n  b:\n    cmd: touch x\n    outs: [x]\n'));
    assert.equal(err.code, 'out-conflict');
    assert.equal(err.message, 'stages "a" and "b" both write "x"');
    assert.equal(err.where?.line, 7);
    assert.equal(err.hint, 'every file or folder has one stage that writes it');
  });

  it('one stage listing an out twice', () => {
    const err = rejection(() => yamlGraph('stages:\n  a:\n    cmd: touch x\n    outs: [x, ./x]\n'));
    assert.equal(err.code, 'out-conflict');
    assert.equal(err.message, 'stage "a" lists out "x" twice');
  });

  it('an out that is a metrics file of another stage', () => {
    const err = rejection(() => yamlGraph('stages:\n  a:\n    cmd: touch m.json\n    outs: [m.json]\n  b:\n    cmd: touch m.json\n    metrics: [m.json]\n'));
    assert.equal(err.message, 'stages "a" and "b" both write "m.json"');
  });

  it('a sweep whose instances all write one path, with a templated path as the hint', () => {
    const err = rejection(() => tsGraph([stage('train', cmd('touch m', {
      params: z.object({ lr: z.number().default(0.1) }), sweep: { space: { lr: grid([0.1, 0.2]) } }, outs: { m: 'model.bin' },
    }))]));
    assert.equal(err.code, 'out-conflict');
    assert.equal(err.message, 'sweep "train": instances "train@lr=0.1" and "train@lr=0.2" both write "model.bin"');
    assert.equal(err.hint, 'template the path with the swept params so each instance writes its own, e.g. "model.bin-${params.lr}"');
  });

  for (const out of ['.', '..', '../..', 'x/..']) {
    it(`an out that holds the pipeline itself: "${out}"`, () => {
      const err = rejection(() => tsGraph([stage('a', cmd('true', { outs: { all: out } }))]));
      assert.equal(err.code, 'bad-input');
      assert.equal(err.message, `stage "a": out "${out === 'x/..' ? '.' : out}" is a folder that holds the pipeline itself`);
      assert.equal(err.hint, 'outs must be files or folders that do not contain the pipeline file');
    });
  }

  it('an out above the pipeline file is fine, and so are names with dots', () => {
    const graph = tsGraph([stage('a', cmd('true', { outs: { up: '../data', dots: '..data', end: 'v1..', inner: 'x/y..' } }))]);
    assert.deepEqual(graph.nodes.get('a')!.outs.map((o) => o.path), ['../data', '..data', 'v1..', 'x/y..']);
  });

  it('an out inside another stage\'s out, at the inner one', () => {
    const err = rejection(() => yamlGraph('stages:\n  a:\n    cmd: mkdir -p d\n    outs: [d]\n  b:\n    cmd: touch d/e/x\n    outs: [d/e/x]\n'));
    assert.equal(err.code, 'out-overlap');
    assert.equal(err.message, 'out "d/e/x" of stage "b" lies inside out "d" of stage "a"');
    assert.equal(err.where?.line, 7);
    assert.equal(err.hint, 'outs may not overlap: write to a path outside the other out, or make it one out');
  });

  it('outs that only share a name prefix do not overlap', () => {
    const graph = yamlGraph('stages:\n  a:\n    cmd: touch d\n    outs: [d]\n  b:\n    cmd: touch d2/x\n    outs: [d2/x, d.txt]\n');
    assert.deepEqual(graph.order, ['a', 'b']);
  });

  it('an input that reads one out of a sweep', () => {
    const train = stage('train', cmd('touch m', {
      params: z.object({ lr: z.number().default(0.1) }), sweep: { space: { lr: grid([0.1, 0.2]) } }, outs: { m: 'model-${params.lr}' },
    }));
    const err = rejection(() => tsGraph([train, stage('use', cmd('cat', { inputs: { model: train.outs.m } }))]));
    assert.equal(err.code, 'bad-input');
    assert.equal(err.message, 'stage "use": input "model" reads one out of "train", which is a sweep of many instances');
    assert.equal(err.hint, 'collect them all with `model: train.all` (or a `collect` stage) instead');
  });
});

describe('sweeps', () => {
  const params = z.object({ lr: z.number().default(0.1), depth: z.number().default(2) });
  const train = (more: Record<string, unknown> = {}) => stage('train', cmd('train ${params.lr} ${params.depth}', {
    params, sweep: { space: { lr: grid([0.1, 0.2]), depth: grid([2, 4]) } }, outs: { m: 'model-${params.lr}-${params.depth}' }, ...more,
  }));

  it('makes one instance per point, each with its values and params, listed under the stage', () => {
    const graph = tsGraph([train()]);
    const names = ['train@lr=0.1,depth=2', 'train@lr=0.1,depth=4', 'train@lr=0.2,depth=2', 'train@lr=0.2,depth=4'];
    assert.deepEqual([...graph.sweeps], [['train', graph.order]]);
    assert.deepEqual(graph.order, names);
    const one = graph.nodes.get('train@lr=0.2,depth=4')!;
    assert.equal(one.of, 'train');
    assert.deepEqual(one.values, { lr: 0.2, depth: 4 });
    assert.deepEqual(one.params, { lr: 0.2, depth: 4 });
    assert.equal(one.command, "train 0.2 4");
    assert.deepEqual(one.outs.map((o) => o.path), ['model-0.2-4']);
  });

  it('-S fixes a swept key for the run: its dimension is dropped', () => {
    const graph = tsGraph([train()], ['train.lr=0.5']);
    assert.deepEqual([...graph.order].sort(), ['train@depth=2', 'train@depth=4']);
    assert.equal(graph.nodes.get('train@depth=4')!.params.lr, 0.5);
  });

  it('keeps the first points only under a sweep limit', () => {
    const graph = tsGraph([train()], [], { sweepLimit: 1 });
    assert.equal(graph.order.length, 1);
    assert.deepEqual(graph.sweeps.get('train'), graph.order);
  });

  it('a generated sweep is one node that writes nothing, with its space', () => {
    const graph = tsGraph([train({ sweep: { space: { lr: grid([0.1, 0.2]) }, generate: async function* () {} } })], ['train.depth=8']);
    assert.deepEqual(graph.order, ['train']);
    assert.deepEqual(graph.sweeps.get('train'), ['train']);
    const node = graph.nodes.get('train')!;
    assert.equal(node.generated, true);
    assert.deepEqual(node.outs, []);
    assert.deepEqual(node.params.depth, 8);
  });

  it('a generated sweep\'s space fixes a key set with -S', () => {
    const graph = tsGraph([train({ sweep: { space: { lr: grid([0.1, 0.2]), depth: grid([1, 2]) }, generate: async function* () {} } })], ['train.lr=0.3']);
    assert.deepEqual(graph.nodes.get('train')!.space, { lr: { kind: 'value', value: 0.3 }, depth: grid([1, 2]) });
  });

  it('rejects a space naming a key that is not a param, with the closest one', () => {
    const err = rejection(() => tsGraph([train({ sweep: { space: { lrr: grid([1]) } } })]));
    assert.equal(err.code, 'bad-sweep');
    assert.equal(err.message, 'stage "train": sweep space names "lrr", which is not one of its params');
    assert.equal(err.hint, 'did you mean "lr"?');
  });

  it('rejects a space key far from every param, listing them', () => {
    const err = rejection(() => tsGraph([train({ sweep: { space: { momentum: grid([1]) } } })]));
    assert.equal(err.hint, 'its params are: lr, depth');
  });

  it('rejects a space on a stage with no params', () => {
    const err = rejection(() => tsGraph([stage('s', cmd('true', { sweep: { space: { lr: grid([1]) } } }))]));
    assert.equal(err.hint, 'declare the param first');
  });

  it('rejects a space that cannot be expanded, at the sweep', () => {
    const err = rejection(() => tsGraph([train({ sweep: { space: { lr: grid([]) } } })]));
    assert.equal(err.code, 'bad-sweep');
    assert.match(err.message, /^stage "train": sweep .*needs at least one option/);
  });

  it('a YAML sweep error points at the sweep', () => {
    const err = rejection(() => yamlGraph(`stages:
  train:
    cmd: echo \${params.lr}
    params: [lr]
    sweep:
      space:
        lx: {grid: [1, 2]}
`, { 'params.yaml': 'lr: 1\n' }));
    assert.equal(err.code, 'bad-sweep');
    assert.equal(err.hint, 'did you mean "lr"?');
    assert.equal(err.where?.line, 6);
  });
});

describe('collecting stages', () => {
  const params = z.object({ lr: z.number().default(0.1) });
  const train = stage('train', cmd('touch m', {
    params, sweep: { space: { lr: grid([0.1, 0.2]) } }, outs: { m: 'model-${params.lr}' }, metrics: 'metrics-${params.lr}.json',
  }));

  it('reads every instance\'s outs: deps, edges and how many deps were collected', () => {
    const report = stage('report', cmd('cat', { deps: ['model-0.1', 'notes.md'], inputs: { all: train.all } }));
    const graph = tsGraph([report, train]);
    const node = graph.nodes.get('report')!;
    assert.deepEqual(node.upstream, ['train@lr=0.1', 'train@lr=0.2']);
    assert.deepEqual(node.deps.map((d) => d.path), ['model-0.1', 'notes.md', 'metrics-0.1.json', 'model-0.2', 'metrics-0.2.json']);
    assert.equal(node.collectedDeps, 3);
    assert.deepEqual(node.collects, { all: 'train' });
    assert.deepEqual(node.missing?.map((m) => m.path), ['notes.md'], 'collected outs are made by the sweep');
    assert.deepEqual(graph.order, ['train@lr=0.1', 'train@lr=0.2', 'report']);
  });

  it('collecting a stage that is not swept reads its one instance', () => {
    const one = stage('one', cmd('touch o', { outs: { o: 'o.txt' } }));
    const graph = tsGraph([one, stage('report', cmd('cat', { inputs: { all: one.all } }))]);
    assert.deepEqual(graph.nodes.get('report')!.upstream, ['one']);
    assert.equal(graph.nodes.get('report')!.collectedDeps, 1);
  });

  it('collecting a stage that writes nothing still waits for it', () => {
    const quiet = stage('quiet', cmd('true'));
    const graph = tsGraph([stage('report', cmd('cat', { inputs: { all: quiet.all } })), quiet]);
    assert.deepEqual(graph.nodes.get('report')!.upstream, ['quiet']);
    assert.deepEqual(graph.order, ['quiet', 'report']);
  });

  it('a generated sweep is collected through its node, its outs added later', () => {
    const gen = stage('gen', cmd('touch m', { params, sweep: { space: { lr: grid([0.1]) }, generate: async function* () {} }, outs: { m: 'model-${params.lr}' } }));
    const graph = tsGraph([gen, stage('report', cmd('cat', { inputs: { all: gen.all } }))]);
    const node = graph.nodes.get('report')!;
    assert.deepEqual(node.upstream, ['gen']);
    assert.deepEqual(node.deps, []);
    assert.equal(node.collectedDeps, undefined);
  });

  it('withCollectedDeps adds only paths not yet among the deps, and counts on from earlier ones', () => {
    const graph = tsGraph([train]);
    const base = graph.nodes.get('train@lr=0.1')!;
    const reader = { ...base, deps: [{ path: 'model-0.2' }], collectedDeps: 2 };
    const more = withCollectedDeps(reader, [graph.nodes.get('train@lr=0.2')!, graph.nodes.get('train@lr=0.2')!]);
    assert.deepEqual(more.deps.map((d) => d.path), ['model-0.2', 'metrics-0.2.json']);
    assert.equal(more.collectedDeps, 3);
  });
});

describe('params', () => {
  it('a param its params file lacks blocks the stage instead of failing the graph', () => {
    const graph = yamlGraph('stages:\n  a:\n    cmd: echo ${params.lr}\n    params: [lr, epochs]\n', { 'params.yaml': 'lr: 1\n' });
    const node = graph.nodes.get('a')!;
    assert.deepEqual(node.missingParams?.map((m) => m.key), ['epochs']);
    assert.deepEqual(node.params, { lr: 1 });
  });

  it('a stage with every param has no missing list', () => {
    const graph = yamlGraph('stages:\n  a:\n    cmd: echo ${params.lr}\n    params: [lr]\n', { 'params.yaml': 'lr: 1\n' });
    assert.equal('missingParams' in graph.nodes.get('a')!, false);
  });

  it('only the shape: params files are not read', () => {
    const graph = yamlGraph('stages:\n  a:\n    cmd: echo hi\n    params: [lr]\n', {}, [], { structureOnly: true });
    assert.deepEqual(graph.nodes.get('a')!.params, {});
    assert.equal(graph.nodes.get('a')!.missingParams, undefined);
  });

  it('only the shape: a sweep\'s instances still have their point\'s values as params', () => {
    const graph = yamlGraph(`stages:
  train:
    cmd: echo \${params.lr}
    params: [lr]
    sweep:
      space:
        lr: {grid: [1, 2]}
    outs: ["m-\${params.lr}"]
`, {}, [], { structureOnly: true });
    assert.deepEqual(graph.order.map((n) => [n, graph.nodes.get(n)!.params, graph.nodes.get(n)!.outs[0]!.path]), [
      ['train@lr=1', { lr: 1 }, 'm-1'], ['train@lr=2', { lr: 2 }, 'm-2'],
    ]);
  });

  it('-S of a params.yaml key applies to every stage; -S stage.key to that stage', () => {
    const graph = yamlGraph('stages:\n  a:\n    cmd: echo ${params.lr}\n    params: [lr]\n  b:\n    cmd: echo ${params.lr}\n    params: [lr]\n',
      { 'params.yaml': 'lr: 1\n' }, ['lr=2', 'b.lr=3']);
    assert.equal(graph.nodes.get('a')!.command, 'echo 2');
    assert.equal(graph.nodes.get('b')!.command, 'echo 3');
  });

  it('a stage of a dvc.yaml is templated again with its own overrides', () => {
    const dir = folder({ 'params.yaml': 'lr: 1\n', 'dvc.yaml': 'stages:\n  a:\n    cmd: echo ${lr}\n    params: [lr]\n    outs: ["out-${lr}"]\n' });
    const declaration = loadDvcPipeline(join(dir, 'dvc.yaml'));
    const graph = buildGraph(declaration, parseOverrides(['a.lr=5'], declaration));
    assert.equal(graph.nodes.get('a')!.command, 'echo 5');
    assert.deepEqual(graph.nodes.get('a')!.outs.map((o) => o.path), ['out-5']);
    assert.equal(buildGraph(declaration).nodes.get('a')!.command, 'echo 1');
  });
});

describe('selecting stages', () => {
  const yaml = `stages:
  a:
    cmd: touch a
    outs: [a]
  b:
    cmd: cat a > b
    deps: [a]
    outs: [b]
  c:
    cmd: cat b > c
    deps: [b]
    outs: [c]
  side:
    cmd: touch s
    outs: [s]
  d:
    cmd: cat s b > d
    deps: [s, b]
    outs: [d]
`;
  it('no target: the whole pipeline, in order', () => {
    const graph = yamlGraph(yaml);
    const all = selectStages(graph, { targets: [] });
    assert.deepEqual(all, ['a', 'b', 'c', 'side', 'd']);
    assert.notEqual(all, graph.order, 'a copy the caller may change');
  });

  it('a target with everything it needs, in the graph\'s order', () => {
    assert.deepEqual(selectStages(yamlGraph(yaml), { targets: ['d'] }), ['a', 'b', 'side', 'd']);
    assert.deepEqual(selectStages(yamlGraph(yaml), { targets: ['c', 'side'] }), ['a', 'b', 'c', 'side']);
  });

  it('downstream: what depends on the target, and what that needs', () => {
    assert.deepEqual(selectStages(yamlGraph(yaml), { targets: ['b'], downstream: true }), ['a', 'b', 'c', 'side', 'd']);
    assert.deepEqual(selectStages(yamlGraph(yaml), { targets: ['c'], downstream: true }), ['a', 'b', 'c']);
    assert.deepEqual(selectStages(yamlGraph(yaml), { targets: ['c'], downstream: false }), ['a', 'b', 'c']);
  });

  it('a sweep\'s name stands for all its instances', () => {
    const train = stage('train', cmd('t', { params: z.object({ lr: z.number().default(1) }), sweep: { space: { lr: grid([1, 2]) } }, outs: { m: 'm-${params.lr}' } }));
    const graph = tsGraph([stage('other', cmd('true')), train]);
    assert.deepEqual(selectStages(graph, { targets: ['train'] }), ['train@lr=1', 'train@lr=2']);
    assert.deepEqual(selectStages(graph, { targets: ['train@lr=2'] }), ['train@lr=2']);
  });

  it('an unknown name, with the closest one', () => {
    const graph = yamlGraph(yaml);
    const err = rejection(() => selectStages(graph, { targets: ['a', 'sid'] }));
    assert.equal(err.code, 'unknown-stage');
    assert.equal(err.message, 'no stage named "sid"');
    assert.equal(err.hint, 'did you mean "side"?');
    assert.equal(err.where?.file, graph.declaration.file);
  });

  it('an unknown name far from every stage, listing them', () => {
    const err = rejection(() => selectStages(yamlGraph(yaml), { targets: ['zzzzzz'] }));
    assert.equal(err.hint, 'stages: a, b, c, side, d');
  });
});
