/** `pipewright ui`: the local, read-only dashboard of recorded runs (see src/ui/server.ts). */
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { findPipelineFile } from '../define/load.js';
import { ExitCode, addProjectOption, enterProject, runCommand } from './common.js';

export function uiCommandDefinition(): Command {
  return addProjectOption(new Command('ui'))
    .description('a local, read-only dashboard: runs, a run\'s live DAG, logs and plots, runs compared, sweeps\' significance, served flows')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`expected a port, 0–65535, got "${v}"`);
      return n;
    }, 7878)
    .option('--host <host>', 'address to listen on (anything but loopback exposes your runs to the network)', '127.0.0.1')
    .option('--open', 'open the page in the default browser')
    .addHelpText('after', `
Pages: #/ the runs (sorted, filtered and paged by the server), #/runs/ID a run (its DAG, live
while it runs; a stage's instances, cache hits, reasons, metrics, plots and logs), #/compare/1,2
runs side by side (deltas, plots overlaid, sweeps in parallel coordinates and their significance),
#/flows the flows \`pipewright serve\` is serving from this folder.

The printed URL carries a random token (new each start); the page trades it for a cookie. Keep it
to yourself: whoever has it can read every run, log and file of this project.`)
    .action((flags: { cwd: string; port: number; host: string; open?: boolean }) => runCommand(async () => {
      const [{ startUi }, { isLoopback }] = await Promise.all([import('../ui/server.js'), import('../ui/auth.js')]);
      const root = realpathSync(dirname(findPipelineFile(enterProject(flags.cwd))));
      if (!isLoopback(flags.host)) {
        process.stderr.write(`warning: --host ${flags.host} is not loopback: anyone who can reach it and has the token can read this project's runs, logs and files\n`);
      }
      // Bundled, this module's chunk sits in dist/bin next to ui-client.js.
      const server = await startUi({ root, assets: dirname(fileURLToPath(import.meta.url)), host: flags.host, port: flags.port });
      // Listening for the signals before the URL is out: whoever read it may stop us at once, and
      // a SIGTERM before a listener exists ends the process at the kernel's default, uncleanly.
      const stopped = new Promise<void>((done) => {
        const stop = () => void server.close().then(done);
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      process.stdout.write(`pipewright ui: ${server.url}\n`);
      if (flags.open) openBrowser(server.url);
      await stopped;
      return ExitCode.ok;
    }));
}

function openBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(command as string, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`could not start a browser (${command as string}); open the URL above yourself\n`));
  child.unref();
}
