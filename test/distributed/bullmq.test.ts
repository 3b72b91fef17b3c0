/**
 * Distributed runs on a real redis-server (started here on a free port of 127.0.0.1) with
 * `pipewright worker` processes: jobs run on workers and are recorded once by the coordinator,
 * with the host; a worker killed with -9 mid-job loses the job to another; a job nobody can take
 * is said, not waited for; a worker of another revision is not sent jobs, and is named; SIGTERM
 * finishes the job in hand.
 */
import { strict as assert } from 'node:assert';
import { describe } from 'node:test';
import { needs } from '../helpers/needs.js';
import { redisMissing } from '../helpers/redis.js';
import { useWorkers } from '../helpers/workers.js';
import { useProjects, waitFor, type TestProject } from '../helpers/project.js';

const project = useProjects();

const CHAIN = {
  'pipewright.config.yaml': 'name: chain\n',
  'pipewright.yaml': `stages:
  a:
    cmd: echo "$PPID" > a.pid; sleep \${params.sleep}; echo a > a.txt
    params: [sleep]
    outs: [a.txt]
  b:
    cmd: cat a.txt > b.txt; echo b >> b.txt
    deps: [a.txt]
    outs: [b.txt]
  c:
    cmd: echo c > c.txt
    outs: [c.txt]
`,
  'params.yaml': 'sleep: 0\n',
};

// Each test is skipped (or, under CI=true, fails) on its own where redis-server is missing.
const { it, before, after } = needs(redisMissing);

