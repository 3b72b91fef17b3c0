/**
 * The remote run-cache's packing, on a folder remote through the module: reading it is one listing
 * and a bounded number of reads however many entries and pushes there were; merges lose nothing
 * when pushes race.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ValueHash } from '../../src/cache/hash.js';
import type { LockEntry } from '../../src/cache/lockfile.js';
import type { RunCacheEntry } from '../../src/cache/run-cache.js';
import { FolderBackend } from '../../src/remote/folder.js';
import { COMPACT_FROM, appendRunCache, pushRunCache, readRunCache } from '../../src/remote/run-cache-pack.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const folderRemote = () => {
  const path = mkdtempSync(join(tmpdir(), 'pw-rc-'));
  dirs.push(path);
  return new FolderBackend({ kind: 'folder', path });
};

const entry = (n: number): RunCacheEntry => ({
  stage: `train@x=${n}`,
  entry: { fingerprint: n.toString(16).padStart(32, '0') as ValueHash, code: { cmd: 'x', template: 'x' }, params: { x: n }, deps: [], outs: [] } as LockEntry,
});
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => entry(from + i));

describe('remote run-cache segments', () => {
  it('reading costs one listing and at most COMPACT_FROM reads, however many entries and pushes', async () => {
    const remote = folderRemote();
    for (let push = 0; push < 3 * COMPACT_FROM; push++) await pushRunCache(remote, range(push * 50, push * 50 + 50));
    const reader = new FolderBackend(remote.location);
    const read = await readRunCache(reader);
    assert.equal(read.entries.size, 3 * COMPACT_FROM * 50);
    assert.equal(reader.requests['list'], 1);
    assert.ok((reader.requests['read'] ?? 0) <= COMPACT_FROM, `${reader.requests['read']} reads`);
    assert.ok(readdirSync(join(remote.location.path, 'run-cache')).length <= COMPACT_FROM);
  });

  it('pushes racing each other, each merging, lose no entry', async () => {
    const remote = folderRemote();
    // COMPACT_FROM segments: every push from here on merges, while the others push and merge too.
    for (let i = 0; i < COMPACT_FROM; i++) await pushRunCache(remote, range(i * 10, i * 10 + 10));
    let next = 1000;
    for (let round = 0; round < 3; round++) {
      await Promise.all(Array.from({ length: 6 }, async () => {
        const mine = range(next, next + 5);
        next += 5;
        await new Promise((r) => setTimeout(r, Math.random() * 5));
        return pushRunCache(new FolderBackend(remote.location), mine);
      }));
    }
    const read = await readRunCache(remote);
    assert.equal(read.entries.size, COMPACT_FROM * 10 + 3 * 6 * 5);
  });

  it('appending (one instance at a time) is one request; the next push merges what appends left', async () => {
    const remote = folderRemote();
    for (let i = 0; i < 2 * COMPACT_FROM; i++) {
      const writer = new FolderBackend(remote.location);
      await appendRunCache(writer, [entry(i)]);
      assert.deepEqual(writer.requests, { write: 1 });
    }
    assert.equal((await readRunCache(remote)).entries.size, 2 * COMPACT_FROM);
    const pushed = await pushRunCache(remote, [entry(0), entry(500)]);
    assert.deepEqual(pushed, { added: 1, total: 2 * COMPACT_FROM + 1, merged: true });
    assert.equal(readdirSync(join(remote.location.path, 'run-cache')).length, 1);
  });

  it('a segment whose bytes do not match its name is skipped and named, not trusted', async () => {
    const remote = folderRemote();
    await pushRunCache(remote, range(0, 3));
    const dir = join(remote.location.path, 'run-cache');
    const [name] = readdirSync(dir);
    rmSync(join(dir, name!), { force: true });
    writeFileSync(join(dir, name!), JSON.stringify({ version: 1, entries: [entry(99)] }));
    const read = await readRunCache(remote);
    assert.equal(read.entries.size, 0);
    assert.deepEqual(read.damaged, [`run-cache/${name}`]);
  });
});
