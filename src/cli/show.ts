/**
 * `pipewright show TARGET`: one stage of the pipeline resolved (its command, params, paths and
 * options), or one run in full: when, where, how, and every instance with its params and metrics.
 */
import { resolve } from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import { flattenParams } from '../define/interpolate.js';
import { PipelineError, closestName, isPipelineError } from '../errors.js';
import type { PipelineGraph } from '../graph/graph.js';
import { formatDuration, formatTable, formatTime } from '../report/table.js';
import type { RunRecord, RunStore } from '../store/run-store.js';
import { ExitCode, addProjectOption, collect, enterProject, openRunStore, openRunStoreIfAny, printJson, runCommand } from './common.js';
import { instanceSummary } from './runs.js';

/** Prefixes that say which kind of thing a target is, for a name that is both a stage and a run. */
const STAGE_PREFIX = 'stage:';
const RUN_PREFIX = 'run:';

interface ShowFlags {
  readonly cwd: string;
  readonly set: string[];
  readonly json?: boolean;
}

export function showCommandDefinition(): Command {
  return addProjectOption(new Command('show'))
    .description('show a stage of the pipeline resolved (command, params, paths, options), or one run: its command, git revision, host and every instance')
    .argument('[target]', 'a stage or instance name, or a run: id, #id, name, last or last~N (default: last); prefix with stage: or run: to choose')
    .option('-S, --set <stage.param=value>', 'for a stage: as if run with this param override (repeatable)', collect, [])
    .option('--json', 'the stage as the object `list --json` gives (a sweep: an array of its instances), or the run and its instances')
    .addHelpText('after', `
A name that is both a stage and a run shows the stage; \`show run:NAME\` shows the run.`)
    .action((target: string | undefined, given: ShowFlags) => runCommand(async () => {
      // Absolute once: a target may need both the pipeline and the run store, each entering the folder.
      const flags = { ...given, cwd: resolve(given.cwd) };
      if (target === undefined) return showRun(flags, 'last');
      if (target.startsWith(RUN_PREFIX)) return showRun(flags, target.slice(RUN_PREFIX.length));
      if (target.startsWith(STAGE_PREFIX)) {
        const name = target.slice(STAGE_PREFIX.length);
        const graph = await openGraph(flags);
        return showStage(graph, name, flags);
      }
      // `#12` is only ever a run: no stage name holds a '#'.
      if (/^#\d+$/.test(target)) return showRun(flags, target);
      return showStageOrRun(target, flags);
    }));
}

async function openGraph(flags: ShowFlags): Promise<PipelineGraph> {
  const { openProject } = await import('../run/project.js');
  return (await openProject(enterProject(flags.cwd), flags.set)).graph;
}

/** A bare name: the stage when the pipeline has one of that name, else the run. */
async function showStageOrRun(target: string, flags: ShowFlags): Promise<ExitCode> {
  const { instancesNamed, stageNames, unknownStageError } = await import('../graph/listing.js');
  let graph: PipelineGraph | undefined;
  let loadError: PipelineError | undefined;
  try {
    graph = await openGraph(flags);
  } catch (err) {
    // A pipeline that does not load must not hide the runs recorded before it broke; with -S the
    // user meant a stage, and the error is theirs to see.
    if (!isPipelineError(err) || flags.set.length) throw err;
    loadError = err;
  }
  const isStage = graph !== undefined && instancesNamed(graph, target) !== undefined;
  const store = await openRunStoreIfAny(flags.cwd);
  try {
    let run: RunRecord | undefined;
    let runError: PipelineError | undefined;
    try {
      run = store?.resolve(target);
    } catch (err) {
      if (!isPipelineError(err)) throw err;
      runError = err;
    }
    if (isStage) {
      if (run) {
        process.stderr.write(`${pc.yellow('note')}: "${target}" names a stage and run #${run.id} ${run.name}; showing the stage (\`pipewright show ${RUN_PREFIX}${target}\` shows the run)\n`);
      }
      return showStage(graph!, target, flags);
    }
    if (run) return printRun(store!, run, flags);
    // Neither: a name close to a stage's was most likely meant as one.
    const guess = graph && closestName(target, stageNames(graph));
    if (guess) {
      throw new PipelineError('unknown-stage', `no stage or run named "${target}"`, undefined,
        `did you mean stage "${guess}"? (\`pipewright list\` lists the stages, \`pipewright runs\` the runs)`);
    }
    if (loadError) {
      // Not a run: if it is a stage, what stops showing it is the pipeline's error.
      process.stderr.write(`${pc.yellow('note')}: no run is named "${target}", and the pipeline, which would say whether a stage is, does not load:\n`);
      throw loadError;
    }
    if (runError) throw runError;
    const { where, hint } = unknownStageError(graph!, target);
    throw new PipelineError('unknown-stage', `no stage or run named "${target}"`, where, `${hint}; no runs are recorded yet`);
  } finally {
    store?.close();
  }
}

async function showStage(graph: PipelineGraph, name: string, flags: ShowFlags): Promise<ExitCode> {
  const [{ instancesNamed, listStage, unknownStageError }, { formatStageListing }] = await Promise.all([
    import('../graph/listing.js'), import('../report/listing.js')]);
  const names = instancesNamed(graph, name);
  if (!names) throw unknownStageError(graph, name);
  const listings = names.map((n) => listStage(graph, graph.nodes.get(n)!));
  if (flags.json) {
    // One instance is its object; a sweep's (or foreach's) name, the list of its instances.
    printJson(names.length === 1 && names[0] === name ? listings[0] : listings);
    return ExitCode.ok;
  }
  process.stdout.write(listings.map(formatStageListing).join('\n'));
  return ExitCode.ok;
}

async function showRun(flags: ShowFlags, ref: string): Promise<ExitCode> {
  if (flags.set.length) throw new PipelineError('usage', '-S applies to a stage: a run shows the params it was run with', undefined, `to show stage "${ref}", write \`pipewright show ${STAGE_PREFIX}${ref}\``);
  const store = await openRunStore(flags.cwd);
  try {
    return printRun(store, store.resolve(ref), flags);
  } finally {
    store.close();
  }
}

function printRun(store: RunStore, run: RunRecord, flags: ShowFlags): ExitCode {
  const instances = store.instances(run.id);
  if (flags.json) {
    printJson({ ...run, instances });
    return ExitCode.ok;
  }
  const out = process.stdout;
  out.write(`run #${run.id} ${run.name}: ${run.status}\n`);
  out.write(`  started   ${formatTime(run.startedAt)}${run.endedAt ? `, took ${formatDuration(run.endedAt - run.startedAt)}` : ''}\n`);
  out.write(`  command   pipewright ${run.argv.join(' ')}\n`);
  if (run.version) out.write(`  version   ${run.version}\n`);
  out.write(`  git       ${run.gitCommit ? `${run.gitCommit}${run.gitDirty ? ' (with uncommitted changes)' : ''}` : '-'}\n`);
  out.write(`  host      ${run.host}\n`);
  out.write(`  instances ${instanceSummary(run.counts)}\n\n`);
  // Params shown are those that differ between a stage's instances, or all of a lone stage's.
  const params = instances.map((i) => new Map(flattenParams(i.params)));
  const metrics = instances.map((i) => new Map(flattenParams(i.metrics ?? {})));
  const paramKeys = [...new Set(params.flatMap((p) => [...p.keys()]))];
  const varying = paramKeys.filter((k) => instances.length < 2 || new Set(params.map((p) => JSON.stringify(p.get(k)))).size > 1);
  const metricKeys = [...new Set(metrics.flatMap((m) => [...m.keys()]))];
  // A distributed run names the host of each instance (its own host where it ran here).
  const hosts = instances.some((i) => i.host !== undefined);
  out.write(formatTable(['instance', 'status', 'took', ...(hosts ? ['host'] : []), ...varying, ...metricKeys], instances.map((i, n) =>
    [i.name, i.status, formatDuration(i.durationMs), ...(hosts ? [i.host ?? run.host] : []), ...varying.map((k) => params[n]!.get(k)), ...metricKeys.map((k) => metrics[n]!.get(k))])));
  for (const failed of instances.filter((i) => i.status === 'failed')) out.write(`\n${failed.name}: ${failed.error ?? 'failed'}${failed.logPath ? `\n  log: ${failed.logPath}` : ''}\n`);
  return ExitCode.ok;
}
