import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { checkSpace, choice, expandSweep, grid, instanceNames, int, loguniform, uniform } from '../../src/define/sweep.js';
import { useProjects } from '../helpers/project.js';
const project = useProjects();
const sweep = (space, more = {}) => ({ space, seed: 42, ...more });
describe('sweep generators', () => {
    it('grid: the cartesian product of every grid entry, fixed values in every point', () => {
        const points = expandSweep(sweep({ a: grid([1, 2, 3]), b: grid(['x', 'y']), c: { kind: 'value', value: 7 } }));
        assert.equal(points.length, 6);
        assert.deepEqual(points.map((p) => `${p.values.a}${p.values.b}${p.values.c}`), ['1x7', '1y7', '2x7', '2y7', '3x7', '3y7']);
    });
    it('random: samples per grid point, each draw inside its distribution', () => {
        const points = expandSweep(sweep({ lr: loguniform(1e-3, 0.5), depth: grid([4, 8]), drop: uniform(0, 0.5), layers: int(1, 3), act: choice(['relu', 'gelu']) }, { samples: 50 }));
        assert.equal(points.length, 100);
        for (const { values } of points) {
            assert.ok(values.lr >= 1e-3 && values.lr <= 0.5);
            assert.ok(values.drop >= 0 && values.drop < 0.5);
            assert.ok([1, 2, 3].includes(values.layers));
            assert.ok(['relu', 'gelu'].includes(values.act));
        }
        // loguniform spreads over the decades: about as many draws below 0.0224 (the log midpoint) as above.
        const below = points.filter((p) => p.values.lr < Math.sqrt(1e-3 * 0.5)).length;
        assert.ok(below > 30 && below < 70, `${below} of 100 below the log midpoint`);
        assert.deepEqual(new Set(points.map((p) => p.values.layers)), new Set([1, 2, 3]));
    });
    it('random: the same seed draws the same values, another seed others, and more samples keep the first ones', () => {
        const space = { lr: loguniform(1e-3, 0.5), depth: grid([4, 8]) };
        const a = expandSweep(sweep(space, { samples: 10 }));
        const b = expandSweep(sweep(space, { samples: 10 }));
        const other = expandSweep(sweep(space, { samples: 10, seed: 43 }));
        const grown = expandSweep(sweep(space, { samples: 20 }));
        assert.deepEqual(a, b);
        assert.notDeepEqual(a.map((p) => p.values.lr), other.map((p) => p.values.lr));
        const key = (p) => JSON.stringify(p.values);
        const grownKeys = new Set(grown.map(key));
        assert.ok(a.every((p) => grownKeys.has(key(p))), 'growing a sweep keeps every earlier instance');
    });
    it('names instances by their varying values, with more digits when rounding would collide', () => {
        const space = { lr: grid([0.1, 0.10000001]), depth: grid([4]), fixed: { kind: 'value', value: 1 } };
        const names = instanceNames('train', space, expandSweep(sweep(space)));
        assert.deepEqual(names, ['train@lr=0.1,depth=4', 'train@lr=0.10000001,depth=4']);
    });
    it('refuses spaces that cannot work', () => {
        assert.match(checkSpace(sweep({ lr: uniform(0, 1) })), /random dimensions need `samples: N`/);
        assert.match(checkSpace(sweep({ lr: loguniform(0, 1) }, { samples: 2 })), /loguniform needs a low above 0/);
        assert.match(checkSpace(sweep({ lr: grid([]) })), /needs at least one option/);
    });
});
describe('sweeps in pipewright.yaml', () => {
    const files = {
        'params.yaml': 'lr: 0.1\ndepth: 2\nbackbone: resnet\n',
        'train.cjs': `const fs = require('fs');
const [lr, depth, out] = process.argv.slice(2);
fs.appendFileSync('runs.log', out + '\\n');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(out + '/metrics.json', JSON.stringify({ score: Number(lr) * Number(depth) }));`,
    };
    const yaml = (samples, outs = 'models/${params.lr}-${params.depth}') => `stages:
  train:
    cmd: node train.cjs \${params.lr} \${params.depth} ${outs}
    params: [lr, depth, backbone]
    deps: [train.cjs]
    sweep:
      samples: ${samples}
      seed: 42
      space:
        lr: {loguniform: [0.001, 0.5]}
        depth: {grid: [4, 8]}
    outs:
      - ${outs}
    metrics:
      - ${outs}/metrics.json
  results:
    collect: train
    outs: [results/runs.csv, results/runs.json]
`;
    it('runs every instance, each cached on its own; growing the sweep runs only the new ones', async () => {
        const p = project({ ...files, 'pipewright.yaml': yaml(3) });
        const first = await p.run('run', '-j', '2');
        assert.equal(first.code, 0, first.stderr);
        assert.match(first.stdout, /7 ran/);
        assert.equal(p.read('runs.log').trim().split('\n').length, 6);
        assert.match(first.stdout, /✓ train@lr=[0-9.]+,depth=4/);
        const csv = p.read('results/runs.csv').trim().split('\n');
        assert.equal(csv[0], 'name,status,lr,depth,backbone,score');
        assert.equal(csv.length, 7);
        for (const line of csv.slice(1)) {
            const cells = line.match(/^"([^"]+)",ran,([^,]+),(\d),resnet,([^,]+)$/);
            assert.ok(cells, line);
            assert.ok(Math.abs(Number(cells[2]) * Number(cells[3]) - Number(cells[4])) < 1e-12, 'each row holds its own instance\'s params and metrics');
        }
        const json = JSON.parse(p.read('results/runs.json'));
        assert.equal(json.length, 6);
        const scores = csv.slice(1).map((line) => Number(line.split(',').at(-1)));
        const [run] = JSON.parse((await p.run('runs', '--json')).stdout);
        assert.deepEqual(run.sweeps, [{ stage: 'train', count: 6, metric: 'score', min: Math.min(...scores), max: Math.max(...scores) }], 'runs sums up a sweep');
        assert.ok(json.every((i) => Object.values(i.outs).some((o) => o.startsWith('models/'))));
        p.write({ 'pipewright.yaml': yaml(5) });
        const grown = await p.run('run', '-j', '2');
        assert.equal(grown.code, 0, grown.stderr);
        assert.match(grown.stdout, /5 ran, 6 up to date/, 'four new instances and the collector ran');
        assert.equal(p.read('runs.log').trim().split('\n').length, 10);
        assert.equal(p.read('results/runs.csv').trim().split('\n').length, 11);
    });
    it('tries one point of each sweep in dev mode', async () => {
        const p = project({ ...files, 'pipewright.yaml': yaml(3) });
        const r = await p.run('run', '--dev');
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /each sweep tries its first point only/);
        assert.match(r.stdout, /^2 ran$/m, 'one instance of train and the collector');
        assert.ok(!p.exists('runs.log') && !p.exists('results'));
    });
    it('rejects a sweep whose instances would write one path, saying to template it', async () => {
        const p = project({ ...files, 'pipewright.yaml': yaml(2, 'models/fixed') });
        const r = await p.run('run');
        assert.equal(r.code, 2);
        assert.match(r.stderr, /sweep "train": instances "train@[^"]+" and "train@[^"]+" both write "models\/fixed"/);
        assert.match(r.stderr, /template the path with the swept params/);
    });
    it('refuses a bare list in a space, and a key that is not a param', async () => {
        const bare = project({ ...files, 'pipewright.yaml': yaml(2).replace('{grid: [4, 8]}', '[4, 8]') });
        const r1 = await bare.run('run');
        assert.equal(r1.code, 2);
        assert.match(r1.stderr, /pipewright\.yaml:\d+:\d+: sweep space "depth": a bare list is ambiguous/);
        assert.match(r1.stderr, /\{grid: \[\.\.\.\]\}/);
        const typo = project({ ...files, 'pipewright.yaml': yaml(2).replace('depth: {grid', 'dept: {grid') });
        const r2 = await typo.run('run');
        assert.equal(r2.code, 2);
        assert.match(r2.stderr, /sweep space names "dept", which is not one of its params/);
        assert.match(r2.stderr, /did you mean "depth"\?/);
    });
});
describe('sweeps in pipewright.ts', () => {
    it('a custom generator sees the results of the instances finished before it answers', async () => {
        const p = project({
            'pipewright.ts': `import { writeFile, appendFile } from 'node:fs/promises';
import { pipeline, stage, collect, uniform, type InstanceResult } from 'pipewright';
import { z } from 'zod';

// Hill climbing on x: each proposal after the first looks at the best score so far.
async function* climb(_space: unknown, results: readonly InstanceResult[]) {
  let x = 0;
  for (let i = 0; i < 6; i++) {
    const best = [...results].sort((a, b) => Number(b.metrics?.score) - Number(a.metrics?.score))[0];
    await appendFile('seen.log', results.length + '\\n');
    x = best ? Number(best.params.x) + 1 : 0;
    yield { x };
  }
}

const score = stage('score', {
  params: z.object({ x: z.number().default(0) }),
  sweep: { space: { x: uniform(0, 10) }, generate: climb },
  outs: { result: 'out/x-\${params.x}.json' },
  run: async ({ params, outs }) => {
    await writeFile(outs.result, JSON.stringify(params));
    return { score: -((params.x - 3) ** 2) };
  },
});

const table = collect('table', { from: score, csv: 'out/table.csv' });
export default pipeline('climb', [score, table]);
`,
        });
        const r = await p.run('run', '-j', '1');
        assert.equal(r.code, 0, r.stdout + r.stderr);
        // With one slot, the generator is asked for each next point after the previous finished. It
        // climbs 0..4, then proposes 4 again (best is 3): the same instance, told again, not rerun.
        assert.deepEqual(p.read('seen.log').trim().split('\n').map(Number), [0, 1, 2, 3, 4, 5]);
        assert.deepEqual([0, 1, 2, 3, 4, 5].map((x) => p.exists(`out/x-${x}.json`)), [true, true, true, true, true, false]);
        const rows = p.read('out/table.csv').trim().split('\n');
        assert.equal(rows[0], 'name,status,x,score');
        assert.deepEqual(rows.slice(1).map((row) => row.split(',')[3]).map(Number), [-9, -4, -1, 0, -1]);
        assert.match(r.stdout, /6 ran/, 'five instances and the collector');
        const again = await p.run('run', '-j', '1');
        assert.match(again.stdout, /0 ran, 6 up to date/, 'a deterministic generator proposes the same points: all cached');
        // -S fixes a swept key whatever the generator proposes: one point, which ran before as score@x=3.
        const fixed = await p.run('run', '-j', '1', '-S', 'score.x=3');
        assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
        assert.match(fixed.stdout, /↺ score restored from the run-cache/);
        assert.doesNotMatch(fixed.stdout, /score@/);
        assert.equal(p.read('out/table.csv').trim().split('\n').length, 2);
        // Run on its own (as a cluster task would), the collector gets what the lockfile knows.
        const alone = await p.run('exec', 'table');
        assert.equal(alone.code, 0, alone.stderr);
        const names = p.read('out/table.csv').trim().split('\n').slice(1).map((r) => r.split(',')[0]).sort();
        assert.deepEqual(names, ['score', 'score@x=0', 'score@x=1', 'score@x=2', 'score@x=3', 'score@x=4']);
    });
});
describe('refine, the shipped adaptive search', () => {
    it('starts from random points, then closes in on the best, seeing each result before the next point', async () => {
        const { refine } = await import('../../src/define/strategies.js');
        // Best at lr = 0.01, depth = 6.
        const score = (lr, depth) => -((Math.log10(lr) + 2) ** 2) - (depth - 6) ** 2 / 10;
        const space = { lr: loguniform(1e-4, 1), depth: int(1, 12), act: { kind: 'value', value: 'relu' } };
        const results = [];
        for await (const values of refine({ metric: 'score', goal: 'max', budget: 40, initial: 8, seed: 5 })(space, results)) {
            assert.equal(values.act, 'relu', 'fixed values are kept');
            results.push({ name: String(results.length), params: values, values, status: 'ran', metrics: { score: score(values.lr, values.depth) } });
        }
        assert.equal(results.length, 40);
        const best = (list) => Math.max(...list.map((r) => r.metrics.score));
        assert.ok(best(results) > best(results.slice(0, 8)), 'refining beat the random start');
        const top = results.find((r) => r.metrics.score === best(results));
        assert.ok(Math.abs(Math.log10(top.values.lr) + 2) < 0.3, `lr ${top.values.lr}`);
        assert.ok(Math.abs(top.values.depth - 6) <= 1, `depth ${top.values.depth}`);
    });
});
//# sourceMappingURL=sweep.test.js.map