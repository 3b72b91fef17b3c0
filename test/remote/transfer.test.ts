/**
 * Moving objects between the local cache and a remote (remote/transfer.ts), against a real folder
 * remote and, for the choice between existence checks and a listing, a real S3-protocol server:
 * what lands on the remote or in the cache (bytes under their hash, folders' manifests only after
 * their files), what is counted as copied, already there, missing or corrupt, and that nothing
 * damaged or half-transferred ever sits under an object's name.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hashBytes, type ContentHash, type DirHash } from '../../src/cache/hash.js';
import { ObjectStore } from '../../src/cache/object-store.js';
import { manifestHash, type ManifestEntry } from '../../src/cache/workspace-hash.js';
import { FolderBackend } from '../../src/remote/folder.js';
import type { Progress } from '../../src/remote/progress.js';
import { download, forEach, objectKey, upload } from '../../src/remote/transfer.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'pw-transfer-'));
  dirs.push(d);
  return d;
};

/** A local cache and a folder remote, both empty. */
function setup() {
  const root = tempDir();
  const store = new ObjectStore(join(root, 'cache'), ['copy']);
  const remoteDir = join(root, 'remote');
  mkdirSync(remoteDir);
  const remote = new FolderBackend({ kind: 'folder', path: remoteDir });
  return { root, store, remoteDir, remote, remotePath: (hash: string) => join(remoteDir, objectKey(hash)) };
}

/** Writes an object into a store folder under `hash` (by default its own), as the store would. */
function putObject(store: ObjectStore, bytes: string, hash: string = hashBytes(bytes)): ContentHash {
  const path = store.pathOf(hash as ContentHash);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return hash as ContentHash;
}
function putRemote(remoteDir: string, bytes: string, hash: string = hashBytes(bytes)): ContentHash {
  const path = join(remoteDir, objectKey(hash));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return hash as ContentHash;
}
function manifestOf(files: Record<string, string>): { hash: DirHash; manifest: ManifestEntry[]; text: string } {
  const manifest = Object.keys(files).sort().map((path) => ({ path, hash: hashBytes(files[path]!), size: Buffer.byteLength(files[path]!) }));
  return { hash: manifestHash(manifest), manifest, text: JSON.stringify(manifest) };
}
/** A folder in a store (or remote folder): its files, then its manifest. */
function putFolder(put: (bytes: string, hash?: string) => ContentHash, files: Record<string, string>): DirHash {
  const m = manifestOf(files);
  for (const text of Object.values(files)) put(text);
  put(m.text, m.hash);
  return m.hash;
}

/** What a progress display is told, as a list of calls. */
function recording(): Progress & { calls: string[] } {
  const calls: string[] = [];
  return { calls, start: (o, b) => calls.push(`start ${o} ${b}`), advance: (b) => calls.push(`advance ${b}`), finish: () => calls.push('finish') };
}
const objectFiles = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort() : []);

