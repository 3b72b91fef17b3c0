/**
 * The folder remote (the NFS case), end to end through the real CLI: two copies of a project that
 * share nothing but the remote folder.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';
import { auditObjects, checkoutFiles, executions, pipelineFiles, remoteConfig } from './fixture.js';

const project = useProjects();
const remotes: string[] = [];
after(() => remotes.forEach((r) => rmSync(r, { recursive: true, force: true })));
function newRemote(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pw-remote-'));
  remotes.push(dir);
  return join(dir, 'cache');
}

describe('folder remote', () => {
  it('a second copy of the project runs 0 stages after pull --run-cache', async () => {
    const remote = newRemote();
    const a = project({ ...pipelineFiles({ points: 3 }), 'pipewright.config.yaml': remoteConfig('shared', remote) });
    const ran = await a.run('run');
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(executions(a).length, 5);
    const pushed = await a.run('push', '--run-cache');
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stdout, /^Pushing to shared \(.*\)\n\d+ objects uploaded \([^)]+\), 0 already there\nrun-cache: 5 entries added, 5 on the remote\n$/);
    assert.deepEqual(auditObjects(join(remote, 'objects')).bad, []);
    assert.equal(readdirSync(join(remote, 'run-cache')).length, 1, 'one push, one run-cache segment');

    // Another machine: the committed files only (no lockfile even), sharing the remote.
    const b = project(checkoutFiles(a, false));
    const pulled = await b.run('pull', '--run-cache');
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.match(pulled.stdout, /run-cache: 5 entries added, 5 on the remote for these stages/);
    const again = await b.run('run');
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(executions(b), [], 'nothing computed twice');
    assert.match(again.stdout, /0 ran, 5 restored/);
    assert.equal(b.read('sum.txt'), a.read('sum.txt'));
    assert.equal(b.read('points/2.txt'), a.read('points/2.txt'));

    // A push with nothing new costs nothing and adds no segment.
    const repeat = await a.run('push', '--run-cache');
    assert.match(repeat.stdout, /0 objects uploaded \(0 B\), \d+ already there\nrun-cache: 0 entries added, 5 on the remote/);
    assert.equal(readdirSync(join(remote, 'run-cache')).length, 1);
  });

  it('pull puts the lockfile\'s outs into the workspace; fetch fills the cache only; STAGE narrows both (a file:// remote)', async () => {
    const remote = newRemote();
    const a = project({ ...pipelineFiles({ points: 2 }), 'pipewright.config.yaml': remoteConfig('shared', pathToFileURL(remote).href) });
    assert.equal((await a.run('run')).code, 0);
    assert.equal((await a.run('push')).code, 0);

    const b = project(checkoutFiles(a, true));
    const onlySum = await b.run('pull', 'sum');
    assert.equal(onlySum.code, 0, onlySum.stderr);
    assert.match(onlySum.stdout, /1 out checked out, 0 already in place/);
    assert.ok(b.exists('sum.txt') && !b.exists('data') && !b.exists('points'), 'only sum\'s out');

    const c = project(checkoutFiles(a, true));
    const fetched = await c.run('fetch');
    assert.equal(fetched.code, 0, fetched.stderr);
    assert.ok(!c.exists('data') && !c.exists('sum.txt'), 'fetch leaves the workspace alone');
    const pulled = await c.run('pull');
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.match(pulled.stdout, /0 objects downloaded \(0 B\), \d+ already here\n4 outs checked out/);
    assert.equal(c.read('data/sub/part-1.bin').length > 0, true);
    const run = await c.run('run');
    assert.match(run.stdout, /0 ran, 4 up to date/);
    assert.deepEqual(executions(c), []);

    // An out changed by hand whose content is in no cache is kept, not lost. (Replaced as an
    // editor does: a hard-linked out written in place would change its cache object too.)
    rmSync(c.path('sum.txt'));
    c.write({ 'sum.txt': 'my own edit\n' });
    const kept = await c.run('pull');
    assert.equal(kept.code, 1);
    assert.match(kept.stderr, /kept sum\.txt \(sum\): its content differs and is in no cache; pull --force replaces it/);
    assert.equal(c.read('sum.txt'), 'my own edit\n');
    const forced = await c.run('pull', '--force');
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(c.read('sum.txt'), a.read('sum.txt'));
  });

  it('a corrupted object on the remote is refused on download: nothing bad enters the cache or the workspace', async () => {
    const remote = newRemote();
    const a = project({ ...pipelineFiles({ points: 1 }), 'pipewright.config.yaml': remoteConfig('shared', remote) });
    assert.equal((await a.run('run')).code, 0);
    assert.equal((await a.run('push', '--run-cache')).code, 0);
    const sumHash = /sum:[\s\S]*?outs:\n\s+- cache: true\n\s+hash: ([0-9a-f]{16})/.exec(a.read('pipewright.lock'))![1]!;
    const onRemote = join(remote, 'objects', sumHash.slice(0, 2), sumHash.slice(2));
    chmodSync(onRemote, 0o644);
    writeFileSync(onRemote, 'bit rot\n');

    const b = project(checkoutFiles(a, true));
    const pulled = await b.run('pull', '--run-cache');
    assert.equal(pulled.code, 1, pulled.stdout + pulled.stderr);
    assert.match(pulled.stderr, new RegExp(`refused: object ${sumHash} on shared is corrupt \\(its content hashes to [0-9a-f]{16}\\); nothing was stored`));
    assert.match(pulled.stderr, /missing on shared \(never pushed\?\):\n {2}sum\.txt \(sum\)/);
    assert.match(pulled.stderr, new RegExp(`\n {2}hint: remove objects/${sumHash.slice(0, 2)}/${sumHash.slice(2)} from shared, then push from a machine whose cache holds it`));
    const local = b.path('.pipewright/cache/objects');
    assert.ok(!existsSync(join(local, sumHash.slice(0, 2), sumHash.slice(2))), 'the bad object did not enter the cache');
    assert.deepEqual(auditObjects(local), { objects: auditObjects(local).objects, bad: [], temporaries: [] });
    assert.ok(!b.exists('sum.txt'), 'nor the workspace');
    assert.ok(b.exists('data/part-0.bin'), 'the good objects did');
    // A local object damaged in place (a hard-linked out edited as root) is fetched again whole.
    const partHash = /prep:[\s\S]*?outs:\n\s+- cache: true\n\s+files: \d+\n\s+hash: ([0-9a-f]{16}\.dir)/.exec(a.read('pipewright.lock'))![1]!;
    assert.ok(partHash);
    writeFileSync(b.path('data/part-0.bin'), 'edited through the link\n');
    const repaired = await b.run('pull', 'prep');
    assert.equal(repaired.code, 1, 'data/part-0.bin itself is kept: its content is in no cache');
    assert.match(repaired.stderr, /warning: cache object [0-9a-f]{16} is damaged \(its content changed in place\); fetched again/);
    assert.deepEqual(auditObjects(local).bad, []);
    rmSync(b.path('data'), { recursive: true });
    assert.equal((await b.run('pull', 'prep')).code, 0);
    assert.equal(b.read('data/part-0.bin'), a.read('data/part-0.bin'));
    // The run-cache entry that needs it was not taken either: run computes sum, restores the rest.
    const run = await b.run('run');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(executions(b), ['sum']);
  });

  it('a local object damaged in place is not pushed: the team never receives it', async () => {
    const remote = newRemote();
    const a = project({ ...pipelineFiles({ points: 1 }), 'pipewright.config.yaml': remoteConfig('shared', remote) });
    assert.equal((await a.run('run')).code, 0);
    const sumHash = /sum:[\s\S]*?outs:\n\s+- cache: true\n\s+hash: ([0-9a-f]{16})/.exec(a.read('pipewright.lock'))![1]!;
    const object = a.path(`.pipewright/cache/objects/${sumHash.slice(0, 2)}/${sumHash.slice(2)}`);
    chmodSync(object, 0o644);
    writeFileSync(object, 'edited through a hard link\n');
    const pushed = await a.run('push', '--run-cache');
    assert.equal(pushed.code, 1);
    assert.match(pushed.stderr, new RegExp(`refused: object ${sumHash} in the local cache is damaged \\(its content hashes to [0-9a-f]{16}\\); nothing was stored`));
    assert.match(pushed.stderr, /warning: 1 run-cache entry not pushed: some of their objects are not in the local cache/);
    assert.match(pushed.stdout, /run-cache: 2 entries added, 2 on the remote/, "prep and point, not sum");
    assert.ok(!existsSync(join(remote, 'objects', sumHash.slice(0, 2), sumHash.slice(2))));
    assert.deepEqual(auditObjects(join(remote, 'objects')).bad, []);
  });

  it('folders made in a group-writable remote folder are group-writable too, whatever the umask', async () => {
    const remote = newRemote();
    mkdirSync(remote);
    chmodSync(remote, 0o2775);
    const a = project({ ...pipelineFiles({ points: 1 }), 'pipewright.config.yaml': remoteConfig('shared', remote) });
    assert.equal((await a.run('run')).code, 0);
    assert.equal((await a.run('push', '--run-cache')).code, 0);
    for (const dir of ['objects', join('objects', readdirSync(join(remote, 'objects'))[0]!), 'run-cache']) {
      assert.equal((statSync(join(remote, dir)).mode & 0o7777).toString(8), '2775', dir);
    }
  });

  it('two concurrent pushes of the same objects leave the remote intact', async () => {
    const remote = newRemote();
    const files = { ...pipelineFiles({ points: 4, files: 24, fileKiB: 256 }), 'pipewright.config.yaml': remoteConfig('shared', remote) };
    const a = project(files);
    const b = project(files);
    await Promise.all([a.run('run'), b.run('run')]);
    const [pa, pb] = await Promise.all([a.run('push', '--run-cache'), b.run('push', '--run-cache')]);
    assert.equal(pa.code, 0, pa.stderr);
    assert.equal(pb.code, 0, pb.stderr);
    const audit = auditObjects(join(remote, 'objects'));
    assert.deepEqual(audit.bad, []);
    assert.deepEqual(audit.temporaries, []);
    assert.ok(audit.objects >= 24 + 1 + 4 + 1, `${audit.objects} objects`);

    const c = project(checkoutFiles(a, false));
    assert.equal((await c.run('pull', '--run-cache')).code, 0);
    const run = await c.run('run');
    assert.match(run.stdout, /0 ran, 6 restored/);
    assert.deepEqual(executions(c), []);
  });
});
