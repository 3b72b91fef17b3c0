/**
 * For a `describe` of distributed tests: a redis-server of its own (127.0.0.1, a free port) and
 * `pipewright worker` processes started in test projects, each awaited until it takes jobs; all
 * stopped after the suite.
 */
import { strict as assert } from 'node:assert';
import * as nodeTest from 'node:test';
import { waitFor, type TestProject } from './project.js';
import { startRedis, type TestRedis } from './redis.js';

export type StartedWorker = ReturnType<TestProject['start']>;

/** `hooks`: those of `needs(redisMissing)` (helpers/needs.ts), so that nothing starts where redis-server is missing. */
export function useWorkers(hooks: { before: typeof nodeTest.before; after: typeof nodeTest.after } = nodeTest):
  { readonly redisUrl: () => string; readonly worker: (p: TestProject, ...args: string[]) => Promise<StartedWorker> } {
  const { before, after } = hooks;
  let redis: TestRedis | undefined;
  const started: StartedWorker[] = [];
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    for (const w of started) w.child.kill('SIGKILL');
    await redis?.stop();
  });
  return {
    redisUrl: () => redis!.url,
    async worker(p, ...args) {
      const w = p.start(['worker', '--redis', redis!.url, '--concurrency', '1', ...args]);
      started.push(w);
      await waitFor(() => /takes /.test(w.output()), 'the worker to start', 30_000).catch((err: Error) => assert.fail(`${err.message}: ${w.output()}`));
      return w;
    },
  };
}
