/**
 * One queue of jobs as the coordinator drives it, at BullMQ's own pace: the jobs made ready in one
 * turn of the event loop are added with one `addBulk`; their outcomes come back through one
 * QueueEvents reader, read in batches and handed to each job by its id (no listener, no Redis
 * call per job); and one watchdog looks after all the jobs in flight with one pipelined call every
 * few seconds, rather than one loop and one call per job. Redis round trips per job are then the
 * few BullMQ needs (add, take, finish), whatever the number of jobs in flight.
 */
import type { Job, Queue, QueueEvents } from 'bullmq';
import { CancelledError, StageFailure } from '../errors.js';
import { Batcher } from './batch.js';
import type { JobData, JobResult } from './protocol.js';

/** How often the jobs in flight are checked on, and how long Redis may take to answer then. */
export const WATCHDOG_MS = 2_000;
export const REDIS_ANSWER_MS = 30_000;
/** How long after a job is taken its worker is looked up, for the progress, unless it finished first. */
const TAKEN_LOOKUP_MS = 100;

export interface FollowedJob {
  /** Chosen by the coordinator, so that its outcome can be waited for before it is even added. */
  readonly id: string;
  readonly data: JobData;
  /** Aborted: the job's outcome is no longer waited for (the worker is told apart, by pub/sub). */
  readonly signal: AbortSignal;
  /** Told once which worker took the job. */
  readonly onTaken?: (worker: string) => void;
}

interface InFlight {
  readonly job: FollowedJob;
  readonly resolve: (result: JobResult) => void;
  readonly reject: (err: Error) => void;
  /** When it was handed over: an add that Redis has not confirmed after REDIS_ANSWER_MS fails it. */
  readonly since: number;
  /** Confirmed by Redis: only then may its absence there mean it vanished. */
  added: boolean;
  told: boolean;
}

export interface FollowedQueueOptions {
  /** Named in the failure when Redis does not answer. */
  readonly redisUrl: string;
  readonly watchdogMs?: number;
}

export class FollowedQueue {
  private readonly inFlight = new Map<string, InFlight>();
  private readonly adds: Batcher<FollowedJob, void>;
  /** Taken by a worker, whose name is looked up for all of them at once. */
  private readonly active = new Set<string>();
  private lookingUp = false;
  private watchdog: NodeJS.Timeout | undefined;

  constructor(private readonly queue: Queue, private readonly events: QueueEvents, private readonly options: FollowedQueueOptions) {
    this.adds = new Batcher((jobs) => this.addAll(jobs));
    events.on('completed', ({ jobId, returnvalue }) => {
      const waiting = this.inFlight.get(jobId);
      if (!waiting) return;
      const result = returnvalue as unknown as JobResult;
      // Finished before its worker was looked up: the result names it.
      this.tell(waiting, result?.worker ?? 'a worker');
      this.settle(jobId, (w) => w.resolve(result));
    });
    events.on('failed', ({ jobId, failedReason }) => this.settle(jobId, (w) => w.reject(new Error(failedReason))));
    events.on('active', ({ jobId }) => {
      if (!this.inFlight.get(jobId)?.job.onTaken) return;
      this.active.add(jobId);
      if (this.lookingUp) return;
      this.lookingUp = true;
      // A moment later: a job that finishes meanwhile (most of a sweep of small stages) names its
      // worker in its result, and needs no lookup.
      setTimeout(() => void this.lookUpWorkers(), TAKEN_LOOKUP_MS);
    });
  }

  /** Adds the job (with the others of this turn) and waits for its outcome. */
  run(job: FollowedJob): Promise<JobResult> {
    const outcome = new Promise<JobResult>((resolve, reject) => {
      this.inFlight.set(job.id, { job, resolve, reject, since: Date.now(), added: false, told: false });
    });
    this.adds.add(job).then(
      () => {
        const waiting = this.inFlight.get(job.id);
        if (waiting) waiting.added = true;
      },
      (err: Error) => this.settle(job.id, (w) => w.reject(err)),
    );
    this.watch();
    return outcome;
  }

