/**
 * The coordinator's side of distributed runs: each instance becomes a BullMQ job on Redis, taken
 * by a `pipewright worker` on any machine; its result (outs' hashes, metrics, host) comes back
 * through QueueEvents, its outs through the transport. The scheduler around it is the local one:
 * the lockfile, the run-cache and the run store are written here, once, whoever ran the job.
 */
import { randomUUID } from 'node:crypto';
import type { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { CancelledError, StageFailure } from '../errors.js';
import type { Revision, JobData, JobResult, WorkerInfo } from '../distributed/protocol.js';
import { WORKER_TTL_S, queueName, redisClient, relativeAddress, revisionOf, routeOf, unfit } from '../distributed/protocol.js';
import type { Resources } from '../define/controls.js';
import type { OutsTransport } from '../distributed/transport.js';
import type { ExecJob, ExecResultFrom, Executor } from './executor.js';

/** How often a job being waited for is checked on, and how long Redis may take to answer then. */
const WATCHDOG_MS = 2_000;
const REDIS_ANSWER_MS = 30_000;

/** Two heartbeats of a worker's registration: one that is starting has registered by then. */
export const DEFAULT_WORKER_WAIT_MS = 2 * WORKER_TTL_S * 1000;

export interface BullmqOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly root: string;
  readonly pipelineFile: string;
  /** Made on first use: how files travel (the remote, or the shared workspace). */
  readonly transport: () => Promise<OutsTransport>;
  /** How long a job may wait for a worker that serves its route to exist before the instance fails. */
  readonly noWorkerTimeoutMs?: number;
  /** Told when a worker takes an instance (live progress shows it). */
  readonly onTaken?: (instance: string, worker: string) => void;
}

export class BullmqExecutor implements Executor {
  readonly kind = 'bullmq' as const;
  private readonly queues = new Map<string, { queue: Queue; events: QueueEvents }>();
  private redis: Redis | undefined;
  private revision: Revision | undefined;
  private transport: Promise<OutsTransport> | undefined;

  constructor(private readonly options: BullmqOptions) {}

