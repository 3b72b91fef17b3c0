import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { shapleyValues } from '../../src/report/shapley.js';
import { PREDICTION_BUDGET, analyzeSignificance } from '../../src/report/significance.js';
import { useProjects } from '../helpers/project.js';

const project = useProjects();
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

describe('exact Shapley values', () => {
  const background = [[0, 0, 0], [1, 2, 3], [2, 4, 0], [3, 0, 1]];
  const mean = (j: number) => background.reduce((s, b) => s + b[j]!, 0) / background.length;

  it('of a linear model are each weight times the distance from the background mean', () => {
    const f = (rows: readonly (readonly number[])[]) => rows.map(([a, b, c]) => 2 * a! + 3 * b! - c!);
    const x = [5, 1, 2];
    const phi = shapleyValues(f, x, background);
    close(phi[0]!, 2 * (5 - mean(0)), 'a');
    close(phi[1]!, 3 * (1 - mean(1)), 'b');
    close(phi[2]!, -1 * (2 - mean(2)), 'c');
  });

  it('split an interaction evenly, give an unused feature nothing, and add up to f(x) − E[f]', () => {
    // f = a·b with a single background row at 0: v({}) = v({a}) = v({b}) = 0, v({a,b}) = a·b.
    const f = (rows: readonly (readonly number[])[]) => rows.map(([a, b]) => a! * b!);
    const phi = shapleyValues(f, [3, 4, 9], [[0, 0, 0]]);
    close(phi[0]!, 6, 'a');
    close(phi[1]!, 6, 'b');
    close(phi[2]!, 0, 'unused c');
    const g = (rows: readonly (readonly number[])[]) => rows.map(([a, b, c]) => Math.max(a!, b!) * (1 + c!) - a! * c!);
    const x = [2, 1, 3];
    const total = shapleyValues(g, x, background).reduce((s, v) => s + v, 0);
    const expected = g([x])[0]! - g(background).reduce((s, v) => s + v, 0) / background.length;
    close(total, expected, 'efficiency');
  });
});

describe('the significance budget', () => {
  it('12 params and 1,000 instances stay within two million predictions (a spread sample is explained), and still rank right', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const keys = Array.from({ length: 12 }, (_, i) => `p${i}`);
    const samples = Array.from({ length: 1000 }, (_, i) => {
      const params = Object.fromEntries(keys.map((k) => [k, random()]));
      return { name: `fit@${i}`, params, metric: 10 * params.p11! + params.p3! };
    });
    const result = analyzeSignificance('score', samples, { trees: 20 });
    assert.ok(result.predictions <= PREDICTION_BUDGET, `${result.predictions} predictions`);
    assert.ok(result.predictions > PREDICTION_BUDGET / 2, 'the budget is used, not wasted');
    assert.equal(result.points.length, Math.floor(PREDICTION_BUDGET / 4096), 'one background row, then a sample of the instances');
    assert.equal(result.instances, 1000);
    assert.deepEqual(result.ranking.slice(0, 2).map((r) => r.param), ['p11', 'p3']);
  });
});

