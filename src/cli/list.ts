/** `pipewright list`: the stages, what they read and write, and what they wait for; `--json` has every instance resolved. */
import { Command } from 'commander';
import pc from 'picocolors';
import { ExitCode, addProjectOption, collect, enterProject, runCommand } from './common.js';

export type { StageListing } from '../graph/listing.js';

export function listCommandDefinition(): Command {
  return addProjectOption(new Command('list'))
    .description('list the stages of the pipeline')
    .option('-S, --set <stage.param=value>', 'as if run with this param override (repeatable)', collect, [])
    .option('--json', 'one JSON object per instance, resolved: name, kind, of, cmd or ts, wdir, params, deps, outs, metrics, plots, inputs, upstream, options')
    .action((flags: { cwd: string; set: string[]; json?: boolean }) => runCommand(async () => {
      const [{ listStages }, { formatParams }, { openProject }] = await Promise.all([
        import('../graph/listing.js'), import('../report/listing.js'), import('../run/project.js')]);
      const { graph } = await openProject(enterProject(flags.cwd), flags.set);
      const listings = listStages(graph);
      if (flags.json) {
        process.stdout.write(JSON.stringify(listings, null, 2) + '\n');
      } else {
        for (const s of listings) {
          // A collector's upstream is every instance it collects: named once, by their sweep.
          const upstream = s.collects ? [...s.upstream.filter((u) => !Object.keys(s.collects!).includes(graph.nodes.get(u)!.of)),
            ...Object.entries(s.collects).map(([of, n]) => `${of} (all ${n})`)] : s.upstream;
          process.stdout.write(`${pc.bold(s.name)} ${pc.dim(`(${s.kind})`)}${upstream.length ? `  ← ${upstream.join(', ')}` : ''}\n`);
          if (s.deps.length) process.stdout.write(`  deps: ${s.deps.join(', ')}\n`);
          if (s.outs.length) process.stdout.write(`  outs: ${s.outs.join(', ')}\n`);
          const params = formatParams(s.params);
          if (params) process.stdout.write(`  params: ${params}\n`);
        }
      }
      return ExitCode.ok;
    }));
}
