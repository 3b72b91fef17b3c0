/**
 * `pipewright worker`: a long-running process in a checkout of the project that takes jobs from
 * Redis (BullMQ) and runs each instance through the same exec path as every local executor, in a
 * child process or a worker thread, so that its own event loop stays free to renew job locks.
 * BullMQ delivers at least once: a job run twice (a stalled lock) writes the same content-addressed
 * outs, and the lockfile and run store are written by the coordinator only.
 */
import { hostname } from 'node:os';
import type { Job, Worker as BullWorker } from 'bullmq';
import type { Redis } from 'ioredis';
import { ObjectStore } from '../cache/object-store.js';
import { StateDb } from '../cache/state.js';
import { RunCache } from '../cache/run-cache.js';
import { storeOuts } from '../cache/stage-cache.js';
import type { ValueHash } from '../cache/hash.js';
import { WorkspaceHasher } from '../cache/workspace-hash.js';
import { formatDuration } from '../define/controls.js';
import { createExecutorSet } from '../executors/executor-set.js';
import { ThreadsExecutor } from '../executors/threads.js';
import { loadPipeline } from '../define/load.js';
import { prepareOuts, resolveAddress } from '../executors/exec-instance.js';
import type { ResolvedStage } from '../graph/resolve.js';
import { OPTIONAL, loadOptional } from '../optional-package.js';
import { layout } from '../layout.js';
import { withAttempts } from '../run/attempts.js';
import { masker } from '../run/secrets.js';
import { Slots } from '../run/slots.js';
import { ALL_WORKERS, WORKER_TTL_S, queueName, redisClient, unfit, type WorkerResources, revisionMismatch, routesServed, type JobData, type JobResult, type WorkerInfo } from './protocol.js';
import type { OutsTransport } from './transport.js';
import { revisionWatch } from './revision-watch.js';
import type { RemoteCacheTier } from '../remote/cache-tier.js';
import type { LockEntry } from '../cache/lockfile.js';
import { join } from 'node:path';

export interface WorkerOptions {
  readonly root: string;
  readonly pipelineFile: string;
  readonly redisUrl: string;
  /** The project's identity (distributed/identity.ts) and the queue prefix made of it. */
  readonly project: string;
  readonly prefix: string;
  readonly concurrency: number;
  readonly labels: readonly string[];
  readonly gpus: number;
  /** The most one job may hold here (`--resources cpus=8,memory=32G`); cpus default to the concurrency. */
  readonly resources?: { readonly cpus?: number; readonly memoryBytes?: number };
  readonly transport: OutsTransport;
  /**
   * The project's remote as a cache tier: a job whose instance it records (by the fingerprint the
   * coordinator planned) is restored from it, not run, whatever the coordinator knows of it.
   */
  readonly shared?: RemoteCacheTier;
  /** BullMQ's lock on a job, renewed at half this; a worker that stops renewing loses its jobs to others. */
  readonly lockDurationMs?: number;
  /** How often stalled jobs (of dead workers) are looked for and handed out again. */
  readonly stalledIntervalMs?: number;
  /** One line per job taken and finished. */
  readonly log: (line: string) => void;
}

const LOG_TAIL_LINES = 30;

