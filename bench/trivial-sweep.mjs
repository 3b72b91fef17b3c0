/**
 * The project both the sweep bench and the BullMQ throughput bench run: a TS pipeline of one stage
 * swept over `n` values, each instance doing next to nothing, so what is timed is pipewright's own
 * cost per instance. pipewright and zod are linked from this repository.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A new temp folder holding the project; `config` is written as pipewright.config.yaml when given. */
export function trivialSweepProject(n, { name, prefix, config } = {}) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules/pipewright'));
  symlinkSync(join(REPO, 'node_modules/zod'), join(dir, 'node_modules/zod'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  if (config) writeFileSync(join(dir, 'pipewright.config.yaml'), config);
  writeFileSync(join(dir, 'pipewright.ts'), `import { grid, pipeline, stage } from 'pipewright';
import { z } from 'zod';
const xs = Array.from({ length: ${n} }, (_, i) => i);
const trivial = stage('trivial', {
  params: z.object({ x: z.number().default(0) }),
  sweep: { space: { x: grid(xs) } },
  run: ({ params }) => ({ y: params.x * 2 }),
});
export default pipeline(${JSON.stringify(name)}, [trivial]);
`);
  return dir;
}
