import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';

const project = useProjects();

/** Runs `pipewright run` on a bad pipeline: it must exit 2 with the message and run nothing. */
async function rejects(files: Record<string, string>, message: RegExp, args: string[] = ['run']): Promise<string> {
  const p = project(files);
  const result = await p.run(...args);
  assert.equal(result.code, 2, `expected exit 2, got ${result.code}\n${result.stdout}${result.stderr}`);
  assert.match(result.stderr, message);
  assert.equal(result.stdout, '', 'nothing ran');
  assert.equal(p.exists('.pipewright/logs'), false, 'no stage started');
  return result.stderr;
}

const ts = (body: string) => ({ 'pipewright.ts': `import { pipeline, stage } from 'pipewright';\n${body}` });

describe('the graph is validated before anything runs', () => {
  it('rejects two TS stages with one name', async () => {
    await rejects(ts(`
const a = stage('prep', { cmd: 'true' });
const b = stage('prep', { cmd: 'true' });
export default pipeline('p', [a, b]);`), /two stages are named "prep"/);
  });

  it('rejects a duplicate stage name in YAML with its line', async () => {
    await rejects({ 'pipewright.yaml': 'stages:\n  a:\n    cmd: "true"\n  a:\n    cmd: "true"\n' },
      /pipewright\.yaml:4:3: invalid YAML: Map keys must be unique[\s\S]*hint: each key may appear once/);
  });

  it('rejects a cycle and prints it', async () => {
    const stderr = await rejects({
      'pipewright.yaml': `stages:
  a:
    cmd: cat c.txt > a.txt
    deps: [c.txt]
    outs: [a.txt]
  b:
    cmd: cat a.txt > b.txt
    deps: [a.txt]
    outs: [b.txt]
  c:
    cmd: cat b.txt > c.txt
    deps: [b.txt]
    outs: [c.txt]
`,
    }, /the pipeline has a cycle: /);
    const cycle = /cycle: (.*)/.exec(stderr)![1]!.split(' -> ');
    assert.equal(cycle.length, 4);
    assert.equal(cycle[0], cycle[3]);
    assert.deepEqual([...cycle.slice(0, 3)].sort(), ['a', 'b', 'c']);
    // In data-flow order: each stage is followed by the one that reads it.
    const next = { a: 'b', b: 'c', c: 'a' } as Record<string, string>;
    for (let i = 0; i < 3; i++) assert.equal(cycle[i + 1], next[cycle[i]!]);
  });

  it('rejects a stage that reads its own out (a cycle of one)', async () => {
    await rejects({ 'pipewright.yaml': 'stages:\n  a:\n    cmd: touch x\n    deps: [x]\n    outs: [x]\n' }, /cycle: a -> a/);
  });

  it('refuses a named stage whose dep does not exist and that no stage produces, naming file, line and the likely typo (exit 1: the pipeline is valid)', async () => {
    const p = project({
      'pipewright.yaml': 'stages:\n  make:\n    cmd: echo > data.csv\n    outs: [data.csv]\n  use:\n    cmd: cat data.cvs\n    deps: [data.cvs]\n',
    });
    const named = await p.run('run', 'use');
    assert.equal(named.code, 1, named.stdout + named.stderr);
    assert.match(named.stderr, /pipewright\.yaml:7:12: stage "use" cannot run: dep data\.cvs is missing[\s\S]*did you mean "data\.csv"\?/);
    assert.equal(p.exists('.pipewright/logs'), false, 'nothing ran');
    // The whole pipeline runs what it can; the stage is reported as blocked, with the same hint.
    const all = await p.run('run');
    assert.equal(all.code, 1, all.stdout + all.stderr);
    assert.match(all.stdout, /use blocked: cannot start\n {2}dep data\.cvs missing: no stage makes it; did you mean "data\.csv"\?/);
    assert.ok(p.exists('data.csv'), 'the independent stage ran');
  });

  it('rejects a TS input that comes from a stage not in the pipeline', async () => {
    await rejects(ts(`
const a = stage('a', { outs: { x: 'x.txt' }, cmd: 'touch x.txt' });
const b = stage('b', { inputs: { x: a.outs.x }, cmd: 'cat x.txt' });
export default pipeline('p', [b]);`), /stage "b": input "x" comes from stage "a", which is not in the pipeline/);
  });

  it('rejects two stages writing the same out', async () => {
    await rejects({
      'pipewright.yaml': 'stages:\n  a:\n    cmd: echo a > out.txt\n    outs: [out.txt]\n  b:\n    cmd: echo b > out.txt\n    outs: [out.txt]\n',
    }, /pipewright\.yaml:7:12: stages "a" and "b" both write "out.txt"/);
  });

  it('rejects an out inside another stage\'s out', async () => {
    await rejects({
      'pipewright.yaml': 'stages:\n  a:\n    cmd: mkdir -p data\n    outs: [data]\n  b:\n    cmd: echo > data/b.txt\n    outs: [data/b.txt]\n',
    }, /out "data\/b.txt" of stage "b" lies inside out "data" of stage "a"/);
  });

  it('rejects an unknown stage named on the command line, suggesting the closest', async () => {
    await rejects({ 'pipewright.yaml': 'stages:\n  train:\n    cmd: "true"\n' }, /no stage named "trian"[\s\S]*did you mean "train"\?/, ['run', 'trian']);
  });

  it('rejects a folder with no pipeline file', async () => {
    await rejects({ 'README': 'nothing here' }, /no pipeline file in .*[\s\S]*create pipewright\.ts or pipewright\.yaml/);
  });

  it('keeps what earlier runs made when a later definition is bad', async () => {
    const p = project({ 'pipewright.yaml': 'stages:\n  a:\n    cmd: echo made > a.txt\n    outs: [a.txt]\n' });
    assert.equal((await p.run('run')).code, 0);
    p.write({ 'pipewright.yaml': 'stages:\n  a:\n    cmd: echo made > a.txt\n    outs: [a.txt]\n  b:\n    cmd: x\n    outs: [a.txt]\n' });
    assert.equal((await p.run('run')).code, 2);
    assert.equal(p.read('a.txt'), 'made\n');
  });
});
