/** `pipewright checkout RUN`: put a recorded run's outs back into the workspace from the cache. */
import { join } from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import { layout } from '../layout.js';
import { ExitCode, addProjectOption, enterProject, openRunStore, runCommand } from './common.js';
export function checkoutCommandDefinition() {
    return addProjectOption(new Command('checkout'))
        .description("put a run's outs back into the workspace from the cache, and record them in pipewright.lock")
        .argument('<run>', 'id, #id, name, or last~N (N runs before the last)')
        .argument('[stage...]', 'only the instances of these stages')
        .addHelpText('after', `
Outs removed from the cache since (by \`pipewright gc\`) cannot come back: they are named, and the
exit code is 1. Params files are not changed: \`pipewright status\` then tells what differs.`)
        .action((ref, stages, flags) => runCommand(async () => {
        const [{ StageCache }, { acquireWorkspaceLock }, { forgetUpToDate }, { openProject }] = await Promise.all([
            import('../cache/stage-cache.js'), import('../cache/workspace-lock.js'), import('../cache/up-to-date.js'), import('../run/project.js')
        ]);
        const runs = await openRunStore(flags.cwd);
        const project = await openProject(enterProject(flags.cwd));
        const warn = (m) => process.stderr.write(`${pc.yellow('warning')}: ${m}\n`);
        const lock = acquireWorkspaceLock(layout(project.root).workspaceLock, `pipewright checkout ${ref}`, warn);
        const cache = new StageCache(project.declaration, { warn });
        try {
            const run = runs.resolve(ref);
            const instances = runs.instances(run.id).filter((i) => i.outs?.length && (stages.length === 0 || stages.includes(i.stage) || stages.includes(i.name)));
            forgetUpToDate(project.root);
            const missing = [];
            let restored = 0;
            for (const instance of instances) {
                const cached = instance.outs.filter((o) => o.cache);
                // A hard-linked out edited in place changed its object too: that counts as lost.
                const lost = (await cache.intact(cached)) ? [] : cached;
                if (lost.length) {
                    missing.push(...lost.map((o) => `${o.path} (${instance.name})`));
                    continue;
                }
                for (const out of instance.outs) {
                    if (!out.cache)
                        continue;
                    await cache.store.checkout(out.hash, join(project.root, out.path));
                    restored++;
                }
                // The lock learns the run's record, so that status and run judge from it.
                const known = instance.fingerprint && cache.runCache.get(instance.fingerprint);
                if (known)
                    cache.lock.set(instance.name, known.entry);
            }
            process.stdout.write(`checked out ${restored} outs of ${instances.length} instances of run #${run.id} ${run.name}\n`);
            if (missing.length) {
                process.stderr.write(`${pc.red('not in the cache any more')} (removed by gc, or changed in place through a hard link):\n${missing.map((m) => `  ${m}\n`).join('')}`);
                return ExitCode.stageFailed;
            }
            return ExitCode.ok;
        }
        finally {
            cache.close();
            runs.close();
            lock.release();
        }
    }));
}
//# sourceMappingURL=checkout.js.map