  async execute(job: ExecJob): Promise<ExecResultFrom> {
    const { Queue, QueueEvents } = await import('bullmq');
    const Redis = await redisClient();
    this.redis ??= new Redis(this.options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    this.revision ??= revisionOf(this.options.pipelineFile);
    const transport = await (this.transport ??= this.options.transport());
    const route = routeOf(job.resolved?.stage.controls);
    let pair = this.queues.get(route);
    if (!pair) {
      const connection = { url: this.options.redisUrl, maxRetriesPerRequest: null };
      pair = { queue: new Queue(queueName(route), { connection, prefix: this.options.prefix }), events: new QueueEvents(queueName(route), { connection, prefix: this.options.prefix }) };
      this.queues.set(route, pair);
      await pair.events.waitUntilReady();
    }
    await this.waitForWorker(route, job.resolved?.stage.controls?.resources, job.signal);
    const stage = job.resolved?.stage;
    const data: JobData = {
      address: relativeAddress(this.options.root, job.address),
      instance: stage?.name ?? job.address.stage,
      kind: job.kind,
      revision: this.revision,
      inputs: Object.entries(job.inputs ?? {}).map(([path, hash]) => ({ path, hash })),
      ...(stage?.controls?.timeoutMs ? { timeoutMs: stage.controls.timeoutMs } : {}),
      ...(job.env ? { env: job.env } : {}),
      ...(stage?.controls?.secrets ? { secrets: Object.keys(stage.controls.secrets) } : {}),
      ...(job.planned ? { planned: job.planned } : {}),
      ...(job.sharedLookupDone ? { sharedLookupDone: true } : {}),
      ...(stage?.controls?.resources ? { resources: stage.controls.resources } : {}),
    };
    await transport.pushInputs(data.inputs);
    const id = randomUUID();
    const { queue, events } = pair;
    const added = await queue.add(data.instance, data, { jobId: id, attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } });
    const onActive = ({ jobId }: { jobId: string }) => {
      if (jobId !== id) return;
      void queue.getJob(id).then((j) => j?.data && this.options.onTaken?.(data.instance, String((j as { processedBy?: string }).processedBy ?? 'a worker')));
    };
    events.on('active', onActive);
    const onAbort = () => void this.redis!.publish(`${this.options.prefix}:cancel`, id);
    const finished = new AbortController();
    job.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const result = (await Promise.race([added.waitUntilFinished(events), this.watchdog(`${this.options.prefix}:${queueName(route)}:${id}`, job.signal, finished.signal)])) as JobResult;
      if (result.logTail) job.output('stdout', result.logTail.endsWith('\n') ? result.logTail : `${result.logTail}\n`);
      if (result.restoredFrom) job.output('stdout', `[pipewright] not run: worker ${result.worker} restored it from remote ${result.restoredFrom}, which records a run with these inputs\n`);
      await transport.pullOuts(result.outs);
      return { ...(result.metrics ? { metrics: result.metrics } : {}), host: result.host };
    } catch (err) {
      if (job.signal.aborted) throw new CancelledError(job.signal.reason);
      throw new StageFailure((err as Error).message);
    } finally {
      finished.abort();
      events.off('active', onActive);
      job.signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Rejects when the job can no longer finish: it vanished (Redis restarted without its data) or
   * Redis stopped answering. Without it, a lost job would be waited for forever.
   */
  private async watchdog(jobKey: string, signal: AbortSignal, finished: AbortSignal): Promise<never> {
    for (;;) {
      await new Promise((r) => setTimeout(r, WATCHDOG_MS).unref());
      // The job's own outcome came first: this promise is no longer raced.
      if (finished.aborted) return new Promise<never>(() => {});
      if (signal.aborted) throw new CancelledError(signal.reason);
      let exists: number;
      try {
        // A connection of its own, not BullMQ's: a plain EXISTS of the job's hash.
        exists = await Promise.race([this.redis!.exists(jobKey), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), REDIS_ANSWER_MS).unref())]);
      } catch {
        throw new StageFailure(`Redis at ${this.options.redisUrl} has not answered for ${REDIS_ANSWER_MS / 1000} s: is it running?`);
      }
      if (exists === 0) throw new StageFailure(`its job vanished from Redis (restarted without its data?): run again to queue it anew`);
    }
  }

  /** Fails the instance, naming the live workers, when no worker serves its route: never waits forever. */
  private async waitForWorker(route: string, resources: Resources | undefined, signal: AbortSignal): Promise<void> {
    const limit = Date.now() + (this.options.noWorkerTimeoutMs ?? DEFAULT_WORKER_WAIT_MS);
    for (;;) {
      const workers = await this.liveWorkers();
      const serving = workers.filter((w) => w.routes.includes(route));
      if (serving.some((w) => unfit(resources, w.resources) === undefined)) return;
      if (serving.length && Date.now() > limit) {
        throw new StageFailure(`no worker can give it what it asks for (${serving.map((w) => `${w.id}: ${unfit(resources, w.resources)}`).join('; ')}): start a worker with --resources that fit`);
      }
      if (signal.aborted) throw new CancelledError(signal.reason);
      if (Date.now() > limit) {
        const known = workers.map((w) => `${w.id} [${w.routes.filter((r) => r !== 'any').join(', ') || 'no labels'}]`).join('; ');
        throw new StageFailure(`no worker takes jobs labelled "${route}" (${known ? `live workers: ${known}` : 'no worker is running'}): start \`pipewright worker${route === 'any' ? '' : ` --labels ${route.replaceAll('+', ',')}`}\``);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private async liveWorkers(): Promise<WorkerInfo[]> {
    const keys = await this.redis!.keys(`${this.options.prefix}:workers:*`);
    if (keys.length === 0) return [];
    return (await this.redis!.mget(keys)).flatMap((v) => (v ? [JSON.parse(v) as WorkerInfo] : []));
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].flatMap(({ queue, events }) => [queue.close(), events.close()]));
    this.queues.clear();
    this.redis?.disconnect();
    (await this.transport)?.close();
  }
}
