import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { REPO, useProjects } from '../helpers/project.js';
const project = useProjects();
/**
 * A copy of an example's tracked files in a temp folder: the test starts from what a fresh clone
 * has (no outs, no lockfile, no cache), and leaves the repository as it was.
 */
function copyOf(example, modules = [], into, under = '') {
    const p = into ?? project();
    const folder = join('examples', example);
    const tracked = execFileSync('git', ['ls-files', '-z', folder], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);
    assert.ok(tracked.length > 0, `no tracked files in ${folder}`);
    for (const file of tracked) {
        mkdirSync(dirname(join(p.dir, under, relative(folder, file))), { recursive: true });
        cpSync(join(REPO, file), join(p.dir, under, relative(folder, file)));
    }
    p.write({ 'package.json': '{ "type": "module" }\n' });
    for (const m of modules)
        symlinkSync(join(REPO, 'node_modules', m), join(p.dir, 'node_modules', m));
    return p;
}
describe('examples', () => {
    it('spam: trains and evaluates a real classifier on the SpamAssassin corpus', async () => {
        const p = copyOf('spam', ['@stdlib']);
        const result = await p.run('run', '-j', '2');
        assert.equal(result.code, 0, result.stdout + result.stderr);
        const metrics = JSON.parse(p.read('metrics.json'));
        assert.equal(metrics.examples, 1511, 'a quarter of the 6,046 e-mails is held out');
        assert.ok(metrics.accuracy > 0.95, `accuracy ${metrics.accuracy}`);
        assert.ok(metrics.f1 > 0.9, `f1 ${metrics.f1}`);
        assert.match(result.stdout, /Metrics\n {2}evaluate: accuracy=0\.9\d+ precision=\S+ recall=\S+ f1=0\.9\d+ examples=1511\n/);
        const curve = JSON.parse(p.read('plots/precision_recall.json'));
        assert.ok(curve.length > 100);
        assert.equal(curve.at(-1).recall, 1);
        assert.match(p.read('.pipewright/logs/train.log'), /^epoch 1: loss /);
        const dag = await p.run('dag');
        assert.equal(dag.stdout, 'prepare\n└─► featurize\n    ├─► train\n    │   └─► evaluate\n    └─► evaluate\n');
    });
    it('yaml-wordcount: command stages in pipewright.yaml with params.yaml', async () => {
        const p = copyOf('yaml-wordcount', ['yaml']);
        const result = await p.run('run', '-S', 'texts.count=4');
        assert.equal(result.code, 0, result.stdout + result.stderr);
        const summary = JSON.parse(p.read('summary.json'));
        assert.ok(summary.words > 10);
        const table = p.read('table.tsv').trim().split('\n');
        assert.equal(table[0], 'word\tcount');
        assert.equal(table.length - 1, summary.words);
        assert.equal(p.exists('texts/text-3.txt'), true);
        assert.equal(p.exists('texts/text-4.txt'), false);
    });
    it('sweep: a random search over the spam model\'s training params, collected, then ranked by Shapley values', async () => {
        // The sweep example reuses the spam example's stages and code: both folders, side by side.
        const p = copyOf('spam', ['@stdlib'], undefined, 'spam');
        copyOf('sweep', [], p, 'sweep');
        const dir = join(p.dir, 'sweep');
        const result = await p.run('run', '-C', dir, '-j', '2');
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.match(result.stdout, /79 ran/, 'prepare, featurize, 60 instances of train, 16 of tune, the collector');
        assert.equal((result.stdout.match(/^✓ tune@lr=[\d.e-]+,l2=[\d.e-]+$/gm) ?? []).length, 16, 'the adaptive search made its 16 points');
        const rows = p.read('sweep/results/sweep.csv').trim().split('\n');
        assert.equal(rows[0], 'name,status,epochs,lr,l2,seed,accuracy,f1');
        assert.equal(rows.length, 61);
        const f1 = rows.slice(1).map((r) => Number(r.split(',').at(-1)));
        assert.ok(Math.max(...f1) > 0.95 && Math.min(...f1) < Math.max(...f1), 'the params make a difference');
        const analysis = await p.run('analyze', '-C', dir, '--stage', 'train', '--metric', 'f1', '--json');
        assert.equal(analysis.code, 0, analysis.stderr);
        const { ranking } = JSON.parse(analysis.stdout);
        assert.deepEqual(ranking.map((r) => r.param).sort(), ['epochs', 'l2', 'lr']);
        assert.ok(p.exists('sweep/.pipewright/plots/train-f1-beeswarm.png'));
        const dag = await p.run('dag', '-C', dir);
        assert.equal(dag.stdout, 'prepare\n└─► featurize\n    ├─► train (sweep: 60 instances)\n    │   └─► results\n    └─► tune\n');
        const all = await p.run('dag', '-C', dir, '--instances', '--format', 'json');
        assert.equal(JSON.parse(all.stdout).stages.length, 64, 'tune\'s instances are made while it runs: one node');
    });
});
//# sourceMappingURL=examples.test.js.map