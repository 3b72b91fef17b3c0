/** `pipewright status`: what `run` would do for each stage, and why. Runs nothing. */
import { Command } from 'commander';
import pc from 'picocolors';
import type { StageState, StageStatus } from '../cache/status.js';
import { ExitCode, addProjectOption, collect, enterProject, runCommand } from './common.js';

const LABEL: Record<StageState, string> = {
  'up-to-date': pc.green('up to date'),
  'will-run': pc.yellow('will run'),
  'will-restore': pc.blue('will restore'),
  frozen: pc.dim('frozen'),
  blocked: pc.magenta('blocked'),
  error: pc.red('error'),
};

/** Why, in one line: a stage blocked on many missing deps names the first and counts the rest. */
function describe(status: StageStatus): string {
  const missing = status.reasons.filter((r) => r.kind === 'dep-missing');
  if (missing.length < 3) return status.reasons.map((r) => r.text).join('; ');
  return `${missing[0]!.text}; ${missing.length - 1} more deps missing (${missing.slice(1, 4).map((r) => (r as { path: string }).path).join(', ')}${missing.length > 4 ? ', …' : ''}; --json lists them all)`;
}

export function statusCommandDefinition(): Command {
  return addProjectOption(new Command('status'))
    .description('show which stages are up to date, will run, will be restored from the cache, or are blocked by a missing dep, and why')
    .argument('[stage...]', 'only these stages and their upstream')
    .option('-S, --set <stage.param=value>', 'as if run with this param override (repeatable)', collect, [])
    .option('--json', 'one object per stage: stage, state, reasons')
    .action((stages: string[], flags: { cwd: string; set: string[]; json?: boolean }) => runCommand(async () => {
      const [{ StageCache }, { pipelineStatus }, { selectStages }, { openProject }] = await Promise.all([
        import('../cache/stage-cache.js'), import('../cache/status.js'), import('../graph/select.js'), import('../run/project.js')]);
      const project = await openProject(enterProject(flags.cwd), flags.set);
      const selected = selectStages(project.graph, { targets: stages });
      const warnings: string[] = [];
      const cache = new StageCache(project.declaration, { warn: (m) => warnings.push(m) });
      try {
        const status = await pipelineStatus(project.graph, selected, cache);
        for (const w of warnings) process.stderr.write(`${pc.yellow('warning')}: ${w}\n`);
        if (flags.json) {
          process.stdout.write(JSON.stringify(status, null, 2) + '\n');
          return ExitCode.ok;
        }
        const width = Math.max(...status.map((s) => s.stage.length));
        for (const s of status) {
          const why = s.message ?? describe(s);
          process.stdout.write(`${s.stage.padEnd(width)}  ${LABEL[s.state]}${why ? pc.dim(`: ${why}`) : ''}\n`);
        }
        if (status.every((s) => s.state === 'up-to-date' || s.state === 'frozen')) process.stdout.write(pc.green('\nEverything is up to date.\n'));
        return ExitCode.ok;
      } finally {
        cache.close();
      }
    }));
}
