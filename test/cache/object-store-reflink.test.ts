/**
 * The content-addressed store (cache/object-store.ts) on a file system with reflinks (btrfs; see
 * test/helpers/reflink-dir.ts): an object saved by reflink is a clone of the workspace file, not
 * the file itself, for the first file and every one after (reflinks, once seen to work, are used
 * again, and a hard link is never taken in their place); a file checked out by reflink is the
 * user's own, writable, and editing it leaves the object as it was. object-store.test.ts covers
 * a file system without reflinks.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hashBytes } from '../../src/cache/hash.js';
import { ObjectStore } from '../../src/cache/object-store.js';
import type { LinkKind } from '../../src/layout.js';
import { reflinkDir } from '../helpers/reflink-dir.js';

const place = reflinkDir();
after(() => ('cleanup' in place ? place.cleanup() : undefined));
const skip = 'reason' in place ? place.reason : false;

function workspace(links?: readonly LinkKind[]) {
  const root = mkdtempSync(join((place as { dir: string }).dir, 'ws-'));
  const write = (name: string, text: string) => (writeFileSync(join(root, name), text), join(root, name));
  return { root, write, store: new ObjectStore(join(root, '.pipewright/cache'), links) };
}
const hashed = (text: string) => ({ hash: hashBytes(text), size: Buffer.byteLength(text), files: 1 });
const stat = (path: string) => statSync(path);

// Skipped test by test (not the suite), so that the runner's `# skipped` counts them.
describe('ObjectStore on a file system with reflinks', () => {
  it('the default order saves by reflink: each object a read-only clone, the workspace file left as it was', { skip }, async () => {
    for (const links of [undefined, ['reflink', 'hardlink'], ['reflink']] as const) {
      const w = workspace(links);
      for (const text of ['first', 'second', 'third']) {
        const abs = w.write(`${text}.txt`, text);
        await w.store.save(abs, hashed(text));
        const object = w.store.pathOf(hashed(text).hash);
        assert.notEqual(stat(object).ino, stat(abs).ino, `${String(links)}: ${text} is a clone, not a hard link`);
        assert.equal(stat(abs).nlink, 1);
        assert.equal(stat(object).mode & 0o777, 0o444);
        assert.equal(stat(abs).mode & 0o200, 0o200, 'the workspace file is still writable');
        assert.equal(readFileSync(object, 'utf8'), text);
      }
    }
  });

  it('a file checked out by reflink is the user\'s own: writable, and editing it leaves the object as it was', { skip }, async () => {
    const w = workspace(['reflink']);
    const h = hashed('model weights');
    await w.store.save(w.write('model.bin', 'model weights'), h);
    for (const name of ['a.bin', 'b.bin']) {
      const abs = join(w.root, 'out', name);
      mkdirSync(join(w.root, 'out'), { recursive: true });
      await w.store.checkout(h.hash, abs);
      assert.notEqual(stat(abs).ino, stat(w.store.pathOf(h.hash)).ino);
      assert.equal(stat(abs).mode & 0o777, 0o644, `${name}: writable like a copy`);
      writeFileSync(abs, 'edited');
      assert.equal(readFileSync(w.store.pathOf(h.hash), 'utf8'), 'model weights');
    }
    // A read-only source is no exception: the placed file is writable all the same.
    const readOnly = w.write('ro.txt', 'ro');
    chmodSync(readOnly, 0o444);
    await w.store.placeAt(readOnly, join(w.root, 'ro-copy.txt'));
    assert.equal(stat(join(w.root, 'ro-copy.txt')).mode & 0o777, 0o644);
  });
});
