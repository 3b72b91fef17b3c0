/**
 * For a `describe` of distributed tests: a redis-server of its own (127.0.0.1, a free port) and
 * `pipewright worker` processes started in test projects against it; all stopped after the suite.
 */
import { strict as assert } from 'node:assert';
import * as nodeTest from 'node:test';
import { waitFor, type TestProject } from './project.js';
import { startRedis, type TestRedis } from './redis.js';

export type StartedWorker = ReturnType<TestProject['start']>;

export interface Workers {
  readonly redis: () => TestRedis;
  readonly redisUrl: () => string;
  /** Starts `pipewright worker ARGS` against the suite's Redis, not waiting for it. */
  start(p: TestProject, args?: readonly string[], env?: NodeJS.ProcessEnv): StartedWorker;
  /** Waits until the worker says it takes jobs. */
  ready(w: StartedWorker): Promise<void>;
  /** A worker taking one job at a time, once it takes jobs. */
  worker(p: TestProject, ...args: string[]): Promise<StartedWorker>;
}

/** `hooks`: those of `needs(redisMissing)` (helpers/needs.ts), so that nothing starts where redis-server is missing. */
export function useWorkers(hooks: { before: typeof nodeTest.before; after: typeof nodeTest.after } = nodeTest): Workers {
  let redis: TestRedis | undefined;
  const started: StartedWorker[] = [];
  hooks.before(async () => {
    redis = await startRedis();
  });
  hooks.after(async () => {
    for (const w of started) w.child.kill('SIGKILL');
    await redis?.stop();
  });
  const workers: Workers = {
    redis: () => redis!,
    redisUrl: () => redis!.url,
    start(p, args = [], env = {}) {
      const w = p.start(['worker', '--redis', redis!.url, ...args], env);
      started.push(w);
      return w;
    },
    ready: (w) => waitFor(() => /takes /.test(w.output()), 'the worker to start', 30_000).catch((err: Error) => assert.fail(`${err.message}: ${w.output()}`)),
    async worker(p, ...args) {
      const w = workers.start(p, ['--concurrency', '1', ...args]);
      await workers.ready(w);
      return w;
    },
  };
  return workers;
}
