import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';

const project = useProjects();

const pipeline = {
  'params.yaml': 'n: 3\n',
  'data/a/one.txt': '1\n',
  'data/b/two.txt': '2\n',
  'pipewright.yaml': `stages:
  count:
    cmd: >-
      echo count >> runs.log && find data -type f | sort > files.txt && echo '{"n": \${params.n}}' > m.json
    deps: [data]
    params: [n]
    outs: [files.txt]
    metrics: [m.json]
  copy:
    cmd: echo copy >> runs.log && cp files.txt copy.txt
    deps: [files.txt]
    outs: [copy.txt]
`,
};

describe('the no-op fast path', () => {
  it('answers a repeated no-op as the long way does, and notices every kind of change', async () => {
    const p = project(pipeline);
    await p.run('run');
    const longWay = await p.run('run');
    assert.equal(p.exists('.pipewright/up-to-date.json'), true, 'a verified no-op is recorded');
    const fast = await p.run('run');
    assert.equal(fast.stdout, longWay.stdout);
    assert.match(fast.stdout, /= count up to date\n= copy up to date\n\nMetrics\n {2}count: n=3\n\n0 ran, 2 up to date\n/);

    const runs = () => p.read('runs.log').trim().split('\n').length;
    const changes: [string, () => void][] = [
      ['a file added deep in a folder dep', () => p.write({ 'data/b/c/three.txt': '3\n' })],
      ['a params file edited', () => p.write({ 'params.yaml': 'n: 4\n' })],
      ['an out edited', () => p.write({ 'copy.txt': 'edited\n' })],
      ['the pipeline file edited', () => p.write({ 'pipewright.yaml': pipeline['pipewright.yaml'].replace('cp files.txt', 'cp -f files.txt') })],
    ];
    for (const [what, change] of changes) {
      await p.run('run'); // the long way, which records the no-op again
      assert.equal(p.exists('.pipewright/up-to-date.json'), true, what);
      const before = runs();
      change();
      const after = await p.run('run');
      assert.doesNotMatch(after.stdout, /0 ran, 2 up to date/, `${what} went unnoticed`);
      assert.ok(runs() > before || /restored/.test(after.stdout), what);
    }
  });

  it('says which path answered under PIPEWRIGHT_DEBUG=fast-path, and what went wrong inside the fast path', async () => {
    const debug = { PIPEWRIGHT_DEBUG: 'fast-path' };
    const p = project(pipeline);
    await p.run('run');
    const longWay = await p.runWithEnv(debug, 'run');
    assert.match(longWay.stderr, /pipewright debug: the fast path found work to do \(or no certificate\): the full CLI answers/);
    const fast = await p.runWithEnv(debug, 'run');
    assert.equal(fast.stderr, 'pipewright debug: answered by the no-op fast path\n');
    assert.equal(fast.stdout, longWay.stdout, 'the same answer');
    const named = await p.runWithEnv(debug, 'run', 'copy');
    assert.match(named.stderr, /pipewright debug: not a plain run: the full CLI answers/);
    assert.equal((await p.run('run')).stderr, '', 'silent without the variable');

    // An error inside the fast path is swallowed (the full CLI says it properly), but told here.
    const empty = project();
    const failed = await empty.runWithEnv(debug, 'run');
    assert.equal(failed.code, 2);
    assert.match(failed.stderr, /pipewright debug: the fast path failed, the full CLI answers: PipelineError: no pipeline file/);
    assert.match(failed.stderr, /error: no pipeline file/);
  });

  it('is not taken with -S, --force or named stages, nor recorded for TS pipelines', async () => {
    const p = project(pipeline);
    await p.run('run');
    await p.run('run');
    assert.match((await p.run('run', '-S', 'n=5')).stdout, /▶ count \(param n changed 3 → 5\)/);
    assert.match((await p.run('run', '--force', 'copy')).stdout, /▶ copy \(forced\)/);

    const ts = project({
      'pipewright.ts': "import { pipeline, stage } from 'pipewright';\nexport default pipeline('t', [stage('a', { cmd: 'echo > a.txt', outs: { a: 'a.txt' } })]);\n",
    });
    await ts.run('run');
    assert.match((await ts.run('run')).stdout, /= a up to date/);
    assert.equal(ts.exists('.pipewright/up-to-date.json'), false);
  });
});
