/**
 * The remote run-cache's packing, on a folder remote through the module: reading it is one listing
 * and a bounded number of reads however many entries and pushes there were; merges lose nothing
 * when pushes race.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hashBytes, type ValueHash } from '../../src/cache/hash.js';
import type { LockEntry } from '../../src/cache/lockfile.js';
import type { RunCacheEntry } from '../../src/cache/run-cache.js';
import { FolderBackend } from '../../src/remote/folder.js';
import { COMPACT_FROM, RUN_CACHE_PREFIX, appendRunCache, pushRunCache, readRunCache } from '../../src/remote/run-cache-pack.js';

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

/** A real folder remote whose listing can be changed: run a push right after it, or list keys that are not there. */
class ListingFolder extends FolderBackend {
  afterList?: () => Promise<void>;
  extra: string[] = [];
  reverse = false;
  override async list(prefix: string): Promise<string[]> {
    const keys = await super.list(prefix);
    const then = this.afterList;
    this.afterList = undefined;
    await then?.();
    const listed = [...keys, ...this.extra];
    return this.reverse ? listed.reverse() : listed;
  }
}

/** Writes a segment as a push would name it (by the hash of its bytes), whatever it holds. */
const writeNamed = (remote: FolderBackend, text: string): string => {
  const key = `${RUN_CACHE_PREFIX}${hashBytes(text)}.json`;
  writeFileSync(join(remote.location.path, key), text);
  return key;
};
const segmentNames = (remote: FolderBackend) => readdirSync(join(remote.location.path, 'run-cache')).sort();
const variant = (n: number, stage: string): RunCacheEntry => ({ ...entry(n), stage });

describe('remote run-cache segments: what is trusted', () => {
  it('segments named right but holding the wrong version, no entry list, invalid entries or no JSON are skipped and named', async () => {
    const remote = folderRemote();
    await pushRunCache(remote, range(0, 2));
    const good = (await readRunCache(remote)).segments;
    const valid = entry(7);
    const bad = [
      JSON.stringify({ version: 2, entries: [valid] }),
      JSON.stringify({ version: 1, entries: { 0: valid } }),
      JSON.stringify({ version: 1 }),
      JSON.stringify({ version: 1, entries: [valid, { ...valid, stage: undefined }] }),
      JSON.stringify({ version: 1, entries: [{ ...valid, stage: 3 }] }),
      JSON.stringify({ version: 1, entries: [{ ...valid, entry: { ...valid.entry, fingerprint: 12 } }] }),
      JSON.stringify({ version: 1, entries: [{ ...valid, entry: { ...valid.entry, outs: undefined } }] }),
      JSON.stringify({ version: 1, entries: [{ stage: 'x' }] }),
      JSON.stringify({ version: 1, entries: [null] }),
      '{"version": 1, "entries": [',
    ].map((text) => writeNamed(remote, text));
    const read = await readRunCache(remote);
    assert.deepEqual([...read.entries.keys()].sort(), range(0, 2).map((e) => e.entry.fingerprint));
    assert.deepEqual(read.damaged, [...bad].sort());
    assert.deepEqual(read.segments, good);
    // The same entry in a well-formed segment is read.
    writeNamed(remote, JSON.stringify({ version: 1, entries: [valid] }));
    assert.equal((await readRunCache(remote)).entries.size, 3);
  });

  it('files in run-cache/ that are not segments are left alone', async () => {
    const remote = folderRemote();
    await pushRunCache(remote, range(0, 2));
    writeFileSync(join(remote.location.path, 'run-cache', 'NOTES'), 'not a segment');
    writeFileSync(join(remote.location.path, 'run-cache', 'old.json.bak'), 'not a segment');
    const read = await readRunCache(remote);
    assert.equal(read.entries.size, 2);
    assert.deepEqual(read.damaged, []);
    assert.equal(read.segments.length, 1);
  });

  it('the first entry of a fingerprint wins: segments in name order, entries in push order within one', async () => {
    const remote = folderRemote();
    await appendRunCache(remote, [variant(1, 'first'), variant(1, 'second')]);
    assert.equal((await readRunCache(remote)).entries.get(entry(1).entry.fingerprint)?.stage, 'first');

    // Two segments holding the same fingerprint: the one whose name sorts first wins, whatever order the listing gives.
    const two = folderRemote();
    await appendRunCache(two, [variant(5, 'a')]);
    await appendRunCache(two, [variant(5, 'b')]);
    const names = segmentNames(two).map((n) => `run-cache/${n}`);
    const winner = JSON.parse(readFileSync(join(two.location.path, names[0]!), 'utf8')).entries[0].stage;
    for (const reverse of [false, true]) {
      const reader = new ListingFolder(two.location);
      reader.reverse = reverse;
      const read = await readRunCache(reader);
      assert.deepEqual(read.segments, names, `listing reversed: ${reverse}`);
      assert.equal(read.entries.get(entry(5).entry.fingerprint)?.stage, winner, `listing reversed: ${reverse}`);
    }
  });
});

