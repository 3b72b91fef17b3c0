/**
 * The package as a user installs it: `npm pack`'s tarball passes publint (strict) and arethetypeswrong
 * (ESM only, as the README says), and a TypeScript project type-checks against it with `moduleResolution`
 * node16 and bundler: the API's types arrive, and a wrong use is a type error.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO } from '../helpers/project.js';

const temp = mkdtempSync(join(tmpdir(), 'pw-types-'));
after(() => rmSync(temp, { recursive: true, force: true }));
let tarball: string;

const bin = (name: string) => join(REPO, 'node_modules/.bin', name);

const CONSUMER = `import { z } from 'zod';
import { cell, flow, pipeline, source, stage, type FlowDefinition } from 'pipewright';

const prepare = stage('prepare', {
  params: z.object({ rows: z.number().int().default(10) }),
  outs: { data: 'data.json' },
  run: async ({ params, outs }) => { const n: number = params.rows; void n; void outs.data; },
});
const train = stage('train', {
  inputs: { data: prepare.outs.data },
  run: async ({ inputs }) => { const path: string = inputs.data; void path; return { accuracy: 1 }; },
});
export default pipeline('typed', [prepare, train]);

const numbers = source('numbers', { run: function* () { yield 1; yield 2; } });
const double = cell('double', { run: (x: number) => x * 2 });
export const doubled: FlowDefinition = flow('doubled', [numbers, double]);
`;

describe('the packed package, as users install it', () => {
  before(() => {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', temp], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as { filename: string }[];
    tarball = join(temp, packed[0]!.filename);
  });

  it('publint (strict) and arethetypeswrong (--profile esm-only) find nothing', () => {
    const publint = spawnSync(bin('publint'), ['run', tarball, '--strict'], { encoding: 'utf8' });
    assert.equal(publint.status, 0, publint.stdout + publint.stderr);
    assert.match(publint.stdout, /All good!/);
    const attw = spawnSync(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped'], { encoding: 'utf8' });
    assert.equal(attw.status, 0, attw.stdout + attw.stderr);
  });

  for (const resolution of ['node16', 'bundler'] as const) {
    it(`a TS project type-checks against it (moduleResolution ${resolution}), and a wrong use is an error`, () => {
      const dir = join(temp, resolution);
      mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
      execFileSync('tar', ['xzf', tarball, '-C', dir]);
      execFileSync('mv', [join(dir, 'package'), join(dir, 'node_modules/pipewright')]);
      // What npm installs with it: its dependencies (their own come along through the links) and zod.
      const manifest = JSON.parse(readFileSync(join(dir, 'node_modules/pipewright/package.json'), 'utf8')) as { dependencies: Record<string, string> };
      for (const name of [...Object.keys(manifest.dependencies), 'zod']) {
        mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true });
        symlinkSync(join(REPO, 'node_modules', name), join(dir, 'node_modules', name));
      }
      symlinkSync(join(REPO, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node'));
      writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { target: 'ES2022', module: resolution === 'node16' ? 'Node16' : 'ESNext', moduleResolution: resolution === 'node16' ? 'Node16' : 'Bundler', strict: true, noEmit: true, types: ['node'] },
        include: ['*.ts'],
      }));
      writeFileSync(join(dir, 'pipeline.ts'), CONSUMER);
      const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
      assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
      writeFileSync(join(dir, 'pipeline.ts'), CONSUMER.replace('const n: number = params.rows', 'const n: string = params.rows'));
      const wrong = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
      assert.notEqual(wrong.status, 0);
      assert.match(wrong.stdout, /Type 'number' is not assignable to type 'string'/);
    });
  }
});
