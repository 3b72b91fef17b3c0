import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { describe, it } from 'node:test';
import { useProjects, waitFor } from '../helpers/project.js';

const project = useProjects();

/** prepare → train (a param) → evaluate (metrics); `fail` makes train exit 1. */
const files = {
  'params.yaml': 'train:\n  lr: 0.1\n  fail: 0\nprepare:\n  rows: 3\n',
  'train.cjs': `const fs = require('fs');
const [lr, fail] = process.argv.slice(2).map(Number);
if (fail) { console.error('diverged at lr ' + lr); process.exit(1); }
fs.writeFileSync('model.txt', String(lr));`,
  'evaluate.cjs': `const fs = require('fs');
const lr = Number(fs.readFileSync('model.txt', 'utf8'));
fs.writeFileSync('metrics.json', JSON.stringify({ acc: 1 - Math.abs(lr - 0.3), loss: lr }));`,
  'pipewright.yaml': `stages:
  prepare:
    cmd: seq \${params.prepare.rows} > data.txt
    params: [prepare.rows]
    outs: [data.txt]
  train:
    cmd: node train.cjs \${params.train.lr} \${params.train.fail}
    deps: [data.txt, train.cjs]
    params: [train.lr, train.fail]
    outs: [model.txt]
  evaluate:
    cmd: node evaluate.cjs
    deps: [model.txt, evaluate.cjs]
    metrics: [metrics.json]
versions:
  fast: { train.lr: 0.3 }
  broken: { train.fail: 1 }
dev:
  prepare.rows: 1
`,
};

interface Instance { name: string; stage: string; status: string; params: Record<string, unknown>; metrics?: Record<string, number>; outs?: { path: string; hash: string }[]; logPath?: string; error?: string }
interface Run { id: number; name: string; status: string; argv: string[]; host: string; gitCommit?: string; instances: Instance[] }

