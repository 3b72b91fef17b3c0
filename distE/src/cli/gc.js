/** `pipewright gc`: free cache space no out in the lockfile (or the run-cache) refers to. */
import { Command } from 'commander';
import { layout } from '../layout.js';
import { ExitCode, addProjectOption, enterProject, runCommand } from './common.js';
export function gcCommandDefinition() {
    return addProjectOption(new Command('gc'))
        .description('remove cache objects that no out in pipewright.lock refers to')
        .option('--keep-run-cache', 'also keep the objects of every run in the run-cache (so old params still restore at once)')
        .option('-n, --dry-run', 'only report what would be removed')
        .action((flags) => runCommand(async () => {
        const [{ collectGarbage }, { StageCache }, { acquireWorkspaceLock }, { openProject }] = await Promise.all([
            import('../cache/gc.js'), import('../cache/stage-cache.js'), import('../cache/workspace-lock.js'), import('../run/project.js')
        ]);
        const project = await openProject(enterProject(flags.cwd));
        const lock = acquireWorkspaceLock(layout(project.root).workspaceLock, 'pipewright gc', (m) => process.stderr.write(`warning: ${m}\n`));
        const cache = new StageCache(project.declaration, { warn: (m) => process.stderr.write(`warning: ${m}\n`) });
        try {
            const report = await collectGarbage(cache, { keepRunCache: flags.keepRunCache === true, dryRun: flags.dryRun === true });
            const verb = flags.dryRun ? 'would remove' : 'removed';
            process.stdout.write(`${verb} ${report.removedObjects} objects (${bytes(report.removedBytes)}), kept ${report.keptObjects} (${bytes(report.keptBytes)})\n`);
            if (report.removedRunCacheEntries)
                process.stdout.write(`${verb} ${report.removedRunCacheEntries} run-cache entries whose outs are gone\n`);
            return ExitCode.ok;
        }
        finally {
            cache.close();
            lock.release();
        }
    }));
}
function bytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) {
        n /= 1024;
        i++;
    }
    return `${i ? n.toFixed(1) : n} ${units[i]}`;
}
//# sourceMappingURL=gc.js.map