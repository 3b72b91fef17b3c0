/**
 * One cache everywhere: a laptop runs and pushes; a fresh clone with two workers (each in a fresh
 * copy in a folder of another name) runs the pipeline on BullMQ and executes nothing; a changed
 * param runs exactly the changed instance, on a worker; a coordinator that consults no remote gets
 * no recomputation either (the workers look each job up); then the compiled Argo and Kubeflow
 * tasks of the changed pipeline, each in a fresh copy, execute nothing. Real redis-server on
 * 127.0.0.1, real `pipewright worker` processes, a folder remote.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import { needs } from '../helpers/needs.js';
import { IMAGE_PROJECT } from '../../src/compile/tasks.js';
import { useProjects, waitFor, type TestProject } from '../helpers/project.js';
import { redisMissing } from '../helpers/redis.js';
import { useWorkers } from '../helpers/workers.js';
import { checkoutFiles, executions, pipelineFiles, remoteConfig } from '../remote/fixture.js';
import { compile, TARGETS } from '../compile/compiled.js';
import { argoContainers, kfpContainers, runContainers } from '../compile/local-runner.js';

const project = useProjects();
const folder = mkdtempSync(join(tmpdir(), 'pw-shared-cache-'));

// Each test is skipped (or, under CI=true, fails) on its own where redis-server is missing.
const { it, before, after } = needs(redisMissing);

describe('one cache for a laptop, workers and compiled tasks', () => {
  const { redisUrl, worker: started } = useWorkers({ before, after });
  after(() => rmSync(folder, { recursive: true, force: true }));
  const worker = (p: TestProject) => started(p, '--lock-duration', '2000', '--stalled-interval', '1000');

  it('laptop → push; fresh clone + 2 workers executes nothing; a changed param runs one instance on a worker; compiled tasks execute nothing', async () => {
    const laptop = project({ ...pipelineFiles({ points: 2 }), 'pipewright.config.yaml': `name: shared-cache\n${remoteConfig('shared', join(folder, 'remote'))}` });
    const pushed = await laptop.run('run', '--push');
    assert.equal(pushed.code, 0, pushed.stdout + pushed.stderr);

    const files = checkoutFiles(laptop, false);
    const [w1, w2] = [await worker(project(files)), await worker(project(files))];
    const clone = project(files);
    const run = await clone.run('run', '--executor', 'bullmq', '--redis', redisUrl(), '--worker-wait', '10s');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /0 ran, 4 restored/);
    assert.deepEqual(executions(clone), []);
    assert.doesNotMatch(w1.output() + w2.output(), /▶/, 'no job reached a worker');

    const changed = await clone.run('run', '--executor', 'bullmq', '--redis', redisUrl(), '--worker-wait', '10s', '-S', 'point.x=5');
    assert.equal(changed.code, 0, changed.stdout + changed.stderr);
    assert.match(changed.stdout, /1 ran, 2 up to date/);
    assert.match(w1.output() + w2.output(), /✓ point /, 'it ran on a worker');
    assert.deepEqual(executions(clone), [], 'not on the coordinator');
    assert.equal(clone.read('points/5.txt').trim().split('\n').at(-1), '5');

    // A coordinator that looks nothing up: the workers do, and restore rather than run.
    const blind = project(files);
    const viaWorkers = await blind.run('run', '--executor', 'bullmq', '--redis', redisUrl(), '--worker-wait', '10s', '--no-remote', '-S', 'point.x=5');
    assert.equal(viaWorkers.code, 0, viaWorkers.stdout + viaWorkers.stderr);
    assert.equal((w1.output() + w2.output()).match(/✓ point /g)?.length, 1, `point (x=5) ran once in all: ${w1.output()}\n${w2.output()}\n${viaWorkers.stdout}`);
    assert.match(w1.output() + w2.output(), /↺ prep: restored from remote shared, not run/);
    assert.equal(blind.read('points/5.txt'), clone.read('points/5.txt'));
    // -f: run again, whatever the remote records.
    const forced = await blind.run('run', '--executor', 'bullmq', '--redis', redisUrl(), '--worker-wait', '10s', '--no-remote', '-f', 'sum');
    assert.equal(forced.code, 0, forced.stdout + forced.stderr);
    assert.equal((w1.output() + w2.output()).match(/✓ sum /g)?.length, 1, 'sum ran on a worker, though the remote records it');

    // The compiled tasks of the changed pipeline, each in a fresh copy of its own.
    for (const target of TARGETS) {
      const { documents } = await compile(project(files), target, '--volume', 'none', '-S', 'point.x=5');
      const containers = target === 'kfp' ? kfpContainers(documents) : argoContainers(documents[0]!);
      const results = await runContainers(containers, { mountPath: IMAGE_PROJECT, dir: () => project(files).dir });
      for (const r of results) assert.match(r.stderr, /restored from the cache \(a run on remote shared\)/, `${target} ${r.task}: ${r.stderr}`);
    }
  });

  it('a coordinator killed mid-run, its worker in another checkout: started again, it restores from the remote what the worker finished', async () => {
    const files = {
      'pipewright.config.yaml': `name: crash\n${remoteConfig('shared', join(folder, 'crash-remote'))}`,
      'pipewright.yaml': 'stages:\n  a:\n    cmd: echo a > a.txt\n    outs: [a.txt]\n  slow:\n    cmd: sleep 2; echo s > slow.txt\n    outs: [slow.txt]\n'
        + '  b:\n    cmd: cat a.txt slow.txt > b.txt\n    deps: [a.txt, slow.txt]\n    outs: [b.txt]\n',
    };
    const w = await worker(project(files));
    const coordinator = project(files);
    const run = coordinator.start(['run', '--executor', 'bullmq', '--redis', redisUrl()]);
    await waitFor(() => w.output().includes('▶ slow'), 'slow to start on the worker', 20_000);
    run.child.kill('SIGKILL');
    await waitFor(() => w.output().includes('✓ slow'), 'the worker to finish slow', 20_000);
    // Started again, locally: what the worker finished is on the remote, nowhere else.
    const again = await coordinator.run('run');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /↺ slow restored from remote shared/);
    assert.equal((w.output().match(/✓ slow /g) ?? []).length, 1, 'slow ran once');
    assert.equal(coordinator.read('b.txt'), 'a\ns\n');
  });
});
