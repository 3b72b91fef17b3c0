import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';
const project = useProjects();
/** A DVC project as DVC users write them: templating, foreach, matrix, params by file and key. */
const dvcProject = {
    'params.yaml': 'prep:\n  scale: 2\ntrain:\n  epochs: 3\n  lr: 0.5\nsizes: [small, large]\n',
    'models.yaml': 'kinds:\n  linear: {depth: 1}\n  tree: {depth: 4}\n',
    'dvc.lock': 'schema: "2.0"\nstages: {}\n',
    '.dvc/config': '[core]\n',
    'make.cjs': `const fs = require('fs'); const [size, scale, out] = process.argv.slice(2);
fs.appendFileSync('runs.log', 'make ' + size + '\\n');
fs.mkdirSync(require('path').dirname(out), { recursive: true });
fs.writeFileSync(out, size.repeat(Number(scale)) + '\\n');`,
    'fit.cjs': `const fs = require('fs'); const args = process.argv.slice(2); const out = args.pop();
fs.appendFileSync('runs.log', 'fit ' + args.join(' ') + '\\n');
fs.mkdirSync(require('path').dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify({ args }) + '\\n');`,
    'dvc.yaml': `vars:
  - models.yaml
stages:
  make:
    foreach: \${sizes}
    do:
      cmd: node make.cjs \${item} \${prep.scale} data/\${item}.txt
      deps: [make.cjs]
      params: [prep.scale]
      outs:
        - data/\${item}.txt
  fit:
    matrix:
      size: \${sizes}
      kind: [linear, tree]
    cmd: node fit.cjs --size \${item.size} \${train} out/\${key}.json
    deps:
      - fit.cjs
      - data/\${item.size}.txt
    params: [train.epochs, train.lr]
    outs:
      - out/\${key}.json
  depth:
    foreach: \${kinds}
    do:
      cmd: echo \${key} \${item.depth} > depth-\${key}.txt
      outs:
        - depth-\${key}.txt
`,
};
describe('running a DVC project', () => {
    it('expands foreach and matrix as DVC names them, runs them, and leaves dvc.yaml, dvc.lock and .dvc/ alone', async () => {
        const p = project(dvcProject);
        const list = JSON.parse((await p.run('list', '--json')).stdout);
        assert.deepEqual(list.map((s) => s.name).sort(), [
            'depth@linear', 'depth@tree', 'fit@large-linear', 'fit@large-tree', 'fit@small-linear', 'fit@small-tree', 'make@large', 'make@small',
        ]);
        assert.deepEqual(list.find((s) => s.name === 'fit@small-tree').upstream, ['make@small']);
        const result = await p.run('run', '-j', '2');
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.equal(p.read('data/large.txt'), 'largelarge\n');
        // A mapping in cmd is unpacked into options, as DVC does.
        assert.deepEqual(JSON.parse(p.read('out/small-tree.json')).args, ['--size', 'small', '--epochs', '3', '--lr', '0.5']);
        assert.equal(p.read('depth-tree.txt'), 'tree 4\n');
        assert.equal(p.read('dvc.yaml'), dvcProject['dvc.yaml']);
        assert.equal(p.read('dvc.lock'), dvcProject['dvc.lock']);
        assert.equal(p.read('.dvc/config'), dvcProject['.dvc/config']);
        assert.ok(p.exists('pipewright.lock'));
    });
    it('a params change reruns only the stages that read that param', async () => {
        const p = project(dvcProject);
        await p.run('run');
        p.write({ 'runs.log': '' });
        p.write({ 'params.yaml': dvcProject['params.yaml'].replace('lr: 0.5', 'lr: 0.1') });
        const result = await p.run('run');
        assert.equal(result.code, 0);
        const ran = p.read('runs.log').trim().split('\n').sort();
        assert.deepEqual(ran, [
            'fit --size large --epochs 3 --lr 0.1', 'fit --size large --epochs 3 --lr 0.1',
            'fit --size small --epochs 3 --lr 0.1', 'fit --size small --epochs 3 --lr 0.1',
        ]);
        assert.match(result.stdout, /= make@small up to date/);
        assert.match(result.stdout, /▶ fit@small-linear \(param train\.lr changed 0\.5 → 0\.1\)/);
    });
    it('a path through `wdir: ..` back into the project folder is the same path', async () => {
        const p = project({});
        const folder = p.dir.split('/').pop();
        p.write({
            'dvc.yaml': `stages:
  make:
    wdir: ..
    cmd: echo made > ${folder}/made.txt
    outs:
      - ${folder}/made.txt
  use:
    cmd: cat made.txt > used.txt
    deps:
      - made.txt
    outs:
      - used.txt
`,
        });
        const list = JSON.parse((await p.run('list', '--json')).stdout);
        assert.deepEqual(list.find((s) => s.name === 'use').upstream, ['make']);
        const result = await p.run('run');
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.equal(p.read('used.txt'), 'made\n');
    });
    it('reads params from Python files (literals at the top level and in classes) and TOML files', async () => {
        const p = project({
            'config.py': "import os\nLR = 0.1  # learning rate\nNAME: str = 'base'\nPATH = os.path.join('a', 'b')\nclass Train:\n    epochs = 3\n    def helper(self):\n        epochs = 99\n",
            'extra.toml': '[model]\ndepth = 4\n',
            'dvc.yaml': `stages:
  show:
    cmd: echo show >> runs.log && echo ok > out.txt
    params:
      - config.py:
          - LR
          - Train.epochs
      - extra.toml:
          - model.depth
    outs:
      - out.txt
`,
        });
        assert.equal((await p.run('run')).code, 0);
        assert.match(p.read('pipewright.lock'), /LR: 0\.1/);
        assert.match(p.read('pipewright.lock'), /epochs: 3/);
        assert.match(p.read('pipewright.lock'), /depth: 4/);
        p.write({ 'config.py': p.read('config.py').replace('epochs = 3', 'epochs = 5') });
        const result = await p.run('run');
        assert.match(result.stdout, /▶ show \(param Train\.epochs changed 3 → 5\)/);
        p.write({ 'extra.toml': '[model]\ndepth = 6\n' });
        assert.match((await p.run('run')).stdout, /▶ show \(param model\.depth changed 4 → 6\)/);
    });
    it('keeps a `persist` out in place while its stage runs, and the cached copy intact', async () => {
        const p = project({
            'params.yaml': 'n: 1\n',
            'dvc.yaml': `stages:
  grow:
    cmd: echo \${n} >> log.txt
    params: [n]
    outs:
      - log.txt:
          persist: true
`,
        });
        await p.run('run');
        p.write({ 'params.yaml': 'n: 2\n' });
        const second = await p.run('run');
        assert.equal(second.code, 0, second.stdout + second.stderr);
        assert.equal(p.read('log.txt'), '1\n2\n', 'the stage appended to its persisted out');
        p.write({ 'params.yaml': 'n: 1\n' });
        await p.run('run');
        assert.equal(p.read('log.txt'), '1\n', 'the first run is restored intact: appending did not change its cached copy');
    });
    it('rejects what DVC rejects, naming file, line and the fix', async () => {
        const cases = [
            ['stages:\n  a:\n    cmd: echo\n    live: {dir: x}\n', /dvc\.yaml:4:5: stage "a": "live" is not a stage key DVC 3 accepts/],
            ['stages:\n  a:\n    cmd: echo ${nothing}\n', /dvc\.yaml:3:10: stage "a" cmd: \$\{nothing\} names nothing/],
            ['stages:\n  a:\n    foreach: [x]\n    cmd: echo\n', /stage "a": `foreach` needs a `do`/],
            ['stagez:\n  a:\n    cmd: echo\n', /dvc\.yaml:1:1: unknown top-level key "stagez"/],
        ];
        for (const [yaml, message] of cases) {
            const result = await project({ 'dvc.yaml': yaml }).run('list');
            assert.equal(result.code, 2, yaml);
            assert.match(result.stderr, message);
        }
    });
});
//# sourceMappingURL=dvc-pipeline.test.js.map