describe('the run store', () => {
  it('records each run and instance: ran, skipped, restored, failed, with params, metrics, outs, logs', async () => {
    const p = project(files);
    assert.equal((await p.run('run', '--name', 'baseline')).code, 0);
    const first = JSON.parse((await p.run('show', 'baseline', '--json')).stdout) as Run;
    assert.equal(first.status, 'succeeded');
    assert.deepEqual(first.argv, ['run', '--name', 'baseline']);
    assert.ok(first.host);
    assert.deepEqual(first.instances.map((i) => [i.name, i.status]), [['prepare', 'ran'], ['train', 'ran'], ['evaluate', 'ran']]);
    const train = first.instances.find((i) => i.name === 'train')!;
    assert.deepEqual(train.params, { train: { lr: 0.1, fail: 0 } });
    assert.equal(train.outs![0]!.path, 'model.txt');
    assert.match(train.outs![0]!.hash, /^[0-9a-f]{16}$/);
    assert.equal(train.logPath, undefined, 'it printed nothing: no log');
    assert.deepEqual(first.instances.find((i) => i.name === 'evaluate')!.metrics, { acc: 0.8, loss: 0.1 });

    assert.equal((await p.run('run', '-S', 'train.lr=0.3')).code, 0);
    const back = await p.run('run', '-n', 'back');
    assert.equal(back.code, 0);
    const restored = JSON.parse((await p.run('show', 'back', '--json')).stdout) as Run;
    assert.deepEqual(restored.instances.map((i) => [i.name, i.status]), [['prepare', 'skipped'], ['train', 'restored'], ['evaluate', 'restored']]);
    assert.deepEqual(restored.instances.find((i) => i.name === 'evaluate')!.metrics, { acc: 0.8, loss: 0.1 });

    const failed = await p.run('run', '--version', 'broken', '-n', 'broken-run');
    assert.equal(failed.code, 1);
    const broken = JSON.parse((await p.run('show', 'last', '--json')).stdout) as Run & { version: string };
    assert.equal(broken.status, 'failed');
    assert.equal(broken.version, 'broken');
    assert.deepEqual(broken.instances.map((i) => [i.name, i.status]), [['prepare', 'skipped'], ['train', 'failed'], ['evaluate', 'not-run']]);
    assert.match(broken.instances[1]!.error!, /exited with code 1/);
    // The run's own copy of the failed stage's log, kept beside its events.
    assert.ok(broken.instances[1]!.logPath!.endsWith(`.pipewright/runs/${broken.id}/logs/train.log`), broken.instances[1]!.logPath);
    assert.match(p.read(broken.instances[1]!.logPath!.slice(broken.instances[1]!.logPath!.indexOf('.pipewright'))), /diverged at lr 0\.1/);
    assert.match(broken.instances[2]!.error!, /upstream-failed: train/);
  });

  it('runs lists runs with the params that differ and the metrics; diff gives deltas; errors are clear', async () => {
    const p = project(files);
    const none = await p.run('runs');
    assert.equal(none.code, 0);
    assert.match(none.stdout, /No runs recorded yet/);
    assert.deepEqual(JSON.parse((await p.run('runs', '--json')).stdout), []);
    assert.equal((await p.run('show')).code, 2);
    await p.run('run', '-n', 'one');
    await p.run('run', '--version', 'fast', '-n', 'two');
    const runs = JSON.parse((await p.run('runs', '--json')).stdout) as { id: number; name: string; params: Record<string, unknown>; metrics: Record<string, number> }[];
    assert.deepEqual(runs.map((r) => r.name), ['two', 'one']);
    assert.deepEqual(runs.map((r) => r.params), [{ 'train.train.lr': 0.3 }, { 'train.train.lr': 0.1 }]);
    assert.deepEqual(runs[0]!.metrics, { 'evaluate.acc': 1, 'evaluate.loss': 0.3 });
    const table = (await p.run('runs')).stdout;
    assert.match(table, /^run\s+name\s+status\s+started\s+took\s+instances\s+git\s+train\.train\.lr\s+evaluate\.acc\s+evaluate\.loss$/m);
    assert.match(table, /^#2\s+two\s+succeeded .* 0\.3\s+1\s+0\.3$/m);

    const diff = JSON.parse((await p.run('diff', '--json')).stdout) as { a: { name: string }; b: { name: string }; params: unknown[]; metrics: { instance: string; key: string; a: number; b: number; delta: number }[] };
    assert.equal(diff.a.name, 'one');
    assert.equal(diff.b.name, 'two');
    assert.deepEqual(diff.params, [{ instance: 'train', key: 'train.lr', a: 0.1, b: 0.3, delta: 0.19999999999999998 }]);
    assert.deepEqual(diff.metrics.map((m) => [m.key, m.a, m.b]), [['acc', 0.8, 1], ['loss', 0.1, 0.3]]);
    assert.match((await p.run('diff', 'one', 'two')).stdout, /evaluate\s+acc\s+0\.8\s+1\s+\+0\.2/);
    assert.match((await p.run('metrics', 'diff')).stdout, /evaluate\s+loss\s+0\.1\s+0\.3\s+\+0\.2/);
    assert.deepEqual(JSON.parse((await p.run('metrics', 'show', 'one', '--json')).stdout), { evaluate: { acc: 0.8, loss: 0.1 } });

    const missing = await p.run('show', 'nope');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no run "nope"/);
    assert.match(missing.stderr, /recent runs: #2 two, #1 one/);
    const taken = await p.run('run', '-n', 'one');
    assert.equal(taken.code, 2);
    assert.match(taken.stderr, /a run named "one" already exists/);

    assert.ok(p.exists('.pipewright/runs/1/events.jsonl'), "the run's events, for the UI");
    assert.match((await p.run('runs', 'rm', 'one')).stdout, /removed #1 one/);
    assert.ok(!p.exists('.pipewright/runs/1'), "a removed run's own files go with it");
    assert.ok(p.exists('.pipewright/runs/2/events.jsonl'));
    assert.deepEqual((JSON.parse((await p.run('runs', '--json')).stdout) as { name: string }[]).map((r) => r.name), ['two']);
  });

  it('records a no-op run answered by the fast path too, with every instance\'s params and metrics', async () => {
    const p = project(files);
    await p.run('run');
    await p.run('run'); // the long way finds the no-op and writes the certificate the fast path uses
    const noop = await p.run('run');
    assert.match(noop.stdout, /0 ran, 3 up to date/);
    await p.run('run');
    assert.ok(p.exists('.pipewright/runs.pending.jsonl'), 'journaled, not written: opening SQLite would cost more than the no-op');
    // One short line per no-op: the instances stay in the certificate that proved it, kept once.
    const lines = p.read('.pipewright/runs.pending.jsonl').trim().split('\n').map((l) => JSON.parse(l) as { instances: unknown[]; instancesFrom: string });
    assert.equal(lines.length, 2);
    assert.deepEqual(lines.map((l) => l.instances.length), [0, 0]);
    assert.equal(lines[0]!.instancesFrom, lines[1]!.instancesFrom);
    assert.ok(existsSync(lines[0]!.instancesFrom));
    const last = JSON.parse((await p.run('show', 'last', '--json')).stdout) as Run;
    assert.ok(!p.exists('.pipewright/runs.pending.jsonl'), 'taken into the store when it was opened');
    assert.ok(!existsSync(lines[0]!.instancesFrom), 'the kept certificate goes once taken in');
    const before = JSON.parse((await p.run('show', 'last~1', '--json')).stdout) as Run;
    assert.deepEqual([before.id, last.id], [3, 4]);
    assert.equal(before.instances.length, 3);
    assert.equal(last.status, 'succeeded');
    assert.deepEqual(last.instances.map((i) => [i.name, i.status]), [['prepare', 'skipped'], ['train', 'skipped'], ['evaluate', 'skipped']]);
    assert.deepEqual(last.instances[1]!.params, { train: { lr: 0.1, fail: 0 } });
    assert.deepEqual(last.instances[2]!.metrics, { acc: 0.8, loss: 0.1 });
    assert.equal(last.instances[1]!.outs![0]!.path, 'model.txt');
  });

  it('records the git commit and whether tracked files had changed', async () => {
    const p = project(files);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: p.dir, encoding: 'utf8' }).trim();
    git('init', '-q');
    p.write({ '.gitignore': 'node_modules\n.pipewright\n' });
    git('add', '.');
    git('commit', '-qm', 'start');
    await p.run('run', '-n', 'clean');
    p.write({ 'params.yaml': files['params.yaml'].replace('lr: 0.1', 'lr: 0.2') });
    await p.run('run', '-n', 'edited');
    const clean = JSON.parse((await p.run('show', 'clean', '--json')).stdout) as Run & { gitDirty: boolean };
    const edited = JSON.parse((await p.run('show', 'edited', '--json')).stdout) as Run & { gitDirty: boolean };
    assert.equal(clean.gitCommit, git('rev-parse', 'HEAD'));
    assert.equal(clean.gitDirty, false, 'outs are untracked here: only tracked files count');
    assert.equal(edited.gitDirty, true);
  });

  it('checkout puts a run\'s outs back from the cache', async () => {
    const p = project(files);
    await p.run('run', '-n', 'slow');
    await p.run('run', '--version', 'fast', '-n', 'quick');
    assert.equal(p.read('model.txt'), '0.3');
    const r = await p.run('checkout', 'slow');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /checked out 3 outs of 3 instances of run #1 slow/);
    assert.equal(p.read('model.txt'), '0.1');
    assert.equal(JSON.parse(p.read('metrics.json')).acc, 0.8);
  });
});

