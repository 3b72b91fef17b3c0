/**
 * `pipewright exec STAGE`: run one stage instance right here, through the same exec path every
 * executor uses, without its upstream. What a cluster task (Kubeflow, Argo) runs, and what the
 * stages of an exported dvc.yaml run (`npx pipewright exec train@0.1-4`).
 */
import { Command } from 'commander';
import { ExitCode, addProjectOption, collect, enterProject, runCommand } from './common.js';

export function execCommandDefinition(): Command {
  return addProjectOption(new Command('exec'))
    .description('run one stage here and now, without its upstream (what cluster tasks run)')
    .argument('<stage>', "the stage to run (for a sweep, one instance: train@lr=0.1,depth=4, or DVC's name of it: train@0.1-4, train@0)")
    .option('-S, --set <stage.param=value>', 'override a param (repeatable)', collect, [])
    .option('--set-string <stage.param=value>', 'override a param with VALUE as a string, exactly as given (what compiled cluster tasks pass)', collect, [])
    .option('--cached', "let pipewright's cache decide, as a run does: skip or restore when up to date, else run and record it in the lockfile and cache (what compiled cluster tasks run)")
    .option('--kfp-executor-input <json>', "with --cached, write the instance's metrics as Kubeflow's Metrics artifact, where this executor input (Kubeflow's {{$}}) says (what compiled Kubeflow tasks pass)")
    .option('-r, --remote <name>', 'with --cached, outs travel through this remote (of pipewright.config.yaml) instead of a shared volume: bring down what the upstream instances pushed, restore this instance from the remote when it is there, push its outs and run-cache entry after')
    .addHelpText('after', `
With --remote, each task can run in its own copy of the project (a pod without a shared volume):
the upstream instances' runs are looked up on the remote by their fingerprints (their code, params
and deps in this copy), their outs brought down (each verified against its hash) and restored in
order; an upstream instance the remote has no run of fails the task, naming it. Exit codes: 0
done; 1 the stage (or a transfer) failed; 2 bad input, such as an unknown remote (the configured
ones are named) or one that cannot be reached.

Example (what \`compile --remote shared\` makes every task run):
  pipewright exec --cached --remote shared 'train@lr=0.1' -C /opt/project`)
    .action((named: string, flags: { cwd: string; set: string[]; setString: string[]; cached?: boolean; remote?: string; kfpExecutorInput?: string }) => runCommand(async () => {
      const [{ execInstance }, { selectStages }, { openProject }, { addressOf }, { PipelineError }, { collectedFromLock }, { instanceFromDvcName }, { declaredStage }] = await Promise.all([
        import('../executors/exec-instance.js'), import('../graph/select.js'), import('../run/project.js'), import('../executors/executor.js'), import('../errors.js'),
        import('../run/collected.js'), import('../define/dvc-spelling.js'), import('../define/declaration.js')]);
      if (flags.remote !== undefined && !flags.cached) {
        throw new PipelineError('usage', '--remote works with --cached', undefined, `pipewright exec --cached --remote ${flags.remote} ${named}`);
      }
      if (flags.kfpExecutorInput !== undefined && !flags.cached) throw new PipelineError('usage', '--kfp-executor-input works with --cached');
      const kfpMetrics = flags.kfpExecutorInput === undefined ? undefined : (await import('../compile/kfp-metrics.js')).kfpMetricsWriter(flags.kfpExecutorInput);
      const { graph } = await openProject(enterProject(flags.cwd), [...flags.set, ...flags.setString.map(literalString)]);
      // DVC names an exported sweep's instances its own way (a matrix key, a list index).
      const stage = graph.nodes.has(named) || graph.sweeps.has(named) ? named
        : instanceFromDvcName(named, graph.sweeps, (s) => declaredStage(graph.declaration, s)?.sweep, (i) => graph.nodes.get(i)?.values) ?? named;
      const closure = selectStages(graph, { targets: [stage] });
      const instances = graph.sweeps.get(stage);
      if (instances && !graph.nodes.has(stage)) {
        throw new PipelineError('usage', `"${stage}" is a sweep of ${instances.length} instances: exec runs one`, undefined,
          `name one, for example: pipewright exec '${instances[0]}'`);
      }
      const node = graph.nodes.get(stage)!;
      const lacking = node.missingParams?.[0];
      if (lacking) {
        const { describeReason, paramMissing } = await import('../cache/reasons.js');
        process.stderr.write(`error: stage "${stage}" is blocked: ${describeReason(paramMissing(lacking))}\n`);
        return ExitCode.stageFailed;
      }
      const warn = (m: string) => process.stderr.write(`warning: ${m}\n`);
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort(new Error('interrupted')));
      // Opened (and checked) before anything runs: a wrong or unreachable remote is bad input, exit 2.
      const remote = flags.remote === undefined ? undefined : await (await import('../remote/cache-tier.js')).RemoteCacheTier.checked(graph.declaration.root, flags.remote, 'write', warn);
      try {
        if (remote) {
          const { restoreUpstream } = await import('../compile/task-exec.js');
          const upstream = closure.filter((name) => name !== stage).map((name) => graph.nodes.get(name)!);
          await restoreUpstream(graph.declaration, upstream, remote, controller.signal, warn, (line) => process.stderr.write(`${line}\n`));
        }
        // A collecting stage gets the instances the lockfile knows, as a run would hand them over,
        // and those run by another tool (DVC, through exec) that left their outs.
        const address = addressOf(graph.declaration.file, node, await withInstancesOnDisk(graph, node, collectedFromLock(graph, node, warn)));
        const io = { output: (stream: 'stdout' | 'stderr', text: string) => process[stream].write(text), signal: controller.signal };
        if (flags.cached) {
          const { execCached } = await import('../compile/task-exec.js');
          const result = await execCached(graph.declaration, node, address, io, warn, remote);
          const outcome = result.outcome === 'ran' ? 'ran' : result.outcome === 'up-to-date' ? 'up to date'
            : `restored from the cache${result.fromRemote ? ` (a run on remote ${remote!.name})` : ''}`;
          process.stderr.write(`${stage}: ${outcome}${remote && !result.fromRemote ? `; outs and run-cache entry on remote ${remote.name}` : ''}\n`);
          if (result.metrics) process.stdout.write(JSON.stringify(result.metrics) + '\n');
          // Restored or up to date, the metrics are in its metrics files again.
          if (kfpMetrics) kfpMetrics(result.metrics ?? (await import('../executors/exec-instance.js')).readMetrics(graph.declaration.root, node));
          return ExitCode.ok;
        }
        const result = await execInstance(address, io);
        if (result.metrics) process.stdout.write(JSON.stringify(result.metrics) + '\n');
        return ExitCode.ok;
      } catch (err) {
        if (controller.signal.aborted) return ExitCode.cancelled;
        process.stderr.write(`error: stage "${stage}" failed: ${(err as Error).message}\n`);
        return ExitCode.stageFailed;
      } finally {
        remote?.close();
      }
    }));
}

