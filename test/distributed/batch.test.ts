/**
 * Batcher (distributed/batch.ts): what is asked in one turn of the event loop goes in one call,
 * each caller gets its own answer, and a failed call fails its batch only.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Batcher } from '../../src/distributed/batch.js';

describe('Batcher: one call per turn of the event loop', () => {
  it('items added in one turn (synchronously, or in its microtasks) go in one call, each answered in order', async () => {
    const calls: number[][] = [];
    const batcher = new Batcher<number, string>(async (items) => {
      calls.push([...items]);
      return items.map((i) => `#${i}`);
    });
    const answers = [batcher.add(1), batcher.add(2)];
    await Promise.resolve();
    answers.push(batcher.add(3));
    assert.deepEqual(await Promise.all(answers), ['#1', '#2', '#3']);
    assert.deepEqual(calls, [[1, 2, 3]]);
    assert.equal(await batcher.add(4), '#4');
    assert.deepEqual(calls, [[1, 2, 3], [4]], 'a later turn is a call of its own');
  });

  it('at most `max` items a call', async () => {
    const sizes: number[] = [];
    const batcher = new Batcher<number, number>(async (items) => {
      sizes.push(items.length);
      return items;
    }, 4);
    assert.deepEqual(await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.add(i))), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(sizes, [4, 4, 2]);
  });

  it('a call that fails (or throws at once) fails every item of its batch, and only those', async () => {
    const batcher = new Batcher<number, number>((items) => {
      if (items.includes(0)) throw new Error('no zeros');
      return Promise.resolve(items);
    }, 2);
    const results = await Promise.allSettled([batcher.add(0), batcher.add(1), batcher.add(2)]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'fulfilled']);
    assert.equal((results[0] as PromiseRejectedResult).reason.message, 'no zeros');
  });
});
