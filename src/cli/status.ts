/** `pipewright status`: what `run` would do for each stage, and why. Runs nothing. */
import { Command } from 'commander';
import pc from 'picocolors';
import type { StageState, StageStatus } from '../cache/status.js';
import { ExitCode, addProjectOption, collect, enterProject, runCommand } from './common.js';
import { PipelineError } from '../errors.js';

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
    .option('-r, --remote [name]', "also look in a remote's run-cache (default: the default remote, else the only one): a stage recorded there will be restored from it; status is offline without it")
    .action((stages: string[], flags: { cwd: string; set: string[]; json?: boolean; remote?: string | true }) => runCommand(async () => {
      const [{ StageCache }, { pipelineStatus }, { selectStages }, { openProject }] = await Promise.all([
        import('../cache/stage-cache.js'), import('../cache/status.js'), import('../graph/select.js'), import('../run/project.js')]);
      const project = await openProject(enterProject(flags.cwd), flags.set);
      const selected = selectStages(project.graph, { targets: stages });
      const warnings: string[] = [];
      const warn = (m: string) => warnings.push(m);
      const shared = flags.remote === undefined ? undefined
        : await (await import('../remote/cache-tier.js')).RemoteCacheTier.forRun(project.root, flags.remote === true ? undefined : flags.remote, warn);
      if (flags.remote !== undefined && !shared) throw new PipelineError('remote', '--remote: the project has no remote (or several and no default)', undefined, 'name one: status --remote NAME');
      const cache = new StageCache(project.declaration, { warn, ...(shared ? { shared } : {}) });
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
          const remote = s.reasons[0]?.kind === 'on-remote' ? s.reasons[0].remote : undefined;
          const label = remote ? pc.blue(`will restore from remote ${remote}`) : LABEL[s.state];
          const rest = remote ? s.reasons.slice(1).map((r) => r.text).join('; ') : why;
          process.stdout.write(`${s.stage.padEnd(width)}  ${label}${rest ? pc.dim(`: ${rest}`) : ''}\n`);
        }
        if (status.every((s) => s.state === 'up-to-date' || s.state === 'frozen')) process.stdout.write(pc.green('\nEverything is up to date.\n'));
        return ExitCode.ok;
      } finally {
        cache.close();
        shared?.close();
      }
    }));
}
