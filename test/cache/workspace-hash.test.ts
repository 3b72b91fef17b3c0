import { strict as assert } from 'node:assert';
import { utimesSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { StateDb } from '../../src/cache/state.js';
import { WorkspaceHasher } from '../../src/cache/workspace-hash.js';
import { hashFile } from '../../src/cache/hash.js';
import { useProjects } from '../helpers/project.js';

const project = useProjects();

describe('hashing a folder dep', () => {
  it('re-reads only the files whose size, mtime or inode changed', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`data/part-${String(i).padStart(3, '0')}.txt`] = `row ${i}\n`;
    const p = project(files);
    const eight = p.path('data/part-008.txt');
    utimesSync(eight, 1_600_000_000, 1_600_000_000); // whole seconds: exactly restorable below
    const state = StateDb.open(p.path('.pipewright/state.db'), (m) => assert.fail(m));
    const first = await new WorkspaceHasher(p.dir, state).hash('data');
    assert.equal(first?.files, 300);
    assert.match(first!.hash, /^[0-9a-f]{16}\.dir$/);
    state.flush();

    // File 7 changes for real. File 8 changes behind the state database's back: same size, and
    // its mtime put back. Were the folder re-read, file 8's new bytes would show in the hash.
    writeFileSync(p.path('data/part-007.txt'), 'row 7 changed\n');
    writeFileSync(eight, 'row X\n');
    utimesSync(eight, 1_600_000_000, 1_600_000_000);

    const second = await new WorkspaceHasher(p.dir, state).hash('data');
    const entry = (n: string) => second!.manifest!.find((e) => e.path === n)!;
    assert.equal(entry('part-007.txt').hash, await hashFile(p.path('data/part-007.txt')), 'the changed file was re-read');
    assert.equal(entry('part-008.txt').hash, first!.manifest!.find((e) => e.path === 'part-008.txt')!.hash, 'the unchanged-looking file was not');
    assert.notEqual(second!.hash, first!.hash);
    state.close();
  });
});

describe('the state database', () => {
  it('is emptied, not misread, when it comes from another layout version', async () => {
    const p = project({ 'a.txt': 'a\n' });
    const file = p.path('.pipewright/state.db');
    const old = StateDb.open(file, (m) => assert.fail(m));
    old.use((c) => c.db.exec("INSERT INTO files (path, size, mtime, ino, hash) VALUES ('a.txt', 2, 'not-a-number', 'x', 'bogus')"));
    old.use((c) => c.db.exec('PRAGMA user_version = 1'));
    old.close();
    const state = StateDb.open(file, (m) => assert.fail(m));
    const hashed = await new WorkspaceHasher(p.dir, state).hash('a.txt');
    assert.equal(hashed?.hash, await hashFile(p.path('a.txt')));
    assert.equal((state.use((c) => c.db.prepare('SELECT count(*) AS n FROM files WHERE hash = ?').get('bogus')) as { n: number }).n, 0);
    state.close();
  });
});

describe('memoized hashes', () => {
  it('are forgotten for a path, the folders above it and the files below it', async () => {
    const p = project({ 'data/sub/a.txt': 'a\n', 'data/b.txt': 'b\n' });
    const state = StateDb.open(p.path('.pipewright/state.db'), (m) => assert.fail(m));
    const hasher = new WorkspaceHasher(p.dir, state);
    const before = { a: await hasher.hash('data/sub/a.txt'), data: await hasher.hash('data'), sub: await hasher.hash('data/sub') };
    p.write({ 'data/sub/a.txt': 'changed\n' });
    assert.equal((await hasher.hash('data/sub/a.txt'))?.hash, before.a?.hash, 'memoized until forgotten');
    hasher.forget('data/sub');
    assert.notEqual((await hasher.hash('data/sub/a.txt'))?.hash, before.a?.hash, 'a file below a forgotten folder');
    assert.notEqual((await hasher.hash('data'))?.hash, before.data?.hash, 'the folder above');
    assert.notEqual((await hasher.hash('data/sub'))?.hash, before.sub?.hash, 'the folder itself');
    state.close();
  });
});