describe('distributed runs on BullMQ', () => {
  const { redis, redisUrl, start, ready } = useWorkers({ before, after });
  const worker = (p: TestProject, ...args: string[]) => start(p, ['--lock-duration', '2000', '--stalled-interval', '1000', ...args]);

  it('runs every instance on workers; the coordinator writes the lockfile and the store once, with the host', async () => {
    const p = project(CHAIN);
    const w1 = worker(p, '--concurrency', '1');
    const w2 = worker(p, '--concurrency', '1');
    await Promise.all([ready(w1), ready(w2)]);
    const r = await p.run('run', '--executor', 'bullmq', '--redis', redisUrl());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /a taken by \S+:\d+/);
    assert.equal(p.read('b.txt'), 'a\nb\n');
    const jobLines = (w1.output() + w2.output()).match(/✓ [abc] /g) ?? [];
    assert.equal(jobLines.length, 3, 'each instance ran once, on a worker');
    const show = JSON.parse((await p.run('show', '--json')).stdout) as { instances: { name: string; status: string; host?: string }[] };
    assert.deepEqual(show.instances.map((i) => [i.name, i.status, typeof i.host]).sort(), [['a', 'ran', 'string'], ['b', 'ran', 'string'], ['c', 'ran', 'string']]);
    assert.match((await p.run('show')).stdout, /instance +status +took +host/);
    const again = await p.run('run', '--executor', 'bullmq', '--redis', redisUrl());
    assert.match(again.stdout, /0 ran, 3 up to date/, 'recorded in the lockfile: nothing to do');
  });

  it('workers in separate checkouts share only Redis and a folder remote: inputs go up, outs come back, every record is the coordinator\'s', async () => {
    const remote = project();
    const config = `name: separate\nremotes:\n  shared:\n    url: ${remote.dir}\ndefault_remote: shared\n`;
    const files = {
      'pipewright.config.yaml': config,
      'pipewright.yaml': 'stages:\n  count:\n    cmd: wc -l < data.txt > count.txt\n    deps: [data.txt]\n    outs: [count.txt]\n  double:\n    cmd: echo $(( $(cat count.txt) * 2 )) > double.txt\n    deps: [count.txt]\n    outs: [double.txt]\n',
    };
    const coordinator = project({ ...files, 'data.txt': 'a\nb\nc\n' });
    const elsewhere = project(files);   // a checkout without the (uncommitted) data
    const w = worker(elsewhere, '--concurrency', '1');
    await ready(w);
    assert.match(w.output(), /files through the remote/);
    const r = await coordinator.run('run', '--executor', 'bullmq', '--redis', redisUrl());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(coordinator.read('double.txt').trim(), '6', 'the outs came back');
    assert.equal(elsewhere.read('data.txt'), 'a\nb\nc\n', 'the worker got the input from the remote');
    assert.ok(coordinator.exists('pipewright.lock') && !elsewhere.exists('pipewright.lock'), 'the coordinator alone writes the lockfile');
    assert.match((await coordinator.run('run', '--executor', 'bullmq', '--redis', redisUrl())).stdout, /0 ran, 2 up to date/);
  });

  it('`executor: bullmq` on one stage sends only that stage to the workers', async () => {
    const p = project({ ...CHAIN, 'pipewright.config.yaml': 'name: per-stage\n', 'pipewright.yaml': CHAIN['pipewright.yaml'].replace('    cmd: echo c > c.txt\n', '    cmd: echo c > c.txt\n    executor: bullmq\n') });
    const w = worker(p, '--concurrency', '1');
    await ready(w);
    const r = await p.run('run', '--redis', redisUrl());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(w.output(), /✓ c/);
    assert.doesNotMatch(w.output(), /✓ [ab] /, 'a and b ran here');
    assert.equal(p.read('b.txt'), 'a\nb\n');
  });

  it('a worker killed with -9 mid-job loses the job to another worker; the run completes, recorded once', async () => {
    const p = project({ ...CHAIN, 'params.yaml': 'sleep: 3\n', 'pipewright.config.yaml': 'name: killed\n' });
    const first = worker(p, '--concurrency', '1');
    await ready(first);
    const run = p.start(['run', '--executor', 'bullmq', '--redis', redisUrl(), 'a']);
    await waitFor(() => first.output().includes('▶ a'), 'the first worker to take a', 20_000);
    first.child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const second = worker(p, '--concurrency', '1');
    const r = await run.done;
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(second.output(), /✓ a/);
    assert.equal(p.read('a.txt'), 'a\n');
    const show = JSON.parse((await p.run('show', '--json')).stdout) as { instances: { name: string }[] };
    assert.deepEqual(show.instances.map((i) => i.name), ['a'], 'recorded once');
  });

  it('a job no worker can take (labels nobody has) fails the instance, naming the workers, instead of waiting', async () => {
    const p = project({ ...CHAIN, 'pipewright.config.yaml': 'name: labels\nstages:\n  c:\n    labels: [gpu]\n' });
    const w = worker(p, '--concurrency', '1', '--gpus', '0');
    await ready(w);
    const r = await p.run('run', '--executor', 'bullmq', '--redis', redisUrl(), '--worker-wait', '3s', 'c');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /c failed: no worker takes jobs labelled "gpu" of project "labels" \(prefix pw-labels\) \(live workers: \S+ \[no labels\]\): start `pipewright worker --labels gpu` in a checkout of this project/);
    const gpu = worker(p, '--concurrency', '1', '--labels', 'gpu');
    await ready(gpu);
    const ok = await p.run('run', '--executor', 'bullmq', '--redis', redisUrl(), 'c');
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(gpu.output(), /✓ c/);
  });

  it('a job goes only to a worker that can give it the resources it asks for; when none can, the run says so', async () => {
    const p = project({ ...CHAIN, 'pipewright.config.yaml': 'name: resources\nstages:\n  c:\n    resources: {memory: 16Gi}\n' });
    const small = worker(p, '--concurrency', '1', '--resources', 'memory=8G');
    await ready(small);
    const r = await p.run('run', '--executor', 'bullmq', '--redis', redisUrl(), '--worker-wait', '2s', 'c');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /c failed: no worker can give it what it asks for \(\S+: it needs 16\.0 GiB of memory, the worker offers 7\.5 GiB\)/);
    const big = worker(p, '--concurrency', '1', '--resources', 'memory=64G');
    await ready(big);
    const ok = await p.run('run', '--executor', 'bullmq', '--redis', redisUrl(), 'c');
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(big.output(), /✓ c/);
    assert.doesNotMatch(small.output(), /✓ c/);
    const bad = await p.run('worker', '--resources', 'ram=1');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--resources: "ram=1" is not cpus=N, gpus=N or memory=SIZE/);
  });

  it('a worker whose checkout is another revision is not sent the job: the run fails after --worker-wait, naming it and why', async () => {
    const p = project({ ...CHAIN, 'pipewright.config.yaml': 'name: revision\n' });
    const other = project({ ...CHAIN, 'pipewright.config.yaml': 'name: revision\n', 'pipewright.yaml': CHAIN['pipewright.yaml'].replace('echo c', 'echo C') });
    const w = worker(other, '--concurrency', '1');
    await ready(w);
    const r = await p.run('run', '--executor', 'bullmq', '--redis', redisUrl(), '--worker-wait', '3s', 'c');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /c failed: no worker takes jobs labelled "any" of project "revision" \(prefix pw-revision\) \(no worker of this project at this revision is running\); seen: \S+:\d+ in \S+ at another revision: its pipeline file differs \(there [0-9a-f]+, here [0-9a-f]+\) — update that checkout \(git pull\) and restart the worker/);
    assert.ok(r.stdout.includes(` in ${other.dir} at another revision`), r.stdout);
    assert.doesNotMatch(w.output(), /▶ c/, 'never sent');
    assert.equal(other.exists('c.txt'), false, 'nothing computed');
  });

  it('a coordinator killed mid-run: the next run restores what the workers finished, and runs only the rest', async () => {
    const p = project({
      'pipewright.config.yaml': 'name: coordinator\n',
      'pipewright.yaml': 'stages:\n  a:\n    cmd: echo a > a.txt\n    outs: [a.txt]\n  slow:\n    cmd: sleep 2; echo s > slow.txt\n    outs: [slow.txt]\n  b:\n    cmd: cat a.txt slow.txt > b.txt\n    deps: [a.txt, slow.txt]\n    outs: [b.txt]\n',
    });
    const w = worker(p, '--concurrency', '2');
    await ready(w);
    const run = p.start(['run', '--executor', 'bullmq', '--redis', redisUrl()]);
    await waitFor(() => w.output().includes('✓ a') && w.output().includes('▶ slow'), 'a to finish and slow to start', 20_000);
    run.child.kill('SIGKILL');
    await waitFor(() => w.output().includes('✓ slow'), 'the worker to finish slow', 20_000);
    const again = await p.run('run', '--executor', 'bullmq', '--redis', redisUrl());
    assert.equal(again.code, 0, again.stdout + again.stderr);
    // a: recorded by the coordinator before the kill (up to date), or only by its worker (restored).
    assert.match(again.stdout, /(= a up to date|↺ a restored from the run-cache)/);
    assert.match(again.stdout, /↺ slow restored from the run-cache/, 'finished by the worker after the kill: not run again');
    assert.match(again.stdout, /\n1 ran, (1 up to date, 1 restored|2 restored)\n/);
    assert.equal((w.output().match(/✓ a /g) ?? []).length, 1, 'a ran once');
    assert.equal(p.read('b.txt'), 'a\ns\n');
  });

  it('Redis restarted (without its data) mid-run: the run ends with a clear message in bounded time, no hang', async () => {
    const p = project({ ...CHAIN, 'params.yaml': 'sleep: 3\n', 'pipewright.config.yaml': 'name: restart\n' });
    const w = worker(p, '--concurrency', '1');
    await ready(w);
    const run = p.start(['run', '--executor', 'bullmq', '--redis', redisUrl(), 'a']);
    await waitFor(() => w.output().includes('▶ a'), 'the worker to take a', 20_000);
    await redis().restart();
    const r = await run.done;
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /a failed: its job vanished from Redis \(restarted without its data\?\): run again to queue it anew/);
  });

  it('SIGTERM finishes the job in hand, then the worker exits 0', async () => {
    const p = project({ ...CHAIN, 'params.yaml': 'sleep: 1\n', 'pipewright.config.yaml': 'name: drain\n' });
    const w = worker(p, '--concurrency', '1');
    await ready(w);
    const run = p.start(['run', '--executor', 'bullmq', '--redis', redisUrl(), 'a']);
    await waitFor(() => w.output().includes('▶ a'), 'the worker to take a', 20_000);
    w.child.kill('SIGTERM');
    const done = await w.done;
    assert.equal(done.code, 0, done.stdout + done.stderr);
    assert.match(done.stdout, /stopping: finishing the jobs in hand[\s\S]*✓ a[\s\S]*stopped/);
    assert.equal((await run.done).code, 0);
  });
});
