import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useProjects, waitFor } from '../helpers/project.js';

const project = useProjects();

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const chain = {
  'pipewright.yaml': `stages:
  a:
    cmd: echo a > a.txt
    outs: [a.txt]
  b:
    cmd: cat a.txt > b.txt && echo b >> b.txt
    deps: [a.txt]
    outs: [b.txt]
  c:
    cmd: cat b.txt > c.txt
    deps: [b.txt]
    outs: [c.txt]
  lone:
    cmd: echo lone > lone.txt
    outs: [lone.txt]
`,
};

describe('pipewright run', () => {
  it('Ctrl-C cancels: the running command and what it started are killed, exit code 130', async () => {
    const p = project({
      'sleeper.cjs': `require('fs').writeFileSync('pid-' + process.argv[2], String(process.pid)); setTimeout(() => {}, 60000);`,
      'pipewright.yaml': `stages:
  slow:
    cmd: node sleeper.cjs child & node sleeper.cjs main; wait
    outs: [never.txt]
  after_slow:
    cmd: echo > after.txt
    deps: [never.txt]
    outs: [after.txt]
`,
    });
    const run = p.start(['run']);
    await waitFor(() => p.exists('pid-main') && p.exists('pid-child'), 'the stage to start its processes');
    const pids = [Number(p.read('pid-main')), Number(p.read('pid-child'))];
    assert.ok(pids.every(alive));
    run.child.kill('SIGINT');
    const result = await run.done;
    assert.equal(result.code, 130, result.stdout + result.stderr);
    await waitFor(() => !pids.some(alive), 'the stage processes to be gone', 5000);
    assert.match(result.stdout, /- slow cancelled/);
    assert.match(result.stdout, /- after_slow cancelled/);
    assert.match(result.stdout, /Cancelled\. 0 ran, 2 skipped/);
    assert.equal(p.exists('after.txt'), false);
  });

  it('Ctrl-C fires the AbortSignal of a TS stage on a thread, which then stops', async () => {
    const p = project({
      'pipewright.ts': `
import { writeFileSync } from 'node:fs';
import { pipeline, stage } from 'pipewright';
const wait = stage('wait', { outs: { x: 'x.txt' }, run: ({ signal, root }) => new Promise((_, reject) => {
  writeFileSync(root + '/started', '');
  signal.addEventListener('abort', () => { writeFileSync(root + '/aborted', 'yes'); reject(new Error('stopped')); });
}) });
export default pipeline('w', [wait]);
`,
    });
    const run = p.start(['run']);
    await waitFor(() => p.exists('started'), 'the stage to start');
    run.child.kill('SIGINT');
    const result = await run.done;
    assert.equal(result.code, 130);
    assert.equal(p.read('aborted'), 'yes');
  });

  it('STAGE runs it with its upstream; --downstream adds what depends on it', async () => {
    const p = project(chain);
    let result = await p.run('run', 'b');
    assert.equal(result.code, 0);
    assert.ok(p.exists('a.txt') && p.exists('b.txt'));
    assert.ok(!p.exists('c.txt') && !p.exists('lone.txt'));
    assert.match(result.stdout, /Running 2 stages/);
    result = await p.run('run', 'b', '--downstream');
    assert.equal(result.code, 0);
    assert.equal(p.read('c.txt'), 'a\nb\n');
    assert.ok(!p.exists('lone.txt'));
  });

  it('keeps stage output in a log file, and streams it with -v', async () => {
    const p = project({ 'pipewright.yaml': 'stages:\n  talk:\n    cmd: echo to-out && echo to-err >&2\n' });
    let result = await p.run('run');
    assert.equal(result.code, 0);
    assert.doesNotMatch(result.stdout, /to-out/);
    assert.match(p.read('.pipewright/logs/talk.log'), /to-out\n[\s\S]*to-err\n|to-err\n[\s\S]*to-out\n/);
    result = await p.run('run', '-v', '--force');
    assert.match(result.stdout, /\[talk\] to-out/);
    assert.match(result.stdout, /\[talk\] to-err/);
  });

  it('prints nothing that depends on timing when not on a terminal, but the order of progress lines', async () => {
    const first = await project(chain).run('run', '-j', '1');
    const second = await project(chain).run('run', '-j', '1');
    const lines = (out: string) => out.split('\n').sort();
    assert.deepEqual(lines(first.stdout), lines(second.stdout));
    assert.match(first.stdout, /\n\n4 ran\n$/);
    assert.doesNotMatch(first.stdout, /\d+(\.\d+)?m?s\b/);
  });

  it('rejects bad flags with exit code 2', async () => {
    const p = project(chain);
    for (const args of [['run', '-j', '0'], ['run', '-j', 'many'], ['run', '--nope'], ['run', '--keep-going', '--fail-fast'], ['frobnicate'], ['dag', '--format', 'png']]) {
      const result = await p.run(...args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /error/);
    }
    const result = await p.run('run', '-C', 'no/such/dir');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /-C no\/such\/dir: no such folder/);
  });
});

