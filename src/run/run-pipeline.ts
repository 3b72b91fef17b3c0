/** `run` as a library call: open the project, select stages, run them, close the executors. */
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { detectGpus } from './slots.js';
import * as z from '../zod.js';
import type { StageCache } from '../cache/stage-cache.js';
import type { RemoteCacheTier } from '../remote/cache-tier.js';
import { readProjectConfig } from '../define/project-config.js';
import { PipelineError } from '../errors.js';
import type { UpToDateRun, UpToDateStage } from '../cache/up-to-date.js';
import { LINK_KINDS, layout, type LinkKind } from '../layout.js';
import type { PipelineGraph } from '../graph/graph.js';
import { BullmqExecutor } from '../executors/bullmq.js';
import type { Executor } from '../executors/executor.js';
import { redisUrl } from '../distributed/protocol.js';
import { ensureProjectIdentity, queuePrefix } from '../distributed/identity.js';
import { sharedWorkspace } from '../distributed/transport.js';
import { remoteTransportIfAny } from '../distributed/remote-transport.js';
import type { RunEventListener, RunSummary } from './events.js';
import { answerNoOp, journaledRecording, tee, type Recording } from './no-op.js';

type UpToDateSeen = Pick<UpToDateStage, 'metrics' | 'outs' | 'fingerprint'>;

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
  /** GPU devices to hand out to stages that ask for them; default: those this machine has (0 where none). */
  gpus: z.optional(z.int().check(z.nonnegative())),
  /** Run every stage on this executor (`bullmq`: on workers through Redis), whatever each asks for. */
  executor: z.optional(z.enum(['bullmq'])),
  /** The Redis of distributed runs (else PIPEWRIGHT_REDIS, else pipewright.config.yaml's `redis:`). */
  redis: z.optional(z.string()),
  /** How long an instance waits for a worker that can take it to exist before it fails (ms). */
  workerWaitMs: z.optional(z.int().check(z.positive())),
  /** The remote looked up before an instance runs (else the default remote, else the only one). */
  remote: z.optional(z.string()),
  /** Consult no remote. */
  noRemote: z._default(z.boolean(), false),
  /** Send what ran to the remote after the run (also `auto_push: true` in pipewright.config.yaml). */
  push: z._default(z.boolean(), false),
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
  /** Record the run in the run store (`.pipewright/runs.db`). */
  record: z._default(z.boolean(), true),
  /** The run's name in the store; a readable one is made up when absent. */
  name: z.optional(z.string().check(z.minLength(1))),
  /** A named set of overrides from the pipeline file's `versions`, applied before `overrides`. */
  version: z.optional(z.string()),
  /** The command line, as recorded in the store. */
  argv: z._default(z.array(z.string()), []),
  /**
   * Dev mode: run in a scratch copy of the project with the pipeline's `dev` overrides, stop at
   * the first failure, and record nothing (no lockfile, cache or store).
   */
  dev: z._default(z.boolean(), false),
});

export type FilledRunOptions = z.output<typeof runOptionsSchema>;

export type RunOptions = z.input<typeof runOptionsSchema> & {
  readonly signal?: AbortSignal;
  readonly onEvent?: RunEventListener;
  /**
   * Told the run's id and name as soon as it is in the store. A no-op answered by the fast path
   * is journaled and gets them later, so it is not told, unless `recordNow` asks for the store.
   */
  readonly onRecord?: (run: { readonly id: number; readonly name: string }) => void;
  readonly recordNow?: boolean;
};

