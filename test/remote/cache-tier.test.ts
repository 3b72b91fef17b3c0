/**
 * The remote as a cache tier: a fresh clone's `run` restores from the remote's run-cache what was
 * computed elsewhere, without `pull`; a changed param runs only what it changes; `--no-remote`,
 * an unreachable remote, a damaged object, `status --remote`, `--push` and `auto_push`.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { useProjects, type TestProject } from '../helpers/project.js';
import { checkoutFiles, executions, pipelineFiles, remoteConfig } from './fixture.js';

const project = useProjects();
const dir = mkdtempSync(join(tmpdir(), 'pw-tier-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let remotes = 0;

/** A laptop's project, run and pushed (`run --push`) to a folder remote of its own. */
async function pushedProject(): Promise<{ laptop: TestProject; remote: string }> {
  const remote = join(dir, `cache-${remotes++}`);
  const laptop = project({ ...pipelineFiles({ points: 2 }), 'pipewright.config.yaml': remoteConfig('shared', remote) });
  const r = await laptop.run('run', '--push');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /pushed 4 new runs to remote shared/);
  return { laptop, remote };
}

async function ok(p: TestProject, ...args: string[]): Promise<string> {
  const r = await p.run(...args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout + r.stderr;
}

const outsOf = (p: TestProject) => ['sum.txt', 'points/1.txt', 'points/2.txt', 'data/part-0.bin'].map((f) => p.read(f));

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the remote as a cache tier of run', () => {
  it('a fresh clone runs nothing: every instance is restored from the remote, then a run is a no-op', async () => {
    const { laptop } = await pushedProject();
    const clone = project(checkoutFiles(laptop, false));
    const out = await ok(clone, 'run');
    assert.match(out, /↺ prep restored from remote shared/);
    assert.match(out, /0 ran, 4 restored/);
    assert.deepEqual(executions(clone), [], 'no stage ran');
    assert.deepEqual(outsOf(clone), outsOf(laptop), 'the same outs');
    assert.match(await ok(clone, 'run'), /0 ran, 4 up to date|Everything is up to date|4 up to date/);
    // The run store records them as restored.
    assert.match(await ok(clone, 'runs'), /4 restored/);
    const runs = JSON.parse((await clone.run('runs', '--json')).stdout) as { name: string; counts: { restored: number } }[];
    const restoring = runs.find((r) => r.counts.restored === 4)!;
    const run = JSON.parse((await clone.run('show', `run:${restoring.name}`, '--json')).stdout) as { instances: { name: string; status: string }[] };
    assert.deepEqual(run.instances.map((i) => i.status), ['restored', 'restored', 'restored', 'restored']);
  });

  it('a changed param runs exactly the affected instances; the rest come from the remote', async () => {
    const { laptop } = await pushedProject();
    const clone = project(checkoutFiles(laptop, false));
    const out = await ok(clone, 'run', '-S', 'point.x=7');
    assert.deepEqual(executions(clone), ['point-7'], 'only the changed instance ran');
    assert.match(out, /1 ran, 2 restored/);
  });

  it('--no-remote looks nothing up: everything runs', async () => {
    const { laptop } = await pushedProject();
    const clone = project(checkoutFiles(laptop, false));
    await ok(clone, 'run', '--no-remote');
    assert.deepEqual(executions(clone).sort(), ['point-1', 'point-2', 'prep', 'sum']);
  });

  it('status is offline by default; status --remote says what will be restored from the remote', async () => {
    const { laptop } = await pushedProject();
    const clone = project(checkoutFiles(laptop, false));
    assert.match(await ok(clone, 'status'), /prep +will run/);
    const status = await ok(clone, 'status', '--remote');
    assert.match(status, /prep +will restore from remote shared/);
    assert.match(status, /sum +will restore from remote shared/);
    assert.deepEqual(readdirSync(clone.dir).filter((f) => f === 'data' || f === 'sum.txt'), [], 'status fetched nothing into the workspace');
  });

  it('an unreachable remote costs one warning; the run goes on with the local cache, exit 0', async () => {
    const { laptop } = await pushedProject();
    const clone = project({ ...checkoutFiles(laptop, false), 'pipewright.config.yaml': remoteConfig('shared', join(dir, 'nowhere', 'cache')) });
    const r = await clone.run('run');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const warnings = (r.stdout + r.stderr).split('\n').filter((l) => /remote shared .*cannot be reached/.test(l));
    assert.equal(warnings.length, 1, r.stdout + r.stderr);
    assert.deepEqual(executions(clone).sort(), ['point-1', 'point-2', 'prep', 'sum']);
  });

  it('a damaged object on the remote is never trusted: its instance runs, the others are restored', async () => {
    const { laptop, remote } = await pushedProject();
    // sum.txt's object: the only one of its size.
    const size = statSync(laptop.path('sum.txt')).size;
    const objects = filesUnder(join(remote, 'objects')).filter((f) => statSync(f).size === size);
    assert.equal(objects.length, 1, 'the object of sum.txt is found on the remote');
    writeFileSync(objects[0]!, 'X'.repeat(size));
    const clone = project(checkoutFiles(laptop, false));
    const out = await ok(clone, 'run');
    assert.deepEqual(executions(clone), ['sum'], 'only the stage whose object was damaged ran');
    assert.match(out, /not trusted/);
    assert.equal(clone.read('sum.txt'), laptop.read('sum.txt'));
  });

  it('auto_push: true pushes what a run computed; a second clone then runs nothing', async () => {
    const remote = join(dir, `cache-${remotes++}`);
    const laptop = project({ ...pipelineFiles({ points: 2 }), 'pipewright.config.yaml': `${remoteConfig('shared', remote)}auto_push: true\n` });
    assert.match(await ok(laptop, 'run'), /pushed 4 new runs to remote shared/);
    assert.match(await ok(laptop, 'run', '-S', 'point.x=9'), /pushed 1 new run to remote shared/);
    const clone = project(checkoutFiles(laptop, false));
    await ok(clone, 'run', '-S', 'point.x=9');
    assert.deepEqual(executions(clone), []);
  });

  it('--push without a remote, or with --no-remote, is bad usage (exit 2); an unknown -r names the configured ones', async () => {
    const p = project(pipelineFiles({ points: 1 }));
    const none = await p.run('run', '--push');
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no remote to push to/);
    const both = await p.run('run', '--push', '--no-remote');
    assert.equal(both.code, 2);
    const q = project({ ...pipelineFiles({ points: 1 }), 'pipewright.config.yaml': remoteConfig('shared', join(dir, 'x')) });
    const unknown = await q.run('run', '-r', 'sharde');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /did you mean "shared"/);
    assert.deepEqual(executions(q), [], 'nothing ran');
  });
});
