/**
 * DVC's local cache as a read-only source (cache/dvc-cache.ts), on real folders laid out as DVC 2
 * and DVC 3 write them: where an object is found, which folders count as complete, and that only
 * objects whose bytes hash to their md5 are ever linked into the workspace (a damaged or missing
 * one is an error naming it, the workspace left as it was).
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DvcCache } from '../../src/cache/dvc-cache.js';
import { manifestBytes, manifestMd5 } from '../../src/cache/dvc-md5.js';
import { ObjectStore } from '../../src/cache/object-store.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const md5 = (data: string | Uint8Array) => createHash('md5').update(data).digest('hex');

/** A repository's `.dvc/` with an empty cache; `put` writes an object in either layout. */
function repo(config?: string) {
  const root = mkdtempSync(join(tmpdir(), 'pw-dvc-cache-'));
  dirs.push(root);
  const dvcDir = join(root, '.dvc');
  mkdirSync(dvcDir);
  if (config) writeFileSync(join(dvcDir, 'config'), config);
  const cacheDir = join(dvcDir, 'cache');
  const put = (name: string, bytes: string | Uint8Array, layout: 'v2' | 'v3' = 'v3') => {
    const path = layout === 'v3' ? join(cacheDir, 'files/md5', name.slice(0, 2), name.slice(2)) : join(cacheDir, name.slice(0, 2), name.slice(2));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    return path;
  };
  return { root, dvcDir, cacheDir, put, cache: new DvcCache(dvcDir), store: new ObjectStore(join(root, '.pipewright/cache'), ['copy']) };
}

/** Files put in the cache, and their folder's manifest. */
function folder(r: ReturnType<typeof repo>, files: Record<string, string>, layout: 'v2' | 'v3' = 'v3') {
  // In DVC's order: by path.
  const entries = Object.entries(files).map(([relpath, text]) => ({ md5: md5(text), relpath })).sort((a, b) => (a.relpath < b.relpath ? -1 : 1));
  for (const [, text] of Object.entries(files)) r.put(md5(text), text, layout);
  const name = manifestMd5(entries);
  r.put(name, manifestBytes(entries), layout);
  return { name, entries };
}

describe('DvcCache: where objects are', () => {
  it('the cache folder is .dvc/cache, or [cache] dir of .dvc/config', () => {
    const plain = repo();
    assert.equal(plain.cache.dir, join(plain.root, '.dvc/cache'));
    const r = repo('[cache]\n    dir = ../elsewhere\n');
    assert.equal(r.cache.dir, join(r.dvcDir, '../elsewhere'));
  });

  it('an object in DVC 3\'s layout, in DVC 2\'s, in neither', () => {
    const r = repo();
    const a = md5('a');
    const b = md5('b');
    const v3 = r.put(a, 'a', 'v3');
    const v2 = r.put(b, 'b', 'v2');
    for (const kind of ['md5', 'md5-dos2unix'] as const) {
      assert.equal(r.cache.pathOf(a, kind), v3);
      assert.equal(r.cache.pathOf(b, kind), v2);
      assert.equal(r.cache.pathOf(md5('c'), kind), undefined);
      assert.equal(r.cache.has({ md5: a, kind }), true);
      assert.equal(r.cache.has({ md5: md5('c'), kind }), false);
    }
  });

  it('in both layouts: DVC 3\'s copy for a DVC 3 hash (md5), DVC 2\'s for a DVC 2 hash', () => {
    const r = repo();
    const a = md5('a');
    const v3 = r.put(a, 'a', 'v3');
    const v2 = r.put(a, 'a', 'v2');
    assert.equal(r.cache.pathOf(a, 'md5'), v3);
    assert.equal(r.cache.pathOf(a, 'md5-dos2unix'), v2);
  });

  it('the layout a hash kind prefers is the one checked: a damaged copy there is refused', () => {
    const r = repo();
    const a = md5('good');
    r.put(a, 'bad!', 'v3');
    r.put(a, 'good', 'v2');
    assert.throws(() => r.cache.verifiedFiles({ md5: a, kind: 'md5' }), { message: `DVC's cache object ${a} is damaged (its md5 is ${md5('bad!')})` });
    assert.deepEqual(r.cache.verifiedFiles({ md5: a, kind: 'md5-dos2unix' }), [{ path: '', from: r.cache.pathOf(a, 'md5-dos2unix'), md5: a }]);
  });
});