export async function runPipeline(options: RunOptions = {}): Promise<RunSummary> {
  const filled = runOptionsSchema.parse(options);
  const onEvent = options.onEvent ?? (() => {});
  const warn = (message: string) => onEvent({ type: 'warning', message });
  if (filled.dev) {
    const { runDev } = await import('./dev-mode.js');
    return runDev(filled, onEvent, options.signal);
  }
  const plain = filled.targets.length === 0 && filled.overrides.length === 0 && !filled.force && filled.version === undefined && !filled.push && filled.remote === undefined;
  /**
   * The run's recorder. A no-op answered by the fast path (no name asked for, nobody waiting for
   * the id) is journaled rather than written, so that it does not pay for opening SQLite.
   */
  const openRecorder = async (root: string, certificate?: UpToDateRun['certificate']): Promise<Recording | undefined> => {
    if (!filled.record) return undefined;
    const info = { name: filled.name, argv: filled.argv, version: filled.version };
    if (certificate && filled.name === undefined && !options.recordNow) return journaledRecording(root, info, certificate);
    const [{ RunRecorder }, { RunStore, REPAIR_HINT }, { isDamagedDatabase }] = await Promise.all([
      import('../store/recorder.js'), import('../store/run-store.js'), import('../sqlite-damage.js')]);
    let store: InstanceType<typeof RunStore> | undefined;
    try {
      store = new RunStore(layout(root).runsDb);
      const recorder = new RunRecorder({ store }, info, root, warn);
      options.onRecord?.({ id: recorder.runId!, name: recorder.runName! });
      return { store, recorder };
    } catch (err) {
      store?.close();
      // The history cannot be written, but the work can still be done.
      if (!isDamagedDatabase(err)) throw err;
      warn(`.pipewright/runs.db is damaged (${(err as Error).message}): this run is not recorded. ${REPAIR_HINT}`);
      return undefined;
    }
  };
  if (plain) {
    const answer = await answerNoOp(filled.dir, filled.jobs, onEvent, openRecorder);
    if (answer) return answer;
  }
  // Loaded only now, past the fast path: a no-op answered there never pays for them.
  const [{ openProject }, { selectStages }, { acquireWorkspaceLock }, { forgetUpToDate, recordUpToDate }, { createExecutorSet }, { StageCache }, { runStages }] =
    await Promise.all([import('./project.js'), import('../graph/select.js'), import('../cache/workspace-lock.js'), import('../cache/up-to-date.js'),
      import('../executors/executor-set.js'), import('../cache/stage-cache.js'), import('./scheduler.js')]);
  const project = await openProject(filled.dir, filled.overrides, filled.version === undefined ? [] : [filled.version]);
  const stages = selectStages(project.graph, { targets: filled.targets, downstream: filled.downstream });
  const paths = layout(project.root);
  // A run whose lock is taken over (it went a whole lease without renewing: a stalled volume) stops.
  const lockLost = new AbortController();
  const lock = acquireWorkspaceLock(paths.workspaceLock, filled.command, warn, () => lockLost.abort(new Error('the workspace lock was taken over')));
  const signal = options.signal ? AbortSignal.any([options.signal, lockLost.signal]) : lockLost.signal;
  forgetUpToDate(project.root);
  try {
    await prepareMissingDeps(project.graph, stages, filled.targets, filled.links, onEvent, warn);
  } catch (err) {
    lock.release();
    throw err;
  }
  const executors = createExecutorSet(filled.jobs, () => distributedExecutor(project, filled.redis, filled.workerWaitMs, onEvent));
  let cache: StageCache | undefined;
  const seen = new Map<string, UpToDateSeen>();
  let recording: Recording | undefined;
  let shared: RemoteCacheTier | undefined;
  const ran: string[] = [];
  try {
    shared = await sharedTier(project.root, filled, warn);
    recording = await openRecorder(project.root);
    const report = recording ? tee(onEvent, recording.recorder.onEvent) : onEvent;
    cache = new StageCache(project.declaration, { links: filled.links, warn, ...(shared ? { shared } : {}) });
    const summary = await runStages({
      graph: project.graph,
      stages,
      jobs: filled.jobs,
      failMode: filled.failMode,
      executorFor: (kind) => executors.get(filled.executor ?? kind),
      logDir: paths.logs,
      onEvent: (event) => {
        if (event.type === 'up-to-date') seen.set(event.stage, { metrics: event.metrics, outs: event.outs, fingerprint: event.fingerprint });
        if (event.type === 'succeeded') ran.push(event.stage);
        report(event);
      },
      signal,
      cache,
      force: () => filled.force,
      streamOutput: filled.streamOutput,
      gpus: filled.gpus ?? detectGpus((dir) => readdirSync(dir)),
    });
    if (shared && (filled.push || autoPush(project.root))) await pushRan(shared, cache, ran, onEvent);
    cache.close();
    cache = undefined;
    if (plain && summary.upToDate.length === project.graph.order.length) recordUpToDate(project.graph, seen);
    return summary;
  } finally {
    await recording?.recorder.close();
    recording?.store?.close();
    cache?.close();
    await executors.close();
    shared?.close();
    lock.release();
  }
}

/**
 * The remote that `run` consults before computing an instance (cache/shared-tier.ts); none with
 * `--no-remote` or when the project has none. `--push` without a remote is bad usage.
 */
