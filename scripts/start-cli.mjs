/**
 * Starts the built `pipewright` with these arguments and waits for its output (stdout or stderr)
 * to match `pattern`: what scripts and benches do to get a server's URL. `found` is the pattern's
 * first group; it fails if the command exits first.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'dist/bin/pipewright.cjs');

export function startCli(args, { cwd, pattern, env = process.env }) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const found = new Promise((resolveFound, reject) => {
    let out = '';
    const look = (d) => {
      out += d;
      const m = pattern.exec(out);
      if (m) resolveFound(m[1]);
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.once('exit', (code) => reject(new Error(`pipewright ${args[0]} exited ${code}: ${out}`)));
  });
  return { child, found };
}
