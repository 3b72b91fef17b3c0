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
import { WORKER_TTL_S, queueName, redisClient, relativeAddress, revisionOf, routeOf } from '../distributed/protocol.js';
import type { OutsTransport } from '../distributed/transport.js';
import type { ExecJob, ExecResult, Executor } from './executor.js';

/** Two heartbeats of a worker's registration: one that is starting has registered by then. */
export const DEFAULT_WORKER_WAIT_MS = 2 * WORKER_TTL_S * 1000;

export interface BullmqOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly root: string;
  readonly pipelineFile: string;
  readonly transport: OutsTransport;
  /** How long a job may wait for a worker that serves its route to exist before the instance fails. */
  readonly noWorkerTimeoutMs?: number;
  /** Told when a worker takes an instance (live progress shows it). */
  readonly onTaken?: (instance: string, worker: string) => void;
}

/** `ExecResult` with who ran it. */
export interface RemoteResult extends ExecResult {
  readonly host: string;
}

export class BullmqExecutor implements Executor {
  readonly kind = 'bullmq' as const;
  private readonly queues = new Map<string, { queue: Queue; events: QueueEvents }>();
  private redis: Redis | undefined;
  private revision: Revision | undefined;

  constructor(private readonly options: BullmqOptions) {}

  async execute(job: ExecJob): Promise<RemoteResult> {
    const { Queue, QueueEvents } = await import('bullmq');
    const Redis = await redisClient();
    this.redis ??= new Redis(this.options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    this.revision ??= revisionOf(this.options.pipelineFile);
    const route = routeOf(job.resolved?.stage.controls);
    let pair = this.queues.get(route);
    if (!pair) {
      const connection = { url: this.options.redisUrl, maxRetriesPerRequest: null };
      pair = { queue: new Queue(queueName(route), { connection, prefix: this.options.prefix }), events: new QueueEvents(queueName(route), { connection, prefix: this.options.prefix }) };
      this.queues.set(route, pair);
      await pair.events.waitUntilReady();
    }
    await this.waitForWorker(route, job.signal);
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
    };
    await this.options.transport.pushInputs(data.inputs);
    const id = randomUUID();
    const { queue, events } = pair;
    const added = await queue.add(data.instance, data, { jobId: id, attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } });
    const onActive = ({ jobId }: { jobId: string }) => {
      if (jobId !== id) return;
      void queue.getJob(id).then((j) => j?.data && this.options.onTaken?.(data.instance, String((j as { processedBy?: string }).processedBy ?? 'a worker')));
    };
    events.on('active', onActive);
    const onAbort = () => void this.redis!.publish(`${this.options.prefix}:cancel`, id);
    job.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const result = (await added.waitUntilFinished(events)) as JobResult;
      if (result.logTail) job.output('stdout', result.logTail.endsWith('\n') ? result.logTail : `${result.logTail}\n`);
      await this.options.transport.pullOuts(result.outs);
      return { ...(result.metrics ? { metrics: result.metrics } : {}), host: result.host };
    } catch (err) {
      if (job.signal.aborted) throw new CancelledError(job.signal.reason);
      throw new StageFailure((err as Error).message);
    } finally {
      events.off('active', onActive);
      job.signal.removeEventListener('abort', onAbort);
    }
  }

  /** Fails the instance, naming the live workers, when no worker serves its route: never waits forever. */
  private async waitForWorker(route: string, signal: AbortSignal): Promise<void> {
    const limit = Date.now() + (this.options.noWorkerTimeoutMs ?? DEFAULT_WORKER_WAIT_MS);
    for (;;) {
      const workers = await this.liveWorkers();
      if (workers.some((w) => w.routes.includes(route))) return;
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
  }
}
