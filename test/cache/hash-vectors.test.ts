/**
 * File hashes are XXH3-64 (seed 0) as xxHash defines it: checked against the published test
 * vectors of xxHash's own sanity check (cli/xsum_sanity_check.c), on its generated test buffer,
 * through every way a file is read (whole when small, streamed in chunks when its size is not
 * given), not only against our own hashFile.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hashBytes, hashFile } from '../../src/cache/hash.js';

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
