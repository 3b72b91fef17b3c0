/**
 * `pipewright push|fetch|pull`: outs (and with --run-cache, every recorded run) between the local
 * cache and a remote. push uploads what the remote lacks; fetch downloads into the local cache
 * only; pull fetches and then puts the lockfile's outs into the workspace.
 */
import { Command } from 'commander';
import pc from 'picocolors';
import type { OutRef } from '../remote/sync.js';
import { objectKey } from '../remote/keys.js';
import type { TransferResult } from '../remote/transfer.js';
import { ExitCode, addProjectOption, enterProject, runCommand } from './common.js';

type Verb = 'push' | 'fetch' | 'pull';

interface Flags {
  readonly cwd: string;
  readonly remote?: string;
  readonly runCache?: boolean;
  readonly force?: boolean;
}

const DESCRIPTIONS: Record<Verb, string> = {
  push: "upload the lockfile's outs (and with --run-cache every recorded run) to a remote",
  fetch: "download the lockfile's outs (and with --run-cache everyone's recorded runs) into the local cache, without touching the workspace",
  pull: "download the lockfile's outs and put them into the workspace (with --run-cache, everyone's recorded runs too, so that run restores them)",
};

const AFTER: Record<Verb, string> = {
  push: `
Objects already on the remote are not sent again; each is checked against its hash before it
leaves, so a damaged local object is never shared. With --run-cache, the run-cache entries go up
after all their objects, so a teammate never receives an entry the remote cannot restore.

Examples:
  pipewright push                 the lockfile's outs, to the default remote
  pipewright push train -r s3     only train's outs, to the remote named s3
  pipewright push --run-cache     also every run recorded here, for pull --run-cache elsewhere`,
  fetch: `
Every object is checked against its hash before it enters the local cache: a corrupt object on the
remote is refused and named, and the exit code is 1.`,
  pull: `
Every object is checked against its hash before it enters the local cache. An out whose workspace
content differs is replaced when that content is in the local cache too (nothing is lost);
otherwise it is kept and named, unless --force.

On a second machine (or a fresh clone):
  pipewright pull --run-cache && pipewright run      restores what anyone already computed`,
};

export function pushCommandDefinition(): Command {
  return transferCommand('push');
}

export function fetchCommandDefinition(): Command {
  return transferCommand('fetch');
}

export function pullCommandDefinition(): Command {
  return transferCommand('pull').option('-f, --force', 'replace outs in the workspace even when their content is in no cache');
}

function transferCommand(verb: Verb): Command {
  return addProjectOption(new Command(verb))
    .description(DESCRIPTIONS[verb])
    .argument('[stage...]', 'only these stages (a swept stage: all its instances) or instances; all when none')
    .option('-r, --remote <name>', 'the remote (default: default_remote in pipewright.config.yaml, or the only one)')
    .option('--run-cache', verb === 'push' ? 'also push the run-cache: every run recorded here, with its outs' : "also the remote's run-cache: runs anyone recorded, with their outs")
    .addHelpText('after', AFTER[verb])
    .action((targets: string[], flags: Flags) => runCommand(() => transfer(verb, targets, flags)));
}