async function sharedTier(root: string, options: FilledRunOptions, warn: (message: string) => void): Promise<RemoteCacheTier | undefined> {
  if (options.noRemote) {
    if (options.push) throw new PipelineError('usage', '--push and --no-remote contradict each other', undefined, 'leave one out');
    return undefined;
  }
  const { RemoteCacheTier } = await import('../remote/cache-tier.js');
  const tier = await RemoteCacheTier.forRun(root, options.remote, warn, options.links);
  if (!tier && options.push) {
    throw new PipelineError('remote', '--push: the project has no remote to push to (or several and no default)', undefined,
      '`pipewright remote add NAME URL --default` adds one; or name one with -r');
  }
  return tier;
}

function autoPush(root: string): boolean {
  return (readProjectConfig(root)?.data as { auto_push?: unknown } | undefined)?.auto_push === true;
}

/** What ran in this run goes up: its outs, then its run-cache entries as one segment. Never fails the run. */
async function pushRan(shared: RemoteCacheTier, cache: StageCache, ran: readonly string[], onEvent: RunEventListener): Promise<void> {
  const runs = ran.flatMap((stage) => {
    const entry = cache.lock.get(stage);
    return entry ? [{ stage, entry }] : [];
  });
  if (runs.length === 0) return;
  try {
    const report = await shared.publishAll(runs);
    onEvent({ type: 'note', message: `pushed ${report.added} new run${report.added === 1 ? '' : 's'} to remote ${shared.where}`
      + (report.withheld.length ? `; not pushed (an out not cached): ${report.withheld.join(', ')}` : '') });
  } catch (err) {
    onEvent({ type: 'warning', message: `could not push to remote ${shared.where}: ${(err as Error).message.split('\n')[0]}; the run's results are kept here (\`pipewright push --run-cache\` sends them later)` });
  }
}

/**
 * Deps that no stage makes and that are not there: those DVC's cache holds (tracked by a `.dvc`
 * file) are linked in now. Stages named on the command line that still lack one are refused
 * before anything runs; the rest of a whole-pipeline run goes on, and those stages are blocked.
 */
async function prepareMissingDeps(graph: PipelineGraph, stages: readonly string[], targets: readonly string[], links: readonly LinkKind[],
  onEvent: RunEventListener, warn: (message: string) => void): Promise<void> {
  if (!stages.some((name) => graph.nodes.get(name)?.missing?.length)) return;
  const [{ MissingDeps }, { ObjectStore }, { PipelineError }] = await Promise.all([
    import('../cache/missing-deps.js'), import('../cache/object-store.js'), import('../errors.js')]);
  const root = graph.declaration.root;
  const missing = new MissingDeps(graph);
  const { linked, failed } = await missing.checkout(stages, new ObjectStore(layout(root).cache, links));
  for (const t of linked) onEvent({ type: 'note', message: `${t.out.path}: linked in from DVC's cache (${t.dvcFile})` });
  for (const f of failed) warn(`${f.tracking.out.path} (${f.tracking.dvcFile}): not taken from DVC's cache: ${f.error}`);
  if (targets.length === 0) return;
  for (const name of stages) {
    const [first, ...more] = missing.blocked(name);
    if (!first) continue;
    const wanted = targets.includes(name) ? '' : ` (needed by ${targets.join(', ')})`;
    throw new PipelineError('blocked', `stage "${name}"${wanted} cannot run: dep ${first.path} is missing${more.length ? ` (and ${more.map((d) => d.path).join(', ')})` : ''}`,
      first.where, first.help);
  }
}

/** The BullMQ executor of this project: its Redis, its queue prefix, and how outs travel. */
function distributedExecutor(project: { root: string; declaration: { file: string; name: string; namedAfterFolder?: boolean } }, redis: string | undefined, workerWaitMs: number | undefined, onEvent: RunEventListener): Executor {
  const warn = (message: string) => onEvent({ type: 'warning', message });
  // The first distributed run of a project that names itself nowhere writes its name, for every checkout to share.
  const identity = ensureProjectIdentity(project.root, project.declaration, (message) => onEvent({ type: 'note', message }));
  return new BullmqExecutor({
    redisUrl: redisUrl(project.root, redis),
    project: identity.name,
    prefix: queuePrefix(identity),
    root: project.root,
    pipelineFile: project.declaration.file,
    // The remote, when the project has one: workers then need no shared folder.
    transport: () => remoteTransportIfAny(project.root, warn).then((t) => t ?? sharedWorkspace),
    ...(workerWaitMs ? { noWorkerTimeoutMs: workerWaitMs } : {}),
    onTaken: (stage, worker) => onEvent({ type: 'note', message: `${stage} taken by ${worker}` }),
    onWarning: warn,
  });
}
