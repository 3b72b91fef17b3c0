/**
 * `pipewright export dvc`, checked the way DVC would use its output: the written dvc.yaml is read
 * back with pipewright's own DVC loader (the stages DVC would make, their edges, their params),
 * and its commands are run as DVC runs them (a shell in the stage's wdir, `${...}` inserted), with
 * `npx pipewright` standing for this build's CLI. DVC itself is not installed here.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, execSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { loadDvcPipeline } from '../../src/define/dvc-pipeline.js';
import { dvcText, instanceFromDvcName } from '../../src/define/dvc-spelling.js';
import { buildGraph, type PipelineGraph } from '../../src/graph/graph.js';
import { openProject } from '../../src/run/project.js';
import { CLI, REPO, type TestProject, useProjects } from '../helpers/project.js';

const project = useProjects();

/** An example's tracked files in a temp folder (as a fresh clone has them), with the modules it imports. */
function copyOf(example: string, modules: string[] = [], into?: TestProject): TestProject {
  const p = into ?? project();
  const folder = join('examples', example);
  const tracked = execFileSync('git', ['ls-files', '-z', folder], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of tracked) {
    const to = join(p.dir, into ? example : '', relative(folder, file));
    mkdirSync(dirname(to), { recursive: true });
    cpSync(join(REPO, file), to);
  }
  p.write({ 'package.json': '{ "type": "module" }\n' });
  for (const m of modules) symlinkSync(join(REPO, 'node_modules', m), join(p.dir, 'node_modules', m));
  return p;
}

/** The graph DVC would build from the written dvc.yaml (pipewright's DVC loader; params read, deps not checked). */
function dvcGraph(dvcYaml: string): PipelineGraph {
  return buildGraph(loadDvcPipeline(dvcYaml), undefined, { structureOnly: true });
}

/** Each stage's upstream, by name. */
function edges(graph: PipelineGraph): Record<string, readonly string[]> {
  return Object.fromEntries(graph.order.map((n) => [n, [...graph.nodes.get(n)!.upstream].sort()]));
}

/** The pipewright graph of a project, params resolved. */
async function pipewrightGraph(dir: string): Promise<PipelineGraph> {
  return (await openProject(dir)).graph;
}