describe('pipewright analyze', () => {
  it('ranks the param that drives the metric first and writes the plots as PNG and SVG', async () => {
    // score depends strongly on c, weakly on b, not at all on a: the ranking is not the params' order.
    const p = project({
      'params.yaml': 'a: 0\nb: 0\nc: 0\n',
      'score.cjs': `const [a, b, c, out] = process.argv.slice(2);
require('fs').mkdirSync(out, { recursive: true });
require('fs').writeFileSync(out + '/m.json', JSON.stringify({ score: 10 * Number(c) + Number(b) }));`,
      'pipewright.yaml': `stages:
  fit:
    cmd: node score.cjs \${params.a} \${params.b} \${params.c} out/\${params.a}-\${params.b}-\${params.c}
    params: [a, b, c]
    sweep:
      samples: 40
      seed: 3
      space:
        a: {uniform: [0, 1]}
        b: {uniform: [0, 1]}
        c: {uniform: [0, 1]}
    outs:
      - out/\${params.a}-\${params.b}-\${params.c}
    metrics:
      - out/\${params.a}-\${params.b}-\${params.c}/m.json
`,
    });
    assert.equal((await p.run('run', '-j', '2')).code, 0);
    const r = await p.run('analyze', '--stage', 'fit', '--metric', 'score', '-o', 'plots', '--json');
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { ranking: { param: string; importance: number; direction: number }[]; r2: number; plots: string[] };
    assert.deepEqual(result.ranking.map((x) => x.param), ['c', 'b', 'a']);
    assert.ok(result.ranking[0]!.importance > 5 * result.ranking[1]!.importance);
    assert.ok(result.ranking[0]!.direction > 0.8, 'higher c, higher score');
    assert.ok(result.r2 > 0.8, `R² ${result.r2}`);
    for (const name of ['fit-score-importance', 'fit-score-beeswarm']) {
      const png = readFileSync(p.path(`plots/${name}.png`));
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${name}.png is a PNG`);
      assert.ok(png.length > 5000);
      assert.match(p.read(`plots/${name}.svg`), /^<svg[^>]*>[\s\S]*score/);
    }
    const text = await p.run('analyze', '--stage', 'fit', '--metric', 'score', '-o', 'plots');
    assert.match(text.stdout, /^\s+1\s+c\s+[\d.]+\s+higher → higher score$/m);
    assert.match(text.stdout, /^\s+3\s+a\s/m);
    const typo = await p.run('analyze', '--stage', 'fit', '--metric', 'scor');
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /no instance of "fit" in run #1 has a numeric metric "scor"/);
    assert.match(typo.stderr, /its metrics: score/);
  });

  /** A grid sweep of `fit` over a and b, score = 2·a (b does nothing), or `score` fixed when given. */
  function gridSweep(a: readonly number[], b: readonly number[], score?: number) {
    return project({
      'params.yaml': 'a: 0\nb: 0\n',
      'score.cjs': `const [a, b, out] = process.argv.slice(2);
require('fs').mkdirSync(out, { recursive: true });
require('fs').writeFileSync(out + '/m.json', JSON.stringify({ score: ${score ?? '2 * Number(a)'} }));`,
      'pipewright.yaml': `stages:
  fit:
    cmd: node score.cjs \${params.a} \${params.b} out/\${params.a}-\${params.b}
    params: [a, b]
    sweep:
      space:
        a: {grid: ${JSON.stringify(a)}}
        b: {grid: ${JSON.stringify(b)}}
    outs:
      - out/\${params.a}-\${params.b}
    metrics:
      - out/\${params.a}-\${params.b}/m.json
`,
    });
  }

  it('a 4×2 grid (8 instances) is answered, saying plainly that the ranking rests on few instances; 3 instances are answered too', async () => {
    const p = gridSweep([0, 1, 2, 3], [0, 1]);
    assert.equal((await p.run('run', '-j', '2')).code, 0);
    const r = await p.run('analyze', '--stage', 'fit', '--metric', 'score', '-o', 'plots');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /score over 8 instances of fit/);
    assert.match(r.stdout, /^\s+1\s+a\s+[\d.]+\s+higher → higher score$/m);
    assert.match(r.stdout, /Few instances: only 8 instances: the ranking rests on few instances/);
    const json = JSON.parse((await p.run('analyze', '--stage', 'fit', '--metric', 'score', '-o', 'plots', '--json')).stdout) as { instances: number; note?: string; ranking: { param: string }[] };
    assert.equal(json.instances, 8);
    assert.match(json.note ?? '', /rests on few instances/);
    assert.deepEqual(json.ranking.map((x) => x.param), ['a', 'b']);

    const three = gridSweep([0, 1, 2], [0]);
    assert.equal((await three.run('run')).code, 0);
    const r3 = await three.run('analyze', '--stage', 'fit', '--metric', 'score', '-o', 'plots');
    assert.equal(r3.code, 0, r3.stdout + r3.stderr);
    assert.match(r3.stdout, /score over 3 instances of fit/);
    assert.match(r3.stdout, /^\s+1\s+a\s/m);
    assert.match(r3.stdout, /Few instances: only 3 instances/);
  });

  it('2 instances, or params that are the same in every instance, and a metric alike in every instance, are refused saying why (exit 2, no stack trace)', async () => {
    const two = gridSweep([0, 1], [0]);
    assert.equal((await two.run('run')).code, 0);
    const r2 = await two.run('analyze', '--stage', 'fit', '--metric', 'score', '-o', 'plots');
    assert.equal(r2.code, 2, r2.stdout + r2.stderr);
    assert.match(r2.stderr, /only 2 instances have the metric "score": at least 3 are needed to fit a model/);
    assert.match(r2.stderr, /analyze a sweep of at least 3 instances in which some param takes two or more values/);
    assert.doesNotMatch(r2.stderr, /\n\s+at /, 'no stack trace');
    // Every instance scored alike: there is nothing for the params to explain.
    const flat = gridSweep([0, 1, 2, 3], [0, 1], 5);
    assert.equal((await flat.run('run', '-j', '2')).code, 0);
    const rf = await flat.run('analyze', '--stage', 'fit', '--metric', 'score', '-o', 'plots');
    assert.equal(rf.code, 2, rf.stdout + rf.stderr);
    assert.match(rf.stderr, /score is 5 in every one of the 8 instances: no param moves it, so there is nothing to rank/);
    assert.doesNotMatch(rf.stderr, /\n\s+at /, 'no stack trace');
    // The same params in every instance (not a sweep `run` makes, but records can hold it).
    const samples = [1, 2, 3].map((metric, i) => ({ name: `fit@${i}`, params: { a: 1 }, metric }));
    assert.throws(() => analyzeSignificance('score', samples), /no param differs between the 3 instances: there is nothing to rank/);
  });

  it('plots draws the runs\' plot files overlaid, with an HTML page', async () => {
    const p = project({
      'params.yaml': 'rate: 1\n',
      'curve.cjs': 'const r = Number(process.argv[2]); console.log(JSON.stringify([0, 1, 2, 3].map((step) => ({ step, loss: 1 / (1 + r * step) }))));',
      'pipewright.yaml': `stages:
  curve:
    cmd: node curve.cjs \${params.rate} > curve.json
    params: [rate]
    plots:
      - curve.json: {x: step, y: loss, title: Loss by step, y_label: loss (lower is better)}
`,
    });
    await p.run('run');
    await p.run('run', '-S', 'rate=2');
    const r = await p.run('plots', 'last~1', 'last', '-o', 'out');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1 plot of 2 runs in out: curve\.png, index\.html/);
    const page = p.read('out/index.html');
    assert.equal((page.match(/<svg/g) ?? []).length, 1);
    assert.match(page, /#1 [a-z]+-[a-z]+/);
    const svg = p.read('out/curve.svg');
    assert.match(svg, /#2 [a-z]+-[a-z]+/);
    assert.match(svg, /Loss by step/, 'the title from the stage\'s plot properties');
    assert.match(svg, /loss \(lower is better\)/);
    assert.ok(readFileSync(p.path('out/curve.png')).length > 5000);
  });

  it('plots draws dvc.yaml\'s top-level charts: files by field, templates, images, from folders in the cache', async () => {
    const p = project({
      'eval.cjs': `const fs = require('fs');
fs.mkdirSync('eval/plots/roc', { recursive: true });
fs.mkdirSync('eval/plots/cm', { recursive: true });
const roc = (k) => [0, 0.25, 0.5, 1].map((fpr) => ({ fpr, tpr: Math.min(1, fpr * k + 0.1), threshold: 1 - fpr }));
fs.writeFileSync('eval/plots/roc/train.json', JSON.stringify(roc(3)));
fs.writeFileSync('eval/plots/roc/test.json', JSON.stringify(roc(2)));
fs.writeFileSync('eval/plots/cm/test.json', JSON.stringify([['a', 'a'], ['a', 'b'], ['b', 'b'], ['b', 'b']].map(([actual, predicted]) => ({ actual, predicted }))));
fs.writeFileSync('eval/plots/importance.png', Buffer.from('89504e470d0a1a0a', 'hex'));
fs.writeFileSync('eval/metrics.json', JSON.stringify({ avg_prec: { test: 0.91 }, roc_auc: 0.95 }));`,
      'dvc.yaml': `stages:
  evaluate:
    cmd: node eval.cjs
    deps: [eval.cjs]
    outs:
      - eval
metrics:
  - eval/metrics.json
plots:
  - ROC:
      template: simple
      x: fpr
      y:
        eval/plots/roc/train.json: tpr
        eval/plots/roc/test.json: tpr
  - Confusion-Matrix:
      template: confusion
      x: actual
      y:
        eval/plots/cm/test.json: predicted
  - eval/plots/importance.png
`,
    });
    const ran = await p.run('run');
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /evaluate: avg_prec\.test=0\.91 roc_auc=0\.95/, 'a top-level metrics file is its stage\'s metrics');
    assert.deepEqual(JSON.parse((await p.run('metrics', 'show', '--json')).stdout), { evaluate: { avg_prec: { test: 0.91 }, roc_auc: 0.95 } });
    // The workspace moves on (a new file, as a stage writes it): the run's copy is in the cache.
    rmSync(p.path('eval/plots/roc/test.json'));
    p.write({ 'eval/plots/roc/test.json': '[]' });
    const r = await p.run('plots', '-o', 'out');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /3 plots of 1 run in out: ROC\.png, Confusion-Matrix\.png, eval_plots_importance\.png-1\.png, index\.html|3 plots of 1 run in out: ROC\.png, Confusion-Matrix\.png, [\w.-]+\.png, index\.html/);
    const roc = p.read('out/ROC.svg');
    assert.match(roc, /eval\/plots\/roc\/train\.json/, 'a line per file, named by it');
    assert.match(roc, /eval\/plots\/roc\/test\.json/);
    assert.match(roc, /fpr/);
    assert.match(p.read('out/Confusion-Matrix.svg'), /count/);
    const page = p.read('out/index.html');
    assert.equal((page.match(/<svg/g) ?? []).length, 2);
    assert.equal((page.match(/<img /g) ?? []).length, 1);
  });
});
