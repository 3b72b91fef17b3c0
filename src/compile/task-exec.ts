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
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { PipelineDeclaration } from '../define/declaration.js';
import type { Metrics } from '../define/stage.js';
import { PipelineError, StageFailure, isPipelineError } from '../errors.js';
import type { GraphNode } from '../graph/graph.js';
import { layout } from '../layout.js';
import { acquireWorkspaceLock, type WorkspaceLock } from '../cache/workspace-lock.js';
import { StageCache } from '../cache/stage-cache.js';
import { execInstance, type InstanceIo } from '../executors/exec-instance.js';
import type { InstanceAddress } from '../executors/executor.js';

export type CachedOutcome = 'up-to-date' | 'restored' | 'ran';

export interface CachedExecResult {
  readonly outcome: CachedOutcome;
  readonly metrics?: Metrics;
}

/** How long a task waits for another task's short write under the workspace lock. */
const LOCK_WAIT_MS = 5 * 60_000;

export async function execCached(declaration: PipelineDeclaration, node: GraphNode, address: InstanceAddress, io: InstanceIo,
  warn: (message: string) => void): Promise<CachedExecResult> {
  const planning = new StageCache(declaration, { warn });
  let plan: Awaited<ReturnType<StageCache['plan']>>;
  try {
    plan = await planning.plan(node);
  } finally {
    planning.close();
  }
  const decision = plan.decision;
  if (decision.action === 'fail') throw new StageFailure(decision.message);
  if (decision.action === 'skip') return { outcome: 'up-to-date' };
  if (decision.action === 'restore') {
    await underLock(declaration, warn, io.signal, (cache) => cache.restore(node, { ...plan, decision }));
    return { outcome: 'restored' };
  }
  const result = await execInstance(address, io);
  await underLock(declaration, warn, io.signal, (cache) => cache.commit(node, plan, result.metrics));
  return { outcome: 'ran', ...(result.metrics ? { metrics: result.metrics } : {}) };
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
        throw new PipelineError('locked', `${err.message}, for more than ${LOCK_WAIT_MS / 60_000} minutes`, err.where, err.hint);
      }
    }
    await sleep(50 + Math.random() * 200, undefined, { signal });
  }
}
