/** `pipewright list`: the stages, what they read and write, and what they wait for. */
import { Command } from 'commander';
import pc from 'picocolors';
import { ExitCode, addProjectOption, enterProject, runCommand } from './common.js';
export function listCommandDefinition() {
    return addProjectOption(new Command('list'))
        .description('list the stages of the pipeline')
        .option('--json', 'one JSON object per stage: name, kind, deps, outs, upstream')
        .action((flags) => runCommand(async () => {
        const [{ writtenPaths }, { openProject }] = await Promise.all([import('../graph/resolve.js'), import('../run/project.js')]);
        const { graph } = await openProject(enterProject(flags.cwd));
        const listings = graph.order.map((name) => {
            const node = graph.nodes.get(name);
            const collected = Object.values(node.collects);
            const declaredDeps = node.deps.slice(0, node.deps.length - (node.collectedDeps ?? 0));
            return {
                name,
                kind: node.kind,
                ...(node.of !== name ? { of: node.of } : {}),
                deps: [...declaredDeps.map((d) => d.path), ...Object.values(node.inputs).map((i) => i.path)],
                outs: writtenPaths(node).map((o) => o.path),
                upstream: node.upstream,
                ...(collected.length ? { collects: Object.fromEntries(collected.map((of) => [of, graph.sweeps.get(of)?.length ?? 1])) } : {}),
            };
        });
        if (flags.json) {
            process.stdout.write(JSON.stringify(listings, null, 2) + '\n');
        }
        else {
            for (const s of listings) {
                // A collector's upstream is every instance it collects: named once, by their sweep.
                const upstream = s.collects ? [...s.upstream.filter((u) => !Object.keys(s.collects).includes(graph.nodes.get(u).of)),
                    ...Object.entries(s.collects).map(([of, n]) => `${of} (all ${n})`)] : s.upstream;
                process.stdout.write(`${pc.bold(s.name)} ${pc.dim(`(${s.kind})`)}${upstream.length ? `  ← ${upstream.join(', ')}` : ''}\n`);
                if (s.deps.length)
                    process.stdout.write(`  deps: ${s.deps.join(', ')}\n`);
                if (s.outs.length)
                    process.stdout.write(`  outs: ${s.outs.join(', ')}\n`);
            }
        }
        return ExitCode.ok;
    }));
}
//# sourceMappingURL=list.js.map