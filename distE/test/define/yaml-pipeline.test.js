import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';
const project = useProjects();
describe('pipewright.yaml errors name file, line and column', () => {
    const cases = [
        ['bad indentation', 'stages:\n  a:\n    cmd: "true"\n   outs: [x]\n', /^error: pipewright\.yaml:4:\d+: invalid YAML/],
        ['an unclosed flow list', 'stages:\n  a:\n    cmd: "true"\n    outs: [x, y\n', /^error: pipewright\.yaml:\d+:\d+: invalid YAML/],
        ['a ${...} path in a flow list', 'stages:\n  a:\n    cmd: "true"\n    outs: [m/${params.lr}]\n', /^error: pipewright\.yaml:4:\d+: invalid YAML[\s\S]*hint: a \$\{\.\.\.\} path inside \[\.\.\.\] must be quoted/],
        ['a sweep space entry of unknown form', 'stages:\n  a:\n    cmd: "true"\n    sweep:\n      space:\n        lr: {normal: [0, 1]}\n', /^error: pipewright\.yaml:6:13: sweep space "lr": unknown form "normal"/],
        ['an unknown stage key', 'stages:\n  a:\n    cmd: "true"\n    outz: [x]\n', /^error: pipewright\.yaml:4:5: stage "a": unknown key "outz"/],
        ['a stage without cmd', 'stages:\n  a:\n    deps: []\n', /^error: pipewright\.yaml:3:5: stage "a": a stage needs exactly one of `cmd` and `collect`/],
        ['deps that are not a list', 'stages:\n  a:\n    cmd: "true"\n    deps: data.csv\n', /^error: pipewright\.yaml:4:11: stage "a" deps: /],
        ['an unknown top-level key', 'stage:\n  a:\n    cmd: "true"\n', /^error: pipewright\.yaml:1:1: .*unknown key "stage"/],
        ['a param missing from params.yaml', 'stages:\n  a:\n    cmd: echo ${params.lr}\n    params: [lr]\n', /^error: pipewright\.yaml:4:14: params file params\.yaml not found/],
    ];
    for (const [what, yaml, message] of cases) {
        it(`reports ${what}`, async () => {
            const result = await project({ 'pipewright.yaml': yaml }).run('run');
            assert.equal(result.code, 2, result.stderr);
            assert.match(result.stderr, message);
        });
    }
    it('shows the offending line with a caret under the column', async () => {
        const result = await project({ 'pipewright.yaml': 'stages:\n  a:\n    cmd: "true"\n    outz: [x]\n' }).run('list');
        assert.equal(result.code, 2);
        assert.match(result.stderr, /\n {2}4 \| {5}outz: \[x\]\n {10}\^/);
    });
    it('reports a key that params.yaml lacks, with its line in the pipeline file', async () => {
        const result = await project({
            'params.yaml': 'lr: 0.1\n',
            'pipewright.yaml': 'stages:\n  a:\n    cmd: echo ${params.lr} ${params.epochs}\n    params: [lr, epochs]\n',
        }).run('run');
        assert.equal(result.code, 2);
        assert.match(result.stderr, /pipewright\.yaml:4:18: stage "a": param "epochs" is not in params\.yaml/);
    });
    it('reports a reference to an undeclared name in cmd', async () => {
        const result = await project({ 'pipewright.yaml': 'stages:\n  a:\n    cmd: echo ${lr}\n' }).run('run');
        assert.equal(result.code, 2);
        assert.match(result.stderr, /unknown reference \$\{lr\}[\s\S]*refer to a param as \$\{params\.lr\}/);
    });
});
describe('params in cmd', () => {
    it('are inserted shell-quoted, so a value cannot inject a command', async () => {
        const p = project({
            'params.yaml': 'name: "x; touch injected; echo $(touch injected2) `touch injected3`"\n',
            'pipewright.yaml': 'stages:\n  a:\n    cmd: printf "%s" ${params.name} > out.txt\n    params: [name]\n    outs: [out.txt]\n',
        });
        const result = await p.run('run');
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.equal(p.read('out.txt'), 'x; touch injected; echo $(touch injected2) `touch injected3`');
        assert.equal(p.exists('injected'), false);
        assert.equal(p.exists('injected2'), false);
        assert.equal(p.exists('injected3'), false);
    });
    it('take nested keys, lists of commands and wdir (params read from the wdir, as in DVC)', async () => {
        const p = project({
            'sub/params.yaml': 'train:\n  lr: 0.5\n  layers: [8, 4]\n',
            'pipewright.yaml': `stages:
  a:
    wdir: sub
    cmd:
      - echo lr=\${params.train.lr} > out.txt
      - echo layers \${params.train.layers} >> out.txt
    params: [train.lr, train.layers]
    outs: [out.txt]
`,
        });
        const result = await p.run('run');
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.equal(p.read('sub/out.txt'), 'lr=0.5\nlayers 8 4\n');
    });
});
describe('-S overrides', () => {
    const files = {
        'params.yaml': 'lr: 0.1\nepochs: 3\n',
        'pipewright.yaml': `stages:
  train:
    cmd: echo lr=\${params.lr} epochs=\${params.epochs} > train.txt
    params: [lr, epochs]
    outs: [train.txt]
  other:
    cmd: echo lr=\${params.lr} > other.txt
    params: [lr]
    outs: [other.txt]
`,
    };
    it('-S stage.param=value overrides that stage only', async () => {
        const p = project(files);
        const result = await p.run('run', '-S', 'train.lr=0.25', '-S', 'train.epochs=9');
        assert.equal(result.code, 0, result.stderr);
        assert.equal(p.read('train.txt'), 'lr=0.25 epochs=9\n');
        assert.equal(p.read('other.txt'), 'lr=0.1\n');
        assert.equal(p.read('params.yaml'), files['params.yaml'], 'params.yaml is not changed');
    });
    it('-S key=value sets a params.yaml key for every stage', async () => {
        const p = project(files);
        assert.equal((await p.run('run', '-S', 'lr=0.7')).code, 0);
        assert.equal(p.read('train.txt'), 'lr=0.7 epochs=3\n');
        assert.equal(p.read('other.txt'), 'lr=0.7\n');
    });
    it('rejects a param the stage does not declare, and a malformed spec', async () => {
        const p = project(files);
        let result = await p.run('run', '-S', 'train.lrr=1');
        assert.equal(result.code, 2);
        assert.match(result.stderr, /stage "train" has no param "lrr"[\s\S]*did you mean "train\.lr"\?/);
        result = await p.run('run', '-S', 'train.lr');
        assert.equal(result.code, 2);
        assert.match(result.stderr, /-S train\.lr: expected STAGE\.PARAM=VALUE/);
    });
});
//# sourceMappingURL=yaml-pipeline.test.js.map