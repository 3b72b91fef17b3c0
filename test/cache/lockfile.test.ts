/**
 * The lockfile's writer (cache/lockfile.ts): a rewrite that reuses the text of the entries the file
 * already held writes exactly what dumping every entry afresh writes; the snapshot is rewritten at
 * the end of a run even when the last rewrite before it left it stale; the journal holds what the
 * lockfile does not yet.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dumpEntry, entryTexts, LockfileWriter, readLockfileForWriting, type LockEntry } from '../../src/cache/lockfile.js';
import type { ContentHash, FileHash, ValueHash } from '../../src/cache/hash.js';
import { layout } from '../../src/layout.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pw-lockfile-'));
  dirs.push(dir);
  return dir;
}

function entry(i: number, extra: Partial<LockEntry> = {}): LockEntry {
  return {
    fingerprint: `f${i}`.padEnd(32, '0') as ValueHash,
    code: { cmd: `echo s${i} >> ran.log && cat in/${i}.txt > out/${i}.txt`, template: 'echo ${item}' },
    params: { lr: 0.1 * i, name: `run ${i}`, flags: [true, false], nested: { 'a b': 'yes', n: null } },
    deps: [{ path: `in/${i}.txt`, hash: `d${i}`.padEnd(16, '0') as ContentHash }],
    outs: [{ path: `out/${i}.txt`, hash: `o${i}`.padEnd(16, '0') as ContentHash, size: i, cache: true }],
    ...extra,
  };
}

// Names js-yaml writes plain, and some it quotes or that look like something else.
const NAMES = ['s1', 's2', 'train@lr=0.1', 'a/b', '1', 'true', 'yes', 'x: y', "it's", 'multi\nline', 'sp ace', '-dash', '@at', 'émile'];

/** The lockfile every entry dumped afresh gives. */
function freshText(entries: Record<string, LockEntry>): string {
  const names = Object.keys(entries).sort();
  return `version: 1\nstages:\n${names.map((n) => dumpEntry(n, entries[n]!)).join('')}`;
}

describe('lockfile writer', () => {
  it('splits a lockfile it wrote into each entry\'s own text, and takes only blocks that open with their name unquoted', () => {
    const entries = Object.fromEntries(NAMES.map((n, i) => [n, entry(i, i === 3 ? { metrics: { acc: 0.9, note: 'multi\nline' } } : {})]));
    const text = freshText(entries);
    const texts = entryTexts(text, new Set(NAMES));
    for (const name of ['s1', 's2', 'train@lr=0.1', 'a/b']) assert.ok(texts.has(name), `took ${[...texts.keys()].join(', ')}`);
    for (const [name, block] of texts) assert.equal(block, dumpEntry(name, entries[name]!), name);
    // A name not asked for is not taken.
    assert.equal(entryTexts(text, new Set(['s1'])).size, 1);
  });

  it('rewrites, after changing some entries of a lockfile read through its snapshot, exactly what dumping every entry writes', () => {
    const root = project();
    const first = new LockfileWriter(root, { entries: {} });
    NAMES.forEach((n, i) => first.set(n, entry(i)));
    first.close();
    assert.equal(readFileSync(join(root, 'pipewright.lock'), 'utf8'), freshText(Object.fromEntries(NAMES.map((n, i) => [n, entry(i)]))));

    const read = readLockfileForWriting(root, () => assert.fail('no warning'));
    assert.ok(read.reusable, 'read through the snapshot');
    const second = new LockfileWriter(root, read);
    second.set('s2', entry(99));
    second.set('new one', entry(7));
    second.close();
    const expected = Object.fromEntries(NAMES.map((n, i) => [n, entry(i)]));
    expected.s2 = entry(99);
    expected['new one'] = entry(7);
    assert.equal(readFileSync(join(root, 'pipewright.lock'), 'utf8'), freshText(expected));
    assert.deepEqual(readLockfileForWriting(root, () => {}).entries, JSON.parse(JSON.stringify(expected)));
  });

  it('writes a lockfile and snapshot larger than one write (in parts) exactly as one string would be', () => {
    const root = project();
    const writer = new LockfileWriter(root, { entries: {} });
    const expected: Record<string, LockEntry> = {};
    for (let i = 0; i < 1500; i++) expected[`émile-${i}`] = entry(i, { metrics: { note: 'ünïcode ✓'.repeat(i % 7) } });
    for (const [name, e] of Object.entries(expected)) writer.set(name, e);
    writer.close();
    const text = readFileSync(join(root, 'pipewright.lock'), 'utf8');
    assert.ok(text.length > 1 << 18, `${text.length} characters: more than one part`);
    assert.equal(text, freshText(expected));
    const read = readLockfileForWriting(root, () => assert.fail('no warning'));
    assert.ok(read.reusable, 'the snapshot parses and matches');
    assert.deepEqual(read.entries, JSON.parse(JSON.stringify(expected)));
  });

  it('does not reuse the text of entries the journal changed (a killed run)', () => {
    const root = project();
    const first = new LockfileWriter(root, { entries: {} });
    first.set('s1', entry(1));
    first.set('s2', entry(2));
    first.close();
    // A run killed after recording s1 anew: the journal has it, the lockfile not.
    const killed = new LockfileWriter(root, readLockfileForWriting(root, () => {}));
    killed.set('s2', entry(2)); // the first set rewrites the lockfile at once
    killed.set('s1', entry(11)); // this one waits in the journal
    assert.match(readFileSync(layout(root).lockJournal, 'utf8'), /"stage":"s1"/);
    const read = readLockfileForWriting(root, () => {});
    assert.equal(read.entries.s1!.fingerprint, entry(11).fingerprint);
    const next = new LockfileWriter(root, read);
    next.set('s2', entry(22));
    next.close();
    assert.equal(readFileSync(join(root, 'pipewright.lock'), 'utf8'), freshText({ s1: entry(11), s2: entry(22) }));
  });

  it('writes the snapshot at the end of the run even when the last rewrite left it stale', async () => {
    const root = project();
    const writer = new LockfileWriter(root, { entries: {} });
    writer.set('s1', entry(1)); // the first set rewrites at once, without the snapshot
    await new Promise((r) => setTimeout(r, 600));
    writer.set('s2', entry(2)); // past the interval: rewritten at once again
    writer.close(); // nothing pending: only the snapshot is left to write
    const read = readLockfileForWriting(root, () => {});
    assert.ok(read.reusable, 'the snapshot matches the lockfile');
    assert.deepEqual(Object.keys(read.entries).sort(), ['s1', 's2']);
  });
});