export interface RunningWorker {
  readonly id: string;
  /** Finishes the jobs in hand, then stops taking any. */
  close(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { Worker, UnrecoverableError, DelayedError } = await loadOptional(OPTIONAL.workers, () => import('bullmq'));
  const offer: WorkerResources = { cpus: options.resources?.cpus ?? options.concurrency, gpus: options.gpus, ...(options.resources?.memoryBytes ? { memoryBytes: options.resources.memoryBytes } : {}) };
  const Redis = await redisClient();
  const id = `${hostname()}:${process.pid}`;
  const connection = { url: options.redisUrl, maxRetriesPerRequest: null };
  const redis: Redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  await warnUnlessNoEviction(redis, options.log);
  const executors = createExecutorSet(options.concurrency);
  const slots = new Slots(options.concurrency, options.gpus);
  const state = StateDb.open(layout(options.root).stateDb, options.log);
  const hasher = new WorkspaceHasher(options.root, state);
  const store = new ObjectStore(layout(options.root).cache);
  const runCache = new RunCache(state, options.log);
  const routes = routesServed([...options.labels, ...(options.gpus > 0 ? ['gpu'] : [])]);
  const workers: BullWorker[] = [];
  // This checkout's revision as it is now, without hashing the pipeline file and asking git for each job.
  const revision = revisionWatch(options.pipelineFile);

  const processJob = async (job: Job<JobData, JobResult>, token: string | undefined, signal?: AbortSignal): Promise<JobResult> => {
    const data = job.data;
    const started = Date.now();
    // A job this worker can never give enough to goes back, for a worker that can.
    const cannot = unfit(data.resources, offer);
    if (cannot) {
      options.log(`↩ ${data.instance}: left for another worker (${cannot})`);
      await job.moveToDelayed(Date.now() + 1000, token);
      throw new DelayedError();
    }
    const mismatch = revisionMismatch(data.revision, revision());
    if (mismatch) {
      options.log(`✗ ${data.instance}: refused, ${mismatch}`);
      throw new UnrecoverableError(`worker ${id} refuses ${data.instance}: ${mismatch}; update that checkout (git pull) and restart the worker`);
    }
    options.log(`▶ ${data.instance}`);
    const stop = signal ?? new AbortController().signal;
    const address = { ...data.address, pipelineFile: options.pipelineFile };
    let stage: ResolvedStage;
    try {
      ({ stage } = await resolveAddress(address));
    } catch (err) {
      // Not this worker's chance: the job names what no checkout of this revision can run.
      throw new UnrecoverableError(`worker ${id} cannot run ${data.instance}: ${(err as Error).message}`);
    }
    const recorded = data.planned && options.shared && !data.sharedLookupDone ? await options.shared.bringDown(data.planned.fingerprint as ValueHash) : undefined;
    if (recorded) return restoredHere(data.instance, recorded.entry, started);
    const held = await slots.acquire(stop, stage.controls?.resources);
    let tail: string[] = [];
    const mask = masker((data.secrets ?? []).map((name) => process.env[name] ?? ''));
    try {
      await options.transport.fetchInputs(data.inputs);
      prepareOuts(options.root, stage);
      const kind = data.kind === 'cmd' || stage.executor === 'processes' || stage.executor === 'bullmq' ? 'processes' : 'threads';
      const result = await withAttempts({
        timeoutMs: data.timeoutMs,
        stop,
        attempt: (attemptSignal) => executors.get(kind).execute({
          address,
          kind: data.kind,
          signal: attemptSignal,
          output: (_stream, text) => {
            tail = [...tail, ...mask(text).split('\n')].slice(-LOG_TAIL_LINES);
          },
          resolved: { stage, root: options.root },
          env: { ...data.env, ...(held.devices.length ? { CUDA_VISIBLE_DEVICES: held.devices.join(',') } : {}) },
        }),
      });
      const outs = await storeOuts(options.root, hasher, store, stage);
      state.flush();
      await options.transport.publishOuts(outs);
      if (data.planned) {
        const { fingerprint, parts } = data.planned;
        const entry = {
          fingerprint: fingerprint as ValueHash, code: parts.code, params: parts.params,
          deps: Object.entries(parts.deps).map(([path, hash]) => ({ path, hash })), outs, ...(result.metrics && stage.metrics.length === 0 ? { metrics: result.metrics } : {}),
        };
        runCache.put(data.instance, entry);
        runCache.flush();
        await options.transport.publishEntry(data.instance, entry);
      }
      const durationMs = Date.now() - started;
      options.log(`✓ ${data.instance} ${formatDuration(durationMs)}`);
      return { host: hostname(), worker: id, durationMs, ...(result.metrics ? { metrics: result.metrics } : {}), outs, logTail: tail.join('\n') };
    } catch (err) {
      options.log(`✗ ${data.instance}: ${(err as Error).message}`);
      throw new Error(`${(err as Error).message}${tail.length ? `\n${tail.join('\n')}` : ''}`);
    } finally {
      held.release();
    }
  };

  /** A run the remote records: its outs put in this checkout (for a shared workspace) and the result sent back as if run. */
  const restoredHere = async (instance: string, entry: LockEntry, started: number): Promise<JobResult> => {
    for (const out of entry.outs) {
      hasher.forget(out.path);
      if ((await hasher.hash(out.path))?.hash !== out.hash) await store.checkout(out.hash, join(options.root, out.path));
      hasher.forget(out.path);
    }
    state.flush();
    runCache.put(instance, entry);
    runCache.flush();
    const durationMs = Date.now() - started;
    options.log(`↺ ${instance}: restored from remote ${options.shared!.name}, not run`);
    return { host: hostname(), worker: id, durationMs, ...(entry.metrics ? { metrics: entry.metrics } : {}), outs: entry.outs, logTail: '', restoredFrom: options.shared!.name };
  };

  await warmThreads(options, executors);

  /** Hashes the outs, as the coordinator will, and keeps them in this checkout's cache (for a remote to carry). */
  for (const route of routes) {
    const worker = new Worker<JobData, JobResult>(queueName(route), processJob, {
      connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      name: id,
    });
    // A lock that could not be renewed belongs to another worker now: stop the stage, do not race it.
    worker.on('lockRenewalFailed', (jobIds: string[]) => jobIds.forEach((jobId) => worker.cancelJob(jobId, 'lock lost')));
    worker.on('error', (err) => options.log(`worker error: ${err.message}`));
    workers.push(worker);
  }

  // The coordinator cancels a job (Ctrl-C, a timeout) by publishing its id.
  const subscriber = redis.duplicate();
  await subscriber.subscribe(`${options.prefix}:cancel`);
  subscriber.on('message', (_channel, jobId: string) => workers.forEach((w) => w.cancelJob(jobId, 'cancelled by the coordinator')));

  const key = `${options.prefix}:workers:${id}`;
  const everyProject = `${ALL_WORKERS}${id}`;
  const beat = async () => {
    // The revision as it is now: a checkout updated under a running worker is told as it is.
    const info: WorkerInfo = {
      id, host: hostname(), pid: process.pid, routes, concurrency: options.concurrency, resources: offer,
      project: options.project, prefix: options.prefix, root: options.root, revision: revision(),
    };
    const text = JSON.stringify(info);
    await redis.multi().set(key, text, 'EX', WORKER_TTL_S).set(everyProject, text, 'EX', WORKER_TTL_S).exec().catch(() => {});
  };
  await beat();
  const heartbeat = setInterval(beat, (WORKER_TTL_S * 1000) / 3);
  options.log(`worker ${id} of project "${options.project}" (files through ${options.transport.describe === 'remote' ? 'the remote' : 'this checkout'}) takes ${routes.map((r) => (r === 'any' ? 'unlabelled jobs' : `"${r}" jobs`)).join(', ')} (concurrency ${options.concurrency})`);

  return {
    id,
    async close() {
      clearInterval(heartbeat);
      await redis.del(key, everyProject).catch(() => {});
      await Promise.all(workers.map((w) => w.close()));
      await subscriber.quit().catch(() => {});
      await redis.quit().catch(() => {});
      await executors.close();
      state.close();
      options.transport.close();
      options.shared?.close();
    },
  };
}

/**
 * A worker serves many runs: the threads its TS stages run in are started, and the pipeline
 * loaded in each, before it takes jobs, and kept. Else each run's first jobs wait for a thread
 * to start and compile the pipeline, and a sweep of small stages pays that for its first
 * instances (more than the instances cost). A pipeline that does not load here is not this
 * step's to report: its jobs fail with the error.
 */
async function warmThreads(options: WorkerOptions, executors: ReturnType<typeof createExecutorSet>): Promise<void> {
  try {
    const declaration = await loadPipeline(options.pipelineFile);
    const onThreads = declaration.stages.some((s) => s.kind === 'ts' && s.executor !== 'processes' && s.executor !== 'bullmq');
    const threads = executors.get('threads');
    if (onThreads && threads instanceof ThreadsExecutor) await threads.warm(options.pipelineFile);
  } catch (err) {
    options.log(`warning: could not load the pipeline ahead of its jobs: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** BullMQ's jobs are lost if Redis evicts keys under memory pressure: say so at start. */
async function warnUnlessNoEviction(redis: Redis, log: (line: string) => void): Promise<void> {
  try {
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    if (policy !== 'noeviction') log(`warning: Redis's maxmemory-policy is "${policy}": set it to noeviction, or jobs may be evicted and lost`);
  } catch {
    // CONFIG may be disabled on a managed Redis; nothing to check then.
  }
}
