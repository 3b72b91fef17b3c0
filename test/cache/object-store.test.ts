/**
 * The content-addressed store (cache/object-store.ts) on real files: what `save` leaves under
 * `objects/` (the bytes under their hash, read-only, a folder's manifest after its files), what
 * `checkout` puts back into the workspace by each link kind (a copy the user may edit, a hard link
 * to the read-only object), replacing what was there, and the store's bookkeeping: `has`, `list`,
 * objects adopted from elsewhere, `remove`. (ext4 here: reflinks fail, and the next kind is used.)
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hashBytes, type ContentHash, type DirHash, type FileHash } from '../../src/cache/hash.js';
import { ObjectStore } from '../../src/cache/object-store.js';
import { manifestHash, type HashedPath, type ManifestEntry } from '../../src/cache/workspace-hash.js';
import type { LinkKind } from '../../src/layout.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspace(links?: readonly LinkKind[]) {
  const root = mkdtempSync(join(tmpdir(), 'pw-objects-'));
  dirs.push(root);
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    return join(root, path);
  };
  const cacheDir = join(root, '.pipewright/cache');
  return { root, write, cacheDir, store: new ObjectStore(cacheDir, links) };
}

const fileHashed = (text: string): HashedPath => ({ hash: hashBytes(text), size: Buffer.byteLength(text), files: 1 });
function folderHashed(files: Record<string, string>): HashedPath & { manifest: ManifestEntry[] } {
  const manifest = Object.keys(files).sort().map((path) => ({ path, hash: hashBytes(files[path]!), size: Buffer.byteLength(files[path]!) }));
  return { hash: manifestHash(manifest), size: manifest.reduce((n, e) => n + e.size, 0), files: manifest.length, manifest };
}
const mode = (path: string) => statSync(path).mode & 0o777;
const inode = (path: string) => statSync(path).ino;
const leftovers = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((n) => n.includes('.tmp-')) : []);

describe('ObjectStore: saving', () => {
  it('a file\'s bytes under objects/<2 chars>/<rest of its hash>, read-only', async () => {
    const w = workspace(['copy']);
    const abs = w.write('out.txt', 'hello');
    const h = fileHashed('hello');
    assert.equal(w.store.objectsDir, join(w.cacheDir, 'objects'));
    assert.equal(w.store.pathOf(h.hash), join(w.cacheDir, 'objects', h.hash.slice(0, 2), h.hash.slice(2)));
    assert.equal(w.store.has(h.hash), false);
    await w.store.save(abs, h);
    assert.equal(readFileSync(w.store.pathOf(h.hash), 'utf8'), 'hello');
    assert.equal(mode(w.store.pathOf(h.hash)), 0o444);
    assert.equal(w.store.has(h.hash), true);
    // A copy: the workspace file is its own, still writable.
    assert.notEqual(inode(abs), inode(w.store.pathOf(h.hash)));
    assert.equal(mode(abs) & 0o200, 0o200);
    assert.deepEqual(leftovers(w.cacheDir), []);
  });

  it('by hard link (the default order on a file system without reflinks): the object is the workspace file', async () => {
    for (const links of [undefined, ['hardlink'], ['reflink', 'hardlink', 'copy']] as const) {
      const w = workspace(links);
      const abs = w.write('out.txt', 'linked');
      const h = fileHashed('linked');
      await w.store.save(abs, h);
      assert.equal(inode(abs), inode(w.store.pathOf(h.hash)), String(links));
      assert.equal(mode(w.store.pathOf(h.hash)), 0o444);
      // Once reflinks are known not to work, the next save links at once.
      const b = w.write('b.txt', 'second');
      await w.store.save(b, fileHashed('second'));
      assert.equal(inode(b), inode(w.store.pathOf(fileHashed('second').hash)), String(links));
      assert.equal(mode(w.store.pathOf(fileHashed('second').hash)), 0o444);
      assert.deepEqual(leftovers(w.cacheDir), []);
    }
  });

  it('an object already stored is left as it is', async () => {
    for (const links of [['copy'], ['hardlink']] as const) {
      const w = workspace(links);
      const h = fileHashed('same');
      await w.store.save(w.write('a.txt', 'same'), h);
      const first = inode(w.store.pathOf(h.hash));
      await w.store.save(w.write('b.txt', 'same'), h);
      assert.equal(inode(w.store.pathOf(h.hash)), first);
      assert.notEqual(inode(join(w.root, 'b.txt')), first);
    }
  });

  it('a hard link that already exists (another save got there first) is no error', async () => {
    const w = workspace(['hardlink']);
    const h = fileHashed('raced');
    const abs = w.write('a.txt', 'raced');
    const other = new ObjectStore(w.cacheDir, ['hardlink']);
    await Promise.all([w.store.save(abs, h), other.save(abs, h)]);
    assert.equal(readFileSync(w.store.pathOf(h.hash), 'utf8'), 'raced');
  });

  it('hard links impossible (a folder for the object\'s name): the next link kind is tried', async () => {
    const w = workspace(['hardlink', 'copy']);
    const h = fileHashed('x');
    mkdirSync(dirname(w.store.pathOf(h.hash)), { recursive: true });
    const abs = w.write('x.txt', 'x');
    // The workspace file is a folder's name away: linking a folder fails, copying it too.
    await assert.rejects(w.store.save(join(w.root, 'nope'), h));
    await w.store.save(abs, h);
    assert.equal(readFileSync(w.store.pathOf(h.hash), 'utf8'), 'x');
  });

  it('a folder: every file, then its manifest under <hash>.dir', async () => {
    const w = workspace(['copy']);
    const files = { 'a.txt': 'a', 'sub/b.txt': 'bb', 'sub/c.txt': 'a' };
    for (const [p, t] of Object.entries(files)) w.write(`data/${p}`, t);
    const h = folderHashed(files);
    await w.store.save(join(w.root, 'data'), h);
    assert.ok(h.hash.endsWith('.dir'));
    assert.deepEqual(JSON.parse(readFileSync(w.store.pathOf(h.hash), 'utf8')), h.manifest);
    assert.equal(mode(w.store.pathOf(h.hash)), 0o444);
    for (const e of h.manifest) assert.equal(readFileSync(w.store.pathOf(e.hash), 'utf8'), files[e.path as keyof typeof files]);
    assert.equal(w.store.has(h.hash), true);
    assert.deepEqual(w.store.readManifest(h.hash as DirHash), h.manifest);
    // An existing manifest is not written again.
    const before = inode(w.store.pathOf(h.hash));
    await w.store.save(join(w.root, 'data'), h);
    assert.equal(inode(w.store.pathOf(h.hash)), before);
    assert.deepEqual(leftovers(w.cacheDir), []);
    assert.equal((await w.store.list()).length, 3);
  });

  it('an empty folder', async () => {
    const w = workspace(['copy']);
    mkdirSync(join(w.root, 'empty'));
    const h = folderHashed({});
    await w.store.save(join(w.root, 'empty'), h);
    assert.deepEqual(w.store.readManifest(h.hash as DirHash), []);
    assert.equal(w.store.has(h.hash), true);
    rmSync(join(w.root, 'empty'), { recursive: true });
    await w.store.checkout(h.hash, join(w.root, 'empty'));
    assert.deepEqual(readdirSync(join(w.root, 'empty')), []);
  });
});

describe('ObjectStore: has and readManifest', () => {
  it('a folder is in the store only with every file it lists', async () => {
    const w = workspace(['copy']);
    const files = { 'a.txt': 'a', 'b.txt': 'b' };
    for (const [p, t] of Object.entries(files)) w.write(`d/${p}`, t);
    const h = folderHashed(files);
    await w.store.save(join(w.root, 'd'), h);
    await w.store.remove(hashBytes('b'));
    assert.equal(w.store.has(h.hash), false);
    assert.equal(w.store.has(hashBytes('a')), true);
    assert.equal(w.store.has(folderHashed({ 'q.txt': 'q' }).hash), false);
  });

  it('a manifest that is not JSON is no manifest: not in the store, not checked out', async () => {
    const w = workspace(['copy']);
    const hash = folderHashed({ 'a.txt': 'a' }).hash as DirHash;
    mkdirSync(dirname(w.store.pathOf(hash)), { recursive: true });
    writeFileSync(w.store.pathOf(hash), '{not json');
    assert.equal(w.store.readManifest(hash), undefined);
    assert.equal(w.store.has(hash), false);
    await assert.rejects(w.store.checkout(hash, join(w.root, 'out')), { message: `cache object ${hash} is missing or corrupt` });
    await assert.rejects(w.store.checkout(folderHashed({ 'z': 'z' }).hash, join(w.root, 'out')), /is missing or corrupt/);
    assert.equal(existsSync(join(w.root, 'out')), false);
  });
});

describe('ObjectStore: checkout', () => {
  it('a copy: the bytes, writable, replacing a file or a folder that was there', async () => {
    const w = workspace(['copy']);
    const h = fileHashed('v1');
    await w.store.save(w.write('keep.txt', 'v1'), h);
    w.write('out/was-a-folder.txt', 'old');
    await w.store.checkout(h.hash, join(w.root, 'out'));
    assert.equal(readFileSync(join(w.root, 'out'), 'utf8'), 'v1');
    assert.equal(mode(join(w.root, 'out')), 0o644);
    writeFileSync(join(w.root, 'out'), 'edited');
    assert.equal(readFileSync(w.store.pathOf(h.hash), 'utf8'), 'v1');
    await w.store.checkout(h.hash, join(w.root, 'deep/er/out.txt'));
    assert.equal(readFileSync(join(w.root, 'deep/er/out.txt'), 'utf8'), 'v1');
    assert.deepEqual(readdirSync(join(w.root, 'deep/er')), ['out.txt']);
  });

  it('a hard link: the object itself', async () => {
    const w = workspace(['hardlink', 'copy']);
    const h = fileHashed('linked');
    await w.store.save(w.write('a.txt', 'linked'), h);
    rmSync(join(w.root, 'a.txt'));
    await w.store.checkout(h.hash, join(w.root, 'a.txt'));
    assert.equal(inode(join(w.root, 'a.txt')), inode(w.store.pathOf(h.hash)));
  });

  it('reflinks unsupported here: the next kind, for every file after the first too', async () => {
    const w = workspace(['reflink', 'copy']);
    const h = fileHashed('r');
    await w.store.save(w.write('a.txt', 'r'), h);
    assert.notEqual(inode(join(w.root, 'a.txt')), inode(w.store.pathOf(h.hash)));
    // Known now not to work: the next save copies (never a hard link, which was not asked for).
    const second = w.write('s.txt', 'second');
    await w.store.save(second, fileHashed('second'));
    assert.notEqual(inode(second), inode(w.store.pathOf(fileHashed('second').hash)));
    assert.equal(mode(second) & 0o200, 0o200);
    await w.store.checkout(h.hash, join(w.root, 'b.txt'));
    await w.store.checkout(h.hash, join(w.root, 'c.txt'));
    assert.equal(readFileSync(join(w.root, 'c.txt'), 'utf8'), 'r');
    assert.equal(mode(join(w.root, 'c.txt')), 0o644);
  });

  it('reflinks only, on a file system without them: every placement fails with the file system\'s own error', async () => {
    const w = workspace(['reflink']);
    const abs = w.write('a.txt', 'r');
    let first: NodeJS.ErrnoException | undefined;
    // The clone's own failure (EOPNOTSUPP, EXDEV, …), not what a later step tripped over for want of the file.
    await assert.rejects(w.store.save(abs, fileHashed('r')), (err: NodeJS.ErrnoException) => ((first = err), typeof err.code === 'string' && err.syscall === 'copyfile'));
    // Not "no link kind configured" for every later file: the reason reflinks fail here.
    for (const to of ['b.txt', 'c.txt']) {
      await assert.rejects(w.store.placeAt(abs, join(w.root, to)), (err: NodeJS.ErrnoException) => err.code === first!.code && err.syscall === 'copyfile');
      assert.equal(existsSync(join(w.root, to)), false);
    }
    assert.deepEqual(leftovers(w.root), []);
  });

  it('no link kind at all: an error that says so', async () => {
    const w = workspace([]);
    await assert.rejects(w.store.placeAt(w.write('a.txt', 'a'), join(w.root, 'b.txt')), { message: 'no link kind configured' });
  });

  it('a folder: built aside and moved in whole, replacing what was there', async () => {
    const w = workspace(['copy']);
    const files = { 'a.txt': 'a', 'sub/deeper/b.txt': 'b' };
    for (const [p, t] of Object.entries(files)) w.write(`data/${p}`, t);
    const h = folderHashed(files);
    await w.store.save(join(w.root, 'data'), h);
    rmSync(join(w.root, 'data'), { recursive: true });
    w.write('data/stale.txt', 'stale');
    await w.store.checkout(h.hash, join(w.root, 'data'));
    assert.deepEqual(readdirSync(join(w.root, 'data'), { recursive: true }).map(String).sort(), ['a.txt', 'sub', 'sub/deeper', 'sub/deeper/b.txt']);
    assert.equal(readFileSync(join(w.root, 'data/sub/deeper/b.txt'), 'utf8'), 'b');
    await w.store.checkout(h.hash, join(w.root, 'new/place/data'));
    assert.equal(readFileSync(join(w.root, 'new/place/data/a.txt'), 'utf8'), 'a');
    assert.deepEqual(readdirSync(w.root).filter((n) => n.includes('.tmp-')), []);
    assert.deepEqual(readdirSync(join(w.root, 'new/place')), ['data']);
  });

  it('placeFolderAt with no files makes an empty folder', async () => {
    const w = workspace(['copy']);
    w.write('out/old.txt', 'old');
    await w.store.placeFolderAt([], join(w.root, 'out'));
    assert.deepEqual(readdirSync(join(w.root, 'out')), []);
    await w.store.placeFolderAt([], join(w.root, 'a/b/c'));
    assert.deepEqual(readdirSync(join(w.root, 'a/b/c')), []);
  });
});

describe('ObjectStore: list, objects from elsewhere, remove', () => {
  it('list: every object with its size, not files being written; nothing when there is no store yet', async () => {
    const w = workspace(['copy']);
    assert.deepEqual(await w.store.list(), []);
    await w.store.save(w.write('a', 'aaa'), fileHashed('aaa'));
    await w.store.save(w.write('b', 'bbbbb'), fileHashed('bbbbb'));
    const aside = await w.store.asideFor(hashBytes('ccc'));
    writeFileSync(aside, 'ccc');
    const listed = (await w.store.list()).sort((x, y) => x.size - y.size);
    assert.deepEqual(listed, [{ hash: hashBytes('aaa'), size: 3 }, { hash: hashBytes('bbbbb'), size: 5 }]);
  });

  it('asideFor then adopt: the file lands under its hash, read-only; nothing aside remains', async () => {
    const w = workspace(['copy']);
    const hash: ContentHash = hashBytes('from a remote');
    const tmp = await w.store.asideFor(hash);
    assert.equal(dirname(tmp), dirname(w.store.pathOf(hash)));
    assert.notEqual(tmp, w.store.pathOf(hash));
    assert.ok(existsSync(dirname(tmp)));
    assert.notEqual(await w.store.asideFor(hash), tmp);
    assert.equal(w.store.has(hash), false);
    writeFileSync(tmp, 'from a remote');
    await w.store.adopt(hash, tmp);
    assert.equal(readFileSync(w.store.pathOf(hash), 'utf8'), 'from a remote');
    assert.equal(mode(w.store.pathOf(hash)), 0o444);
    assert.equal(existsSync(tmp), false);
    assert.equal(w.store.has(hash), true);
  });

  it('asideFor makes the folder again when it was removed meanwhile by another store object', async () => {
    const w = workspace(['copy']);
    const hash = hashBytes('q') as FileHash;
    await w.store.asideFor(hash);
    rmSync(w.store.objectsDir, { recursive: true });
    const fresh = new ObjectStore(w.cacheDir, ['copy']);
    const tmp = await fresh.asideFor(hash);
    assert.ok(existsSync(dirname(tmp)));
  });

  it('remove: the object is gone; removing one that is not there is no error', async () => {
    const w = workspace(['copy']);
    const h = fileHashed('gone');
    await w.store.save(w.write('g', 'gone'), h);
    await w.store.remove(h.hash);
    assert.equal(w.store.has(h.hash), false);
    assert.equal(existsSync(w.store.pathOf(h.hash)), false);
    await w.store.remove(h.hash);
  });
});