/** Runs every stage of the written dvc.yaml in order, as `dvc repro` would (the TS stages through this CLI). */
function reproduce(graph: PipelineGraph, names = graph.order): void {
  for (const name of names) {
    const node = graph.nodes.get(name)!;
    const command = node.command!.replaceAll('npx pipewright', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)}`);
    execSync(command, { cwd: join(graph.declaration.root, node.wdir), stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } });
  }
}

/** A small TS pipeline: a plain stage, a grid sweep (a matrix in DVC), random draws (a foreach), a collector. */
const tsPipeline = {
  'seed.txt': 'forty-two\n',
  'lib/scale.ts': 'export const scale = (x: number, by: number): number => Math.round(x * by * 1000) / 1000;\n',
  'pipewright.ts': `
import { readFile, writeFile } from 'node:fs/promises';
import { collect, grid, loguniform, pipeline, stage, uniform } from 'pipewright';
import { z } from 'zod';
import { scale } from './lib/scale.ts';

const make = stage('make', {
  params: z.object({ n: z.number().int().default(5), label: z.string().default('hello world'), loud: z.boolean().default(false) }),
  deps: ['seed.txt'],
  outs: { data: 'data/numbers.json' },
  uncached: ['data'],
  run: async ({ params, deps, outs }) => {
    const seed = (await readFile(deps[0]!, 'utf8')).trim();
    const label = params.loud ? params.label.toUpperCase() : params.label;
    await writeFile(outs.data, JSON.stringify({ label, seed, xs: Array.from({ length: params.n }, (_, i) => i) }));
  },
});

const fit = stage('fit', {
  params: z.object({ lr: z.number().default(0.1), depth: z.number().int().default(2), tag: z.string().default('v1') }),
  sweep: { space: { lr: grid([0.1, 0.5]), depth: grid([4, 8]) } },
  inputs: { data: make.outs.data },
  outs: { model: 'models/fit-\${params.lr}-\${params.depth}.json' },
  run: async ({ params, inputs, outs }) => {
    const { xs } = JSON.parse(await readFile(inputs.data, 'utf8')) as { xs: number[] };
    await writeFile(outs.model, JSON.stringify({ tag: params.tag, ys: xs.map((x) => scale(x, params.lr * params.depth)) }));
    return { score: params.lr * params.depth };
  },
});

const draw = stage('draw', {
  params: z.object({ rate: z.number().default(0.5), tiny: z.number().default(1e-6) }),
  sweep: { space: { rate: uniform(0, 1), tiny: loguniform(1e-7, 1e-5) }, samples: 3, seed: 3 },
  inputs: { data: make.outs.data },
  outs: { result: 'draws/\${params.rate}-\${params.tiny}.json' },
  run: async ({ params, inputs, outs }) => {
    const { xs } = JSON.parse(await readFile(inputs.data, 'utf8')) as { xs: number[] };
    await writeFile(outs.result, JSON.stringify({ params, sum: xs.reduce((a, x) => a + x * params.rate + params.tiny, 0) }));
  },
});

const table = collect('table', { from: fit, csv: 'results/fit.csv' });

export default pipeline('tiny', [make, fit, draw, table]);
`,
};

describe('export dvc', () => {
  it('yaml-wordcount: the cmd stages keep their commands with DVC references, params stay in params.yaml, the same edges', async () => {
    const p = copyOf('yaml-wordcount', ['yaml']);
    const result = await p.run('export', 'dvc');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(p.exists('params.yaml'), true);
    const written = p.read('dvc.yaml');
    assert.match(written, /cmd: node scripts\/make-texts\.mjs \$\{texts\.count\} texts\n/);
    assert.doesNotMatch(written, /\$\{params\./);

    const ours = await pipewrightGraph(p.dir);
    // Read back as DVC reads it, params from params.yaml: same stages, same edges, same commands.
    const theirs = buildGraph(loadDvcPipeline(p.path('dvc.yaml')));
    assert.deepEqual(theirs.order, ours.order);
    assert.deepEqual(edges(theirs), edges(ours));
    // DVC does not make the folders of outs, as pipewright does before a stage runs: the command does.
    assert.equal(theirs.nodes.get('count_short')!.command, `mkdir -p counts && ${ours.nodes.get('count_short')!.command}`);
    for (const name of ours.order) {
      assert.equal(theirs.nodes.get(name)!.command!.replace('mkdir -p counts && ', ''), ours.nodes.get(name)!.command, name);
      assert.deepEqual(theirs.nodes.get(name)!.params, ours.nodes.get(name)!.params, name);
    }

    // Written elsewhere: the stages work in the project folder, params read from its params.yaml.
    const elsewhere = await p.run('export', 'dvc', '-o', 'dvc');
    assert.equal(elsewhere.code, 0, elsewhere.stderr);
    assert.equal(p.exists('dvc/params.yaml'), false);
    assert.match(p.read('dvc/dvc.yaml'), /vars:\n {2}- \.\.\/params\.yaml\n/);
    const moved = buildGraph(loadDvcPipeline(p.path('dvc/dvc.yaml')));
    assert.deepEqual(edges(moved), edges(ours));
    assert.equal(moved.nodes.get('count_short')!.wdir, '..');
    assert.deepEqual(moved.nodes.get('count_short')!.params, ours.nodes.get('count_short')!.params);
    reproduce(moved);
    assert.equal(JSON.parse(p.read('summary.json')).words > 10, true);
  });

  it('spam: every TS stage is `npx pipewright exec`, with its code as deps and its params in params.yaml; the outs are the bytes `pipewright run` writes', async () => {
    const p = copyOf('spam', ['@stdlib']);
    const result = await p.run('export', 'dvc');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /wrote dvc\.yaml and params\.yaml: 4 stages/);
    const ours = await pipewrightGraph(p.dir);
    const theirs = dvcGraph(p.path('dvc.yaml'));
    assert.deepEqual(theirs.order, ours.order);
    assert.deepEqual(edges(theirs), edges(ours));
    const train = theirs.nodes.get('train')!;
    assert.deepEqual(train.deps.map((d) => d.path), ['pipewright.ts', 'lib/evaluate.ts', 'lib/model.ts', 'lib/text.ts', 'features/train.json', 'features/vocab.json']);
    assert.match(p.read('dvc.yaml'), /cmd: npx pipewright exec train -S train\.epochs=\$\{train\.epochs\} -S train\.lr=\$\{train\.lr\} /);
    assert.match(train.command!, /^npx pipewright exec train -S train\.epochs=8 -S train\.lr=0\.2 -S train\.l2=0\.0001 -S train\.seed=1$/);
    const evaluate = theirs.nodes.get('evaluate')!;
    const { x, y, title } = evaluate.plots[0]!.plot!;
    assert.deepEqual({ x, y, title }, { x: 'recall', y: ['precision'], title: 'Precision against recall' });

    // With params read from params.yaml, DVC's commands carry pipewright's values.
    const dvcRun = buildGraph(loadDvcPipeline(p.path('dvc.yaml')));
    for (const name of ours.order) assert.deepEqual(dvcRun.nodes.get(name)!.params[name], ours.nodes.get(name)!.params, name);

    // DVC runs the exported commands; pipewright runs the pipeline in a copy: the same bytes.
    reproduce(dvcRun);
    const reference = copyOf('spam', ['@stdlib']);
    const run = await reference.run('run');
    assert.equal(run.code, 0, run.stderr);
    for (const out of ['data/train.jsonl', 'data/test.jsonl', 'features/vocab.json', 'features/train.json', 'model/model.json', 'metrics.json', 'plots/precision_recall.json']) {
      assert.equal(p.read(out), reference.read(out), out);
    }

    // Editing params.yaml (as `dvc exp run -S` does) changes what runs.
    p.write({ 'params.yaml': p.read('params.yaml').replace('epochs: 8', 'epochs: 1') });
    const edited = buildGraph(loadDvcPipeline(p.path('dvc.yaml')));
    reproduce(edited, ['train']);
    assert.notEqual(p.read('model/model.json'), reference.read('model/model.json'));
    const once = await reference.run('run', '-S', 'train.epochs=1');
    assert.equal(once.code, 0, once.stderr);
    assert.equal(p.read('model/model.json'), reference.read('model/model.json'));
  });

  it('sweep example: a custom search cannot be a dvc.yaml (exit 2, named); without it, 60 random draws become a foreach named as pipewright names them', async () => {
    const p = project();
    copyOf('spam', [], p);
    copyOf('sweep', [], p);
    const dir = p.path('sweep');
    const refused = await p.run('export', 'dvc', '-C', dir);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /stage "tune" is a custom search/);
    assert.match(refused.stderr, /--skip tune/);
    assert.equal(p.exists('sweep/dvc.yaml'), false);

    const result = await p.run('export', 'dvc', '-C', dir, '--skip', 'tune');
    assert.equal(result.code, 0, result.stderr);
    const ours = await pipewrightGraph(dir);
    const theirs = dvcGraph(join(dir, 'dvc.yaml'));
    const trained = ours.sweeps.get('train')!;
    assert.equal(trained.length, 60);
    assert.deepEqual(theirs.order, ours.order.filter((n) => n !== 'tune'));
    const expected = edges(ours);
    delete (expected as Record<string, unknown>).tune;
    assert.deepEqual(edges(theirs), expected);
    // Each instance's command carries its exact drawn values, and writes the path pipewright would.
    for (const name of trained) {
      const ourNode = ours.nodes.get(name)!;
      const node = theirs.nodes.get(name)!;
      // DVC writes the values as Python prints them (5.6e-05, where JavaScript writes 0.000056).
      for (const key of ['lr', 'l2', 'epochs']) assert.ok(node.command!.includes(`-S train.${key}=${dvcText(ourNode.params[key])}`), `${name} ${key}: ${node.command}`);
      assert.deepEqual(node.outs.map((o) => o.path), ourNode.outs.map((o) => o.path));
    }
    assert.deepEqual(theirs.nodes.get('results')!.deps.slice(5).map((d) => d.path), trained.flatMap((n) => ours.nodes.get(n)!.outs.map((o) => o.path)));
  });

  it('a TS pipeline with sweeps: a grid is a matrix, random draws a foreach; running the exported commands writes what `pipewright run` writes', async () => {
    const p = project(tsPipeline);
    const result = await p.run('export', 'dvc');
    assert.equal(result.code, 0, result.stderr);
    const written = p.read('dvc.yaml');
    assert.match(written, /fit:\n {4}matrix:\n {6}lr:\n {8}- 0\.1\n {8}- 0\.5\n {6}depth:\n {8}- 4\n {8}- 8\n/);
    assert.match(written, /draw:\n {4}foreach:\n/);
    // A string param survives spaces, and -S reads it back as a string.
    assert.match(written, /-S 'make\.label="\$\{make\.label\}"'/);
    assert.match(written, /- data\/numbers\.json:\n {10}cache: false/);
    assert.match(p.read('params.yaml'), /make:\n {2}n: 5\n {2}label: hello world\n {2}loud: false\nfit:\n {2}tag: v1\n/);

    const ours = await pipewrightGraph(p.dir);
    const theirs = buildGraph(loadDvcPipeline(p.path('dvc.yaml')));
    // DVC names the matrix instances by their values (fit@0.1-4); `exec` maps them to pipewright's.
    const fitNames = theirs.order.filter((n) => n.startsWith('fit@'));
    assert.deepEqual(fitNames, ['fit@0.1-4', 'fit@0.1-8', 'fit@0.5-4', 'fit@0.5-8']);
    const sweepOf = (s: string) => ours.declaration.stages.find((d) => d.name === s)?.sweep;
    const mapped = theirs.order.map((n) => (ours.nodes.has(n) ? n : instanceFromDvcName(n, ours.sweeps, sweepOf, (i) => ours.nodes.get(i)?.values)));
    assert.deepEqual(mapped, ours.order);
    const renamed = (n: string) => mapped[theirs.order.indexOf(n)]!;
    for (const name of theirs.order) {
      assert.deepEqual([...theirs.nodes.get(name)!.upstream].map(renamed).sort(), [...ours.nodes.get(renamed(name))!.upstream].sort(), name);
      assert.deepEqual(theirs.nodes.get(name)!.outs.map((o) => o.path), ours.nodes.get(renamed(name))!.outs.map((o) => o.path), name);
    }
    // The draws' tiny values print differently in Python (1e-06) and JS: their paths are given in the item.
    assert.match(written, /- \$\{item\.paths\[0\]\}/);

    reproduce(theirs);
    const reference = project(tsPipeline);
    const run = await reference.run('run');
    assert.equal(run.code, 0, run.stderr);
    const outs = ours.order.flatMap((n) => ours.nodes.get(n)!.outs.map((o) => o.path)).filter((o) => !o.startsWith('results/'));
    assert.equal(outs.length, 1 + 4 + 3);
    for (const out of outs) assert.equal(p.read(out), reference.read(out), out);
    assert.equal(JSON.parse(p.read('data/numbers.json')).label, 'hello world');
    // The collector, run by DVC after the instances, finds every one on disk.
    assert.equal(p.read('results/fit.csv').trim().split('\n').length, 1 + 4);

    // Written to a sub-folder: `wdir` back to the project, params from the written params.yaml.
    const sub = await p.run('export', 'dvc', '-o', 'pipelines/dvc');
    assert.equal(sub.code, 0, sub.stderr);
    const moved = buildGraph(loadDvcPipeline(p.path('pipelines/dvc/dvc.yaml')));
    assert.equal(moved.nodes.get('make')!.wdir, '../..');
    assert.deepEqual(moved.nodes.get('make')!.params, { make: { n: 5, label: 'hello world', loud: false } });
    p.write({ 'pipelines/dvc/params.yaml': p.read('pipelines/dvc/params.yaml').replace('loud: false', 'loud: true') });
    reproduce(buildGraph(loadDvcPipeline(p.path('pipelines/dvc/dvc.yaml'))), ['make']);
    assert.equal(JSON.parse(p.read('data/numbers.json')).label, 'HELLO WORLD');
  });

  it('a pipewright.yaml sweep: a grid is a matrix, draws a foreach, the collector an exec stage over every instance\'s outs', async () => {
    const p = project({
      'params.yaml': 'lr: 0.3\ndepth: 2\nbackbone: res net\n',
      'train.cjs': "const fs = require('fs'); const a = process.argv.slice(2); const out = a[a.indexOf('--out') + 1];\n"
        + "fs.mkdirSync(out, { recursive: true }); fs.writeFileSync(out + '/m.json', JSON.stringify(a) + '\\n');\n",
      'pipewright.yaml': `stages:
  train:
    cmd: node train.cjs --lr \${params.lr} --depth \${params.depth} --name \${params.backbone} --out models/\${params.lr}-\${params.depth}
    params: [lr, depth, backbone]
    sweep:
      space:
        lr: {grid: [0.1, 0.01]}
        depth: {grid: [4, 8]}
    outs:
      - models/\${params.lr}-\${params.depth}
  draw:
    cmd: node train.cjs --lr \${params.lr} --out draws/\${params.lr}
    params: [lr]
    sweep: {samples: 2, seed: 1, space: {lr: {uniform: [0.1, 0.5]}}}
    outs:
      - draws/\${params.lr}
  results:
    collect: train
    outs: [results/train.csv]
`,
    });
    const result = await p.run('export', 'dvc');
    assert.equal(result.code, 0, result.stderr);
    const written = p.read('dvc.yaml');
    assert.match(written, /cmd: mkdir -p models && node train\.cjs --lr \$\{item\.lr\} --depth \$\{item\.depth\} --name '\$\{backbone\}' --out models\/\$\{item\.lr\}-\$\{item\.depth\}\n/);
    assert.match(written, /params:\n {6}- backbone\n/, 'swept keys come from the item, not params.yaml');
    const ours = await pipewrightGraph(p.dir);
    const theirs = buildGraph(loadDvcPipeline(p.path('dvc.yaml')));
    assert.deepEqual(theirs.order, ['train@0.1-4', 'train@0.1-8', 'train@0.01-4', 'train@0.01-8', ...ours.sweeps.get('draw')!, 'results']);
    assert.deepEqual(theirs.nodes.get('results')!.upstream, ['train@0.1-4', 'train@0.1-8', 'train@0.01-4', 'train@0.01-8']);
    reproduce(theirs);
    assert.deepEqual(JSON.parse(p.read('models/0.1-8/m.json')), ['--lr', '0.1', '--depth', '8', '--name', 'res net', '--out', 'models/0.1-8']);
    assert.equal(p.read('results/train.csv').trim().split('\n').length, 1 + 4);
  });

  it("DVC's text of a value is Python's (what DVC inserts for ${...})", () => {
    // Printed by Python 3: repr() of each float, as DVC's to_str does.
    const python: [number | boolean | string, string][] = [[0.1, '0.1'], [0.0001, '0.0001'], [0.00012345, '0.00012345'], [5e-5, '5e-05'],
      [2.34e-7, '2.34e-07'], [1e21, '1e+21'], [1.5e22, '1.5e+22'], [123456789012345.6, '123456789012345.6'], [0.30000000000000004, '0.30000000000000004'],
      [3e-300, '3e-300'], [8, '8'], [true, 'true'], [false, 'false'], ['res net', 'res net']];
    for (const [value, text] of python) assert.equal(dvcText(value), text, String(value));
  });

  it("exec accepts DVC's names of an exported sweep's instances: a matrix key and a list index", async () => {
    const p = project(tsPipeline);
    assert.equal((await p.run('exec', 'make')).code, 0);
    const byKey = await p.run('exec', 'fit@0.5-8');
    assert.equal(byKey.code, 0, byKey.stderr);
    assert.equal(byKey.stdout.trim(), '{"score":4}');
    assert.equal(p.exists('models/fit-0.5-8.json'), true);
    const byIndex = await p.run('exec', 'fit@1');
    assert.equal(byIndex.code, 0, byIndex.stderr);
    assert.equal(p.exists('models/fit-0.1-8.json'), true);
    const unknown = await p.run('exec', 'fit@0.3-8');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no stage named "fit@0\.3-8"/);
  });

  it('never overwrites dvc.yaml or params.yaml without --force; refuses what DVC cannot express (exit 2, what and why)', async () => {
    const p = project({ ...tsPipeline, 'dvc.yaml': 'stages: {}\n' });
    const refused = await p.run('export', 'dvc');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /dvc\.yaml exists/);
    assert.match(refused.stderr, /--force/);
    assert.equal(p.read('dvc.yaml'), 'stages: {}\n');
    assert.equal(p.exists('params.yaml'), false, 'nothing written when one file may not be');
    const forced = await p.run('export', 'dvc', '--force');
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(p.read('dvc.yaml'), /npx pipewright exec make/);

    const quoted = project({ ...tsPipeline, 'pipewright.ts': tsPipeline['pipewright.ts'].replace("default('hello world')", `default("it's")`) });
    const bad = await quoted.run('export', 'dvc');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /param "label" = "it's" holds a quote/);

    const listed = project({
      'params.yaml': 'files: [a.txt, b.txt]\n',
      'pipewright.yaml': 'stages:\n  cat:\n    cmd: cat ${params.files} > all.txt\n    outs: [all.txt]\n',
    });
    const list = await listed.run('export', 'dvc');
    assert.equal(list.code, 2);
    assert.match(list.stderr, /inserts \$\{params\.files\}, which is a list/);

    const help = await p.run('export', 'dvc', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--force/);
  });
});