describe('the queue', () => {
  it('runs entries in order, picks up one added while it runs, records a failure and goes on', async () => {
    const p = project({ ...files, 'train.cjs': files['train.cjs'].replace("fs.writeFileSync('model.txt'", "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500); fs.writeFileSync('model.txt'") });
    assert.equal((await p.run('queue', 'add', '-S', 'train.lr=0.2', '-n', 'q1')).code, 0);
    assert.equal((await p.run('queue', 'add', '--version', 'broken', '-n', 'q2')).code, 0);
    const bad = await p.run('queue', 'add', '--version', 'nope');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /no version "nope"/);
    const start = p.start(['queue', 'start', '-j', '1']);
    await waitFor(() => start.output().includes('queue entry #1'), 'the queue to start');
    assert.equal((await p.run('queue', 'add', '--version', 'fast', '-n', 'q3')).code, 0);
    const done = await start.done;
    assert.equal(done.code, 1, done.stdout + done.stderr);
    assert.match(done.stdout, /queue empty: 2 done, 1 failed/);
    const entries = JSON.parse((await p.run('queue', 'list', '--json')).stdout) as { id: number; status: string; runId: number }[];
    assert.deepEqual(entries.map((e) => [e.id, e.status]), [[1, 'done'], [2, 'failed'], [3, 'done']]);
    const runs = JSON.parse((await p.run('runs', '--json')).stdout) as { id: number; name: string; status: string }[];
    assert.deepEqual(runs.map((r) => [r.name, r.status]), [['q3', 'succeeded'], ['q2', 'failed'], ['q1', 'succeeded']]);
    assert.equal(entries[2]!.runId, runs[0]!.id);
  });

  it('Ctrl-C stops the running entry as it stops a run, and the queue with it (exit 130, the rest still queued)', async () => {
    const p = project({ ...files, 'train.cjs': `require('fs').writeFileSync('started.txt', ''); setTimeout(() => {}, 60000);` });
    for (const name of ['q1', 'q2']) assert.equal((await p.run('queue', 'add', '-n', name)).code, 0);
    const start = p.start(['queue', 'start', '-j', '1']);
    await waitFor(() => p.exists('started.txt'), 'the first entry to reach its long stage');
    start.child.kill('SIGINT');
    const done = await start.done;
    assert.equal(done.code, 130, done.stdout + done.stderr);
    assert.match(done.stdout, /queue stopped: 0 done, 1 failed, 1 still queued/);
    const entries = JSON.parse((await p.run('queue', 'list', '--json')).stdout) as { status: string; error?: string }[];
    assert.deepEqual(entries.map((e) => [e.status, e.error]), [['failed', 'cancelled (Ctrl-C)'], ['queued', undefined]]);
  });
});

