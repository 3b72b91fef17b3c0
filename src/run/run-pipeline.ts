/** `run` as a library call: open the project, select stages, run them, close the executors. */
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import * as z from '../zod.js';
import type { StageCache } from '../cache/stage-cache.js';
import { checkUpToDate, type UpToDateRun } from '../cache/up-to-date.js';
import { findPipelineFile } from '../define/load.js';
import type { Metrics } from '../define/stage.js';
import { LINK_KINDS, layout } from '../layout.js';
import type { RunEventListener, RunSummary } from './events.js';

export const runOptionsSchema = z.object({
  /** The project folder. */
  dir: z._default(z.string(), '.'),
  /** Stages to run with their upstream; empty runs everything. */
  targets: z._default(z.array(z.string()), []),
  /** Also run what depends on the targets. */
  downstream: z._default(z.boolean(), false),
  /** Stages run at once; default the number of cores. */
  jobs: z._default(z.int().check(z.positive()), () => availableParallelism()),
  /** `keep-going`: independent branches go on after a failure; `fail-fast`: stop at the first. */
  failMode: z._default(z.enum(['keep-going', 'fail-fast']), 'keep-going'),
  /** `-S stage.param=value` specs. */
  overrides: z._default(z.array(z.string()), []),
  /** Run the selected stages even when they are up to date. */
  force: z._default(z.boolean(), false),
  /** How cached outs are put into the workspace: the first kind that works. */
  links: z._default(z.array(z.enum(LINK_KINDS as ['reflink', 'hardlink', 'copy'])).check(z.minLength(1)), ['reflink', 'hardlink', 'copy']),
  /** Emit every line stages print as `log` events (the CLI's `-v`); off, logs go straight to files. */
  streamOutput: z._default(z.boolean(), true),
  /** How the run is named in the workspace lock's message to a second run. */
  command: z._default(z.string(), 'pipewright run'),
});

export type RunOptions = z.input<typeof runOptionsSchema> & {
  readonly signal?: AbortSignal;
  readonly onEvent?: RunEventListener;
};

export async function runPipeline(options: RunOptions = {}): Promise<RunSummary> {
  const filled = runOptionsSchema.parse(options);
  const onEvent = options.onEvent ?? (() => {});
  const warn = (message: string) => onEvent({ type: 'warning', message });
  const plain = filled.targets.length === 0 && filled.overrides.length === 0 && !filled.force;
  if (plain) {
    const file = findPipelineFile(resolve(filled.dir));
    const known = checkUpToDate(dirname(file), file);
    if (known) return reportUpToDate(known.stages, filled.jobs, onEvent);
  }
  // Loaded only now, past the fast path: a no-op answered there never pays for them.
  const [{ openProject }, { selectStages }, { acquireWorkspaceLock }, { forgetUpToDate, recordUpToDate }, { createExecutorSet }, { StageCache }, { runStages }] =
    await Promise.all([import('./project.js'), import('../graph/select.js'), import('../cache/workspace-lock.js'), import('../cache/up-to-date.js'),
      import('../executors/executor-set.js'), import('../cache/stage-cache.js'), import('./scheduler.js')]);
  const project = await openProject(filled.dir, filled.overrides);
  const stages = selectStages(project.graph, { targets: filled.targets, downstream: filled.downstream });
  const paths = layout(project.root);
  const lock = acquireWorkspaceLock(paths.workspaceLock, filled.command, warn);
  forgetUpToDate(project.root);
  const executors = createExecutorSet(filled.jobs);
  let cache: StageCache | undefined;
  const metrics = new Map<string, Metrics | undefined>();
  try {
    cache = new StageCache(project.declaration, { links: filled.links, warn });
    const summary = await runStages({
      graph: project.graph,
      stages,
      jobs: filled.jobs,
      failMode: filled.failMode,
      executorFor: (kind) => executors.get(kind),
      logDir: paths.logs,
      onEvent: (event) => {
        if (event.type === 'up-to-date') metrics.set(event.stage, event.metrics);
        onEvent(event);
      },
      signal: options.signal,
      cache,
      force: () => filled.force,
      streamOutput: filled.streamOutput,
    });
    cache.close();
    cache = undefined;
    if (plain && summary.upToDate.length === project.graph.order.length) recordUpToDate(project.graph, metrics);
    return summary;
  } finally {
    cache?.close();
    await executors.close();
    lock.release();
  }
}

/** The events of a run found to be a no-op by the fast path: the same as the long way's. */
function reportUpToDate(stages: UpToDateRun['stages'], jobs: number, onEvent: RunEventListener): RunSummary {
  const started = Date.now();
  onEvent({ type: 'run-started', stages: stages.map((s) => s.name), jobs, failMode: 'keep-going' });
  for (const { name, metrics } of stages) onEvent({ type: 'up-to-date', stage: name, metrics });
  const summary: RunSummary = { succeeded: [], upToDate: stages.map((s) => s.name), restored: [], failed: [], skipped: [], cancelled: false };
  onEvent({ type: 'run-finished', summary, durationMs: Date.now() - started });
  return summary;
}
