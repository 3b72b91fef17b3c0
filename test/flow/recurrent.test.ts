/**
 * Recurrent connections (PyPipeline's RecurrentConnection): `[from, to, { initial }]` gives item i the value
 * item i−1 produced on `from`, and item 0 the initial value. Order is kept, scaled cells outside the loop keep
 * working, a scaled cell inside it is refused, and a plain cycle stays refused.
 */
import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { cell, flow, source } from '../../src/index.js';
import { isPipelineError } from '../../src/errors.js';

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};
const refused = (make: () => unknown, message: RegExp) => assert.throws(make, (err: unknown) => isPipelineError(err) && message.test(err.message));

/** A running mean: each item's output is fed back as the next item's state. */
const runningMean = () => cell('mean', {
  inputs: ['x', 'prev'],
  outputs: ['mean', 'state'],
  run: ({ x, prev }: { x: number; prev: { n: number; sum: number } }) => {
    const state = { n: prev.n + 1, sum: prev.sum + x };
    return { mean: state.sum / state.n, state };
  },
});

describe('recurrent connections', () => {
  it('item i sees item i−1\'s value; item 0 sees the initial value', async () => {
    const mean = runningMean();
    const f = flow('mean', { cells: [mean], connect: [[mean.outputs.state, mean.inputs.prev, { initial: { n: 0, sum: 0 } }]] });
    assert.deepEqual(await collect(f.stream([2, 4, 6, 8])), [2, 3, 4, 5]);
    // Through push and pull as well, and a second run starts again from the initial value.
    await f.push(10);
    await f.push(20);
    assert.deepEqual([await f.pull(), await f.pull()], [10, 15]);
    await f.close();
    assert.deepEqual(await collect(f.stream([7])), [7]);
  });

  it('a loop through three cells: a tracker that needs the previous frame, fed by a source', async () => {
    const frames = source('frames', { run: () => [[0, 0], [1, 1], [3, 2], [6, 3], [10, 4]] });
    const detect = cell('detect', { inputs: ['frame', 'last'], run: ({ frame, last }: { frame: number[]; last: number[] | null }) => ({ at: frame, from: last }) });
    const move = cell('move', { run: async ({ at, from }: { at: number[]; from: number[] | null }) => (await sleep(at[0]! % 3), { at, step: from ? [at[0]! - from[0]!, at[1]! - from[1]!] : null }) });
    const track = cell('track', { outputs: ['step', 'position'], run: ({ at, step }: { at: number[]; step: number[] | null }) => ({ step: step ?? 'start', position: at }) });
    const f = flow('tracking', {
      cells: [frames, detect, move, track],
      connect: [['frames', 'detect.frame'], ['detect', 'move'], ['move', 'track'], ['track.position', 'detect.last', { initial: null }]],
    });
    assert.deepEqual(await collect(f.stream()), [
      { 'track.step': 'start' }, { 'track.step': [1, 1] }, { 'track.step': [2, 1] }, { 'track.step': [3, 1] }, { 'track.step': [4, 1] },
    ].map((o) => o['track.step']));
  });

  it('order is kept, and a scaled cell outside the loop still works (uneven async work on 3 clones)', async () => {
    const slowSquare = cell('square', { scale: 3, executor: 'inline', run: async (x: number) => (await sleep((x * 7) % 5), x * x) });
    const mean = runningMean();
    const f = flow('scaled', {
      cells: [slowSquare, mean],
      connect: [['square', 'mean.x'], ['mean.state', 'mean.prev', { initial: { n: 0, sum: 0 } }]],
    });
    const n = 300;
    let sum = 0;
    const expected = Array.from({ length: n }, (_, i) => (sum += i * i) / (i + 1));
    assert.deepEqual(await collect(f.stream(Array.from({ length: n }, (_, i) => i))), expected);
  });

  it('refused at definition: a scaled cell inside the loop, a plain cycle, ordered: false, a third element that is not { initial }', () => {
    const a = cell('a', { inputs: ['x', 'back'], run: ({ x }: { x: number }) => x });
    const b = cell('b', { scale: 2, run: (x: number) => x });
    const c = cell('c', { run: (x: number) => x });
    refused(() => flow('scaled-loop', { cells: [a, b, c], connect: [['a', 'b'], ['b', 'c'], ['c', 'a.back', { initial: 0 }]] }),
      /cell "b" has scale 2 but is inside the loop that c\.out → a\.back closes/);
    const b1 = cell('b', { run: (x: number) => x });
    refused(() => flow('cycle', { cells: [a, b1, c], connect: [['a', 'b'], ['b', 'c'], ['c', 'a.back']] }), /has a cycle: a → b → c → a/);
    refused(() => flow('unordered', { cells: [a, b1, c], connect: [['a', 'b'], ['b', 'c'], ['c', 'a.back', { initial: 0 }]], ordered: false }),
      /a recurrent connection needs the items in order/);
    refused(() => flow('third', { cells: [a, b1, c], connect: [['a', 'b'], ['b', 'c'], ['c', 'a.back', { start: 0 } as never]] }),
      /connection 2 has a third element that is not \{ initial \}/);
    // A scaled cell before the loop is fine.
    const before = cell('before', { scale: 2, executor: 'inline', run: (x: number) => x });
    const inLoop = cell('inLoop', { inputs: ['x', 'back'], run: ({ x }: { x: number }) => x });
    const f = flow('fine', { cells: [before, inLoop], connect: [['before', 'inLoop.x'], ['inLoop', 'inLoop.back', { initial: 0 }]] });
    assert.deepEqual(f.graph.loopCells, ['inLoop']);
  });

  it('scaling a loop cell at run time is refused; scaling one outside it works', async () => {
    const before = cell('before', { executor: 'inline', run: (x: number) => x });
    const mean = runningMean();
    const f = flow('rescale', { cells: [before, mean], connect: [['before', 'mean.x'], ['mean.state', 'mean.prev', { initial: { n: 0, sum: 0 } }]] });
    await f.push(1);
    await assert.rejects(f.scale('mean', 2), /cell "mean" is inside a recurrent loop/);
    await f.scale('before', 2);
    await f.push(3);
    assert.deepEqual([await f.pull(), await f.pull()], [1, 2]);
    await f.close();
  });

  it('an item that fails in the loop (onError skip or emit) passes on the value it was given; the next items go on from it', async () => {
    const counter = cell('count', {
      inputs: ['x', 'prev'], outputs: ['total', 'state'], onError: 'emit',
      run: ({ x, prev }: { x: number; prev: number }) => {
        if (x < 0) throw new Error('negative');
        return { total: prev + x, state: prev + x };
      },
    });
    const f = flow('totals', { cells: [counter], connect: [['count.state', 'count.prev', { initial: 100 }]] });
    const out = await collect(f.stream([1, 2, -5, 3]));
    assert.deepEqual(out, [101, 103, { error: { cell: 'count', index: 2, message: 'negative' } }, 106]);
  });

  it('each run starts from its own copy of the initial value, even when a cell changes it in place', async () => {
    const push = cell('push', {
      inputs: ['x', 'seen'], outputs: ['seen', 'count'],
      run: ({ x, seen }: { x: string; seen: string[] }) => {
        seen.push(x);
        return { seen, count: seen.length };
      },
    });
    const f = flow('copies', { cells: [push], connect: [['push.seen', 'push.seen', { initial: [] as string[] }]] });
    assert.deepEqual(await collect(f.stream(['a', 'b'])), [1, 2]);
    assert.deepEqual(await collect(f.stream(['c'])), [1]);
  });
});
