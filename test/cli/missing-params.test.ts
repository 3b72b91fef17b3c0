/**
 * A param a stage lists that its params file lacks blocks that stage only, as DVC reports it only
 * when the stage is checked or run (its MissingParamsError): the pipeline loads, `status` names
 * the key and the file, `run` runs the rest and exits 1. A `${...}` that names a missing key stays
 * an error at load. A param that only a sweep's space gives needs no params file entry.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';

const project = useProjects();

// DVC's own case (tests/func/test_stage.py, a stage in `wdir: data` listing a key its params lack).
const DVC_PROJECT = {
  'data/params.yaml': 'value2: 1\n',
  'dvc.yaml': `stages:
  one:
    wdir: data
    cmd: echo one > one.txt
    params: [value1]
    outs: [one.txt]
  two:
    cmd: echo two > two.txt
    outs: [two.txt]
  three:
    cmd: cat data/one.txt > three.txt
    deps: [data/one.txt]
    outs: [three.txt]
`,
};

const MISSING = /param value1 missing from data\/params\.yaml/;

describe('a param missing from its params file', () => {
  it('the pipeline loads: list, dag, compile answer exit 0', async () => {
    const p = project(DVC_PROJECT);
    for (const args of [['list'], ['list', '--json'], ['dag'], ['compile', '--target', 'argo', '-o', 'wf.yaml']]) {
      const r = await p.run(...args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    }
    assert.ok(p.exists('wf.yaml'));
  });

  it('status says which key is missing from which file; its downstream is blocked', async () => {
    const p = project(DVC_PROJECT);
    const r = await p.run('status');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /one +blocked: param value1 missing from data\/params\.yaml/);
    assert.match(r.stdout, /three +blocked: upstream one is blocked/);
    assert.match(r.stdout, /two +will run/);
    const json = JSON.parse((await p.run('status', '--json')).stdout) as { stage: string; state: string; reasons: { kind: string; file?: string; key?: string }[] }[];
    const one = json.find((s) => s.stage === 'one')!;
    assert.equal(one.state, 'blocked');
    assert.deepEqual(one.reasons.map(({ kind, file, key }) => ({ kind, file, key })), [{ kind: 'param-missing', file: 'data/params.yaml', key: 'value1' }]);
  });

  it('run blocks that stage (exit 1, naming file and key), runs the rest; with the key added it runs', async () => {
    const p = project(DVC_PROJECT);
    const r = await p.run('run');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /one blocked: cannot start/);
    assert.match(r.stdout, MISSING);
    assert.match(r.stdout, /three skipped: upstream stage one is blocked/);
    assert.match(r.stdout, /1 ran, 1 blocked \(missing params\), 1 skipped/);
    assert.equal(p.read('two.txt'), 'two\n', 'the independent stage ran');
    assert.equal(p.exists('data/one.txt'), false);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');

    const exec = await p.run('exec', 'one');
    assert.equal(exec.code, 1);
    assert.match(exec.stderr, /stage "one" is blocked: param value1 missing from data\/params\.yaml/);

    p.write({ 'data/params.yaml': 'value1: 3\nvalue2: 1\n' });
    const again = await p.run('run');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal(p.read('three.txt'), 'one\n');
  });

  it('a params file that is not there blocks the stage that lists it, naming the file', async () => {
    const p = project({
      'pipewright.yaml': 'stages:\n  a:\n    cmd: echo a > a.txt\n    params: [{conf/train.yaml: [lr]}]\n    outs: [a.txt]\n  b:\n    cmd: echo b > b.txt\n    outs: [b.txt]\n',
    });
    const r = await p.run('run');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /params file conf\/train\.yaml missing \(the stage lists its param lr\)/);
    assert.equal(p.read('b.txt'), 'b\n');
  });

  it('a ${...} in a command that names a missing key is an error at load (exit 2, file and line), as in DVC', async () => {
    for (const files of <Record<string, string>[]>[
      { 'params.yaml': 'a: 1\n', 'dvc.yaml': 'stages:\n  s:\n    cmd: echo ${lr} > s.txt\n    outs: [s.txt]\n' },
      { 'params.yaml': 'a: 1\n', 'pipewright.yaml': 'stages:\n  s:\n    cmd: echo ${params.lr} > s.txt\n    params: [lr]\n    outs: [s.txt]\n' },
    ]) {
      const p = project(files);
      const r = await p.run('list');
      assert.equal(r.code, 2, `${Object.keys(files)[1]}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /(dvc|pipewright)\.yaml:\d+:\d+/);
      assert.match(r.stderr, /lr/);
    }
  });
});

describe('a param only a sweep gives', () => {
  it('needs no entry in params.yaml: every instance runs with its value', async () => {
    const p = project({
      'params.yaml': 'other: 1\n',
      'pipewright.yaml': `stages:
  fit:
    cmd: echo i=\${params.i} > "out-\${params.i}.txt"
    params: [i]
    outs: ["out-\${params.i}.txt"]
    sweep:
      space:
        i: {grid: [1, 2]}
`,
    });
    const r = await p.run('run');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(p.read('out-1.txt'), 'i=1\n');
    assert.equal(p.read('out-2.txt'), 'i=2\n');
    const exec = await p.run('exec', 'fit@i=2');
    assert.equal(exec.code, 0, exec.stderr);
    const status = await p.run('status');
    assert.match(status.stdout, /fit@i=1 +up to date/);
  });
});
