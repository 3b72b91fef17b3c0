/**
 * The workspace lock is a lease (issue 25): compiled tasks of a cluster share one volume, and a
 * pod killed while holding the lock used to stall every later task for 5 minutes, then fail them,
 * since a pid of another host cannot be checked. Now a lock of another host that went a lease
 * without renewal is taken over, and its holder renews it while alive.
 *
 * "Another host" is real here: a pipewright started with a preload that makes `os.hostname()`
 * answer `pod-a` (the lock module reads the host name at call time), or a lock file written by the
 * test, its mtime (when it was last renewed) set old or kept fresh.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireWorkspaceLock } from '../../src/cache/workspace-lock.js';
import { type TestProject, killTree, useProjects, waitFor } from '../helpers/project.js';

const project = useProjects();

const files = {
  'pipewright.yaml': `stages:
  wait:
    cmd: touch started && while [ ! -f go ]; do sleep 0.05; done && echo done > out.txt
    outs: [out.txt]
  quick:
    cmd: echo quick > quick.txt
    outs: [quick.txt]
`,
  'fake-host.cjs': "require('node:os').hostname = () => 'pod-a'; require('node:module').syncBuiltinESMExports();\n",
};

const LOCK = '.pipewright/run.lock';

/** Starts `pipewright ARGS` as if on host pod-a, with this lease. */
function startOnPodA(p: TestProject, args: string[], leaseMs: number) {
  return p.start(args, { NODE_OPTIONS: `--require ${p.path('fake-host.cjs')}`, PIPEWRIGHT_LOCK_LEASE_MS: String(leaseMs) });
}

/** A lock as a pipewright of another host leaves it, last renewed `agoMs` ago. */
function writeForeignLock(p: TestProject, host: string, leaseMs: number, agoMs: number): string {
  const text = JSON.stringify({ pid: 4242, host, started: '2026-01-01T00:00:00.000Z', command: 'pipewright exec --cached train', leaseMs, token: 'f00d' });
  p.write({ [LOCK]: text });
  const renewed = new Date(Date.now() - agoMs);
  utimesSync(p.path(LOCK), renewed, renewed);
  return text;
}

