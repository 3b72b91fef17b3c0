import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';

const project = useProjects();

/** Enough of a StageListing for the tests to read it. */
interface Listing {
  name: string;
  kind: string;
  of?: string;
  deps: string[];
  outs: string[];
  upstream: string[];
  collects?: Record<string, number>;
  cmd?: string;
  ts?: { module?: string; stage: string; builtin?: string };
  wdir: string;
  params: Record<string, unknown>;
  values?: Record<string, unknown>;
  inputs: Record<string, unknown>;
  metrics: string[];
  plots: string[];
  options: { frozen: boolean; alwaysChanged: boolean; executor: string; outs: Record<string, { cache: boolean; persist: boolean }> };
  where?: { file: string; line?: number };
}

/** A DVC project using what a listing must resolve: foreach, matrix, wdir, params files, out options. */
const dvc = {
  'params.yaml': 'data:\n  size: 100\ntrain:\n  epochs: 3\n  lr: 0.5\nmodels:\n  - {name: small, lr: 0.1}\n  - {name: big, lr: 0.01}\n',
  // Params files are read from the stage's wdir, as DVC reads them.
  'src/params.yaml': 'data:\n  size: 7\n',
  'src/prep.py': '',
  'dvc.yaml': `stages:
  prep:
    cmd: python prep.py --size \${data.size}
    wdir: src
    params: [data.size]
    deps: [prep.py]
    outs:
      - ../data/raw
      - ../data/cache.db:
          cache: false
          persist: true
    frozen: true
  train:
    foreach: \${models}
    do:
      cmd: python train.py \${item.name} --lr \${item.lr} --epochs \${train.epochs}
      params: [train.epochs]
      deps: [data/raw]
      outs:
        - model-\${item.name}.pkl
      metrics:
        - metrics-\${item.name}.json:
            cache: false
      plots:
        - plot-\${item.name}.csv
      always_changed: true
  eval:
    matrix:
      split: [a, b]
      seed: [1, 2]
    cmd: echo \${item.split} \${item.seed} > eval-\${key}.txt
    deps: [model-small.pkl]
    outs:
      - eval-\${key}.txt
`,
};

/** A TS pipeline: a stage with param defaults, a sweep defined in another module, a collector. */
const ts = {
  'pipewright.ts': `import { pipeline, stage } from 'pipewright';
import { z } from 'zod';
import { fitStage } from './stages/fit.ts';
export const prepare = stage('prepare', {
  params: z.object({ seed: z.number().default(7), name: z.string().default('base') }),
  outs: { data: 'data/all.txt' },
  uncached: ['data'],
  run: async () => {},
});
const fit = fitStage(prepare.outs.data);
export const report = stage('report', {
  inputs: { runs: fit.all },
  outs: { table: 'report.csv' },
  executor: 'inline',
  frozen: true,
  run: async () => {},
});
export default pipeline('p', [prepare, fit, report]);
`,
  'stages/fit.ts': `import { grid, stage, type OutRef } from 'pipewright';
import { z } from 'zod';
export const fitStage = (data: OutRef) => stage('fit', {
  params: z.object({ lr: z.number().default(0.1), epochs: z.number().int().default(2) }),
  inputs: { data },
  sweep: { space: { lr: grid([0.1, 0.2]) } },
  outs: { model: 'models/\${params.lr}.json' },
  metrics: 'models/m-\${params.lr}.json',
  alwaysChanged: true,
  run: async () => ({ acc: 1 }),
});
`,
};

const listJson = async (p: ReturnType<typeof project>, ...args: string[]): Promise<Listing[]> => {
  const result = await p.run('list', '--json', ...args);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as Listing[];
};
const byName = (list: Listing[], name: string): Listing => {
  const found = list.find((s) => s.name === name);
  assert.ok(found, `no "${name}" in ${list.map((s) => s.name).join(', ')}`);
  return found;
};

