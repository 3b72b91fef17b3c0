/** `run` as a library call: open the project, select stages, run them, close the executors. */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createExecutorSet } from '../executors/executor-set.js';
import { selectStages } from '../graph/select.js';
import type { RunEventListener, RunSummary } from './events.js';
import { openProject } from './project.js';
import { runStages } from './scheduler.js';

export const runOptionsSchema = z.object({
  /** The project folder. */
  dir: z.string().default('.'),
  /** Stages to run with their upstream; empty runs everything. */
  targets: z.array(z.string()).default([]),
  /** Also run what depends on the targets. */
  downstream: z.boolean().default(false),
  /** Stages run at once; default the number of cores. */
  jobs: z.number().int().positive().default(() => availableParallelism()),
  /** `keep-going`: independent branches go on after a failure; `fail-fast`: stop at the first. */
  failMode: z.enum(['keep-going', 'fail-fast']).default('keep-going'),
  /** `-S stage.param=value` specs. */
  overrides: z.array(z.string()).default([]),
});

export type RunOptions = z.input<typeof runOptionsSchema> & {
  readonly signal?: AbortSignal;
  readonly onEvent?: RunEventListener;
};

/** Where a project keeps what pipewright writes (logs, later cache and store). */
export const STATE_DIR = '.pipewright';

export async function runPipeline(options: RunOptions = {}): Promise<RunSummary> {
  const filled = runOptionsSchema.parse(options);
  const project = await openProject(filled.dir, filled.overrides);
  const stages = selectStages(project.graph, { targets: filled.targets, downstream: filled.downstream });
  const executors = createExecutorSet(filled.jobs);
  try {
    return await runStages({
      graph: project.graph,
      stages,
      jobs: filled.jobs,
      failMode: filled.failMode,
      executorFor: (kind) => executors.get(kind),
      logDir: join(project.root, STATE_DIR, 'logs'),
      onEvent: options.onEvent ?? (() => {}),
      signal: options.signal,
    });
  } finally {
    await executors.close();
  }
}
