/**
 * What a coordinator (`run --executor bullmq`) and its workers (`pipewright worker`) say to each
 * other through Redis: a job carries an instance's address (pipeline file, stage, resolved params),
 * the hashes of its inputs and the project's revision, never code; a result carries the outs'
 * hashes, the metrics and who ran it. Names of queues and keys, and the Redis URL, are settled here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { LockedOut } from '../cache/lockfile.js';
import type { FingerprintParts } from '../cache/fingerprint.js';
import { hashBytes } from '../cache/hash.js';
import type { Resources, StageControls } from '../define/controls.js';
import { readProjectConfig } from '../define/project-config.js';
import type { Metrics } from '../define/stage.js';
import type { InstanceAddress } from '../executors/executor.js';
import { OPTIONAL, loadOptional } from '../optional-package.js';

/** What a worker's checkout must match to run a job: the pipeline file, and the git commit where there is one. */
export interface Revision {
  readonly pipelineHash: string;
  readonly gitCommit?: string;
}

export interface JobData {
  /** The address, with the pipeline file relative to the project root (checkouts live in different folders). */
  readonly address: Omit<InstanceAddress, 'pipelineFile'> & { readonly pipelineFile: string };
  readonly instance: string;
  readonly kind: 'ts' | 'cmd';
  readonly revision: Revision;
  /** Deps and inputs with the hashes the coordinator planned with: what the worker must have. */
  readonly inputs: readonly { readonly path: string; readonly hash: string }[];
  readonly timeoutMs?: number;
  readonly env?: Readonly<Record<string, string>>;
  readonly secrets?: readonly string[];
  /** What one run of it holds: a worker that can never give that puts the job back for another. */
  readonly resources?: Resources;
  /**
   * The fingerprint the coordinator planned with: the worker records its result in the run-cache
   * under it, so that a coordinator killed meanwhile restores, rather than reruns, what was done.
   */
  readonly planned?: { readonly fingerprint: string; readonly parts: FingerprintParts };
  /** The coordinator looked it up in the shared remote already, or wants it run whatever is recorded. */
  readonly sharedLookupDone?: boolean;
}

export interface JobResult {
  readonly host: string;
  readonly worker: string;
  readonly durationMs: number;
  readonly metrics?: Metrics;
  readonly outs: readonly LockedOut[];
  /** The last lines the stage printed. */
  readonly logTail: string;
  /** Not run: restored on the worker from this remote, which records a run with the planned fingerprint. */
  readonly restoredFrom?: string;
}

/**
 * Worker registry entries, renewed while the worker lives: under its project's prefix
 * (`<prefix>:workers:<id>`), where coordinators look for workers that can take their jobs, and
 * in one registry for every project (`pw:workers:<id>`), where a coordinator whose jobs nobody
 * takes sees the workers serving another project or another revision, and says so.
 */
export interface WorkerInfo {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly routes: readonly string[];
  readonly concurrency: number;
  /** What the worker offers one job at most (`--resources`): cpus, GPUs, memory. */
  readonly resources: WorkerResources;
  /** The project it serves (its identity) and the queue prefix made of it. */
  readonly project?: string;
  readonly prefix?: string;
  /** Its checkout's folder, and the revision there. */
  readonly root?: string;
  readonly revision?: Revision;
}

/** The key prefix of the registry of every worker of every project on this Redis. */
export const ALL_WORKERS = 'pw:workers:';

export interface WorkerResources {
  readonly cpus: number;
  readonly gpus: number;
  readonly memoryBytes?: number;
}

/** Why a worker offering `offer` can never run a job asking `ask`; undefined when it can. */
export function unfit(ask: Resources | undefined, offer: WorkerResources): string | undefined {
  if (!ask) return undefined;
  if (ask.cpus > offer.cpus) return `it needs ${ask.cpus} cpus, the worker has ${offer.cpus}`;
  if (ask.gpus > offer.gpus) return `it needs ${ask.gpus} GPUs, the worker has ${offer.gpus}`;
  if (ask.memoryBytes !== undefined && offer.memoryBytes !== undefined && ask.memoryBytes > offer.memoryBytes) {
    return `it needs ${formatBytes(ask.memoryBytes)} of memory, the worker offers ${formatBytes(offer.memoryBytes)}`;
  }
  return undefined;
}