async function transfer(verb: Verb, targets: readonly string[], flags: Flags): Promise<ExitCode> {
  const [{ openProject }, { chooseRemote }, { openBackend }, { describeLocation }, { stageFilter }, { LocalCache }, sync, { progressLine, formatBytes }, { acquireWorkspaceLock }, { layout }] = await Promise.all([
    import('../run/project.js'), import('../remote/config.js'), import('../remote/backend.js'), import('../remote/url.js'), import('../remote/selection.js'),
    import('../remote/local.js'), import('../remote/sync.js'), import('../remote/progress.js'), import('../cache/workspace-lock.js'), import('../layout.js')]);
  const warn = (m: string) => process.stderr.write(`${pc.yellow('warning')}: ${m}\n`);
  const project = await openProject(enterProject(flags.cwd));
  const remote = chooseRemote(project.root, flags.remote);
  const select = stageFilter(project.graph, targets);
  const backend = await openBackend(remote.location);
  const lock = acquireWorkspaceLock(layout(project.root).workspaceLock, `pipewright ${verb}`, warn);
  const local = new LocalCache(project.root, warn);
  const out = (line: string) => process.stdout.write(line + '\n');
  const problem = (line: string) => process.stderr.write(line + '\n');
  let failed = false;
  try {
    await backend.check(verb === 'push' ? 'write' : 'read');
    const where = `${remote.name} (${describeLocation(remote.location)})`;
    const options = { local, remote: backend, select, warn, runCache: flags.runCache === true, progress: progressLine(verb === 'push' ? 'uploading' : 'downloading', process.stderr) };
    if (verb === 'push') {
      out(`Pushing to ${where}`);
      const report = await sync.push(options);
      out(`${count(report.objects.copied, 'object')} uploaded (${formatBytes(report.objects.copiedBytes)}), ${report.objects.already} already there`);
      if (report.runCache) {
        out(`run-cache: ${count(report.runCache.added, 'entry', 'entries')} added, ${report.runCache.total} on the remote${report.runCache.merged ? ' (segments merged)' : ''}`);
        if (report.runCache.withheld) warn(`${count(report.runCache.withheld, 'run-cache entry', 'run-cache entries')} not pushed: some of their objects are not in the local cache`);
      }
      failed = reportProblems(report.objects, report.notPushed, 'not pushed (not in the local cache: run the stage here, or gc removed it)', 'in the local cache is damaged', problem);
    } else {
      out(`Fetching from ${where}`);
      const report = await sync.fetch(options);
      out(`${count(report.objects.copied, 'object')} downloaded (${formatBytes(report.objects.copiedBytes)}), ${report.objects.already} already here`);
      if (report.runCache) {
        out(`run-cache: ${count(report.runCache.imported, 'entry', 'entries')} added, ${report.runCache.remote} on the remote for these stages`);
        if (report.runCache.withheld) warn(`${count(report.runCache.withheld, 'run-cache entry', 'run-cache entries')} not taken: some of their objects could not be fetched`);
        for (const segment of report.runCache.damaged) warn(`run-cache segment ${segment} on ${remote.name} is damaged (its content does not match its name); skipped`);
      }
      failed = reportProblems(report.objects, report.notFetched, `missing on ${remote.name} (never pushed?)`, `on ${remote.name} is corrupt`, problem,
        (keys) => `hint: remove ${keys.join(', ')} from ${remote.name}, then push from a machine whose cache holds ${keys.length === 1 ? 'it' : 'them'} (push skips objects the remote already has)`);
      if (verb === 'pull') {
        const { forgetUpToDate } = await import('../cache/up-to-date.js');
        const placed = await sync.checkoutOuts(local, select, flags.force === true);
        if (placed.placed.length) forgetUpToDate(project.root);
        out(`${count(placed.placed.length, 'out')} checked out, ${placed.unchanged} already in place`);
        for (const k of placed.kept) problem(`${pc.yellow('kept')} ${k.path} (${k.stage}): its content differs and is in no cache; pull --force replaces it`);
        if (placed.kept.length) failed = true;
      }
    }
  } finally {
    local.close();
    backend.close();
    lock.release();
  }
  return failed ? ExitCode.stageFailed : ExitCode.ok;
}

/** Names what could not be moved; true when anything could not. */
function reportProblems(objects: TransferResult, outs: readonly OutRef[], missingText: string, corruptText: string, write: (line: string) => void,
  fix?: (keys: readonly string[]) => string): boolean {
  for (const c of objects.corrupt) write(`${pc.red('refused')}: object ${c.hash} ${corruptText} (its content hashes to ${c.found}); nothing was stored`);
  if (objects.corrupt.length && fix) write(`  ${fix(objects.corrupt.map((c) => objectKey(c.hash)))}`);
  const unique = [...new Map(outs.map((o) => [`${o.stage}\0${o.path}`, o])).values()];
  if (unique.length) write(`${pc.red(missingText)}:\n${unique.map((o) => `  ${o.path} (${o.stage})`).join('\n')}`);
  return objects.corrupt.length > 0 || unique.length > 0;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
