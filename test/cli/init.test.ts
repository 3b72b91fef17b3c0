/**
 * `pipewright init`: a new project in an empty folder runs, in YAML at once and in TypeScript once its
 * packages are installed; its package.json and tsconfig.json type-check the stages; nothing is ever written
 * over; a DVC project is left as it is.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CLI, REPO } from '../helpers/project.js';

const made: string[] = [];
after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A folder with no node_modules anywhere above it: what a new user's empty folder is. */
function emptyFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pw-init-'));
  made.push(dir);
  return dir;
}

function cli(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('pipewright init', () => {
  it('--ts (the default): after npm install, run works and a second run has nothing to do; tsc --noEmit passes', () => {
    const dir = emptyFolder();
    const init = cli(dir, 'init', 'numbers');
    assert.equal(init.code, 0, init.stderr);
    const project = join(dir, 'numbers');
    for (const file of ['pipewright.ts', 'package.json', 'tsconfig.json', 'pipewright.config.yaml', '.gitignore']) assert.ok(existsSync(join(project, file)), file);
    assert.match(init.stderr, /next:\n {2}cd numbers\n {2}npm install .*\n {2}pipewright run/);
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { type: string; dependencies: Record<string, string> };
    assert.equal(manifest.type, 'module');
    assert.deepEqual(Object.keys(manifest.dependencies), ['pipewright', 'zod']);
    // What npm install gives it: the packages its package.json names.
    mkdirSync(join(project, 'node_modules/@types'), { recursive: true });
    symlinkSync(REPO, join(project, 'node_modules/pipewright'));
    symlinkSync(join(REPO, 'node_modules/zod'), join(project, 'node_modules/zod'));
    symlinkSync(join(REPO, 'node_modules/@types/node'), join(project, 'node_modules/@types/node'));
    const run = cli(project, 'run');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout + run.stderr, /2 ran/);
    assert.equal(JSON.parse(readFileSync(join(project, 'metrics.json'), 'utf8')).count, 1000);
    assert.match(cli(project, 'run', '-S', 'prepare.rows=50').stdout, /2 ran/, 'a param changed reruns both');
    assert.equal(JSON.parse(readFileSync(join(project, 'metrics.json'), 'utf8')).count, 50);
    const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
    writeFileSync(join(project, 'pipewright.ts'), readFileSync(join(project, 'pipewright.ts'), 'utf8').replace('params.bins)', 'params.binz)'));
    const wrong = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
    assert.notEqual(wrong.status, 0, 'a typo in a param is a type error');
    assert.match(wrong.stdout, /binz/);
  });

  it('--yaml: shell stages on Node scripts with params.yaml; run works at once', () => {
    const dir = emptyFolder();
    assert.equal(cli(dir, 'init', '--yaml').code, 0);
    for (const file of ['pipewright.yaml', 'params.yaml', 'scripts/prepare.mjs', 'scripts/summarize.mjs', 'pipewright.config.yaml']) assert.ok(existsSync(join(dir, file)), file);
    const run = cli(dir, 'run');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout + run.stderr, /2 ran/);
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'))), ['count', 'mean', 'histogram']);
    assert.match(cli(dir, 'run').stdout, /0 ran, 2 up to date/, 'nothing changed, nothing runs');
  });

  it('never writes over a file (exit 2 naming them, nothing written); .gitignore gets its lines once', () => {
    const dir = emptyFolder();
    writeFileSync(join(dir, 'params.yaml'), 'mine: 1\n');
    writeFileSync(join(dir, '.gitignore'), 'node_modules');
    const refused = cli(dir, 'init', '--yaml');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /already has params\.yaml: init writes nothing over a file/);
    assert.equal(existsSync(join(dir, 'pipewright.yaml')), false);
    assert.equal(readFileSync(join(dir, 'params.yaml'), 'utf8'), 'mine: 1\n');
    rmSync(join(dir, 'params.yaml'));
    assert.equal(cli(dir, 'init', '--yaml').code, 0);
    assert.equal(readFileSync(join(dir, '.gitignore'), 'utf8'), "node_modules\n# pipewright's state and cache\n.pipewright/\n");
    const again = cli(dir, 'init', '--ts');
    assert.equal(again.code, 2, 'a pipeline file of the other flavour is there too');
    assert.match(again.stderr, /already has pipewright\.config\.yaml, pipewright\.yaml/);
    assert.equal(cli(dir, 'init', '--ts', '--yaml').code, 2);
  });

  it('in a DVC project: nothing written, and it says the project runs as it is', () => {
    const dir = emptyFolder();
    writeFileSync(join(dir, 'dvc.yaml'), 'stages:\n  a:\n    cmd: echo a > a.txt\n    outs: [a.txt]\n');
    const r = cli(dir, 'init');
    assert.equal(r.code, 0);
    assert.match(r.stderr, /is a DVC project: pipewright runs it as it is/);
    assert.equal(existsSync(join(dir, 'pipewright.ts')), false);
    assert.equal(existsSync(join(dir, 'pipewright.config.yaml')), false);
  });
});
