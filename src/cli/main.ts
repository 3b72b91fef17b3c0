#!/usr/bin/env node
/** The `pipewright` (and `pw`) command. */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { ExitCode } from './common.js';
import { dagCommandDefinition } from './dag.js';
import { execCommandDefinition } from './exec.js';
import { listCommandDefinition } from './list.js';
import { gcCommandDefinition } from './gc.js';
import { runCommandDefinition } from './run.js';
import { statusCommandDefinition } from './status.js';

// This file runs from dist/src/cli (tsc) or dist/bin (the bundle): find package.json above it.
const version = (() => {
  for (let url = new URL('.', import.meta.url); url.pathname !== '/'; url = new URL('..', url)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'pipewright') return pkg.version;
    } catch {
      // not here; one folder up
    }
  }
  return 'unknown';
})();

const program = new Command('pipewright')
  .description('Reproducible, parallel ML and data pipelines')
  .version(version)
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
