import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { collect, flowModule, range } from './fixture.js';

describe('flows keep order', { timeout: 60_000 }, () => {
  it('outputs come out in input order with 1 to 4 clones on threads finishing in any order, and a stateful cell downstream counts 0, 1, 2, ...', async () => {
    const flows = await flowModule(`
      const count = cell('count', { init: () => ({ n: 0 }), run: (x, { state }) => ({ x, seen: state.n++ }) });
      const work = (scale) => cell('work', { scale, executor: 'threads', run: async (i, { clone }) => { await sleep(jitter(i, 2)); return { i: i * 2, clone }; } });
      export const f1 = flow('f1', [work(1), count]);
      export const f2 = flow('f2', [work(2), count]);
      export const f3 = flow('f3', [work(3), count]);
      export const f4 = flow('f4', [work(4), count]);
      export const loose = flow('loose', [work(4)], { ordered: false });
    `);
    const n = 1000;
    for (const name of ['f1', 'f2', 'f3', 'f4']) {
      const out = await collect(flows[name]!.stream(range(n))) as { x: { i: number; clone: number }; seen: number }[];
      assert.equal(out.length, n, name);
      out.forEach((o, k) => {
        assert.equal(o.x.i, k * 2, `${name}: output ${k} is item ${o.x.i / 2}`);
        assert.equal(o.seen, k, `${name}: the counter saw item ${k} as number ${o.seen}`);
      });
      const clones = new Set(out.map((o) => o.x.clone));
      assert.equal(clones.size, Number(name.slice(1)), `${name}: every clone took items`);
    }
    // The same work unordered comes out in another order: the delays really do scramble it.
    const loose = await collect(flows.loose!.stream(range(n))) as { i: number }[];
    assert.equal(loose.length, n);
    assert.notDeepEqual(loose.map((o) => o.i), range(n).map((i) => i * 2));
    assert.deepEqual(loose.map((o) => o.i).sort((a, b) => a - b), range(n).map((i) => i * 2));
  });

  it('a batching cell gets arrays, splits the results back in order, also scaled up', async () => {
    const { batched } = await flowModule(`
      const embed = cell('embed', { scale: 2, executor: 'threads', batch: { size: 8, maxWaitMs: 5 },
        run: async (items) => { await sleep(jitter(items[0], 3)); return items.map((i) => ({ i, size: items.length })); } });
      const count = cell('count', { init: () => ({ n: 0 }), run: (x, { state }) => ({ ...x, seen: state.n++ }) });
      export const batched = flow('batched', [embed, count]);
    `);
    const out = await collect(batched!.stream(range(1000))) as { i: number; size: number; seen: number }[];
    assert.deepEqual(out.map((o) => o.i), range(1000));
    assert.deepEqual(out.map((o) => o.seen), range(1000));
    assert.ok(out.every((o) => o.size >= 1 && o.size <= 8));
    assert.ok(out.filter((o) => o.size === 8).length > 500, 'most items travelled in full batches');
  });

  it("with onError 'emit' a failing item's error record takes its place, in order, and the rest go on", async () => {
    const { emitting } = await flowModule(`
      const risky = cell('risky', { scale: 3, executor: 'threads', onError: 'emit',
        run: async (i) => { await sleep(jitter(i, 2)); if (i % 97 === 13) throw new Error('bad item ' + i); return i; } });
      const after = cell('after', { run: (i) => i + 0.5 });
      export const emitting = flow('emitting', [risky, after]);
    `);
    const out = await collect(emitting!.stream(range(1500))) as (number | { error: { cell: string; index: number; message: string } })[];
    assert.equal(out.length, 1500);
    out.forEach((o, k) => {
      if (k % 97 === 13) assert.deepEqual(o, { error: { cell: 'risky', index: k, message: `bad item ${k}` } });
      else assert.equal(o, k + 0.5);
    });
  });

  it('named ports: fan-out to two cells and fan-in to a cell with two inputs, joined by item', async () => {
    const { joined } = await flowModule(`
      const split = cell('split', { outputs: ['word', 'n'], run: (i) => ({ word: 'w' + i, n: i }) });
      const upper = cell('upper', { scale: 2, executor: 'threads', run: async (w) => { await sleep(jitter(w.length, 2)); return w.toUpperCase(); } });
      const square = cell('square', { run: async (n) => { await sleep(jitter(n, 2)); return n * n; } });
      const both = cell('both', { inputs: ['text', 'value'], run: ({ text, value }) => text + '=' + value });
      export const joined = flow('joined', { cells: [split, upper, square, both], connect: [
        [split.outputs.word, upper.inputs.in], [split.outputs.n, square], [upper, both.inputs.text], ['square.out', 'both.value']] });
    `);
    const out = await collect(joined!.stream(range(300)));
    assert.deepEqual(out, range(300).map((i) => `W${i}=${i * i}`));
  });
});