describe('dev mode', () => {
  it('applies the dev overrides in a scratch copy, stops at the first error with the stack, and leaves no trace', async () => {
    const p = project(files);
    const r = await p.run('run', '--dev', '-v');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /dev mode: running in a scratch copy/);
    assert.ok(!p.exists('data.txt') && !p.exists('model.txt') && !p.exists('metrics.json'), 'no outs in the workspace');
    assert.ok(!p.exists('pipewright.lock'), 'no lockfile');
    assert.ok(!existsSync(p.path('.pipewright')), 'no cache, store or logs');

    // With history present, dev mode adds none to it.
    await p.run('run', '-n', 'real');
    const before = readdirSync(p.path('.pipewright/cache'), { recursive: true }).length;
    const lock = p.read('pipewright.lock');
    const failing = project({
      ...files,
      'pipewright.ts': `import { pipeline, stage } from 'pipewright';
function deepHelper(): never { throw new Error('bad shape in row 3'); }
const a = stage('a', { outs: { x: 'x.txt' }, run: async ({ outs }) => { (await import('node:fs')).writeFileSync(outs.x, 'x'); } });
const b = stage('b', { inputs: { x: a.outs.x }, run: () => deepHelper() });
const c = stage('c', { outs: { y: 'y.txt' }, run: async ({ outs }) => { await new Promise((r) => setTimeout(r, 3000)); (await import('node:fs')).writeFileSync(outs.y, 'y'); } });
export default pipeline('dev', [a, b, c]);
`,
    });
    const dev = await failing.run('run', '--dev', '-j', '2');
    assert.equal(dev.code, 1);
    assert.match(dev.stdout, /✗ b failed: bad shape in row 3/);
    assert.match(dev.stdout, /at deepHelper \(\/\S*\/pipewright\.ts:\d+:\d+\)/, 'the full stack, down to the helper');
    assert.match(dev.stdout, /c (not run: stopped after b failed|cancelled)/);
    assert.ok(!existsSync(failing.path('.pipewright')) && !failing.exists('x.txt'));
    assert.deepEqual(readdirSync(dirname(failing.dir)).filter((f) => f.startsWith(`.${basename(failing.dir)}.pipewright-dev-`)), [], 'the scratch copy beside it is gone');
    assert.equal(readdirSync(p.path('.pipewright/cache'), { recursive: true }).length, before);
    assert.equal(p.read('pipewright.lock'), lock);
    assert.equal((JSON.parse((await p.run('runs', '--json')).stdout) as unknown[]).length, 1);
  });
});
