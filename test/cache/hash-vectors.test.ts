/**
 * File hashes are XXH3-64 (seed 0) as xxHash defines it: checked against the published test
 * vectors of xxHash's own sanity check (cli/xsum_sanity_check.c), on its generated test buffer,
 * through every way a file is read (whole when small, streamed in chunks when its size is not
 * given), not only against our own hashFile.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type ContentHash, canonicalJson, hashBytes, hashFile, hashValue, isDirHash } from '../../src/cache/hash.js';

/** xxHash's sanity buffer: byte i is the top byte of PRIME32 · PRIME64^i (mod 2^64). */
function sanityBuffer(length: number): Buffer {
  const PRIME32 = 2654435761n;
  const PRIME64 = 11400714785074694797n;
  const buffer = Buffer.alloc(length);
  let gen = PRIME32;
  for (let i = 0; i < length; i++) {
    buffer[i] = Number(gen >> 56n);
    gen = (gen * PRIME64) & 0xffffffffffffffffn;
  }
  return buffer;
}

/** (length, XXH3_64bits with seed 0) from xxHash's XSUM_XXH3_testdata. */
const VECTORS: readonly [number, string][] = [
  [0, '2d06800538d394c2'], [1, 'c44bdff4074eecdb'], [6, '27b56a84cd2d7325'], [12, 'a713daf0dfbb77e7'],
  [24, 'a3fe70bf9d3510eb'], [48, '397da259ecba1f11'], [80, 'bcdefbbb2c47c90a'], [195, 'cd94217ee362ec3a'],
  [403, 'cdeb804d65c6dea4'], [512, '617e49599013cb6b'], [2048, 'dd59e2c3a5f038e0'], [2099, 'c6b9d9b3fc9ac765'],
];

describe('file hashes are xxHash\'s XXH3-64', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pw-vectors-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const full = sanityBuffer(2367);

  for (const [length, expected] of VECTORS) {
    it(`${length} bytes of the sanity buffer: ${expected}`, async () => {
      const bytes = full.subarray(0, length);
      const file = join(dir, `v${length}`);
      writeFileSync(file, bytes);
      assert.equal(hashBytes(bytes), expected, 'in memory');
      assert.equal(await hashFile(file, length), expected, 'a small file, read whole');
      assert.equal(await hashFile(file), expected, 'size unknown: streamed in chunks');
    });
  }
});

describe('value hashes (fingerprints) are xxh3-128 of canonical JSON', () => {
  it('canonical JSON sorts object keys at every depth, keeps array order, and keeps null', () => {
    assert.equal(canonicalJson({ z: { y: 1, x: null }, a: 's' }), '{"a":"s","z":{"x":null,"y":1}}');
    assert.equal(canonicalJson([2, 1, { b: 1, a: [3, 1] }]), '[2,1,{"a":[3,1],"b":1}]');
    assert.equal(canonicalJson(null), 'null');
    assert.equal(canonicalJson({ a: null }), '{"a":null}');
    assert.equal(canonicalJson({ k: [] }), '{"k":[]}');
    // Every order of the same keys gives the same text.
    const keys = ['delta', 'alpha', 'echo', 'charlie', 'bravo', 'foxtrot'];
    const orders = [keys, [...keys].reverse(), [...keys].sort(), [...keys].sort().reverse(), ['charlie', 'foxtrot', 'alpha', 'echo', 'bravo', 'delta']];
    for (const order of orders) {
      assert.equal(canonicalJson(Object.fromEntries(order.map((k) => [k, k.length]))),
        '{"alpha":5,"bravo":5,"charlie":7,"delta":5,"echo":4,"foxtrot":7}', order.join(','));
    }
  });

  it('known digests: 32 hex digits, whatever the key order; arrays are ordered', () => {
    // Fingerprints name run-cache entries on every remote: these must not change between versions.
    assert.equal(hashValue({ a: 1, b: [2, 1] }), 'e03e5fa760c44debf8d6733d5297831e');
    assert.equal(hashValue({ b: [2, 1], a: 1 }), 'e03e5fa760c44debf8d6733d5297831e');
    assert.equal(hashValue({ z: { y: 1, x: null }, a: 's' }), '5a1f3baae7be767f0152262f19456779');
    assert.equal(hashValue(null), 'dc32537e27486e2c652e7b35ccc22eda');
    assert.equal(hashValue([1, 2]), '59dda9fe6d655476e17419a23fd401b2');
    assert.equal(hashValue([2, 1]), 'd5a51ae79123a0a40ee97dede079c485');
    assert.notEqual(hashValue([1, 2]), hashValue({ 0: 1, 1: 2 }), 'an array is not the object of its indices');
    // A digest below 2^124 keeps its leading zero.
    assert.equal(hashValue({ n: 6 }), '09514b2cd20f3b24721b00aefdd89d42');
  });
});

describe('file hashes', () => {
  it('a digest below 2^60 keeps its leading zero: always 16 hex digits', () => {
    assert.equal(hashBytes('x7'), '0d6425c1aaa4ad19');
    for (let i = 0; i < 100; i++) assert.match(hashBytes(`x${i}`), /^[0-9a-f]{16}$/);
  });

  it('a folder\'s hash ends in .dir; a file\'s does not', () => {
    assert.equal(isDirHash('0d6425c1aaa4ad19.dir' as ContentHash), true);
    assert.equal(isDirHash('0d6425c1aaa4ad19' as ContentHash), false);
    assert.equal(isDirHash('.dir0d6425c1aaa4ad19' as ContentHash), false);
  });

  it('hashing many files leaves no file descriptor open', { skip: !existsSync('/proc/self/fd') && 'no /proc/self/fd' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-fds-'));
    try {
      const file = join(dir, 'f');
      const bytes = sanityBuffer(1000);
      writeFileSync(file, bytes);
      const open = () => readdirSync('/proc/self/fd').length;
      const before = open();
      // Size not given: streamed through a descriptor of its own.
      for (let i = 0; i < 300; i++) assert.equal(await hashFile(file), hashBytes(bytes));
      assert.ok(open() < before + 10, `${open() - before} more descriptors open after 300 hashes`);
      await assert.rejects(hashFile(join(dir, 'missing')), /ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a huge file hashed without its size gives the event loop a turn every 64 MiB, not every chunk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-yield-'));
    try {
      const file = join(dir, 'big');
      writeFileSync(file, Buffer.alloc(200 << 20, 3));
      let turns = 0;
      let hashing = true;
      const tick = () => {
        if (!hashing) return;
        turns++;
        setImmediate(tick);
      };
      setImmediate(tick);
      const hash = await hashFile(file);
      hashing = false;
      assert.equal(hash, await hashFile(file, 200 << 20), 'streamed and read ahead agree');
      // 200 MiB: a turn at 64, 128 and 192 MiB (progress reports keep moving); not one per 128 KiB read.
      assert.ok(turns >= 3 && turns <= 8, `${turns} turns of the event loop`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
