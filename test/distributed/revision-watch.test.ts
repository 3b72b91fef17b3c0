/**
 * A worker's revision checked before every job (distributed/revision-watch.ts): computed again
 * only when the pipeline file or git's HEAD moved, and then always, in real git repositories in
 * temp folders: a commit, a pull that only updates packed-refs, a checkout of another branch, a
 * detached HEAD, a linked worktree, and a folder outside git.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { revisionOf, type Revision } from '../../src/distributed/protocol.js';
import { revisionWatch } from '../../src/distributed/revision-watch.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'pw-revision-watch-'));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function repo(): { dir: string; git: (...args: string[]) => string } {
  const dir = tempDir();
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  git('init', '-q');
  writeFileSync(join(dir, 'pipewright.yaml'), 'stages: {}\n');
  git('add', '.');
  git('commit', '-q', '-m', 'one');
  return { dir, git };
}

/** The watch, and how many times it really computed the revision. */
function counted(file: string): { current: () => Revision; computed: () => number } {
  let n = 0;
  const current = revisionWatch(file, (f) => {
    n++;
    return revisionOf(f);
  });
  return { current, computed: () => n };
}

describe('revisionWatch: the checkout\'s revision at a few stats per job', () => {
  it('computes once while nothing moves, whatever the number of jobs', () => {
    const { dir } = repo();
    const file = join(dir, 'pipewright.yaml');
    const watch = counted(file);
    for (let i = 0; i < 20; i++) assert.deepEqual(watch.current(), revisionOf(file));
    assert.equal(watch.computed(), 1);
  });

  it('sees a commit, an edited pipeline file, a checkout of another branch and a detached HEAD', () => {
    const { dir, git } = repo();
    const file = join(dir, 'pipewright.yaml');
    const watch = counted(file);
    const first = watch.current();
    writeFileSync(join(dir, 'other.txt'), 'x');
    git('add', '.');
    git('commit', '-q', '-m', 'two');
    assert.equal(watch.current().gitCommit, git('rev-parse', 'HEAD'), 'a commit (the branch\'s loose ref rewritten)');
    writeFileSync(file, 'stages: {a: {cmd: "true"}}\n');
    assert.notEqual(watch.current().pipelineHash, first.pipelineHash, 'the pipeline file edited, not committed');
    git('checkout', '-q', '-b', 'side', first.gitCommit!);
    assert.equal(watch.current().gitCommit, first.gitCommit, 'another branch');
    git('checkout', '-q', '--detach', 'main');
    assert.equal(watch.current().gitCommit, git('rev-parse', 'main'), 'a detached HEAD');
    assert.deepEqual(watch.current(), revisionOf(file));
  });

  it('sees a branch that moved in packed-refs only (a pull after pack-refs)', () => {
    const { dir, git } = repo();
    const file = join(dir, 'pipewright.yaml');
    const one = git('rev-parse', 'HEAD');
    writeFileSync(join(dir, 'other.txt'), 'x');
    git('add', '.');
    git('commit', '-q', '-m', 'two');
    const two = git('rev-parse', 'HEAD');
    git('pack-refs', '--all');
    const watch = counted(file);
    assert.equal(watch.current().gitCommit, two);
    // The branch now lives in packed-refs alone; moving it there (as a fetch that packs does) is seen.
    git('update-ref', 'refs/heads/main', one);
    git('pack-refs', '--all');
    assert.equal(watch.current().gitCommit, one);
  });

  it('follows a linked worktree\'s own HEAD', () => {
    const { dir, git } = repo();
    const tree = join(tempDir(), 'tree');
    git('worktree', 'add', '-q', '-b', 'wt', tree);
    const file = join(tree, 'pipewright.yaml');
    const watch = counted(file);
    assert.equal(watch.current().gitCommit, git('rev-parse', 'HEAD'));
    writeFileSync(join(tree, 'more.txt'), 'y');
    spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '.'], { cwd: tree });
    spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'in the tree'], { cwd: tree });
    assert.equal(watch.current().gitCommit, git('rev-parse', 'wt'));
    assert.notEqual(watch.current().gitCommit, git('rev-parse', 'main'));
  });

  it('outside git: the pipeline file alone', () => {
    const dir = tempDir();
    const file = join(dir, 'pipewright.yaml');
    writeFileSync(file, 'stages: {}\n');
    const watch = counted(file);
    assert.deepEqual(watch.current(), revisionOf(file));
    watch.current();
    assert.equal(watch.computed(), 1);
    writeFileSync(file, 'stages: {b: {cmd: "true"}}\n');
    assert.deepEqual(watch.current(), revisionOf(file));
    assert.equal(watch.computed(), 2);
  });
});