describe('remote run-cache segments: what is written', () => {
  it('a segment\'s name does not depend on the order its entries were pushed in', async () => {
    const entries = range(0, 7);
    const orders = [entries, [...entries].reverse(), [3, 0, 6, 1, 5, 2, 4].map((i) => entries[i]!), [6, 4, 2, 0, 1, 3, 5].map((i) => entries[i]!)];
    const names = new Set<string>();
    for (const order of orders) {
      const remote = folderRemote();
      await appendRunCache(remote, order);
      names.add(segmentNames(remote).join());
      const other = folderRemote();
      await pushRunCache(other, order);
      names.add(segmentNames(other).join());
    }
    assert.equal(names.size, 1, [...names].join(' '));
  });

  it('a push or an append with nothing new writes nothing', async () => {
    const remote = folderRemote();
    const appender = new FolderBackend(remote.location);
    await appendRunCache(appender, []);
    assert.deepEqual(appender.requests, {});
    await pushRunCache(remote, range(0, 3));
    const before = segmentNames(remote);
    const pusher = new FolderBackend(remote.location);
    assert.deepEqual(await pushRunCache(pusher, range(1, 3)), { added: 0, total: 3, merged: false });
    assert.equal(pusher.requests['write'], undefined);
    assert.deepEqual(segmentNames(remote), before);
    assert.deepEqual(await pushRunCache(remote, []), { added: 0, total: 3, merged: false });
    assert.deepEqual(segmentNames(remote), before);
  });

  it('merging starts past COMPACT_FROM segments, makes one, and removes exactly the merged ones', async () => {
    const remote = folderRemote();
    for (let i = 0; i < COMPACT_FROM - 1; i++) await appendRunCache(remote, [entry(i)]);
    // The push that makes COMPACT_FROM segments does not merge.
    assert.deepEqual(await pushRunCache(remote, [entry(100)]), { added: 1, total: COMPACT_FROM, merged: false });
    assert.equal(segmentNames(remote).length, COMPACT_FROM);
    // The one that makes COMPACT_FROM + 1 does; a segment written meanwhile by someone else stays.
    const before = new Set(segmentNames(remote));
    const pusher = new ListingFolder(remote.location);
    let late: string | undefined;
    pusher.afterList = async () => {
      await appendRunCache(new FolderBackend(remote.location), [entry(200)]);
      late = segmentNames(remote).find((n) => !before.has(n));
    };
    assert.deepEqual(await pushRunCache(pusher, [entry(101)]), { added: 1, total: COMPACT_FROM + 1, merged: true });
    const left = segmentNames(remote);
    assert.ok(late && left.includes(late), 'the segment written after the listing stays');
    assert.equal(left.filter((n) => before.has(n)).length, 0, 'every segment merged is removed');
    assert.equal(left.length, 2, `the merged segment and the late one: ${left.join(' ')}`);
    const merged = left.find((n) => n !== late)!;
    assert.equal(JSON.parse(readFileSync(join(remote.location.path, 'run-cache', merged), 'utf8')).entries.length, COMPACT_FROM + 1);
    const read = await readRunCache(remote);
    assert.equal(read.entries.size, COMPACT_FROM + 2);
  });

  it('a merge that comes out the same as a segment already there keeps that segment', async () => {
    // A whole segment, and appends (a worker's, not reading first) repeating its entries one by one.
    const remote = folderRemote();
    const all = range(0, COMPACT_FROM + 1);
    await appendRunCache(remote, all);
    for (const e of all.slice(0, COMPACT_FROM)) await appendRunCache(remote, [e]);
    assert.equal(segmentNames(remote).length, COMPACT_FROM + 1);
    assert.deepEqual(await pushRunCache(remote, all), { added: 0, total: COMPACT_FROM + 1, merged: true });
    assert.equal(segmentNames(remote).length, 1);
    assert.equal((await readRunCache(remote)).entries.size, COMPACT_FROM + 1);
  });
});

describe('remote run-cache segments: reading while others push', () => {
  it('segments merged away between the listing and the reads: listed again, nothing lost', async () => {
    const remote = folderRemote();
    for (let i = 0; i < COMPACT_FROM; i++) await appendRunCache(remote, [entry(i)]);
    const reader = new ListingFolder(remote.location);
    // Right after the reader lists, another push merges every segment it listed into a new one.
    reader.afterList = async () => void assert.equal((await pushRunCache(new FolderBackend(remote.location), [entry(50)])).merged, true);
    const read = await readRunCache(reader);
    assert.equal(read.entries.size, COMPACT_FROM + 1);
    assert.deepEqual(read.damaged, []);
    assert.deepEqual(read.segments, segmentNames(remote).map((n) => `run-cache/${n}`));
    assert.equal(reader.requests['list'], 2);
  });

  it('a listed segment that stays missing (a stale listing) is given up after three listings', async () => {
    const remote = folderRemote();
    await pushRunCache(remote, range(0, 4));
    const reader = new ListingFolder(remote.location);
    reader.extra = [`${RUN_CACHE_PREFIX}0123456789abcdef.json`];
    const read = await readRunCache(reader);
    assert.equal(read.entries.size, 4);
    assert.equal(read.segments.length, 1);
    assert.equal(reader.requests['list'], 3);
  });

  it('a reader that keeps what it has seen reads only new segments', async () => {
    const remote = folderRemote();
    for (let i = 0; i < 3; i++) await appendRunCache(remote, range(i * 10, i * 10 + 10));
    const seen = new Map<string, readonly RunCacheEntry[]>();
    const first = new FolderBackend(remote.location);
    const read1 = await readRunCache(first, seen);
    assert.equal(read1.entries.size, 30);
    assert.deepEqual(first.requests, { list: 1, read: 3 });
    assert.deepEqual([...seen.keys()].sort(), read1.segments);

    const again = new FolderBackend(remote.location);
    const read2 = await readRunCache(again, seen);
    assert.deepEqual(again.requests, { list: 1 });
    assert.equal(read2.entries.size, 30);
    assert.deepEqual(read2.segments, read1.segments);

    await appendRunCache(remote, range(30, 35));
    const third = new FolderBackend(remote.location);
    const read3 = await readRunCache(third, seen);
    assert.deepEqual(third.requests, { list: 1, read: 1 });
    assert.equal(read3.entries.size, 35);
  });
});
