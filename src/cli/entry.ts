#!/usr/bin/env node
/**
 * The `pipewright` (and `pw`) command's entry, built as one CommonJS file with the no-op fast path
 * in it (dist/bin/pipewright.cjs). A plain `pipewright run` (no stages, overrides or flags beyond
 * -j, -C and -v) is first offered to the fast path; anything else, and any run with work to do,
 * goes to the full CLI (main.ts, ES modules). Starting Node is most of a no-op: the rest of the
 * CLI (commander, a dozen commands) is not loaded for it.
 */
import { availableParallelism } from 'node:os';
import { answeredAsNoOp, debugFastPath, type PlainRun } from './fast-path.js';
import { hasInterruptBudgetFlag } from './v8-flags.js';

/** The flags of a plain `run`, or undefined when the full CLI must read the command line. */
function plainRun(args: readonly string[]): PlainRun | undefined {
  if (args[0] !== 'run') return undefined;
  let dir = '.';
  let jobs = availableParallelism();
  let verbose = false;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    if ((arg === '-j' || arg === '--jobs') && /^[1-9]\d*$/.test(args[i + 1] ?? '')) jobs = Number(args[++i]);
    else if ((arg === '-C' || arg === '--cwd') && args[i + 1] !== undefined) dir = args[++i]!;
    else if (arg === '-v' || arg === '--verbose') verbose = true;
    else if (arg !== '--keep-going') return undefined;
  }
  return { dir, jobs, verbose };
}

// `pipewright runs | head`: a closed pipe ends the output, not the program with a stack.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

async function main(): Promise<void> {
  const run = plainRun(process.argv.slice(2));
  if (run && (await answeredAsNoOp(run))) return;
  if (!run) debugFastPath('not a plain run: the full CLI answers');
  // V8 optimizes a function after it has run a while; most of what a run executes (planning,
  // recording, a thousand small stages' bookkeeping) is warm, not hot, and optimizing it cost more
  // CPU than it saved: a fifth of the process's CPU on a cold run of a thousand stages went to the
  // optimizing compiler. Eight times the default budget leaves that to the truly hot code (a TS
  // stage's own loops still reach it within milliseconds). Set before the CLI is loaded, so that
  // its functions are compiled under it; a no-op does not load node:v8 at all. Only V8s up to 11.3
  // (Node 20) have the flag; elsewhere setting it would print "Error: unrecognized flag" on every
  // start, so there the CLI starts with V8's defaults (src/cli/v8-flags.ts).
  if (hasInterruptBudgetFlag(process.versions.v8)) {
    const { setFlagsFromString } = await import('node:v8');
    setFlagsFromString('--interrupt-budget=540672');
  }
  await import('./main.js');
}

void main();
