/**
 * The coordinator's side of distributed runs: each instance becomes a BullMQ job on Redis, taken
 * by a `pipewright worker` on any machine; its result (outs' hashes, metrics, host) comes back
 * through QueueEvents, its outs through the transport. The scheduler around it is the local one:
 * the lockfile, the run-cache and the run store are written here, once, whoever ran the job.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { CancelledError, StageFailure } from '../errors.js';
import type { Revision, JobData, WorkerInfo } from '../distributed/protocol.js';
import { ALL_WORKERS, WORKER_TTL_S, queueName, redisClient, relativeAddress, revisionDifference, revisionOf, routeOf, unfit } from '../distributed/protocol.js';
import { FollowedQueue } from '../distributed/followed-queue.js';
import type { Resources } from '../define/controls.js';
import type { OutsTransport } from '../distributed/transport.js';
import type { ExecJob, ExecResultFrom, Executor } from './executor.js';
import { OPTIONAL, loadOptional } from '../optional-package.js';

/** Two heartbeats of a worker's registration: one that is starting has registered by then. */
export const DEFAULT_WORKER_WAIT_MS = 2 * WORKER_TTL_S * 1000;

/** When no worker can take a job but some serve another project or revision: said after this, not only at the end of the wait. */
const SEEN_WARNING_MS = 2_000;
/** Workers of other projects named in a message, at most. */
const SEEN_LISTED = 5;
/**
 * How long one read of the worker registry answers for every instance that asks: registrations
 * live WORKER_TTL_S anyway, and a read per instance would be two Redis calls (KEYS, MGET) per job.
 */
const REGISTRY_FRESH_MS = 500;

export interface BullmqOptions {
  readonly redisUrl: string;
  /** The project's identity (distributed/identity.ts) and the queue prefix made of it. */
  readonly project: string;
  readonly prefix: string;
  readonly root: string;
  readonly pipelineFile: string;
  /** Made on first use: how files travel (the remote, or the shared workspace). */
  readonly transport: () => Promise<OutsTransport>;
  /** How long a job may wait for a worker that serves its route to exist before the instance fails. */
  readonly noWorkerTimeoutMs?: number;
  /** Told when a worker takes an instance (live progress shows it). */
  readonly onTaken?: (instance: string, worker: string) => void;
  /** Told, once each, what is wrong while jobs wait: only workers of another project or revision are live. */
  readonly onWarning?: (message: string) => void;
}

export class BullmqExecutor implements Executor {
  readonly kind = 'bullmq' as const;
  /** Made once, on first use, for every instance of the run: loading a module or connecting per job costs more than the job. */
  private connected: Promise<{ bullmq: typeof import('bullmq'); redis: Redis }> | undefined;
  private readonly queues = new Map<string, Promise<FollowedQueue>>();
  private redis: Redis | undefined;
  private revision: Revision | undefined;
  private transport: Promise<OutsTransport> | undefined;
  private registry: { readonly at: number; readonly workers: Promise<WorkerInfo[]> } | undefined;
  private readonly warned = new Set<string>();

  constructor(private readonly options: BullmqOptions) {}

  async execute(job: ExecJob): Promise<ExecResultFrom> {
    this.revision ??= revisionOf(this.options.pipelineFile);
    const transport = await (this.transport ??= this.options.transport());
    const route = routeOf(job.resolved?.stage.controls);
    const queue = await this.queueFor(route);
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
    const onAbort = () => void this.redis!.publish(`${this.options.prefix}:cancel`, id);
    job.signal.addEventListener('abort', onAbort, { once: true });
    const onTaken = this.options.onTaken;
    try {
      const result = await queue.run({ id, data, signal: job.signal, ...(onTaken ? { onTaken: (worker: string) => onTaken(data.instance, worker) } : {}) });
      if (result.logTail) job.output('stdout', result.logTail.endsWith('\n') ? result.logTail : `${result.logTail}\n`);
      if (result.restoredFrom) job.output('stdout', `[pipewright] not run: worker ${result.worker} restored it from remote ${result.restoredFrom}, which records a run with these inputs\n`);
      await transport.pullOuts(result.outs);
      return { ...(result.metrics ? { metrics: result.metrics } : {}), host: result.host };
    } catch (err) {
      if (job.signal.aborted) throw new CancelledError(job.signal.reason);
      throw err instanceof StageFailure ? err : new StageFailure((err as Error).message);
    } finally {
      job.signal.removeEventListener('abort', onAbort);
    }
  }

  private connect(): Promise<{ bullmq: typeof import('bullmq'); redis: Redis }> {
    return (this.connected ??= (async () => {
      const bullmq = await loadOptional(OPTIONAL.workers, () => import('bullmq'));
      const Redis = await redisClient();
      this.redis = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
      return { bullmq, redis: this.redis };
    })());
  }

  /** The route's queue and its event reader, listening before any job of it is added. */
  private queueFor(route: string): Promise<FollowedQueue> {
    let made = this.queues.get(route);
    if (!made) {
      made = (async () => {
        const { bullmq: { Queue, QueueEvents } } = await this.connect();
        const connection = { url: this.options.redisUrl, maxRetriesPerRequest: null };
        const name = queueName(route);
        const events = new QueueEvents(name, { connection, prefix: this.options.prefix });
        await events.waitUntilReady();
        return new FollowedQueue(new Queue(name, { connection, prefix: this.options.prefix }), events, { redisUrl: this.options.redisUrl });
      })();
      this.queues.set(route, made);
    }
    return made;
  }