  private async addAll(jobs: readonly FollowedJob[]): Promise<void[]> {
    await this.queue.addBulk(jobs.map(({ id, data }) => ({
      name: data.instance,
      data,
      opts: { jobId: id, attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } },
    })));
    return jobs.map(() => undefined);
  }

  private settle(jobId: string, how: (waiting: InFlight) => void): void {
    const waiting = this.inFlight.get(jobId);
    if (!waiting) return;
    this.inFlight.delete(jobId);
    this.active.delete(jobId);
    how(waiting);
  }

  private tell(waiting: InFlight, worker: string): void {
    if (waiting.told) return;
    waiting.told = true;
    waiting.job.onTaken?.(worker);
  }

  /** The workers that took the jobs just made active, in one round trip for all of them. */
  private async lookUpWorkers(): Promise<void> {
    const ids = [...this.active].filter((id) => this.inFlight.has(id) && !this.inFlight.get(id)!.told);
    this.active.clear();
    try {
      if (ids.length === 0) return;
      // BullMQ's own reading of the job (which field holds its worker is its business); the calls
      // of one batch leave together on one connection, so they cost one round trip.
      const jobs = await Promise.all(ids.map((id) => this.queue.getJob(id)));
      ids.forEach((id, i) => {
        const waiting = this.inFlight.get(id);
        const worker = jobs[i]?.processedBy;
        if (waiting) this.tell(waiting, worker || 'a worker');
      });
    } catch {
      // Only the progress line is lost; the watchdog deals with a Redis that is gone.
    } finally {
      this.lookingUp = false;
      if (this.active.size) {
        this.lookingUp = true;
        setTimeout(() => void this.lookUpWorkers(), TAKEN_LOOKUP_MS);
      }
    }
  }

  /** Runs while jobs are in flight: without it, a job lost with Redis's data would be waited for forever. */
  private watch(): void {
    if (this.watchdog) return;
    this.watchdog = setTimeout(() => {
      void this.check().finally(() => {
        this.watchdog = undefined;
        if (this.inFlight.size) this.watch();
      });
    }, this.options.watchdogMs ?? WATCHDOG_MS);
    this.watchdog.unref();
  }

  /**
   * One look at every job in flight: a cancelled one is given up; one whose add Redis has not
   * confirmed for too long, or a Redis that does not answer, fails; one that vanished (Redis
   * restarted without its data) fails; one that finished without its event reaching us (added
   * before the event reader listened) is settled from the job itself.
   */
  private async check(): Promise<void> {
    for (const [id, waiting] of this.inFlight) {
      if (waiting.job.signal.aborted) this.settle(id, (w) => w.reject(new CancelledError(w.job.signal.reason)));
    }
    const now = Date.now();
    const unanswered = new StageFailure(`Redis at ${this.options.redisUrl} has not answered for ${REDIS_ANSWER_MS / 1000} s: is it running?`);
    for (const [id, waiting] of this.inFlight) {
      if (!waiting.added && now - waiting.since > REDIS_ANSWER_MS) this.settle(id, (w) => w.reject(unanswered));
    }
    const ids = [...this.inFlight].filter(([, w]) => w.added).map(([id]) => id);
    if (ids.length === 0) return;
    // BullMQ's reading of each job; the calls leave together on one connection: one round trip.
    let jobs: (Job<JobData, JobResult> | undefined)[];
    try {
      jobs = await Promise.race([
        Promise.all(ids.map((id) => this.queue.getJob(id) as Promise<Job<JobData, JobResult> | undefined>)),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), REDIS_ANSWER_MS).unref()),
      ]);
    } catch {
      for (const id of ids) this.settle(id, (w) => w.reject(unanswered));
      return;
    }
    ids.forEach((id, i) => {
      const job = jobs[i];
      if (!job) this.settle(id, (w) => w.reject(new StageFailure('its job vanished from Redis (restarted without its data?): run again to queue it anew')));
      else if (job.finishedOn && job.failedReason) this.settle(id, (w) => w.reject(new Error(job.failedReason)));
      else if (job.finishedOn) {
        this.settle(id, (w) => {
          this.tell(w, job.returnvalue?.worker ?? 'a worker');
          w.resolve(job.returnvalue);
        });
      }
    });
  }

  async close(): Promise<void> {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = undefined;
    for (const id of [...this.inFlight.keys()]) this.settle(id, (w) => w.reject(new Error('the coordinator stopped following its jobs')));
    await Promise.all([this.queue.close(), this.events.close()]);
  }
}
