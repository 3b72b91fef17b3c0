/** `pipewright stream FILE`: run a flow over JSON lines. */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { ExitCode, runCommand } from './common.js';

export function streamCommandDefinition(): Command {
  return new Command('stream')
    .description('run a flow over JSON lines (stdin or --in), writing its outputs as JSON lines in order (stdout or --out)')
    .argument('<file>', 'the flow file (for example score.flow.ts)')
    .option('--in <file>', 'read items from this JSON-lines file instead of stdin')
    .option('--out <file>', 'write outputs to this file instead of stdout')
    .action((file: string, flags: { in?: string; out?: string }) => runCommand(async () => {
      const [{ loadFlowFile }, { streamLines }] = await Promise.all([import('../flow/load-flow.js'), import('../flow/stream-lines.js')]);
      const definition = await loadFlowFile(resolve(file), file);
      // Outputs own stdout: what cells print goes to stderr.
      if (!flags.out) console.log = console.info = console.debug = console.error;
      try {
        await streamLines(definition, { in: flags.in, out: flags.out, progress: process.stderr.isTTY === true });
      } catch (err) {
        if ((err as Error)?.name !== 'ItemFailedError') throw err;
        process.stderr.write(`error: ${(err as Error).message}\n`);
        return ExitCode.stageFailed;
      }
      return ExitCode.ok;
    }));
}