describe('the workspace lock as a lease', () => {
  it('a lock of another host not renewed for longer than its lease is taken over by run, naming host, pid and last renewal', async () => {
    const p = project(files);
    writeForeignLock(p, 'pod-gone', 60_000, 10 * 60_000);
    const result = await p.run('run', 'quick');
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /warning: taking over the workspace lock of pipewright on host pod-gone \(pid 4242, `pipewright exec --cached train`\), last renewed 10 min ago, longer than its lease of 60 s/);
    assert.equal(p.read('quick.txt'), 'quick\n');
    assert.equal(p.exists(LOCK), false, 'released at the end');
  });

  it('and by exec --cached, as a compiled task runs it', async () => {
    const p = project(files);
    writeForeignLock(p, 'pod-gone', 60_000, 2 * 60_000);
    const result = await p.run('exec', '--cached', 'quick');
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stderr, /warning: taking over the workspace lock of pipewright on host pod-gone \(pid 4242, .*\), last renewed 2 min ago/);
    assert.equal(p.exists(LOCK), false);
  });

  it('a lock of another host that is being renewed is refused (exit 2), naming the host and its last renewal', async () => {
    const p = project(files);
    const text = writeForeignLock(p, 'pod-busy', 3000, 0);
    // Its holder, alive: renewed every 100 ms.
    const renewing = setInterval(() => utimesSync(p.path(LOCK), new Date(), new Date()), 100);
    try {
      const result = await p.run('run', 'quick');
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.match(result.stderr, /error: .*run\.lock: the workspace is locked by pipewright on host pod-busy \(pid 4242, `pipewright exec --cached train`, since 2026-01-01T00:00:00\.000Z\), last renewed \d+\.\d s ago; it is taken over if not renewed in the next \d+\.\d s/);
      assert.match(result.stderr, /hint: wait for it to finish; if that run was killed, its lock is taken over once it goes 3\.0 s without renewal/);
    } finally {
      clearInterval(renewing);
    }
    assert.equal(p.exists('quick.txt'), false);
    assert.equal(p.read(LOCK), text, 'the lock is left as it was');
  });

  it('a holder on another host keeps its lock through a run of several lease lengths', async () => {
    const p = project(files);
    const lease = 800;
    const holder = startOnPodA(p, ['run', 'wait'], lease);
    try {
      await waitFor(() => p.exists('started'), 'the holder to start its stage');
      for (let i = 0; i < 3; i++) {
        await sleep(lease * 1.5);
        const other = await p.run('run', 'quick');
        assert.equal(other.code, 2, `try ${i}: ${other.stdout}${other.stderr}`);
        assert.match(other.stderr, new RegExp(`locked by pipewright on host pod-a \\(pid ${holder.child.pid}, \`pipewright run wait\``));
      }
      p.write({ go: '' });
      const result = await holder.done;
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.doesNotMatch(result.stdout + result.stderr, /taken over|taking over|renew/);
    } finally {
      killTree(holder.child.pid!);
    }
    assert.equal(p.exists('quick.txt'), false);
    assert.equal(p.exists(LOCK), false, 'released at the end');
  });

  it('a task waiting for the lock of a pod killed mid-run takes it over once the lease runs out', async () => {
    const p = project(files);
    const holder = startOnPodA(p, ['run', 'wait'], 1000);
    await waitFor(() => p.exists('started'), 'the holder to start its stage');
    const task = p.start(['exec', '--cached', 'quick']);
    try {
      // The task has run its stage and waits for the lock to record it.
      await waitFor(() => p.exists('quick.txt'), 'the task to run its stage');
      killTree(holder.child.pid!);
      await holder.done;
      const result = await task.done;
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stderr, new RegExp(`warning: taking over the workspace lock of pipewright on host pod-a \\(pid ${holder.child.pid}, \`pipewright run wait\`\\), last renewed .* ago, longer than its lease of 1\\.0 s`));
    } finally {
      killTree(task.child.pid!);
    }
    assert.equal(p.exists(LOCK), false);
    const status = await p.run('status', 'quick');
    assert.match(status.stdout, /up to date/, 'the task recorded its stage');
  });

  it('a holder whose lease was taken over stops its run, and neither renews nor removes the new owner\'s lock', { timeout: 60_000 }, async () => {
    const p = project(files);
    const lease = 500;
    const holder = startOnPodA(p, ['run', 'wait'], lease);
    let ours: ReturnType<typeof acquireWorkspaceLock> | undefined;
    try {
      await waitFor(() => p.exists('started'), 'the holder to start its stage');
      // A stalled holder: alive, but not renewing.
      process.kill(holder.child.pid!, 'SIGSTOP');
      await waitFor(() => Date.now() - statSync(p.path(LOCK)).mtimeMs > 2 * lease, 'the lease to run out');
      const notices: string[] = [];
      ours = acquireWorkspaceLock(p.path(LOCK), 'test taker', (m) => notices.push(m));
      assert.match(notices.join('\n'), /taking over the workspace lock of pipewright on host pod-a/);
      const mine = readFileSync(p.path(LOCK), 'utf8');
      process.kill(holder.child.pid!, 'SIGCONT');
      // Its next renewal finds the lock taken: it stops its stage, without waiting for it to end.
      const result = await holder.done;
      assert.match(result.stdout + result.stderr,
        new RegExp(`warning: the workspace lock was taken over by pipewright on host ${hostname()} \\(pid ${process.pid}, \`test taker\`\\) .*this run stops`));
      assert.equal(result.code, 130, 'cancelled');
      assert.equal(p.exists('out.txt'), false, 'the stage did not go on to write its out');
      await sleep(lease);
      assert.equal(readFileSync(p.path(LOCK), 'utf8'), mine, 'the new owner\'s lock is still there, as it wrote it');
      ours.release();
      ours = undefined;
      assert.equal(p.exists(LOCK), false);
    } finally {
      ours?.release();
      try {
        process.kill(holder.child.pid!, 'SIGCONT');
      } catch {
        // already gone
      }
      killTree(holder.child.pid!);
    }
  });
});
