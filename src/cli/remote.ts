/**
 * `pipewright remote add|list|remove`: the shared caches push, pull and fetch use, kept in the
 * committed `pipewright.config.yaml` (as DVC keeps them in .dvc/config), so that a clone knows them.
 */
import { dirname } from 'node:path';
import { Command } from 'commander';
import { findPipelineFile } from '../define/load.js';
import { ExitCode, addProjectOption, enterProject, printJson, runCommand } from './common.js';

/** The project root: where the pipeline file and the config file are. */
const rootOf = (cwd: string): string => dirname(findPipelineFile(enterProject(cwd)));

export function remoteCommandDefinition(): Command {
  const add = addProjectOption(new Command('add'))
    .description('add a remote (a shared cache) to pipewright.config.yaml')
    .argument('<name>', 'what push, pull and fetch call it (-r NAME)')
    .argument('<url>', 'a folder (/mnt/shared/cache, ../cache, file:///mnt/cache) or s3://bucket/prefix')
    .option('-d, --default', 'make it the default remote (used without -r)')
    .option('--endpoint <url>', 'for s3:// on an S3-compatible store (MinIO, Ceph, R2): its http(s) URL')
    .option('--region <region>', 'for s3://: the bucket\'s region (default: AWS_REGION, else us-east-1)')
    .option('-f, --force', 'replace a remote of the same name')
    .addHelpText('after', `
Relative folder paths are relative to the project folder. S3 credentials come from the AWS SDK's
usual places (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws/credentials), never
from the config file, which is meant to be committed.

Examples:
  pipewright remote add shared /mnt/nfs/pipewright-cache --default
  pipewright remote add s3 s3://ml-team/cache --endpoint http://minio.internal:9000`)
    .action((name: string, url: string, flags: { cwd: string; default?: boolean; endpoint?: string; region?: string; force?: boolean }) => runCommand(async () => {
      const { addRemote } = await import('../remote/config.js');
      await addRemote(rootOf(flags.cwd), name, { url, ...(flags.endpoint ? { endpoint: flags.endpoint } : {}), ...(flags.region ? { region: flags.region } : {}) },
        { makeDefault: flags.default === true, force: flags.force === true });
      process.stdout.write(`added remote ${name}: ${url}${flags.default ? ' (default)' : ''}\n`);
      return ExitCode.ok;
    }));

  const list = addProjectOption(new Command('list'))
    .description('the remotes in pipewright.config.yaml, the default marked')
    .option('--json', 'as JSON')
    .action((flags: { cwd: string; json?: boolean }) => runCommand(async () => {
      const { listRemotes } = await import('../remote/config.js');
      const remotes = listRemotes(rootOf(flags.cwd));
      if (flags.json) {
        printJson(remotes.map((r) => ({ name: r.name, ...r.spec, default: r.isDefault })));
      } else if (remotes.length === 0) {
        process.stdout.write('No remotes. `pipewright remote add NAME URL` adds one.\n');
      } else {
        for (const r of remotes) {
          process.stdout.write(`${r.name}\t${r.spec.url}${r.spec.endpoint ? ` (endpoint ${r.spec.endpoint})` : ''}${r.isDefault ? '\t(default)' : ''}\n`);
        }
      }
      return ExitCode.ok;
    }));

  const remove = addProjectOption(new Command('remove'))
    .description('remove a remote from pipewright.config.yaml (what it holds is left alone)')
    .argument('<name>', 'the remote to remove')
    .action((name: string, flags: { cwd: string }) => runCommand(async () => {
      const { removeRemote } = await import('../remote/config.js');
      await removeRemote(rootOf(flags.cwd), name);
      process.stdout.write(`removed remote ${name}\n`);
      return ExitCode.ok;
    }));

  return new Command('remote').description('manage remotes: shared caches (a folder or S3) that push, pull and fetch use')
    .addCommand(add).addCommand(list).addCommand(remove);
}