/**
 * `--set-string k=v` as the `-S` spec that reads back as the string v: JSON-quoted, which the YAML
 * reader of `-S` takes as a double-quoted scalar (so `yes`, `0.1`, `a: b` or `'x'` stay text).
 */
function literalString(spec: string): string {
  const eq = spec.indexOf('=');
  return eq < 0 ? spec : `${spec.slice(0, eq + 1)}${JSON.stringify(spec.slice(eq + 1))}`;
}

type Graph = import('../graph/graph.js').PipelineGraph;
type Node = import('../graph/resolve.js').ResolvedStage;
type Collected = Record<string, import('../define/sweep.js').InstanceResult[]>;

/**
 * `pipewright exec` records nothing in the lockfile, so instances that DVC ran through it are not
 * there: an instance the lockfile lacks but whose outs are all present is collected too, with its
 * params and the metrics of its metrics file (metrics a TS stage only returned are not kept).
 */
async function withInstancesOnDisk(graph: Graph, node: Node, collected: Collected): Promise<Collected> {
  const [{ existsSync }, { join }, { writtenPaths }, { readMetrics }] = await Promise.all([
    import('node:fs'), import('node:path'), import('../graph/resolve.js'), import('../executors/exec-instance.js')]);
  const root = graph.declaration.root;
  const result: Collected = {};
  for (const [key, of] of Object.entries(node.collects)) {
    const known = new Map((collected[key] ?? []).map((i) => [i.name, i]));
    result[key] = (graph.sweeps.get(of) ?? [of]).flatMap((name) => {
      const found = known.get(name);
      if (found) return [found];
      const instance = graph.nodes.get(name);
      if (!instance || instance.generated || !writtenPaths(instance).every((o) => existsSync(join(root, o.path)))) return [];
      const metrics = readMetrics(root, instance);
      return [{ name, params: instance.params, values: instance.values ?? {}, status: 'skipped' as const, ...(metrics ? { metrics } : {}) }];
    });
    // A generated sweep's instances are only in the lockfile.
    for (const [name, instance] of known) if (!result[key]!.some((i) => i.name === name)) result[key]!.push(instance);
  }
  return result;
}
