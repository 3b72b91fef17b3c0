/**
 * `pipewright worker` in this process (distributed/worker.ts's startWorker), against a real
 * redis-server, given jobs as a coordinator gives them (BullMQ queues named by protocol.ts): what a
 * job's result holds, what lands in the checkout and its cache and run-cache, which jobs it refuses
 * or leaves for another worker and what it logs, its entry in the registry, and cancellation.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe } from 'node:test';
import type { Job, Queue as BullQueue, QueueEvents as BullQueueEvents } from 'bullmq';
import { hashBytes, type ValueHash } from '../../src/cache/hash.js';
import { ObjectStore } from '../../src/cache/object-store.js';
import { RunCache } from '../../src/cache/run-cache.js';
import { StateDb } from '../../src/cache/state.js';
import { ALL_WORKERS, queueName, redisClient, revisionOf, type JobData, type JobResult, type WorkerInfo } from '../../src/distributed/protocol.js';
import { sharedWorkspace } from '../../src/distributed/transport.js';
import { startWorker, type RunningWorker } from '../../src/distributed/worker.js';
import { layout } from '../../src/layout.js';
import { StageCache } from '../../src/cache/stage-cache.js';
import { remoteTransportIfAny } from '../../src/distributed/remote-transport.js';
import { RemoteCacheTier } from '../../src/remote/cache-tier.js';
import { openProject } from '../../src/run/project.js';
import type { LockEntry } from '../../src/cache/lockfile.js';
import { needs } from '../helpers/needs.js';
import { waitFor } from '../helpers/project.js';
import { redisMissing, startRedis, type TestRedis } from '../helpers/redis.js';

const { it, before, after } = needs(redisMissing);

const PIPELINE = `stages:
  hello:
    cmd: echo "hello \${params.who}" > hello.txt && echo said hello && echo "token=$MY_TOKEN"
    params: [who]
    outs: [hello.txt]
  fails:
    cmd: echo first line; echo "last words"; exit 3
  slow:
    cmd: sleep 20 > /dev/null; echo done > slow.txt
    outs: [slow.txt]
  gpu:
    cmd: echo "devices=$CUDA_VISIBLE_DEVICES" > gpu.txt
    resources: {gpus: 2}
    outs: [gpu.txt]
  huge:
    cmd: echo never
    resources: {cpus: 64}
  scored:
    cmd: printf '{"acc":0.75}' > scores.json
    metrics: [scores.json]
  plain:
    cmd: echo x > plain.txt
    outs: [plain.txt]
  chatty:
    cmd: seq 1 40
  silent:
    cmd: exit 4
`;

describe('startWorker: jobs from Redis', () => {
  let redis: TestRedis;
  let root: string;
  let pipelineFile: string;
  const lines: string[] = [];
  let worker: RunningWorker;
  let remoteDir: string;
  let other: string;
  let planned: Awaited<ReturnType<StageCache['plan']>>;
  let recorded: LockEntry;
  let Queue: typeof BullQueue;
  let QueueEvents: typeof BullQueueEvents;
  const prefix = 'pwtest';
  const queues = new Map<string, { queue: BullQueue; events: BullQueueEvents }>();

  before(async () => {
    redis = await startRedis();
    ({ Queue, QueueEvents } = await import('bullmq'));
    root = mkdtempSync(join(tmpdir(), 'pw-worker-'));
    pipelineFile = join(root, 'pipewright.yaml');
    writeFileSync(pipelineFile, PIPELINE);
    writeFileSync(join(root, 'params.yaml'), 'who: world\n');
    // The team's remote records a run of `plain`, made in another checkout of the project.
    remoteDir = mkdtempSync(join(tmpdir(), 'pw-worker-remote-'));
    const config = `remotes:\n  team:\n    url: ${remoteDir}\ndefault_remote: team\n`;
    writeFileSync(join(root, 'pipewright.config.yaml'), config);
    other = mkdtempSync(join(tmpdir(), 'pw-worker-other-'));
    for (const [name, text] of [['pipewright.yaml', PIPELINE], ['params.yaml', 'who: world\n'], ['pipewright.config.yaml', config]]) writeFileSync(join(other, name!), text!);
    const project = await openProject(other);
    const cache = new StageCache(project.declaration, { warn: () => {} });
    const stage = project.graph.nodes.get('plain')!;
    planned = await cache.plan(stage);
    writeFileSync(join(other, 'plain.txt'), 'x\n');
    recorded = await cache.commit(stage, planned);
    cache.close();
    const tier = (await RemoteCacheTier.forRun(other, undefined, () => {}))!;
    await tier.publish('plain', recorded);
    tier.close();
    process.env.MY_TOKEN = 's3cr3t-value';
    worker = await startWorker({
      root, pipelineFile, redisUrl: redis.url, project: 'proj', prefix, concurrency: 2, labels: ['big'], gpus: 2,
      resources: { memoryBytes: 2 ** 30 }, transport: sharedWorkspace, lockDurationMs: 5000, stalledIntervalMs: 5000, log: (l) => lines.push(l),
      shared: await RemoteCacheTier.forRun(root, undefined, (l) => lines.push(l)),
    });
  });

  after(async () => {
    await worker?.close();
    for (const { queue, events } of queues.values()) {
      await events.close();
      await queue.close();
    }
    await redis?.stop();
    for (const d of [root, remoteDir, other]) if (d) rmSync(d, { recursive: true, force: true });
    delete process.env.MY_TOKEN;
  });

  async function on(route: string) {
    let q = queues.get(route);
    if (!q) {
      const connection = { url: redis.url, maxRetriesPerRequest: null };
      q = { queue: new Queue(queueName(route), { connection, prefix }), events: new QueueEvents(queueName(route), { connection, prefix }) };
      await q.events.waitUntilReady();
      queues.set(route, q);
    }
    return q;
  }

  function jobData(stage: string, over: Partial<JobData> = {}): JobData {
    return {
      address: { pipelineFile: 'pipewright.yaml', stage, params: stage === 'hello' ? { who: 'world' } : {} },
      instance: stage, kind: 'cmd', revision: revisionOf(pipelineFile), inputs: [], ...over,
    };
  }

  async function submit(data: JobData, route = 'any'): Promise<{ job: Job<JobData, JobResult>; finished: Promise<JobResult> }> {
    const { queue, events } = await on(route);
    const job = (await queue.add(data.instance, data, { attempts: 1 })) as Job<JobData, JobResult>;
    return { job, finished: job.waitUntilFinished(events) };
  }

  it('registers itself, with what it serves, in its project\'s registry and the registry of every project', async () => {
    const Redis = await redisClient();
    const client = new Redis(redis.url);
    try {
      const mine = JSON.parse((await client.get(`${prefix}:workers:${worker.id}`))!) as WorkerInfo;
      assert.deepEqual(mine, JSON.parse((await client.get(`${ALL_WORKERS}${worker.id}`))!));
      assert.equal(mine.id, worker.id);
      assert.equal(worker.id, `${hostname()}:${process.pid}`);
      assert.equal(mine.pid, process.pid);
      assert.equal(mine.project, 'proj');
      assert.equal(mine.prefix, prefix);
      assert.equal(mine.root, root);
      assert.equal(mine.concurrency, 2);
      assert.deepEqual(mine.resources, { cpus: 2, gpus: 2, memoryBytes: 2 ** 30 });
      assert.deepEqual([...mine.routes].sort(), ['any', 'big', 'big+gpu', 'gpu']);
      assert.deepEqual(mine.revision, revisionOf(pipelineFile));
      const ttl = await client.ttl(`${prefix}:workers:${worker.id}`);
      assert.ok(ttl > 0 && ttl <= 10, String(ttl));
    } finally {
      client.disconnect();
    }
    assert.ok(lines.some((l) => l === `worker ${worker.id} of project "proj" (files through this checkout) takes unlabelled jobs, "big" jobs, "gpu" jobs, "big+gpu" jobs (concurrency 2)`), lines.join('\n'));
    assert.equal(lines.some((l) => /maxmemory-policy/.test(l)), false);
  });

  it('runs a job: the outs in the checkout and its cache, the result with their hashes and the output\'s tail, secrets masked', async () => {
    const t0 = Date.now();
    const { finished } = await submit(jobData('hello', { secrets: ['MY_TOKEN'], env: { EXTRA: '1' } }));
    const result = await finished;
    assert.ok(result.durationMs <= Date.now() - t0, String(result.durationMs));
    assert.deepEqual(result.logTail.split('\n').filter(Boolean), ['said hello', 'token=***']);
    assert.equal(readFileSync(join(root, 'hello.txt'), 'utf8'), 'hello world\n');
    assert.deepEqual(result.outs, [{ path: 'hello.txt', hash: hashBytes('hello world\n'), size: 12, cache: true }]);
    assert.equal(result.worker, worker.id);
    assert.equal(typeof result.host, 'string');
    assert.ok(result.durationMs >= 0);
    assert.equal(result.restoredFrom, undefined);
    assert.equal('metrics' in result, false);
    assert.match(result.logTail, /said hello/);
    assert.equal(result.logTail.includes('s3cr3t-value'), false);
    assert.match(result.logTail, /token=\*+/);
    const store = new ObjectStore(layout(root).cache);
    assert.equal(readFileSync(store.pathOf(hashBytes('hello world\n')), 'utf8'), 'hello world\n');
    assert.ok(lines.includes('▶ hello'));
    assert.ok(lines.some((l) => /^✓ hello \S+/.test(l)));
  });

  it('a planned job is recorded in the run-cache under the coordinator\'s fingerprint; a metrics file\'s values are in the result, not copied into the entry', async () => {
    const fingerprint = 'f'.repeat(32) as ValueHash;
    const parts = { code: { cmd: 'x' }, params: {}, deps: { 'in.txt': hashBytes('in') }, outs: ['scores.json'] } as never;
    const scored = await (await submit(jobData('scored', { planned: { fingerprint, parts } }))).finished;
    assert.deepEqual(scored.metrics, { acc: 0.75 });
    const state = StateDb.open(layout(root).stateDb, () => {});
    try {
      const entry = new RunCache(state, () => {}).get(fingerprint)?.entry;
      assert.ok(entry);
      assert.equal(entry.fingerprint, fingerprint);
      assert.deepEqual(entry.deps, [{ path: 'in.txt', hash: hashBytes('in') }]);
      assert.deepEqual(entry.outs.map((o) => o.path), ['scores.json']);
      // Its metrics are its metrics file's, not a copy in the entry.
      assert.equal('metrics' in entry, false);
    } finally {
      state.close();
    }
  });

  it('a job failing: the error says why and ends with the last lines it printed', async () => {
    const { finished } = await submit(jobData('fails'));
    await assert.rejects(finished, (err: Error) => /first line\n+last words/.test(err.message) && /3/.test(err.message.split('\n')[0]!));
    assert.ok(lines.some((l) => l.startsWith('✗ fails: ')), lines.join('\n'));
  });

  it('a job failing without a word: the error alone', async () => {
    const { finished } = await submit(jobData('silent'));
    let message = '';
    await assert.rejects(finished, (err: Error) => ((message = err.message), true));
    assert.equal(message.includes('\n'), false, message);
    assert.match(message, /4/);
    assert.ok(lines.includes(`✗ silent: ${message}`), lines.join('\n'));
  });

  it('the output\'s tail is its last 30 lines', async () => {
    const { finished } = await submit(jobData('chatty'));
    const tail = (await finished).logTail.split('\n');
    assert.ok(tail.length <= 30, String(tail.length));
    assert.ok(tail.includes('40'));
    assert.equal(tail.includes('1'), false);
  });

  it('a planned job the team\'s remote records is restored here from it, not run', async () => {
    const t0 = Date.now();
    const { finished } = await submit(jobData('plain', { planned: { fingerprint: planned.fingerprint, parts: planned.parts } }));
    const result = await finished;
    assert.equal(result.restoredFrom, 'team');
    assert.deepEqual(result.outs, recorded.outs);
    assert.equal(result.logTail, '');
    assert.equal(result.worker, worker.id);
    assert.equal(result.host, hostname());
    assert.ok(result.durationMs <= Date.now() - t0, String(result.durationMs));
    assert.equal(readFileSync(join(root, 'plain.txt'), 'utf8'), 'x\n');
    assert.ok(lines.includes('↺ plain: restored from remote team, not run'), lines.join('\n'));
    assert.equal(lines.some((l) => l.startsWith('✓ plain')), false);
    // Recorded in this checkout's run-cache too.
    const state = StateDb.open(layout(root).stateDb, () => {});
    try {
      assert.equal(new RunCache(state, () => {}).get(planned.fingerprint)?.entry.fingerprint, planned.fingerprint);
    } finally {
      state.close();
    }
    // An out already here as recorded is left as it is.
    rmSync(join(root, 'plain.txt'));
    writeFileSync(join(root, 'plain.txt'), 'x\n');
    const inode = statSync(join(root, 'plain.txt')).ino;
    const again = await (await submit(jobData('plain', { planned: { fingerprint: planned.fingerprint, parts: planned.parts } }))).finished;
    assert.equal(again.restoredFrom, 'team');
    assert.equal(statSync(join(root, 'plain.txt')).ino, inode);
  });

  it('a planned job the coordinator already looked up (or wants run) is run, whatever the remote records', async () => {
    const { finished } = await submit(jobData('plain', { planned: { fingerprint: planned.fingerprint, parts: planned.parts }, sharedLookupDone: true }));
    const result = await finished;
    assert.equal(result.restoredFrom, undefined);
    assert.ok(lines.some((l) => l.startsWith('✓ plain ')));
  });

  it('a job of another revision is refused for good, saying what to do', async () => {
    const { finished } = await submit(jobData('hello', { revision: { pipelineHash: 'other' } }));
    await assert.rejects(finished, { message: `worker ${worker.id} refuses hello: the pipeline file differs (job other, this checkout ${revisionOf(pipelineFile).pipelineHash}); update that checkout (git pull) and restart the worker` });
    assert.ok(lines.includes(`✗ hello: refused, the pipeline file differs (job other, this checkout ${revisionOf(pipelineFile).pipelineHash})`));
  });

  it('a job naming a stage this checkout does not have is refused for good', async () => {
    const { finished } = await submit(jobData('gone'));
    await assert.rejects(finished, (err: Error) => err.message.startsWith(`worker ${worker.id} cannot run gone: `) && /no longer in/.test(err.message));
  });

  it('a job asking more than this worker offers is left for another worker', async () => {
    const { job } = await submit(jobData('huge', { resources: { cpus: 64, gpus: 0 } }));
    await waitFor(() => lines.includes('↩ huge: left for another worker (it needs 64 cpus, the worker has 2)'), 'the job to be left', 10_000);
    // Back in the queue (delayed, for another worker), neither failed nor done.
    let state = await job.getState();
    for (let i = 0; i < 100 && state === 'active'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = await job.getState();
    }
    assert.ok(state === 'delayed' || state === 'waiting', state);
    await job.remove().catch(() => {});
  });

  it('a GPU job gets a device', async () => {
    const { finished } = await submit(jobData('gpu', { resources: { cpus: 1, gpus: 2 } }), 'gpu');
    await finished;
    assert.equal(readFileSync(join(root, 'gpu.txt'), 'utf8'), 'devices=0,1\n');
  });

  it('a job the coordinator cancels stops', async () => {
    const { job, finished } = await submit(jobData('slow'));
    await waitFor(() => lines.includes('▶ slow'), 'the job to start', 10_000);
    const Redis = await redisClient();
    const client = new Redis(redis.url);
    await client.publish(`${prefix}:cancel`, job.id!);
    client.disconnect();
    let message = '';
    await assert.rejects(finished, (err: Error) => ((message = err.message), true));
    assert.match(message, /cancelled/);
    assert.ok(lines.some((l) => l.startsWith('✗ slow: ')), lines.join('\n'));
  });

  it('closing removes it from both registries', async () => {
    await worker.close();
    const Redis = await redisClient();
    const client = new Redis(redis.url);
    try {
      assert.equal(await client.get(`${prefix}:workers:${worker.id}`), null);
      assert.equal(await client.get(`${ALL_WORKERS}${worker.id}`), null);
    } finally {
      client.disconnect();
    }
    worker = undefined as never;
  });
});

describe('startWorker: a Redis that may evict keys, files through a remote', () => {
  it('both are said at start', async () => {
    const redis = await startRedis();
    const root = mkdtempSync(join(tmpdir(), 'pw-worker-'));
    try {
      mkdirSync(dirname(join(root, 'pipewright.yaml')), { recursive: true });
      writeFileSync(join(root, 'pipewright.yaml'), 'stages:\n  a:\n    cmd: echo a\n');
      writeFileSync(join(root, 'pipewright.config.yaml'), `remotes:\n  team:\n    url: ${join(root, 'remote')}\n`);
      const Redis = await redisClient();
      const client = new Redis(redis.url);
      await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
      client.disconnect();
      const lines: string[] = [];
      const w = await startWorker({
        root, pipelineFile: join(root, 'pipewright.yaml'), redisUrl: redis.url, project: 'p', prefix: 'pwevict', concurrency: 1, labels: [], gpus: 0,
        transport: (await remoteTransportIfAny(root, () => {}))!, log: (l) => lines.push(l),
      });
      await w.close();
      assert.ok(lines.includes('warning: Redis\'s maxmemory-policy is "allkeys-lru": set it to noeviction, or jobs may be evicted and lost'), lines.join('\n'));
      assert.ok(lines.includes(`worker ${w.id} of project "p" (files through the remote) takes unlabelled jobs (concurrency 1)`), lines.join('\n'));
    } finally {
      await redis.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