describe('DvcCache: folders', () => {
  it('a folder is in the cache when its manifest and every file it lists are', () => {
    const r = repo();
    const { name, entries } = folder(r, { 'x.txt': 'x', 'sub/y.txt': 'y' });
    assert.equal(r.cache.has({ md5: name, kind: 'md5' }), true);
    assert.deepEqual(r.cache.manifest({ md5: name, kind: 'md5' }), entries);
    rmSync(r.cache.pathOf(md5('y'), 'md5')!);
    assert.equal(r.cache.has({ md5: name, kind: 'md5' }), false);
    assert.equal(r.cache.has({ md5: manifestMd5([{ md5: md5('q'), relpath: 'q' }]), kind: 'md5' }), false);
  });

  it('a folder in DVC 2\'s layout, files found by the folder\'s hash kind', () => {
    const r = repo();
    const { name } = folder(r, { 'a.txt': 'a\r\nb\r\n' }, 'v2');
    assert.equal(r.cache.has({ md5: name, kind: 'md5-dos2unix' }), true);
  });

  it('a manifest that does not hash to its name, is not JSON, is not a list, or lists bad entries is no manifest', () => {
    const r = repo();
    const entries = [{ md5: md5('x'), relpath: 'x.txt' }];
    r.put(md5('x'), 'x');
    const name = manifestMd5(entries);
    const cases = [
      manifestBytes([{ md5: md5('x'), relpath: 'other.txt' }]),
      'not json',
      JSON.stringify({ md5: md5('x'), relpath: 'x.txt' }),
      JSON.stringify([{ md5: md5('x') }]),
      JSON.stringify([{ relpath: 'x.txt' }]),
      JSON.stringify([null]),
      JSON.stringify([{ md5: 5, relpath: 'x.txt' }]),
    ];
    for (const text of cases) {
      r.put(name, text);
      assert.equal(r.cache.manifest({ md5: name, kind: 'md5' }), undefined, text);
      assert.equal(r.cache.has({ md5: name, kind: 'md5' }), false, text);
      assert.throws(() => r.cache.verifiedFiles({ md5: name, kind: 'md5' }), { message: `DVC's cache has no intact manifest ${name}` });
    }
    r.put(name, manifestBytes(entries));
    assert.deepEqual(r.cache.manifest({ md5: name, kind: 'md5' }), entries);
  });

  it('a manifest of entries DVC never writes is refused even when it hashes to its own name', () => {
    const r = repo();
    r.put(md5('x'), 'x');
    const good = { md5: md5('x'), relpath: 'x.txt' };
    // Each is serialized as DVC would, so that its md5 names it: only the entries' shape can refuse it.
    for (const entries of [[{ md5: 5, relpath: 'y.txt' }], [{ md5: md5('x'), relpath: 7 }], [good, { md5: 5, relpath: 'y.txt' }], [{ md5: 5, relpath: 7 }]]) {
      const bytes = `[${entries.map((e) => `{"md5": ${JSON.stringify(e.md5)}, "relpath": ${JSON.stringify(e.relpath)}}`).join(', ')}]`;
      const name = `${md5(bytes)}.dir`;
      r.put(name, JSON.stringify(entries));
      const object = { md5: name, kind: 'md5' as const };
      assert.equal(r.cache.manifest(object), undefined, bytes);
      assert.equal(r.cache.has(object), false, bytes);
      assert.throws(() => r.cache.verifiedFiles(object), { message: `DVC's cache has no intact manifest ${name}` });
    }
  });

  it('a manifest\'s entries are given as md5 and relpath only, whatever else DVC wrote', () => {
    const r = repo();
    const entries = [{ md5: md5('x'), relpath: 'x.txt' }];
    const name = manifestMd5(entries);
    r.put(name, JSON.stringify([{ md5: md5('x'), relpath: 'x.txt', size: 1, isexec: false }]));
    assert.deepEqual(r.cache.manifest({ md5: name, kind: 'md5' }), entries);
  });

  it('no manifest at all', () => {
    const r = repo();
    assert.equal(r.cache.manifest({ md5: `${md5('none')}.dir`, kind: 'md5' }), undefined);
  });
});

