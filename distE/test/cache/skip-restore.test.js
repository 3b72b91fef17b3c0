import { strict as assert } from 'node:assert';
import { chmodSync, rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';
const project = useProjects();
/** Each stage appends its name to runs.log (not an out), so a test can count real executions. */
const yamlPipeline = {
    'params.yaml': 'scale: 2\nlabel: base\n',
    'input.txt': '1\n2\n3\n',
    'total.cjs': `const fs = require('fs');
const total = fs.readFileSync('scaled.txt', 'utf8').trim().split('\\n').reduce((a, b) => a + Number(b), 0);
fs.writeFileSync('total.json', JSON.stringify({ total }) + '\\n');`,
    'pipewright.yaml': `stages:
  scale:
    cmd: echo scale >> runs.log && awk '{print $1 * \${params.scale}}' input.txt > scaled.txt
    deps: [input.txt]
    params: [scale]
    outs: [scaled.txt]
  total:
    cmd: echo total >> runs.log && node total.cjs
    deps: [scaled.txt, total.cjs]
    metrics: [total.json]
  label:
    cmd: echo label >> runs.log && echo \${params.label} > label.txt
    params: [label]
    outs: [label.txt]
`,
};
const executions = (p) => (p.exists('runs.log') ? p.read('runs.log').trim().split('\n').filter(Boolean) : []);
const clearExecutions = (p) => p.write({ 'runs.log': '' });
async function status(p) {
    const result = await p.run('status', '--json');
    assert.equal(result.code, 0, result.stderr);
    return Object.fromEntries(JSON.parse(result.stdout).map((s) => [s.stage, s]));
}
describe('skip, rerun and restore', () => {
    it('skips every stage when nothing changed, and says so', async () => {
        const p = project(yamlPipeline);
        assert.equal((await p.run('run')).code, 0);
        assert.deepEqual(executions(p).sort(), ['label', 'scale', 'total']);
        clearExecutions(p);
        const second = await p.run('run');
        assert.equal(second.code, 0);
        assert.deepEqual(executions(p), []);
        for (const stage of ['scale', 'total', 'label'])
            assert.match(second.stdout, new RegExp(`= ${stage} up to date\n`));
        assert.match(second.stdout, /Metrics\n {2}total: total=12\n/, 'metrics of up-to-date stages are still shown');
        assert.match(second.stdout, /0 ran, 3 up to date/);
        const s = await status(p);
        assert.deepEqual(Object.values(s).map((x) => x.state), ['up-to-date', 'up-to-date', 'up-to-date']);
    });
    it('reruns a stage whose param changed (naming from and to), and what reads it; switching back restores from the run-cache', async () => {
        const p = project(yamlPipeline);
        await p.run('run');
        p.write({ 'params.yaml': 'scale: 3\nlabel: base\n' });
        const s = await status(p);
        assert.equal(s.scale.state, 'will-run');
        assert.deepEqual(s.scale.reasons.map((r) => [r.kind, r.key, r.from, r.to]), [['param-changed', 'scale', 2, 3]]);
        assert.equal(s.scale.reasons[0].text, 'param scale changed 2 → 3');
        assert.equal(s.total.state, 'will-run');
        assert.equal(s.total.reasons[0].text, 'upstream scale will run');
        assert.equal(s.label.state, 'up-to-date', 'a stage that does not read the param is untouched');
        clearExecutions(p);
        const changed = await p.run('run');
        assert.deepEqual(executions(p), ['scale', 'total']);
        assert.match(changed.stdout, /▶ scale \(param scale changed 2 → 3\)/);
        assert.match(changed.stdout, /▶ total \(dep scaled\.txt modified\)/);
        assert.equal(p.read('total.json').trim(), '{"total":18}');
        p.write({ 'params.yaml': 'scale: 2\nlabel: base\n' });
        assert.equal((await status(p)).scale.state, 'will-restore');
        assert.equal((await status(p)).total.state, 'will-restore', 'status follows the restored out to the next stage');
        clearExecutions(p);
        const back = await p.run('run');
        assert.deepEqual(executions(p), [], 'switching back runs nothing');
        assert.match(back.stdout, /↺ scale restored from the run-cache \(param scale changed 3 → 2\)/);
        assert.equal(p.read('scaled.txt'), '2\n4\n6\n');
        assert.equal(p.read('total.json').trim(), '{"total":12}');
        clearExecutions(p);
        assert.match((await p.run('run')).stdout, /0 ran, 3 up to date/);
    });
    it('reruns a stage whose dep changed, and one whose command changed', async () => {
        const p = project(yamlPipeline);
        await p.run('run');
        p.write({ 'input.txt': '1\n2\n3\n4\n' });
        assert.deepEqual((await status(p)).scale.reasons.map((r) => r.text), ['dep input.txt modified']);
        clearExecutions(p);
        await p.run('run');
        assert.deepEqual(executions(p), ['scale', 'total']);
        p.write({ 'pipewright.yaml': yamlPipeline['pipewright.yaml'].replace('echo ${params.label} > label.txt', 'echo ${params.label}! > label.txt') });
        assert.deepEqual((await status(p)).label.reasons.map((r) => r.text), ['command changed']);
        clearExecutions(p);
        await p.run('run');
        assert.deepEqual(executions(p), ['label']);
        assert.equal(p.read('label.txt'), 'base!\n');
    });
    it('restores a missing or edited out from the cache without running the stage (outs copied from the cache)', async () => {
        const p = project(yamlPipeline);
        await p.run('run', '--link', 'copy');
        clearExecutions(p);
        rmSync(p.path('label.txt'));
        p.write({ 'scaled.txt': 'tampered\n' });
        const s = await status(p);
        assert.equal(s.label.state, 'will-restore');
        assert.deepEqual(s.label.reasons.map((r) => r.text), ['out label.txt missing']);
        assert.equal(s.scale.state, 'will-restore');
        assert.deepEqual(s.scale.reasons.map((r) => r.text), ['out scaled.txt modified']);
        const result = await p.run('run', '--link', 'copy');
        assert.deepEqual(executions(p), []);
        assert.match(result.stdout, /↺ label restored from the cache \(out label\.txt missing\)/);
        assert.equal(p.read('label.txt'), 'base\n');
        assert.equal(p.read('scaled.txt'), '2\n4\n6\n');
    });
    it('with hardlinked outs, an edit in place also changes the cached copy: it is caught, dropped, and the stage reruns', async () => {
        const p = project(yamlPipeline);
        await p.run('run'); // default links: reflink, then hardlink
        clearExecutions(p);
        chmodSync(p.path('scaled.txt'), 0o644);
        p.write({ 'scaled.txt': 'tampered\n' });
        const result = await p.run('run');
        assert.match(result.stdout, /warning: cache object \w+ is corrupt \(its content changed\); removed/);
        assert.match(result.stdout, /▶ scale \(out scaled\.txt modified\)/);
        assert.deepEqual(executions(p), ['scale']);
        assert.equal(p.read('scaled.txt'), '2\n4\n6\n');
    });
    it('reruns a stage whose out is not cached when that out goes missing', async () => {
        const p = project({
            'pipewright.yaml': 'stages:\n  big:\n    cmd: echo big >> runs.log && echo data > big.bin\n    outs:\n      - big.bin:\n          cache: false\n',
        });
        await p.run('run');
        assert.equal(p.exists('.pipewright/cache/objects'), false, 'nothing stored');
        assert.match(p.read('pipewright.lock'), /cache: false/);
        clearExecutions(p);
        assert.match((await p.run('run')).stdout, /= big up to date/);
        rmSync(p.path('big.bin'));
        const result = await p.run('run');
        assert.match(result.stdout, /▶ big \(out big\.bin missing\)/);
        assert.deepEqual(executions(p), ['big']);
    });
    it('--force reruns; always_changed always runs; frozen never runs', async () => {
        const p = project({
            'params.yaml': 'v: 1\n',
            'pipewright.yaml': `stages:
  normal:
    cmd: echo normal >> runs.log && echo n > n.txt
    outs: [n.txt]
  always:
    cmd: echo always >> runs.log && date +%N > a.txt
    always_changed: true
    outs: [a.txt]
  ice:
    cmd: echo ice >> runs.log && echo \${params.v} > ice.txt
    params: [v]
    outs: [ice.txt]
`,
        });
        await p.run('run');
        clearExecutions(p);
        await p.run('run');
        assert.deepEqual(executions(p), ['always']);
        clearExecutions(p);
        const forced = await p.run('run', 'normal', '--force');
        assert.match(forced.stdout, /▶ normal \(forced\)/);
        assert.deepEqual(executions(p), ['normal']);
        p.write({ 'params.yaml': 'v: 2\n', 'pipewright.yaml': p.read('pipewright.yaml').replace('outs: [ice.txt]', 'outs: [ice.txt]\n    frozen: true') });
        clearExecutions(p);
        const frozen = await p.run('run', 'ice');
        assert.deepEqual(executions(p), []);
        assert.match(frozen.stdout, /= ice up to date/);
        assert.equal(p.read('ice.txt'), '1\n');
        assert.equal((await status(p)).ice.state, 'frozen');
    });
});
describe('TypeScript stages', () => {
    const files = {
        'package.json': '{ "type": "module" }\n',
        'lib/helper.ts': 'export const double = (n: number) => n * 2;\n',
        'lib/unrelated.ts': 'export const nothing = 0;\n',
        'pipewright.ts': `
import { appendFileSync, writeFileSync } from 'node:fs';
import { pipeline, stage } from 'pipewright';
import { z } from 'zod';
import { double } from './lib/helper.ts';
const compute = stage('compute', {
  params: z.object({ n: z.number().default(21) }),
  outs: { result: 'result.txt' },
  run: ({ params, outs, root }) => {
    appendFileSync(root + '/runs.log', 'compute\\n');
    writeFileSync(outs.result, String(double(params.n)));
  },
});
export default pipeline('ts', [compute]);
`,
    };
    it('a change to an imported helper invalidates the stage; a file it does not import does not', async () => {
        const p = project(files);
        assert.equal((await p.run('run')).code, 0);
        assert.equal(p.read('result.txt'), '42');
        clearExecutions(p);
        assert.match((await p.run('run')).stdout, /= compute up to date/);
        p.write({ 'lib/unrelated.ts': 'export const nothing = 1;\n' });
        assert.match((await p.run('run')).stdout, /= compute up to date/);
        assert.deepEqual(executions(p), []);
        p.write({ 'lib/helper.ts': 'export const double = (n: number) => n * 2 + 1;\n' });
        const s = await status(p);
        assert.deepEqual(s.compute.reasons.map((r) => r.text), ['code changed: lib/helper.ts']);
        const result = await p.run('run');
        assert.match(result.stdout, /▶ compute \(code changed: lib\/helper\.ts\)/);
        assert.equal(p.read('result.txt'), '43');
        assert.deepEqual(executions(p), ['compute']);
        clearExecutions(p);
        await p.run('run', '-S', 'compute.n=5');
        assert.equal(p.read('result.txt'), '11');
        await p.run('run');
        assert.equal(p.read('result.txt'), '43', 'restored');
        assert.deepEqual(executions(p), ['compute']);
    });
});
//# sourceMappingURL=skip-restore.test.js.map