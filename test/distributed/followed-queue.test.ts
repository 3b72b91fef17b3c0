/**
 * The coordinator's queue (distributed/followed-queue.ts) against a real redis-server and a plain
 * BullMQ worker: the jobs of one turn are added with one addBulk, each gets its own outcome from
 * one event reader, the worker that took a job is told once, and the watchdog settles what the
 * events did not (a job finished before the reader listened, a job that vanished, a cancelled one).
 */
import { strict as assert } from 'node:assert';
import { describe } from 'node:test';
import type { Job, Queue as BullQueue, QueueEvents as BullQueueEvents, Worker as BullWorker } from 'bullmq';
import { CancelledError } from '../../src/errors.js';
import { FollowedQueue } from '../../src/distributed/followed-queue.js';
import { redisClient, type JobData, type JobResult } from '../../src/distributed/protocol.js';
import { needs } from '../helpers/needs.js';
import { redisMissing, startRedis, type TestRedis } from '../helpers/redis.js';

const { it, before, after } = needs(redisMissing);

const data = (instance: string, extra: Record<string, unknown> = {}): JobData =>
  ({ address: { pipelineFile: 'pipewright.yaml', stage: instance, params: extra }, instance, kind: 'cmd', revision: { pipelineHash: 'h' }, inputs: [] });
const result = (worker: string, instance: string): JobResult => ({ host: 'h', worker, durationMs: 0, outs: [], logTail: instance });

describe('FollowedQueue: adds in bulk, follows in batches', () => {
  let redis: TestRedis;
  let bullmq: typeof import('bullmq');
  let n = 0;
  const opened: { close(): Promise<unknown> }[] = [];
  before(async () => {
    redis = await startRedis();
    bullmq = await import('bullmq');
  });
  after(async () => {
    for (const o of opened.reverse()) await o.close().catch(() => {});
    await redis.stop();
  });

  /** A queue of its own, followed; `eventsOf` lets a test give it the reader of another queue (one that never hears of its jobs). */
  async function setUp(eventsOf?: string) {
    const name = `q${++n}`;
    const connection = { url: redis.url, maxRetriesPerRequest: null };
    const queue = new bullmq.Queue(name, { connection, prefix: 'fq' }) as BullQueue;
    const events = new bullmq.QueueEvents(eventsOf ?? name, { connection, prefix: 'fq' }) as BullQueueEvents;
    await events.waitUntilReady();
    const bulks: number[] = [];
    const addBulk = queue.addBulk.bind(queue);
    queue.addBulk = (jobs) => {
      bulks.push(jobs.length);
      return addBulk(jobs);
    };
    const adds = queue.add.bind(queue);
    queue.add = (...args) => {
      bulks.push(-1);
      return adds(...args);
    };
    const followed = new FollowedQueue(queue, events, { redisUrl: redis.url, watchdogMs: 150 });
    opened.push(followed);
    const work = (processor: (job: Job<JobData, JobResult>) => Promise<JobResult>, workerName = 'w:1') => {
      const worker = new bullmq.Worker(name, processor, { connection, prefix: 'fq', name: workerName, concurrency: 4 }) as BullWorker;
      // Forced: a job still running (a test that cancels it) is not waited for.
      opened.push({ close: () => worker.close(true) });
      return worker;
    };
    return { name, queue, followed, bulks, work };
  }

  it('the jobs made ready in one turn go in one addBulk; each gets its own result', async () => {
    const { followed, bulks, work } = await setUp();
    work(async (job) => result('w:1', job.data.instance));
    const signal = new AbortController().signal;
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => followed.run({ id: `job-${i}`, data: data(`s${i}`), signal })));
    assert.deepEqual(outcomes.map((o) => o.logTail), Array.from({ length: 50 }, (_, i) => `s${i}`));
    assert.deepEqual(bulks, [50], 'one addBulk for the 50, no add of one');
  });

  it('a failed job rejects with its reason; the others of its batch are unaffected', async () => {
    const { followed, work } = await setUp();
    work(async (job) => {
      if (job.data.instance === 'bad') throw new Error('it broke');
      return result('w:1', job.data.instance);
    });
    const signal = new AbortController().signal;
    const [good, bad] = await Promise.allSettled([followed.run({ id: 'g', data: data('good'), signal }), followed.run({ id: 'b', data: data('bad'), signal })]);
    assert.equal(good.status, 'fulfilled');
    assert.equal(bad.status, 'rejected');
    assert.equal((bad as PromiseRejectedResult).reason.message, 'it broke');
  });

  it('tells once which worker took a job: looked up while it runs, or from its result when it finished first', async () => {
    const { followed, work } = await setUp();
    let slowDone = false;
    work(async (job) => {
      if (job.data.instance === 'slow') {
        await new Promise((r) => setTimeout(r, 800));
        slowDone = true;
      }
      return result('w:2', job.data.instance);
    }, 'w:2');
    const signal = new AbortController().signal;
    const told: string[] = [];
    await Promise.all(['slow', 'quick'].map((instance) => followed.run({
      id: instance, data: data(instance), signal, onTaken: (w) => told.push(`${instance} ${w}${instance === 'slow' && slowDone ? ' (after it finished)' : ''}`),
    })));
    assert.deepEqual(told.sort(), ['quick w:2', 'slow w:2']);
  });

  it('a job whose events never arrive is settled by the watchdog from the job itself', { timeout: 20_000 }, async () => {
    const { followed, work } = await setUp('elsewhere');
    work(async (job) => {
      if (job.data.instance === 'bad') throw new Error('failed unheard');
      return result('w:1', job.data.instance);
    });
    const signal = new AbortController().signal;
    const told: string[] = [];
    const done = await followed.run({ id: 'unheard', data: data('unheard'), signal, onTaken: (w) => told.push(w) });
    assert.equal(done.logTail, 'unheard');
    assert.deepEqual(told, ['w:1']);
    await assert.rejects(followed.run({ id: 'bad', data: data('bad'), signal }), /failed unheard/);
  });

  it('a job that vanished from Redis fails; a cancelled one is given up at the next look', { timeout: 20_000 }, async () => {
    const { followed, queue, work } = await setUp();
    const started: string[] = [];
    work(async (job) => {
      started.push(job.data.instance);
      await new Promise((r) => setTimeout(r, 60_000));
      return result('w:1', job.data.instance);
    });
    const vanishing = followed.run({ id: 'v', data: data('v'), signal: new AbortController().signal });
    const cancel = new AbortController();
    const cancelled = followed.run({ id: 'c', data: data('c'), signal: cancel.signal });
    const outcomes = Promise.allSettled([vanishing, cancelled]);
    while (started.length < 2) await new Promise((r) => setTimeout(r, 20));
    // Redis restarted without its data, for this job.
    const client = new (await redisClient())(redis.url);
    await client.del(`fq:${queue.name}:v`);
    client.disconnect();
    cancel.abort('stop');
    const [v, c] = await outcomes;
    assert.match((v as PromiseRejectedResult).reason?.message, /vanished from Redis/);
    assert.ok((c as PromiseRejectedResult).reason instanceof CancelledError);
  });
});