describe('upload', () => {
  it('files: their bytes under objects/ab/cdef… on the remote, counted; a second push finds them there', async () => {
    const s = setup();
    const a = putObject(s.store, 'alpha');
    const b = putObject(s.store, 'bravo!');
    const p = recording();
    const r = await upload(s.store, s.remote, [a, b, a], p);
    assert.equal(readFileSync(s.remotePath(a), 'utf8'), 'alpha');
    assert.equal(readFileSync(s.remotePath(b), 'utf8'), 'bravo!');
    assert.deepEqual({ copied: r.copied, copiedBytes: r.copiedBytes, already: r.already, missing: r.missing, corrupt: r.corrupt }, { copied: 2, copiedBytes: 11, already: 0, missing: [], corrupt: [] });
    assert.deepEqual([...r.done].sort(), [a, b].sort());
    assert.deepEqual(p.calls.slice(0, 1), ['start 2 11']);
    assert.deepEqual(p.calls.slice(1, 3).sort(), ['advance 5', 'advance 6']);
    assert.equal(p.calls.at(-1), 'finish');
    assert.equal(p.calls.length, 4);
    assert.equal(s.remote.requests.upload, 2);

    const again = await upload(s.store, s.remote, [a, b], recording());
    assert.deepEqual({ copied: again.copied, copiedBytes: again.copiedBytes, already: again.already }, { copied: 0, copiedBytes: 0, already: 2 });
    assert.deepEqual([...again.done].sort(), [a, b].sort());
    assert.equal(s.remote.requests.upload, 2);
  });

  it('an object the local cache lacks is missing, and nothing is sent for it', async () => {
    const s = setup();
    const gone = hashBytes('never stored');
    const p = recording();
    const r = await upload(s.store, s.remote, [gone], p);
    assert.deepEqual(r.missing, [gone]);
    assert.equal(r.done.size, 0);
    assert.equal(r.copied, 0);
    assert.deepEqual(p.calls, ['start 1 0', 'advance 0', 'finish']);
    assert.deepEqual(objectFiles(s.remoteDir), []);
  });

  it('a local object damaged in place is refused, with the hash it has now, and not spread', async () => {
    const s = setup();
    const good = hashBytes('original');
    putObject(s.store, 'edited through a hard link', good);
    const r = await upload(s.store, s.remote, [good], recording());
    assert.deepEqual(r.corrupt, [{ hash: good, found: hashBytes('edited through a hard link') }]);
    assert.equal(r.done.size, 0);
    assert.equal(r.copied, 0);
    assert.deepEqual(objectFiles(s.remoteDir), []);
  });

  it('a folder: its files, then its manifest; the folder is done', async () => {
    const s = setup();
    const dir = putFolder((t, h) => putObject(s.store, t, h), { 'a.txt': 'aa', 'sub/b.txt': 'bbb' });
    const p = recording();
    const r = await upload(s.store, s.remote, [dir], p);
    assert.deepEqual(JSON.parse(readFileSync(s.remotePath(dir), 'utf8')), manifestOf({ 'a.txt': 'aa', 'sub/b.txt': 'bbb' }).manifest);
    assert.equal(readFileSync(s.remotePath(hashBytes('bbb')), 'utf8'), 'bbb');
    assert.equal(r.copied, 3);
    assert.equal(r.copiedBytes, 5);
    assert.ok(r.done.has(dir));
    assert.equal(r.done.size, 3);
    assert.equal(p.calls[0], 'start 3 5');
    assert.deepEqual(p.calls.slice(1, 3).sort(), ['advance 2', 'advance 3']);
    assert.deepEqual(p.calls.slice(3), ['advance 0', 'finish']);

    const again = await upload(s.store, s.remote, [dir], recording());
    assert.equal(again.already, 3);
    assert.equal(again.copied, 0);
    assert.ok(again.done.has(dir));
  });

  it('a folder whose file is missing locally: its manifest is not sent, so the remote never lists an incomplete folder', async () => {
    const s = setup();
    const dir = putFolder((t, h) => putObject(s.store, t, h), { 'a.txt': 'aa', 'b.txt': 'bbb' });
    rmSync(s.store.pathOf(hashBytes('bbb')));
    const r = await upload(s.store, s.remote, [dir], recording());
    assert.deepEqual(r.missing, [hashBytes('bbb')]);
    assert.equal(r.done.has(dir), false);
    assert.equal(existsSync(s.remotePath(dir)), false);
    assert.equal(existsSync(s.remotePath(hashBytes('aa'))), true);
  });

  it('a folder whose manifest is missing locally is missing', async () => {
    const s = setup();
    const dir = manifestOf({ 'x': 'x' }).hash;
    const r = await upload(s.store, s.remote, [dir], recording());
    assert.deepEqual(r.missing, [dir]);
    assert.deepEqual(objectFiles(s.remoteDir), []);
  });

  it('a manifest that does not hash to its name is refused, its files still sent', async () => {
    const s = setup();
    const real = manifestOf({ 'a.txt': 'aa' });
    putObject(s.store, 'aa');
    const claimed = manifestOf({ 'other.txt': 'zz' }).hash;
    putObject(s.store, real.text, claimed);
    const r = await upload(s.store, s.remote, [claimed], recording());
    assert.deepEqual(r.corrupt, [{ hash: claimed, found: real.hash }]);
    assert.equal(existsSync(s.remotePath(claimed)), false);
    assert.equal(r.done.has(claimed), false);
    assert.ok(r.done.has(hashBytes('aa')));
  });

  it('sizes of files the cache lacks count as 0 in the progress', async () => {
    const s = setup();
    const a = putObject(s.store, 'abc');
    const p = recording();
    await upload(s.store, s.remote, [a, hashBytes('absent')], p);
    assert.equal(p.calls[0], 'start 2 3');
  });
});