  /**
   * Fails the instance when no live worker of this project, at this revision, serves its route
   * and fits what it asks for: never waits forever. What it saw instead (workers of this project
   * at another revision, and when this project has none, workers serving another project) is
   * named, in a warning after a moment and in the failure.
   */
  private async waitForWorker(route: string, resources: Resources | undefined, signal: AbortSignal): Promise<void> {
    const started = Date.now();
    const limit = started + (this.options.noWorkerTimeoutMs ?? DEFAULT_WORKER_WAIT_MS);
    const { project, prefix } = this.options;
    for (;;) {
      const workers = await this.projectWorkers();
      // A worker registered before revisions were told is taken at its word: it refuses what it must.
      const current = workers.filter((w) => !w.revision || revisionDifference(this.revision!, w.revision) === undefined);
      const serving = current.filter((w) => w.routes.includes(route));
      if (serving.some((w) => unfit(resources, w.resources) === undefined)) return;
      if (serving.length && Date.now() > limit) {
        throw new StageFailure(`no worker can give it what it asks for (${serving.map((w) => `${w.id}: ${unfit(resources, w.resources)}`).join('; ')}): start a worker with --resources that fit`);
      }
      if (signal.aborted) throw new CancelledError(signal.reason);
      const late = Date.now() > limit;
      if (late || (Date.now() - started > SEEN_WARNING_MS && this.options.onWarning)) {
        const seen = await this.seenElsewhere(workers, current);
        const known = current.map((w) => `${w.id} [${w.routes.filter((r) => r !== 'any').join(', ') || 'no labels'}]`).join('; ');
        const head = `no worker takes jobs labelled "${route}" of project "${project}" (prefix ${prefix}) (${known ? `live workers: ${known}` : `no worker of this project${workers.length ? ' at this revision' : ''} is running`})`;
        const start = `start \`pipewright worker${route === 'any' ? '' : ` --labels ${route.replaceAll('+', ',')}`}\` in a checkout of this project`;
        // Another revision, or the same pipeline under another name, is what to fix; workers of other projects are only news.
        const fix = seen.some((line) => line.includes(' — '));
        if (late) throw new StageFailure(`${head}${fix ? '' : `: ${start}`}${seen.length ? `; seen: ${seen.join('; ')}` : ''}`);
        // Said now unless the failure, saying the same, is as near.
        if (seen.length && limit - Date.now() > SEEN_WARNING_MS) {
          const warning = `jobs wait for a worker: ${head}; seen: ${seen.join('; ')}`;
          if (!this.warned.has(warning)) {
            this.warned.add(warning);
            this.options.onWarning!(warning);
          }
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** The workers that would take this project's jobs but for their revision or their project's name, each with why and what to do. */
  private async seenElsewhere(mine: readonly WorkerInfo[], current: readonly WorkerInfo[]): Promise<string[]> {
    const where = (w: WorkerInfo) => `${w.id}${w.root ? ` in ${w.root}` : ''}`;
    const seen = mine.filter((w) => !current.includes(w)).map((w) =>
      `${where(w)} at another revision: ${revisionDifference(this.revision!, w.revision!)} — update that checkout (git pull) and restart the worker`);
    if (mine.length) return seen;
    // No worker of this project at all: one may be serving it under another name.
    const others = (await this.liveWorkers(ALL_WORKERS)).filter((w) => w.prefix !== this.options.prefix);
    const same = (w: WorkerInfo) => w.revision?.pipelineHash === this.revision!.pipelineHash;
    const listed = [...others.filter(same), ...others.filter((w) => !same(w))].slice(0, SEEN_LISTED).map((w) => same(w)
      ? `${where(w)} serving "${w.project}" with the same pipeline file — give both checkouts the same name: in pipewright.config.yaml (this one is "${this.options.project}")`
      : `${where(w)} serving "${w.project}", another project`);
    if (others.length > SEEN_LISTED) listed.push(`${others.length - SEEN_LISTED} more of other projects`);
    return [...seen, ...listed];
  }

  /** This project's live workers, read at most once per REGISTRY_FRESH_MS for all the instances that ask. */
  private projectWorkers(): Promise<WorkerInfo[]> {
    if (!this.registry || Date.now() - this.registry.at > REGISTRY_FRESH_MS) {
      this.registry = { at: Date.now(), workers: this.liveWorkers(`${this.options.prefix}:workers:`) };
      // A failed read is not kept: the next instance asks again.
      this.registry.workers.catch(() => (this.registry = undefined));
    }
    return this.registry.workers;
  }

  private async liveWorkers(keyPrefix: string): Promise<WorkerInfo[]> {
    const keys = await this.redis!.keys(`${keyPrefix}*`);
    if (keys.length === 0) return [];
    return (await this.redis!.mget(keys)).flatMap((v) => (v ? [JSON.parse(v) as WorkerInfo] : []));
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map(async (queue) => (await queue).close()));
    this.queues.clear();
    this.redis?.disconnect();
    (await this.transport)?.close();
  }
}
