/**
 * `pipewright checkout RUN`: put a recorded run's outs back into the workspace from the cache.
 * `pipewright checkout` alone: link the data `.dvc` files track in from DVC's local cache.
 */
import { join } from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import type { ValueHash } from '../cache/hash.js';
import { layout } from '../layout.js';
import { ExitCode, addProjectOption, enterProject, openRunStore, runCommand } from './common.js';

export function checkoutCommandDefinition(): Command {
  return addProjectOption(new Command('checkout'))
    .description("put a run's outs back into the workspace from the cache, and record them in pipewright.lock; without a run, link the deps .dvc files track in from DVC's cache")
    .argument('[run]', 'id, #id, name, or last~N (N runs before the last); none: the missing deps DVC tracks, from .dvc/cache')
    .argument('[stage...]', 'only the instances of these stages')
    .addHelpText('after', `
Outs removed from the cache since (by \`pipewright gc\`) cannot come back: they are named, and the
exit code is 1. Params files are not changed: \`pipewright status\` then tells what differs.

Without a run: every dep that is missing and tracked by a .dvc file (data/data.xml.dvc, or the
.dvc file of a folder above it) is linked in from DVC's local cache (.dvc/cache, DVC 2 and 3
layouts), each file checked against its md5 first. What the cache does not hold is named with the
\`dvc pull\` that fetches it, and the exit code is 1.`)
    .action((ref: string | undefined, stages: string[], flags: { cwd: string }) => runCommand(async () => {
      if (ref === undefined) return checkoutFromDvc(flags.cwd);
      const [{ StageCache }, { acquireWorkspaceLock }, { forgetUpToDate }, { openProject }] = await Promise.all([
        import('../cache/stage-cache.js'), import('../cache/workspace-lock.js'), import('../cache/up-to-date.js'), import('../run/project.js')]);
      const runs = await openRunStore(flags.cwd);
      const project = await openProject(enterProject(flags.cwd));
      const warn = (m: string) => process.stderr.write(`${pc.yellow('warning')}: ${m}\n`);
      const lock = acquireWorkspaceLock(layout(project.root).workspaceLock, `pipewright checkout ${ref}`, warn);
      const cache = new StageCache(project.declaration, { warn });
      try {
        const run = runs.resolve(ref);
        const instances = runs.instances(run.id).filter((i) => i.outs?.length && (stages.length === 0 || stages.includes(i.stage) || stages.includes(i.name)));
        forgetUpToDate(project.root);
        const missing: string[] = [];
        let restored = 0;
        for (const instance of instances) {
          const cached = instance.outs!.filter((o) => o.cache);
          // A hard-linked out edited in place changed its object too: that counts as lost.
          const lost = (await cache.intact(cached)) ? [] : cached;
          if (lost.length) {
            missing.push(...lost.map((o) => `${o.path} (${instance.name})`));
            continue;
          }
          for (const out of instance.outs!) {
            if (!out.cache) continue;
            await cache.store.checkout(out.hash, join(project.root, out.path));
            restored++;
          }
          // The lock learns the run's record, so that status and run judge from it.
          const known = instance.fingerprint && cache.runCache.get(instance.fingerprint as ValueHash);
          if (known) cache.lock.set(instance.name, known.entry);
        }
        process.stdout.write(`checked out ${restored} outs of ${instances.length} instances of run #${run.id} ${run.name}\n`);
        if (missing.length) {
          process.stderr.write(`${pc.red('not in the cache any more')} (removed by gc, or changed in place through a hard link):\n${missing.map((m) => `  ${m}\n`).join('')}`);
          return ExitCode.stageFailed;
        }
        return ExitCode.ok;
      } finally {
        cache.close();
        runs.close();
        lock.release();
      }
    }));
}

/** Links the missing `.dvc`-tracked deps in from DVC's cache; names those it cannot. */
async function checkoutFromDvc(cwd: string): Promise<ExitCode> {
  const [{ ObjectStore }, { MissingDeps }, { openProject }] = await Promise.all([
    import('../cache/object-store.js'), import('../cache/missing-deps.js'), import('../run/project.js')]);
  const project = await openProject(enterProject(cwd));
  const deps = new MissingDeps(project.graph);
  const { linked, failed } = await deps.checkout(project.graph.order, new ObjectStore(layout(project.root).cache));
  for (const t of linked) process.stdout.write(`${pc.green('✓')} ${t.out.path} ${pc.dim(`from DVC's cache (${t.dvcFile})`)}\n`);
  for (const f of failed) process.stderr.write(`${pc.red('✗')} ${f.tracking.out.path}: ${f.error}\n`);
  const still = project.graph.order.flatMap((stage) => deps.blocked(stage));
  const unique = [...new Map(still.map((b) => [b.path, b])).values()];
  for (const b of unique) process.stderr.write(`${pc.yellow('missing')} ${b.path}: ${b.help}\n`);
  if (linked.length === 0 && unique.length === 0 && failed.length === 0) process.stdout.write('no dep is missing\n');
  return unique.length || failed.length ? ExitCode.stageFailed : ExitCode.ok;
}