describe('download', () => {
  it('files: verified, moved in read-only, counted; ones the cache has are not asked for', async () => {
    const s = setup();
    const a = putRemote(s.remoteDir, 'alpha');
    const b = putRemote(s.remoteDir, 'bravo!');
    const c = putObject(s.store, 'charlie');
    const p = recording();
    const r = await download(s.store, s.remote, [{ hash: a, size: 5 }, { hash: b }, { hash: c, size: 7 }], p);
    assert.equal(readFileSync(s.store.pathOf(a), 'utf8'), 'alpha');
    assert.equal(readFileSync(s.store.pathOf(b), 'utf8'), 'bravo!');
    assert.equal(statSync(s.store.pathOf(a)).mode & 0o777, 0o444);
    assert.deepEqual({ copied: r.copied, copiedBytes: r.copiedBytes, already: r.already, missing: r.missing, corrupt: r.corrupt }, { copied: 2, copiedBytes: 11, already: 1, missing: [], corrupt: [] });
    assert.deepEqual([...r.done].sort(), [a, b, c].sort());
    assert.equal(s.remote.requests.download, 2);
    assert.deepEqual(p.calls.slice(0, 2), ['start 0 0', 'start 2 5']);
    assert.deepEqual(p.calls.slice(2, 4).sort(), ['advance 0', 'advance 5']);
    assert.deepEqual(p.calls.slice(4), ['finish']);
    assert.deepEqual(objectFiles(join(s.root, 'cache')).filter((f) => f.includes('.tmp-')), []);
  });

  it('an object the remote lacks is missing; one whose bytes do not hash to its name is refused and not kept', async () => {
    const s = setup();
    const gone = hashBytes('not there');
    const bad = putRemote(s.remoteDir, 'tampered', hashBytes('original'));
    const r = await download(s.store, s.remote, [{ hash: gone, size: 9 }, { hash: bad, size: 8 }], recording());
    assert.deepEqual(r.missing, [gone]);
    assert.deepEqual(r.corrupt, [{ hash: bad, found: hashBytes('tampered') }]);
    assert.equal(r.done.size, 0);
    assert.equal(r.copied, 0);
    assert.deepEqual(objectFiles(join(s.root, 'cache')), []);
  });

  it('a folder: its manifest first, then its files; done once every file is', async () => {
    const s = setup();
    const tree = { 'a.txt': 'aa', 'sub/b.txt': 'bbb' };
    const dir = putFolder((t, h) => putRemote(s.remoteDir, t, h), tree);
    const p = recording();
    const r = await download(s.store, s.remote, [{ hash: dir }], p);
    assert.deepEqual(s.store.readManifest(dir), manifestOf(tree).manifest);
    assert.ok(s.store.has(dir));
    assert.ok(r.done.has(dir));
    assert.equal(r.copied, 3);
    assert.equal(r.copiedBytes, 5);
    assert.deepEqual(p.calls.slice(0, 3), ['start 1 0', 'advance 0', 'start 2 5']);
    // A folder the cache has whole is not downloaded again: its manifest read locally, files there.
    const again = await download(s.store, s.remote, [{ hash: dir }], recording());
    assert.equal(again.copied, 0);
    assert.equal(again.already, 2);
    assert.ok(again.done.has(dir));
    assert.equal(s.remote.requests.download, 3);
  });

  it('a folder missing one file on the remote is not done', async () => {
    const s = setup();
    const dir = putFolder((t, h) => putRemote(s.remoteDir, t, h), { 'a.txt': 'aa', 'b.txt': 'bbb' });
    rmSync(join(s.remoteDir, objectKey(hashBytes('bbb'))));
    const r = await download(s.store, s.remote, [{ hash: dir }], recording());
    assert.deepEqual(r.missing, [hashBytes('bbb')]);
    assert.equal(r.done.has(dir), false);
    assert.ok(r.done.has(hashBytes('aa')));
  });

  it('a local manifest that does not hash to its name is fetched again from the remote', async () => {
    const s = setup();
    const tree = { 'a.txt': 'aa' };
    const dir = putFolder((t, h) => putRemote(s.remoteDir, t, h), tree);
    putObject(s.store, JSON.stringify(manifestOf({ 'evil.txt': 'x' }).manifest), dir);
    chmodSync(s.store.pathOf(dir), 0o444);
    const r = await download(s.store, s.remote, [{ hash: dir }], recording());
    assert.deepEqual(s.store.readManifest(dir), manifestOf(tree).manifest);
    assert.ok(r.done.has(dir));
    assert.ok(existsSync(s.store.pathOf(hashBytes('aa'))));
    assert.equal(existsSync(s.store.pathOf(hashBytes('x'))), false);
  });

  it('a folder whose manifest the remote lacks is missing', async () => {
    const s = setup();
    const dir = manifestOf({ 'a': 'a' }).hash;
    const p = recording();
    const r = await download(s.store, s.remote, [{ hash: dir }], p);
    assert.deepEqual(r.missing, [dir]);
    assert.equal(r.done.size, 0);
    assert.deepEqual(p.calls, ['start 1 0', 'advance 0', 'start 0 0', 'finish']);
  });

  it('a remote manifest that does not hash to its name, or is no manifest at all, is refused and not kept', async () => {
    const good = manifestOf({ 'a.txt': 'aa' });
    const cases: [string, string][] = [
      [JSON.stringify(manifestOf({ 'b.txt': 'bb' }).manifest), manifestOf({ 'b.txt': 'bb' }).hash],
      ['not json', 'not a folder manifest'],
      [JSON.stringify({ path: 'a.txt' }), 'not a folder manifest'],
      [JSON.stringify([null]), 'not a folder manifest'],
      [JSON.stringify(['a.txt']), 'not a folder manifest'],
      [JSON.stringify([{ path: 'a.txt', hash: hashBytes('aa') }]), 'not a folder manifest'],
      [JSON.stringify([{ path: 'a.txt', hash: hashBytes('aa'), size: '2' }]), 'not a folder manifest'],
      [JSON.stringify([{ path: 5, hash: hashBytes('aa'), size: 2 }]), 'not a folder manifest'],
      [JSON.stringify([{ path: 'a.txt', hash: 5, size: 2 }]), 'not a folder manifest'],
    ];
    for (const [text, found] of cases) {
      const s = setup();
      putRemote(s.remoteDir, 'aa');
      putRemote(s.remoteDir, text, good.hash);
      const r = await download(s.store, s.remote, [{ hash: good.hash }], recording());
      assert.deepEqual(r.corrupt, [{ hash: good.hash, found }], text);
      assert.equal(r.done.size, 0, text);
      assert.deepEqual(objectFiles(join(s.root, 'cache')), [], text);
    }
  });

  it('a remote manifest naming paths outside its folder, or hashes not ours, is refused even when it hashes to its name', async () => {
    const bad: ManifestEntry[][] = [
      [{ path: '../escape.txt', hash: hashBytes('aa'), size: 2 }],
      [{ path: 'sub/../../escape.txt', hash: hashBytes('aa'), size: 2 }],
      [{ path: '/etc/passwd', hash: hashBytes('aa'), size: 2 }],
      [{ path: 'a.txt', hash: `${hashBytes('aa')}0` as never, size: 2 }],
      [{ path: 'a.txt', hash: hashBytes('aa').toUpperCase() as never, size: 2 }],
      [{ path: 'ok.txt', hash: hashBytes('aa'), size: 2 }, { path: '../escape.txt', hash: hashBytes('aa'), size: 2 }],
    ];
    for (const manifest of bad) {
      const s = setup();
      putRemote(s.remoteDir, 'aa');
      const name = manifestHash(manifest);
      putRemote(s.remoteDir, JSON.stringify(manifest), name);
      const r = await download(s.store, s.remote, [{ hash: name }], recording());
      assert.deepEqual(r.corrupt, [{ hash: name, found: 'not a folder manifest' }], JSON.stringify(manifest));
      assert.deepEqual(objectFiles(join(s.root, 'cache')), [], JSON.stringify(manifest));
    }
    // Names with dots that stay inside are fine.
    const s = setup();
    putRemote(s.remoteDir, 'aa');
    const fine = [{ path: '..hidden/a..b.txt', hash: hashBytes('aa'), size: 2 }];
    putRemote(s.remoteDir, JSON.stringify(fine), manifestHash(fine));
    const r = await download(s.store, s.remote, [{ hash: manifestHash(fine) }], recording());
    assert.deepEqual(r.corrupt, []);
    assert.ok(r.done.has(manifestHash(fine)));
  });

  it('a transfer that fails midway leaves no partial file in the cache and fails the download', async () => {
    const s = setup();
    const hash = hashBytes('a folder where a file should be');
    mkdirSync(join(s.remoteDir, objectKey(hash)), { recursive: true });
    await assert.rejects(download(s.store, s.remote, [{ hash, size: 3 }], recording()), (err: NodeJS.ErrnoException) => typeof err.code === 'string');
    assert.deepEqual(objectFiles(join(s.root, 'cache')), []);
  });
});

