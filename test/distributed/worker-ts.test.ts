/**
 * TypeScript stages on `pipewright worker` (distributed/worker.ts), in this process against a real
 * redis-server: a stage runs on a worker thread of the worker unless it asks for a process, and
 * the metrics its function returns are recorded with the coordinator's planned run.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import type { Job } from 'bullmq';
import type { ValueHash } from '../../src/cache/hash.js';
import { RunCache } from '../../src/cache/run-cache.js';
import { StateDb } from '../../src/cache/state.js';
import { queueName, revisionOf, type JobData, type JobResult } from '../../src/distributed/protocol.js';
import { sharedWorkspace } from '../../src/distributed/transport.js';
import { startWorker, type RunningWorker } from '../../src/distributed/worker.js';
import { layout } from '../../src/layout.js';
import { needs } from '../helpers/needs.js';
import { REPO } from '../helpers/project.js';
import { redisMissing, startRedis } from '../helpers/redis.js';

const { it } = needs(redisMissing);

/**
 * A redis-server, a project folder that imports pipewright and zod from this repository, and the
 * queue of unlabelled jobs with its events under `prefix`; `body` gets them, everything is closed after.
 */
async function withQueue(prefix: string, body: (q: { redisUrl: string; root: string; queue: import('bullmq').Queue; events: import('bullmq').QueueEvents }) => Promise<void>): Promise<void> {
  const redis = await startRedis();
  const root = mkdtempSync(join(tmpdir(), 'pw-worker-ts-'));
  const { Queue, QueueEvents } = await import('bullmq');
  const connection = { url: redis.url, maxRetriesPerRequest: null };
  const queue = new Queue(queueName('any'), { connection, prefix });
  const events = new QueueEvents(queueName('any'), { connection, prefix });
  try {
    mkdirSync(join(root, 'node_modules'));
    symlinkSync(REPO, join(root, 'node_modules/pipewright'));
    symlinkSync(join(REPO, 'node_modules/zod'), join(root, 'node_modules/zod'));
    await body({ redisUrl: redis.url, root, queue, events });
  } finally {
    await events.close();
    await queue.close();
    await redis.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

describe('startWorker: TypeScript stages', () => {
  const TS_PIPELINE = `import { writeFile } from 'node:fs/promises';
import { pipeline, stage } from 'pipewright';

/** Where the stage ran: this process (a worker thread) or a child process. */
export const here = stage('here', {
  outs: { pid: 'here.txt' },
  run: async ({ outs }) => {
    await writeFile(outs.pid, String(process.pid));
    return { answer: 42 };
  },
});

export const away = stage('away', {
  executor: 'processes',
  outs: { pid: 'away.txt' },
  run: async ({ outs }) => {
    await writeFile(outs.pid, String(process.pid));
  },
});

/** Sent to workers by the coordinator: on the worker, a process of its own too. */
export const queued = stage('queued', {
  executor: 'bullmq',
  outs: { pid: 'queued.txt' },
  run: async ({ outs }) => {
    await writeFile(outs.pid, String(process.pid));
  },
});

export default pipeline('ts-worker', [here, away, queued]);
`;

  it('run on a worker thread of the worker, or in a process when the stage asks; returned metrics recorded with a planned run', async () => {
    await withQueue('pwts', async ({ redisUrl, root, queue, events }) => {
      let w: RunningWorker | undefined;
      try {
        const pipelineFile = join(root, 'pipewright.ts');
        writeFileSync(pipelineFile, TS_PIPELINE);
        w = await startWorker({ root, pipelineFile, redisUrl, project: 'p', prefix: 'pwts', concurrency: 1, labels: [], gpus: 0, transport: sharedWorkspace, log: () => {} });
        await events.waitUntilReady();
        const run = async (stage: string, extra: Partial<JobData> = {}) => {
          const data: JobData = { address: { pipelineFile: 'pipewright.ts', stage, params: {} }, instance: stage, kind: 'ts', revision: revisionOf(pipelineFile), inputs: [], ...extra };
          const job = (await queue.add(stage, data, { attempts: 1 })) as Job<JobData, JobResult>;
          return job.waitUntilFinished(events) as Promise<JobResult>;
        };
        const fingerprint = 'e'.repeat(32) as ValueHash;
        const parts = { code: { fn: 'x', files: {} }, params: {}, deps: {}, outs: ['here.txt'] } as never;
        const here = await run('here', { planned: { fingerprint, parts } });
        assert.deepEqual(here.metrics, { answer: 42 });
        assert.equal(readFileSync(join(root, 'here.txt'), 'utf8'), String(process.pid));
        const state = StateDb.open(layout(root).stateDb, () => {});
        try {
          assert.deepEqual(new RunCache(state, () => {}).get(fingerprint)?.entry.metrics, { answer: 42 });
        } finally {
          state.close();
        }
        await run('away');
        assert.notEqual(readFileSync(join(root, 'away.txt'), 'utf8'), String(process.pid));
        await run('queued');
        assert.notEqual(readFileSync(join(root, 'queued.txt'), 'utf8'), String(process.pid));
      } finally {
        await w?.close();
      }
    });
  });

  it('starts its threads and loads the pipeline in each before it takes jobs, and keeps them for the jobs', async () => {
    await withQueue('pwwarm', async ({ redisUrl, root, queue, events }) => {
      let w: RunningWorker | undefined;
      try {
        const pipelineFile = join(root, 'pipewright.ts');
        // Each evaluation of the module (once per thread that loads it) leaves a line: its thread.
        writeFileSync(pipelineFile, `import { appendFileSync } from 'node:fs';
  import { threadId } from 'node:worker_threads';
  import { pipeline, stage } from 'pipewright';
  appendFileSync(${JSON.stringify(join(root, 'loads.txt'))}, threadId + '\\n');
  export default pipeline('warm', [stage('quick', { run: () => ({ ok: 1 }) })]);
  `);
        w = await startWorker({ root, pipelineFile, redisUrl, project: 'p', prefix: 'pwwarm', concurrency: 2, labels: [], gpus: 0, transport: sharedWorkspace, log: () => {} });
        const loads = () => readFileSync(join(root, 'loads.txt'), 'utf8').trim().split('\n').map(Number);
        const threads = loads().filter((t) => t !== 0);
        assert.equal(new Set(threads).size, 2, `loaded on both threads before any job: ${loads()}`);
        await events.waitUntilReady();
        const revision = revisionOf(pipelineFile);
        await Promise.all(Array.from({ length: 6 }, async () => {
          const job = (await queue.add('quick', { address: { pipelineFile: 'pipewright.ts', stage: 'quick', params: {} }, instance: 'quick', kind: 'ts', revision, inputs: [] } satisfies JobData, { attempts: 1 })) as Job<JobData, JobResult>;
          return job.waitUntilFinished(events);
        }));
        assert.deepEqual(loads().filter((t) => t !== 0).sort(), threads.sort(), 'the jobs ran on those threads, the pipeline not loaded again');
      } finally {
        await w?.close();
      }
    });
  });
});
