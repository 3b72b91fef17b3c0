#!/usr/bin/env node
/** The `pipewright` (and `pw`) command. */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { ExitCode } from './common.js';
import { dagCommandDefinition } from './dag.js';
import { execCommandDefinition } from './exec.js';
import { listCommandDefinition } from './list.js';
import { gcCommandDefinition } from './gc.js';
import { runCommandDefinition } from './run.js';
import { statusCommandDefinition } from './status.js';

const program = new Command('pipewright')
  .description('Reproducible, parallel ML and data pipelines')
  .version(VERSION)
  .showHelpAfterError('(add --help for usage)')
  .exitOverride()
  .addCommand(runCommandDefinition())
  .addCommand(statusCommandDefinition())
  .addCommand(dagCommandDefinition())
  .addCommand(listCommandDefinition())
  .addCommand(execCommandDefinition())
  .addCommand(gcCommandDefinition());

for (const command of program.commands) command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  // Help and version exit 0; every other parse error is bad usage.
  process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
}
