import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hashFile } from '../../src/cache/hash.js';
import { readAhead } from '../../src/cache/read-ahead.js';

const dir = mkdtempSync(join(tmpdir(), 'pw-read-ahead-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const noPause = () => Promise.resolve();

describe('reading ahead on a helper thread', () => {
  // 9.3 MiB: more chunks than the ring has slots, and a short last one.
  const file = join(dir, 'data.bin');
  writeFileSync(file, randomBytes(9_300_000));

  it('hands over every byte in order, and hashes a big file as reading it here does', async () => {
    const chunks: Buffer[] = [];
    let pauses = 0;
    assert.equal(await readAhead(file, (chunk) => chunks.push(Buffer.from(chunk)), 2 << 20, async () => void pauses++), true);
    assert.ok(Buffer.concat(chunks).equals(readFileSync(file)));
    assert.equal(pauses, 4, 'the event loop got a turn every 2 MiB');

    const big = join(dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(300 << 20, 7));
    assert.equal(await hashFile(big, 300 << 20), await hashFile(big), 'read ahead (size given) and read here (size unknown) agree');
    // Each byte is read once, on the helper thread or here: /proc/self/io counts every thread's reads.
    if (existsSync('/proc/self/io')) {
      const readBytes = () => Number(/^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1]);
      for (const size of [300 << 20, undefined]) {
        const before = readBytes();
        await hashFile(big, size);
        const read = readBytes() - before;
        assert.ok(read >= 300 << 20 && read < 310 << 20, `${read} bytes read to hash 300 MiB (size ${size ?? 'unknown'})`);
      }
    }
  });

  it('says a file it cannot read, and is not left stuck by that or by a caller that gives up', async () => {
    await assert.rejects(readAhead(join(dir, 'missing.bin'), () => {}, 1 << 30, noPause), /cannot read .*missing\.bin/);
    let taken = 0;
    await assert.rejects(readAhead(file, () => {
      if (++taken === 3) throw new Error('given up');
    }, 1 << 30, noPause), /given up/);
    const chunks: Buffer[] = [];
    assert.equal(await readAhead(file, (chunk) => chunks.push(Buffer.from(chunk)), 1 << 30, noPause), true);
    assert.ok(Buffer.concat(chunks).equals(readFileSync(file)));
  });

  it('leaves a second file to its caller while it is busy with one', async () => {
    let second: boolean | undefined;
    const first = readAhead(file, () => {}, 1 << 20, async () => {
      second ??= await readAhead(file, () => {}, 1 << 30, noPause);
    });
    assert.equal(await first, true);
    assert.equal(second, false);
  });
});
