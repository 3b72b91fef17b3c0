/**
 * What a compiled task runs: `pipewright exec --cached INSTANCE`, one instance through the one
 * exec path, with pipewright's cache deciding as in a run — skip it when its code, params and deps
 * hash as when its outs were made, restore it from the cache (or the run-cache) when they are
 * there, else run it and record it (outs stored, lockfile and run-cache written). That is why
 * Kubeflow's own cache is turned off in compiled pipelines.
 *
 * Tasks of one workflow run at once on one volume, each in its own pod: each plans without a
 * lock, and only writes (a restore, a commit) under the workspace lock, with the lockfile read
 * afresh, so that two tasks finishing together do not each rewrite it without the other's entry.
 *
 * With a remote (`exec --cached --remote NAME`, remote/cache-tier.ts) tasks share no volume: the
 * cache's plan also looks the instance up in the remote's run-cache, upstream instances are
 * restored from it first, and what the task made or restored is pushed after.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { PipelineDeclaration } from '../define/declaration.js';
import type { Metrics } from '../define/stage.js';
import { PipelineError, StageFailure, isPipelineError } from '../errors.js';
import type { GraphNode } from '../graph/graph.js';
import { layout } from '../layout.js';
import { acquireWorkspaceLock, type WorkspaceLock } from '../cache/workspace-lock.js';
import { StageCache, type Plan } from '../cache/stage-cache.js';
import { execInstance, type InstanceIo } from '../executors/exec-instance.js';
import type { InstanceAddress } from '../executors/executor.js';
import type { RemoteCacheTier } from '../remote/cache-tier.js';

export type CachedOutcome = 'up-to-date' | 'restored' | 'ran';

export interface CachedExecResult {
  readonly outcome: CachedOutcome;
  /** Restored from a run that the remote had and this copy's cache did not. */
  readonly fromRemote?: boolean;
  readonly metrics?: Metrics;
}

/**
 * How long a task waits for another task's short write under the workspace lock. A lock left by
 * a killed pod does not use it up: its lease runs out first (cache/workspace-lock.ts), and the next
 * try takes it over, saying so.
 */
const LOCK_WAIT_MS = 5 * 60_000;

export async function execCached(declaration: PipelineDeclaration, node: GraphNode, address: InstanceAddress, io: InstanceIo,
  warn: (message: string) => void, remote?: RemoteCacheTier): Promise<CachedExecResult> {
  const plan = await planInstance(declaration, node, warn, remote);
  const decision = plan.decision;
  if (decision.action === 'fail') throw new StageFailure(decision.message);
  if (decision.action === 'skip') {
    await remote?.publish(node.name, decision.entry);
    return { outcome: 'up-to-date' };
  }
  if (decision.action === 'restore') {
    const entry = await underLock(declaration, warn, io.signal, (cache) => cache.restore(node, { ...plan, decision }));
    await remote?.publish(node.name, entry);
    return { outcome: 'restored', ...(decision.from === 'remote' ? { fromRemote: true } : {}) };
  }
  const result = await execInstance(address, io);
  const entry = await underLock(declaration, warn, io.signal, (cache) => cache.commit(node, plan, result.metrics));
  await remote?.publish(node.name, entry);
  return { outcome: 'ran', ...(result.metrics ? { metrics: result.metrics } : {}) };
}

/**
 * A task without a shared volume: puts what its upstream instances (in the graph's order) made
 * into this copy of the project, from the remote their tasks pushed to, as recorded runs restored.
 * An upstream instance the remote has no run of is an error naming it: its task has not run (or
 * ran with other params or code), and running it here would hide that.
 */
export async function restoreUpstream(declaration: PipelineDeclaration, upstream: readonly GraphNode[], remote: RemoteCacheTier,
  signal: AbortSignal, warn: (message: string) => void, log: (line: string) => void): Promise<void> {
  for (const node of upstream) {
    const plan = await planInstance(declaration, node, warn, remote);
    const decision = plan.decision;
    if (decision.action === 'skip') continue;
    if (decision.action !== 'restore') {
      throw new StageFailure(`upstream instance "${node.name}" has no recorded run on remote ${remote.where} that matches this copy `
        + `(fingerprint ${plan.fingerprint}): its task must run first, with the same code and params, and push`);
    }
    await underLock(declaration, warn, signal, (cache) => cache.restore(node, { ...plan, decision }));
    log(`${node.name}: brought down from remote ${remote.name} (upstream)`);
  }
}

/**
 * The cache's plan of an instance; with a remote, a run the local cache does not know is looked
 * up there by its fingerprint and, when found, brought down so that the plan restores it.
 */
async function planInstance(declaration: PipelineDeclaration, node: GraphNode, warn: (message: string) => void, remote?: RemoteCacheTier): Promise<Plan> {
  const planning = new StageCache(declaration, { warn, ...(remote ? { shared: remote } : {}) });
  try {
    return await planning.plan(node);
  } finally {
    planning.close();
  }
}

async function underLock<T>(declaration: PipelineDeclaration, warn: (message: string) => void, signal: AbortSignal, write: (cache: StageCache) => Promise<T>): Promise<T> {
  const lock = await waitForLock(layout(declaration.root).workspaceLock, warn, signal);
  try {
    // Made now, so that it reads the lockfile as other tasks have left it.
    const cache = new StageCache(declaration, { warn });
    try {
      return await write(cache);
    } finally {
      cache.close();
    }
  } finally {
    lock.release();
  }
}

async function waitForLock(file: string, warn: (message: string) => void, signal: AbortSignal): Promise<WorkspaceLock> {
  const until = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      return acquireWorkspaceLock(file, 'pipewright exec --cached', warn);
    } catch (err) {
      if (!isPipelineError(err) || err.code !== 'locked') throw err;
      if (Date.now() > until) {
        throw new PipelineError('locked', `waited ${LOCK_WAIT_MS / 60_000} minutes for the workspace lock: ${err.message}`, err.where, err.hint);
      }
    }
    await sleep(50 + Math.random() * 200, undefined, { signal });
  }
}