describe('forEach', () => {
  it('runs every item, at most `parallel` at once', async () => {
    const seen: number[] = [];
    let running = 0;
    let most = 0;
    await forEach(Array.from({ length: 20 }, (_, i) => i), async (i) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      seen.push(i);
      running--;
    }, 3);
    assert.equal(most, 3);
    assert.deepEqual(seen.sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
    most = 0;
    await forEach(Array.from({ length: 20 }, (_, i) => i), async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      running--;
    });
    assert.equal(most, 8);
    await forEach([], async () => assert.fail('no item'));
  });

  it('after the first failure, no worker takes another item; those in hand finish', async () => {
    const seen: number[] = [];
    await assert.rejects(forEach([1, 2, 3, 4, 5, 6], async (i) => {
      seen.push(i);
      if (i === 1) throw new Error('boom at 1');
      await new Promise((r) => setImmediate(r));
    }, 2), { message: 'boom at 1' });
    for (let turn = 0; turn < 10; turn++) await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen, [1, 2]);
  });

  it('the first failure stops the rest and is thrown', async () => {
    const seen: number[] = [];
    await assert.rejects(forEach([1, 2, 3, 4, 5], async (i) => {
      seen.push(i);
      if (i === 2) throw new Error('boom at 2');
    }, 1), { message: 'boom at 2' });
    assert.deepEqual(seen, [1, 2]);
  });
});