function formatBytes(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : `${Math.round(n / 2 ** 20)} MiB`;
}

export const WORKER_TTL_S = 10;

/**
 * The queue an instance goes to: its labels (and `gpu` when it asks for GPUs), sorted. A worker
 * listens to every queue whose labels it has, so a job only reaches a worker that can take it.
 */
export function routeOf(controls: StageControls | undefined): string {
  const labels = new Set(controls?.labels ?? []);
  if ((controls?.resources?.gpus ?? 0) > 0) labels.add('gpu');
  return [...labels].sort().join('+') || 'any';
}

/** Every route a worker with these labels can serve: each subset of them. */
export function routesServed(labels: readonly string[]): string[] {
  const sorted = [...new Set(labels)].sort();
  const routes: string[] = [];
  for (let mask = 0; mask < 1 << sorted.length; mask++) {
    routes.push(sorted.filter((_, i) => mask & (1 << i)).join('+') || 'any');
  }
  return routes;
}

export const queueName = (route: string): string => `jobs-${route}`;

/** The flag, else `PIPEWRIGHT_REDIS`, else `redis:` of pipewright.config.yaml, else the local default. */
export function redisUrl(root: string, flag?: string): string {
  if (flag) return flag;
  if (process.env.PIPEWRIGHT_REDIS) return process.env.PIPEWRIGHT_REDIS;
  const configured = (readProjectConfig(root)?.data as { redis?: unknown } | undefined)?.redis;
  return typeof configured === 'string' ? configured : 'redis://127.0.0.1:6379';
}

export function revisionOf(pipelineFile: string): Revision {
  const pipelineHash = hashBytes(readFileSync(pipelineFile));
  const gitCommit = gitHead(dirname(pipelineFile));
  return { pipelineHash, ...(gitCommit ? { gitCommit } : {}) };
}

/** Why a worker must not run a job of another revision, or undefined when they match. */
export function revisionMismatch(job: Revision, mine: Revision): string | undefined {
  if (job.pipelineHash !== mine.pipelineHash) return `the pipeline file differs (job ${job.pipelineHash}, this checkout ${mine.pipelineHash})`;
  if (job.gitCommit && mine.gitCommit && job.gitCommit !== mine.gitCommit) return `the git commit differs (job ${job.gitCommit.slice(0, 12)}, this checkout ${mine.gitCommit.slice(0, 12)})`;
  return undefined;
}

/** From the coordinator's side: how a worker's checkout differs from this one, or undefined. */
export function revisionDifference(here: Revision, there: Revision): string | undefined {
  if (here.pipelineHash !== there.pipelineHash) return `its pipeline file differs (there ${there.pipelineHash.slice(0, 12)}, here ${here.pipelineHash.slice(0, 12)})`;
  if (here.gitCommit && there.gitCommit && here.gitCommit !== there.gitCommit) return `its git commit differs (there ${there.gitCommit.slice(0, 12)}, here ${here.gitCommit.slice(0, 12)})`;
  return undefined;
}

function gitHead(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) break;
    if (dirname(d) === d) return undefined;
  }
  const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function relativeAddress(root: string, address: InstanceAddress): JobData['address'] {
  return { ...address, pipelineFile: relative(root, address.pipelineFile) };
}

/** ioredis's client class, whichever way the module system hands the CommonJS package over. */
export async function redisClient(): Promise<typeof import('ioredis').Redis> {
  const module = (await loadOptional(OPTIONAL.workers, () => import('ioredis'))) as unknown as { Redis?: typeof import('ioredis').Redis; default?: typeof import('ioredis').Redis };
  return (module.Redis ?? module.default)!;
}
