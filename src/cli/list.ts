/** `pipewright list`: the stages, what they read and write, and what they wait for. */
import { Command } from 'commander';
import pc from 'picocolors';
import { ExitCode, addProjectOption, enterProject, runCommand } from './common.js';

export interface StageListing {
  readonly name: string;
  readonly kind: 'cmd' | 'ts';
  readonly deps: readonly string[];
  readonly outs: readonly string[];
  readonly upstream: readonly string[];
}

export function listCommandDefinition(): Command {
  return addProjectOption(new Command('list'))
    .description('list the stages of the pipeline')
    .option('--json', 'one JSON object per stage: name, kind, deps, outs, upstream')
    .action((flags: { cwd: string; json?: boolean }) => runCommand(async () => {
      const [{ writtenPaths }, { openProject }] = await Promise.all([import('../graph/resolve.js'), import('../run/project.js')]);
      const { graph } = await openProject(enterProject(flags.cwd));
      const listings: StageListing[] = graph.order.map((name) => {
        const node = graph.nodes.get(name)!;
        return {
          name,
          kind: node.kind,
          deps: [...node.deps.map((d) => d.path), ...Object.values(node.inputs).map((i) => i.path)],
          outs: writtenPaths(node).map((o) => o.path),
          upstream: node.upstream,
        };
      });
      if (flags.json) {
        process.stdout.write(JSON.stringify(listings, null, 2) + '\n');
      } else {
        for (const s of listings) {
          process.stdout.write(`${pc.bold(s.name)} ${pc.dim(`(${s.kind})`)}${s.upstream.length ? `  ← ${s.upstream.join(', ')}` : ''}\n`);
          if (s.deps.length) process.stdout.write(`  deps: ${s.deps.join(', ')}\n`);
          if (s.outs.length) process.stdout.write(`  outs: ${s.outs.join(', ')}\n`);
        }
      }
      return ExitCode.ok;
    }));
}