describe('help', () => {
  it('every command has --help and exits 0', async () => {
    const p = project(chain);
    for (const command of [[], ['run'], ['dag'], ['list'], ['exec']]) {
      const result = await p.run(...command, '--help');
      assert.equal(result.code, 0, command.join(' '));
      assert.match(result.stdout, /Usage: pipewright/);
    }
    const run = await p.run('run', '--help');
    for (const flag of ['-j, --jobs', '-S, --set', '--keep-going', '--fail-fast', '-v, --verbose', '-C, --cwd', '--downstream', 'Exit codes']) {
      assert.ok(run.stdout.includes(flag), flag);
    }
  });
});

describe('pipewright dag and list', () => {
  const diamond = {
    'pipewright.yaml': `stages:
  prepare:
    cmd: echo > data.txt
    outs: [data.txt]
  left:
    cmd: cat data.txt > left.txt
    deps: [data.txt]
    outs: [left.txt]
  right:
    cmd: cat data.txt > right.txt
    deps: [data.txt]
    outs: [right.txt]
  join:
    cmd: cat left.txt right.txt > join.txt
    deps: [left.txt, right.txt]
    outs: [join.txt]
`,
  };

  it('draws the graph in every format', async () => {
    const p = project(diamond);
    const ascii = await p.run('dag');
    assert.equal(ascii.code, 0);
    assert.equal(ascii.stdout, 'prepare\n├─► left\n│   └─► join\n└─► right\n    └─► join\n');
    const mermaid = await p.run('dag', '--format', 'mermaid');
    assert.match(mermaid.stdout, /^flowchart TD\n/);
    assert.match(mermaid.stdout, /prepare --> left\n/);
    assert.match(mermaid.stdout, /right --> join\n/);
    const dot = await p.run('dag', '-f', 'dot');
    assert.match(dot.stdout, /^digraph pipeline \{/);
    assert.match(dot.stdout, /"left" -> "join";/);
    const json = JSON.parse((await p.run('dag', '-f', 'json')).stdout) as { stages: string[]; edges: { from: string; to: string }[] };
    assert.deepEqual(json.stages, ['prepare', 'left', 'right', 'join']);
    assert.equal(json.edges.length, 4);
    const part = await p.run('dag', 'left');
    assert.equal(part.stdout, 'prepare\n└─► left\n');
  });

  it('lists stages as JSON: name, kind, deps, outs, upstream', async () => {
    const p = project(diamond);
    const result = await p.run('list', '--json');
    assert.equal(result.code, 0);
    // The fields list --json always had, unchanged; the rest is tested in list.test.ts.
    const listed = JSON.parse(result.stdout) as Record<string, unknown>[];
    assert.deepEqual(listed.map(({ name, kind, of, deps, outs, upstream, collects }) =>
      Object.fromEntries(Object.entries({ name, kind, of, deps, outs, upstream, collects }).filter(([, v]) => v !== undefined))), [
      { name: 'prepare', kind: 'cmd', deps: [], outs: ['data.txt'], upstream: [] },
      { name: 'left', kind: 'cmd', deps: ['data.txt'], outs: ['left.txt'], upstream: ['prepare'] },
      { name: 'right', kind: 'cmd', deps: ['data.txt'], outs: ['right.txt'], upstream: ['prepare'] },
      { name: 'join', kind: 'cmd', deps: ['left.txt', 'right.txt'], outs: ['join.txt'], upstream: ['left', 'right'] },
    ]);
  });
});
