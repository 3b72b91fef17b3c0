/**
 * The bounded FIFO between the parts of a running flow (src/flow/channel.ts), called directly:
 * order kept across the ring's wrap-around, `full` at capacity, a write into a full channel a bug,
 * and the reader and writer told once per item and once per freed slot. Written from the survivors
 * of `npm run mutate -- src/flow/channel.ts` (see docs/mutation-testing.md).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Channel } from '../../src/flow/channel.js';

describe('flow channel', () => {
  it('keeps first-in first-out order, also once the ring has wrapped around', () => {
    const channel = new Channel<number>(3);
    const out: (number | undefined)[] = [];
    let next = 0;
    for (let round = 0; round < 5; round++) {
      while (!channel.full) channel.push(next++);
      out.push(channel.shift(), channel.shift());
    }
    while (channel.size) out.push(channel.shift());
    assert.deepEqual(out, Array.from({ length: next }, (_, i) => i));
  });

  it('is full at its capacity, not before, and refuses a write then', () => {
    const channel = new Channel<string>(2);
    assert.equal(channel.full, false);
    channel.push('a');
    assert.equal(channel.full, false);
    assert.equal(channel.size, 1);
    channel.push('b');
    assert.equal(channel.full, true);
    assert.equal(channel.size, 2);
    assert.throws(() => channel.push('c'), /write into a full flow channel/);
    assert.equal(channel.size, 2);
    assert.equal(channel.shift(), 'a');
    assert.equal(channel.full, false);
  });

  it('peeks without taking, and answers undefined when empty', () => {
    const channel = new Channel<string>(2);
    assert.equal(channel.peek(), undefined);
    assert.equal(channel.shift(), undefined);
    channel.push('a');
    channel.push('b');
    assert.equal(channel.peek(), 'a');
    assert.equal(channel.peek(), 'a');
    assert.equal(channel.size, 2);
    channel.shift();
    assert.equal(channel.peek(), 'b');
    channel.shift();
    assert.equal(channel.peek(), undefined, 'nothing left, though the slot once held b');
    assert.equal(channel.shift(), undefined);
    assert.equal(channel.size, 0);
  });

  it('tells the reader once per item and the writer once per freed slot, never for an empty shift', () => {
    const channel = new Channel<number>(1);
    let items = 0;
    let spaces = 0;
    channel.onItem = () => items++;
    channel.onSpace = () => spaces++;
    channel.shift();
    assert.deepEqual([items, spaces], [0, 0]);
    channel.push(1);
    assert.deepEqual([items, spaces], [1, 0]);
    channel.shift();
    assert.deepEqual([items, spaces], [1, 1]);
    channel.shift();
    assert.deepEqual([items, spaces], [1, 1]);
  });

  it('starts with handlers that do nothing', () => {
    const channel = new Channel<number>(1);
    channel.push(1);
    assert.equal(channel.shift(), 1);
  });
});