describe('pipewright list --json: every instance resolved', () => {
  it('a dvc.yaml: foreach and matrix entries with their commands, wdir, params from the wdir\'s params.yaml, out options', async () => {
    const list = await listJson(project(dvc));
    assert.deepEqual(list.map((s) => s.name), ['prep', 'train@0', 'train@1', 'eval@a-1', 'eval@a-2', 'eval@b-1', 'eval@b-2']);
    assert.deepEqual(byName(list, 'prep'), {
      name: 'prep',
      kind: 'cmd',
      deps: ['src/prep.py'],
      outs: ['data/raw', 'data/cache.db'],
      upstream: [],
      // As in DVC: `${}` in cmd comes from the params.yaml beside dvc.yaml, the tracked params from the wdir's.
      cmd: 'python prep.py --size 100',
      wdir: 'src',
      params: { data: { size: 7 } },
      inputs: {},
      metrics: [],
      plots: [],
      options: {
        frozen: true,
        alwaysChanged: false,
        executor: 'processes',
        outs: { 'data/raw': { cache: true, persist: false }, 'data/cache.db': { cache: false, persist: true } },
      },
      where: { file: 'dvc.yaml', line: 2, col: 3 },
    });
    const small = byName(list, 'train@0');
    assert.equal(small.of, 'train');
    assert.equal(small.cmd, 'python train.py small --lr 0.1 --epochs 3');
    assert.equal(byName(list, 'train@1').cmd, 'python train.py big --lr 0.01 --epochs 3');
    assert.equal(small.wdir, '');
    assert.deepEqual(small.params, { train: { epochs: 3 } });
    assert.deepEqual(small.upstream, ['prep']);
    assert.deepEqual(small.outs, ['model-small.pkl', 'metrics-small.json', 'plot-small.csv']);
    assert.deepEqual(small.metrics, ['metrics-small.json']);
    assert.deepEqual(small.plots, ['plot-small.csv']);
    assert.deepEqual(small.options, {
      frozen: false,
      alwaysChanged: true,
      executor: 'processes',
      outs: {
        'model-small.pkl': { cache: true, persist: false },
        'metrics-small.json': { cache: false, persist: false },
        'plot-small.csv': { cache: true, persist: false },
      },
    });
    const eval2 = byName(list, 'eval@b-2');
    assert.equal(eval2.of, 'eval');
    assert.equal(eval2.cmd, 'echo b 2 > eval-b-2.txt');
    assert.deepEqual(eval2.upstream, ['train@0']);
    assert.deepEqual(eval2.params, {});
  });

  it('-S changes the listed param values and the commands they go into; plain `list` has them on one line', async () => {
    const p = project(dvc);
    const list = await listJson(p, '-S', 'train.epochs=9');
    assert.deepEqual(byName(list, 'train@1').params, { train: { epochs: 9 } });
    const plain = await p.run('list', '-S', 'train.epochs=9');
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /^train@1 \(cmd\) {2}← prep\n {2}deps: data\/raw\n {2}outs: model-big\.pkl, metrics-big\.json, plot-big\.csv\n {2}params: train\.epochs=9\n/m);
    const wrong = await p.run('list', '-S', 'train.epoch=9');
    assert.equal(wrong.code, 2);

    const yaml = project({
      'pipewright.yaml': 'stages:\n  fit:\n    cmd: python fit.py --lr ${params.fit.lr}\n    params: [fit.lr]\n',
      'params.yaml': 'fit:\n  lr: 0.5\n',
    });
    assert.equal(byName(await listJson(yaml), 'fit').cmd, 'python fit.py --lr 0.5');
    const set = byName(await listJson(yaml, '-S', 'fit.lr=0.25'), 'fit');
    assert.equal(set.cmd, 'python fit.py --lr 0.25');
    assert.deepEqual(set.params, { fit: { lr: 0.25 } });
  });

  it('a TS pipeline: kind ts with its module, params with their defaults, sweep values, inputs and collected sweeps', async () => {
    const p = project(ts);
    const list = await listJson(p);
    assert.deepEqual(list.map((s) => s.name), ['prepare', 'fit@lr=0.1', 'fit@lr=0.2', 'report']);
    assert.deepEqual(byName(list, 'prepare'), {
      name: 'prepare',
      kind: 'ts',
      deps: [],
      outs: ['data/all.txt'],
      upstream: [],
      ts: { module: 'pipewright.ts', stage: 'prepare' },
      wdir: '',
      params: { seed: 7, name: 'base' },
      inputs: {},
      metrics: [],
      plots: [],
      options: { frozen: false, alwaysChanged: false, executor: 'threads', outs: { 'data/all.txt': { cache: false, persist: false } } },
    });
    const fit = byName(list, 'fit@lr=0.2');
    assert.equal(fit.of, 'fit');
    assert.equal(fit.cmd, undefined);
    assert.deepEqual(fit.ts, { module: 'stages/fit.ts', stage: 'fit' });
    assert.deepEqual(fit.values, { lr: 0.2 });
    assert.deepEqual(fit.params, { lr: 0.2, epochs: 2 });
    assert.deepEqual(fit.inputs, { data: { stage: 'prepare', out: 'data', path: 'data/all.txt' } });
    assert.deepEqual(fit.deps, ['data/all.txt']);
    assert.deepEqual(fit.outs, ['models/0.2.json', 'models/m-0.2.json']);
    assert.deepEqual(fit.metrics, ['models/m-0.2.json']);
    assert.equal(fit.options.alwaysChanged, true);
    const report = byName(list, 'report');
    assert.deepEqual(report.inputs, { runs: { stage: 'fit', all: true } });
    assert.deepEqual(report.collects, { fit: 2 });
    assert.deepEqual(report.upstream, ['fit@lr=0.1', 'fit@lr=0.2']);
    assert.deepEqual(report.deps, [], 'the collected outs are not listed as deps');
    assert.deepEqual(report.options, { frozen: true, alwaysChanged: false, executor: 'inline', outs: { 'report.csv': { cache: true, persist: false } } });

    // -S sets a param of every instance; a swept key set with -S is fixed: one instance, named as the stage.
    const set = await listJson(p, '-S', 'fit.epochs=5');
    assert.deepEqual(byName(set, 'fit@lr=0.1').params, { lr: 0.1, epochs: 5 });
    const fixed = await listJson(p, '-S', 'fit.lr=0.3', '-S', 'fit.epochs=5');
    assert.deepEqual(fixed.map((s) => s.name), ['prepare', 'fit', 'report']);
    assert.deepEqual(byName(fixed, 'fit').params, { lr: 0.3, epochs: 5 });
    assert.deepEqual(byName(fixed, 'fit').outs, ['models/0.3.json', 'models/m-0.3.json']);
  });
});

