/**
 * What the Dockerfile's image would hold, checked without a Docker engine (there is none here):
 * the image installs `npm pack`'s tarball, so the tarball alone must make a working CLI. It is
 * packed from this build, extracted in a temp folder, given this repository's node_modules (the
 * image's `npm install` of the dependencies), and its own `bin` runs `--help`, compiles a pipeline
 * and runs the compiled tasks with `exec --cached`: a TS stage (worker-thread entry in dist/bin, the
 * library in dist/src) and a command stage. A file missing from package.json's "files" fails here.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO, useProjects } from '../helpers/project.js';
import { yamlDocuments } from './checks.js';
import { argoContainers, runContainers } from './local-runner.js';

const project = useProjects();
const temp = mkdtempSync(join(tmpdir(), 'pw-pack-'));
after(() => rmSync(temp, { recursive: true, force: true }));

const PIPELINE = `import { writeFile, readFile } from 'node:fs/promises';
import { pipeline, stage } from 'pipewright';

export const greet = stage('greet', {
  outs: { text: 'greeting.txt' },
  run: async ({ outs }) => { await writeFile(outs.text, 'hello from the packed CLI\\n'); },
});

export const shout = stage('shout', {
  inputs: { text: greet.outs.text },
  outs: { loud: 'loud.txt' },
  run: async ({ inputs, outs }) => { await writeFile(outs.loud, (await readFile(inputs.text, 'utf8')).toUpperCase()); },
});

export default pipeline('packed', [greet, shout]);
`;

describe('npm pack ships a working CLI (what the Dockerfile installs)', () => {
  it('the extracted tarball\'s bin prints --help, compiles, and runs every compiled task with exec --cached', () => {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', temp], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]!.files.map((f) => f.path);
    assert.ok(files.every((f) => f === 'package.json' || f === 'README.md' || f === 'LICENSE' || f.startsWith('dist/src/') || f.startsWith('dist/bin/')), 'only the built CLI and library');
    assert.ok(files.includes('LICENSE'), 'the licence ships with it');
    assert.ok(!files.some((f) => f.startsWith('dist/test/')), 'no tests in the package');
    execFileSync('tar', ['xzf', join(temp, packed[0]!.filename), '-C', temp]);
    const pkg = join(temp, 'package');
    symlinkSync(join(REPO, 'node_modules'), join(pkg, 'node_modules'));
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const bin = join(pkg, manifest.bin['pipewright']!);

    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /Usage: pipewright/);
    assert.match(help.stdout, /\bcompile\b/);
    assert.match(help.stdout, /\bexec\b/);

    // As in the image: a pipeline's `import 'pipewright'` finds the installed package (not this repository).
    const p = project({ 'pipewright.ts': PIPELINE, 'package.json': '{ "type": "module" }\n' });
    rmSync(p.path('node_modules/pipewright'));
    symlinkSync(pkg, p.path('node_modules/pipewright'));
    const compiled = spawnSync(process.execPath, [bin, 'compile', '--target', 'argo', '-o', '-', '--image', 'pw:1', '--volume', 'ws:/workspace'], { cwd: p.dir, encoding: 'utf8' });
    assert.equal(compiled.status, 0, compiled.stderr);
    const containers = argoContainers(yamlDocuments(compiled.stdout)[0]!);
    assert.deepEqual(containers.map((c) => c.task), ['greet', 'shout']);
    return runContainers(containers, { mountPath: '/workspace', dir: p.dir, cli: bin }).then((results) => {
      for (const r of results) assert.match(r.stderr, /: ran\n/, r.task);
      assert.equal(p.read('loud.txt'), 'HELLO FROM THE PACKED CLI\n');
    });
  });
});
