/** The executors of one run, made on first use and closed together. */
import type { ExecutorKind } from '../define/stage.js';
import type { Executor } from './executor.js';
import { InlineExecutor } from './inline.js';
import { ProcessesExecutor } from './processes.js';
import { ThreadsExecutor } from './threads.js';

export interface ExecutorSet {
  get(kind: ExecutorKind): Executor;
  close(): Promise<void>;
}

/**
 * `distributed`: how to reach workers, for stages (or runs) whose executor is `bullmq`; without
 * it, such a stage fails saying where to configure it.
 */
export function createExecutorSet(jobs: number, distributed?: () => Executor): ExecutorSet {
  const made = new Map<ExecutorKind, Executor>();
  const factories: Record<ExecutorKind, () => Executor> = {
    inline: () => new InlineExecutor(),
    threads: () => new ThreadsExecutor(jobs),
    processes: () => new ProcessesExecutor(),
    bullmq: distributed ?? (() => {
      throw new Error('a stage asks for the bullmq executor, but this command does not run distributed work');
    }),
  };
  return {
    get(kind) {
      let executor = made.get(kind);
      if (!executor) {
        executor = factories[kind]();
        made.set(kind, executor);
      }
      return executor;
    },
    async close() {
      await Promise.all([...made.values()].map((e) => e.close()));
      made.clear();
    },
  };
}