describe('pipewright show STAGE', () => {
  it('shows one instance, as text and as the object `list --json` gives; a sweep name shows every instance', async () => {
    const p = project(dvc);
    const list = await listJson(p);
    const text = await p.run('show', 'prep');
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, `prep (cmd)
  cmd       python prep.py --size 100
  wdir      src
  params    data.size=7
  deps      src/prep.py
  outs      data/raw, data/cache.db (not cached, persist)
  options   frozen, executor processes
  defined   dvc.yaml:2
`);
    const json = await p.run('show', 'train@1', '--json');
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), byName(list, 'train@1'));
    // A foreach's name stands for its entries.
    const all = JSON.parse((await p.run('show', 'train', '--json')).stdout) as Listing[];
    assert.deepEqual(all.map((s) => s.name), ['train@0', 'train@1']);
    assert.match((await p.run('show', 'train')).stdout, /^train@0 \(cmd\) {2}instance of train\n[\s\S]*\n\ntrain@1 \(cmd\)/);
    // -S as for list.
    const set = JSON.parse((await p.run('show', 'train@0', '--json', '-S', 'train.epochs=4')).stdout) as Listing;
    assert.deepEqual(set.params, { train: { epochs: 4 } });
  });

  it('a TS stage: its module and params', async () => {
    const p = project(ts);
    const text = await p.run('show', 'fit@lr=0.1', '-S', 'fit.epochs=3');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^fit@lr=0\.1 \(ts\) {2}instance of fit\n {2}code {6}stage "fit" in stages\/fit\.ts\n {2}params {4}lr=0\.1, epochs=3\n/);
    assert.match(text.stdout, /\n {2}inputs {4}data ← data\/all\.txt \(prepare\)\n/);
    const report = await p.run('show', 'report');
    assert.match(report.stdout, /\n {2}inputs {4}runs ← every instance of fit\n/);
    assert.match(report.stdout, /\n {2}upstream {2}fit \(all 2\)\n/);
  });

  it('a stage name typed wrong exits 2 with the closest name', async () => {
    const p = project(dvc);
    const typo = await p.run('show', 'prpe');
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /no stage or run named "prpe"/);
    assert.match(typo.stderr, /did you mean stage "prep"\?/);
    const prefixed = await p.run('show', 'stage:train@3');
    assert.equal(prefixed.code, 2);
    assert.match(prefixed.stderr, /no stage named "train@3"/);
    assert.match(prefixed.stderr, /did you mean "train@(0|1)"\?/);
    const far = await p.run('show', 'zzzzzzzzzz');
    assert.equal(far.code, 2);
    assert.match(far.stderr, /no stage or run named "zzzzzzzzzz"/);
    assert.match(far.stderr, /stages: prep, train@0/);
  });
});

