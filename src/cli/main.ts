/** The `pipewright` (and `pw`) command: every subcommand, parsed by commander. Started by entry.ts. */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { ExitCode } from './common.js';
import { dagCommandDefinition } from './dag.js';
import { execCommandDefinition } from './exec.js';
import { exportCommandDefinition } from './export.js';
import { listCommandDefinition } from './list.js';
import { gcCommandDefinition } from './gc.js';
import { initCommandDefinition } from './init.js';
import { runCommandDefinition } from './run.js';
import { statusCommandDefinition } from './status.js';
import { runsCommandDefinition } from './runs.js';
import { showCommandDefinition } from './show.js';
import { diffCommandDefinition } from './diff.js';
import { metricsCommandDefinition } from './metrics.js';
import { checkoutCommandDefinition } from './checkout.js';
import { compileCommandDefinition } from './compile.js';
import { queueCommandDefinition } from './queue.js';
import { analyzeCommandDefinition } from './analyze.js';
import { plotsCommandDefinition } from './plots.js';
import { workerCommandDefinition } from './worker.js';
import { streamCommandDefinition } from './stream.js';
import { serveCommandDefinition } from './serve.js';
import { remoteCommandDefinition } from './remote.js';
import { fetchCommandDefinition, pullCommandDefinition, pushCommandDefinition } from './push.js';
import { uiCommandDefinition } from './ui.js';

const program = new Command('pipewright')
  .description('Reproducible, parallel ML and data pipelines')
  .version(VERSION)
  // `run --version NAME` is the run's option: the program's own options only come before a command.
  .enablePositionalOptions()
  .showHelpAfterError('(add --help for usage)')
  .exitOverride()
  .addCommand(initCommandDefinition())
  .addCommand(runCommandDefinition())
  .addCommand(statusCommandDefinition())
  .addCommand(dagCommandDefinition())
  .addCommand(listCommandDefinition())
  .addCommand(execCommandDefinition())
  .addCommand(exportCommandDefinition())
  .addCommand(compileCommandDefinition())
  .addCommand(gcCommandDefinition())
  .addCommand(runsCommandDefinition())
  .addCommand(showCommandDefinition())
  .addCommand(diffCommandDefinition())
  .addCommand(metricsCommandDefinition())
  .addCommand(checkoutCommandDefinition())
  .addCommand(queueCommandDefinition())
  .addCommand(plotsCommandDefinition())
  .addCommand(analyzeCommandDefinition())
  .addCommand(workerCommandDefinition())
  .addCommand(streamCommandDefinition())
  .addCommand(serveCommandDefinition())
  .addCommand(remoteCommandDefinition())
  .addCommand(pushCommandDefinition())
  .addCommand(pullCommandDefinition())
  .addCommand(fetchCommandDefinition())
  .addCommand(uiCommandDefinition());

const exitOverride = (command: Command): void => {
  command.exitOverride();
  command.commands.forEach(exitOverride);
};
program.commands.forEach(exitOverride);


try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  // Help and version exit 0; every other parse error is bad usage.
  process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
}