describe('DvcCache: checkout links only verified objects', () => {
  it('a file: its bytes at the workspace path, replacing what was there', async () => {
    const r = repo();
    const a = md5('hello\n');
    r.put(a, 'hello\n');
    mkdirSync(join(r.root, 'data'));
    writeFileSync(join(r.root, 'data/out.txt'), 'old');
    await r.cache.checkout({ md5: a, kind: 'md5' }, join(r.root, 'data/out.txt'), r.store);
    assert.equal(readFileSync(join(r.root, 'data/out.txt'), 'utf8'), 'hello\n');
    assert.deepEqual(readdirSync(join(r.root, 'data')), ['out.txt']);
  });

  it('a DVC 2 text file with CRLF verifies by its dos2unix md5', async () => {
    const r = repo();
    const a = md5('a\nb\n');
    r.put(a, 'a\r\nb\r\n', 'v2');
    await r.cache.checkout({ md5: a, kind: 'md5-dos2unix' }, join(r.root, 'crlf.txt'), r.store);
    assert.equal(readFileSync(join(r.root, 'crlf.txt'), 'utf8'), 'a\r\nb\r\n');
    assert.throws(() => r.cache.verifiedFiles({ md5: a, kind: 'md5' }), /is damaged/);
  });

  it('a folder: every file by its manifest, nothing else', async () => {
    const r = repo();
    const { name } = folder(r, { 'x.txt': 'x', 'sub/y.txt': 'y' });
    mkdirSync(join(r.root, 'data/stale'), { recursive: true });
    writeFileSync(join(r.root, 'data/stale/old.txt'), 'old');
    assert.deepEqual(r.cache.verifiedFiles({ md5: name, kind: 'md5' }).map((f) => [f.path, f.md5]).sort(), [['sub/y.txt', md5('y')], ['x.txt', md5('x')]]);
    await r.cache.checkout({ md5: name, kind: 'md5' }, join(r.root, 'data'), r.store);
    assert.equal(readFileSync(join(r.root, 'data/x.txt'), 'utf8'), 'x');
    assert.equal(readFileSync(join(r.root, 'data/sub/y.txt'), 'utf8'), 'y');
    assert.deepEqual(readdirSync(join(r.root, 'data')).sort(), ['sub', 'x.txt']);
  });

  it('a missing or damaged file of a folder: an error naming it, the workspace as it was', async () => {
    const r = repo();
    const { name } = folder(r, { 'x.txt': 'x', 'y.txt': 'y' });
    writeFileSync(r.cache.pathOf(md5('y'), 'md5')!, 'Y');
    mkdirSync(join(r.root, 'data'));
    writeFileSync(join(r.root, 'data/keep.txt'), 'mine');
    await assert.rejects(r.cache.checkout({ md5: name, kind: 'md5' }, join(r.root, 'data'), r.store), { message: `DVC's cache object ${md5('y')} is damaged (its md5 is ${md5('Y')})` });
    rmSync(r.cache.pathOf(md5('y'), 'md5')!);
    await assert.rejects(r.cache.checkout({ md5: name, kind: 'md5' }, join(r.root, 'data'), r.store), { message: `DVC's cache has no object ${md5('y')}` });
    assert.deepEqual(readdirSync(join(r.root, 'data')), ['keep.txt']);
    assert.equal(readFileSync(join(r.root, 'data/keep.txt'), 'utf8'), 'mine');
  });

  it('a missing file object: an error, nothing written', async () => {
    const r = repo();
    const a = md5('absent');
    await assert.rejects(r.cache.checkout({ md5: a, kind: 'md5' }, join(r.root, 'out.txt'), r.store), { message: `DVC's cache has no object ${a}` });
    assert.equal(existsSync(join(r.root, 'out.txt')), false);
  });
});