describe('pipewright show RUN, beside stages', () => {
  it('a run is shown as before; a name that is both a stage and a run shows the stage and says how to get the run', async () => {
    const p = project({
      'pipewright.yaml': `stages:
  make:
    cmd: echo \${params.n} > out.txt
    params: [n]
    outs: [out.txt]
`,
      'params.yaml': 'n: 1\n',
    });
    assert.equal((await p.run('run', '--name', 'make')).code, 0);
    assert.equal((await p.run('run', '-S', 'n=2', '--name', 'second')).code, 0);

    const last = await p.run('show');
    assert.equal(last.code, 0, last.stderr);
    assert.match(last.stdout, /^run #2 second: succeeded\n/);
    assert.match((await p.run('show', 'second')).stdout, /^run #2 second: succeeded\n/);
    assert.match((await p.run('show', '#1')).stdout, /^run #1 make: succeeded\n/);
    assert.match((await p.run('show', 'last~1')).stdout, /^run #1 make: succeeded\n/);

    const both = await p.run('show', 'make');
    assert.equal(both.code, 0, both.stderr);
    assert.match(both.stdout, /^make \(cmd\)\n {2}cmd {7}echo 1 > out\.txt\n/);
    assert.match(both.stderr, /"make" names a stage and run #1 make; showing the stage \(`pipewright show run:make` shows the run\)/);
    const run = await p.run('show', 'run:make', '--json');
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { id: number }).id, 1);
    assert.equal((await p.run('show', 'stage:make', '--json')).stderr, '');

    // An unknown name with no stage near it is an unknown run, as before.
    const missing = await p.run('show', 'nope');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no run "nope"/);
    assert.match(missing.stderr, /recent runs: #2 second, #1 make/);
  });

  it('runs are still shown when the pipeline no longer loads', async () => {
    const p = project({ 'pipewright.yaml': 'stages:\n  a:\n    cmd: echo a > a.txt\n    outs: [a.txt]\n' });
    assert.equal((await p.run('run', '--name', 'first')).code, 0);
    p.write({ 'pipewright.yaml': 'stages:\n  a:\n    cmd: echo a > a.txt\n    outz: [a.txt]\n' });
    const shown = await p.run('show', 'first');
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^run #1 first: succeeded\n/);
    // Not a run: the pipeline's own error is what the user needs.
    const stage = await p.run('show', 'a');
    assert.equal(stage.code, 2);
    assert.match(stage.stderr, /no run is named "a", and the pipeline, which would say whether a stage is, does not load/);
    assert.match(stage.stderr, /outz/);
  });
});
