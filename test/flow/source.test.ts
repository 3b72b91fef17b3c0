/**
 * Source cells (PyPipeline's SourceCell): a flow that pulls its own items. The seed's example, back-pressure
 * that reaches the generator, the end of a source ending the flow, several sources read in step, and
 * what is refused.
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

describe('source cells', () => {
  it("the seed's example: a source with two outputs, a multiplier, five pulls print 0 -1 2 -3 4", async () => {
    const counter = source('source', {
      outputs: ['first', 'second'],
      run: function* () {
        for (let c = 0; ; c++) yield { first: c, second: c % 2 === 0 ? 1 : -1 };
      },
    });
    const multiplier = cell('multiplier', { inputs: ['a', 'b'], run: ({ a, b }: { a: number; b: number }) => a * b });
    const seed = flow('seed', { cells: [counter, multiplier], connect: [[counter.outputs.first, multiplier.inputs.a], ['source.second', 'multiplier.b']] });
    const printed: unknown[] = [];
    for (let i = 0; i < 5; i++) printed.push(await seed.pull());
    await seed.close();
    assert.equal(printed.join(' '), '0 -1 2 -3 4');
  });

  it('back-pressure reaches the source: an endless generator is asked only for what the flow has room for', async () => {
    let produced = 0;
    const endless = source('endless', {
      run: function* () {
        for (;;) yield produced++;
      },
    });
    const slow = cell('slow', { run: async (x: number) => (await sleep(2), x * 10) });
    const f = flow('bounded', [endless, slow], { capacity: 4 });
    const got: unknown[] = [];
    for (let i = 0; i < 20; i++) got.push(await f.pull());
    await sleep(100);
    // In flight at most: the cell's input channel (4), its window (4 + 1 in the clone), the output channel (4).
    assert.ok(produced <= 20 + 13, `the source ran ahead: ${produced} items made for 20 read`);
    assert.deepEqual(got, Array.from({ length: 20 }, (_, i) => i * 10));
    await f.close();
    const after = produced;
    await sleep(50);
    assert.equal(produced, after, 'a closed flow pulls nothing more');
  });

  it('room that frees while the source is being asked is not missed: clones finishing together empty its queue at once', { timeout: 20_000 }, async () => {
    const many = source('many', {
      run: function* () {
        for (let i = 0; i < 400; i++) yield i;
      },
    });
    // Every fourth item is slow: the three behind it finish first, then all four leave together,
    // and the cell takes in more than its queue (2) holds while the source is being asked.
    const uneven = cell('uneven', { scale: 4, executor: 'inline', run: async (x: number) => (await sleep(x % 4 === 0 ? 3 : 0), x) });
    const out = await collect(flow('wakeups', [many, uneven], { capacity: 2 }).stream());
    assert.deepEqual(out, Array.from({ length: 400 }, (_, i) => i));
  });

  it('a finished source ends the flow; a consumer that stops early closes the generator (its finally runs)', async () => {
    const log: string[] = [];
    const three = source('three', {
      run: async function* () {
        try {
          for (const x of [1, 2, 3]) {
            await sleep(1);
            yield x;
          }
        } finally {
          log.push('closed');
        }
      },
    });
    const double = cell('double', { run: (x: number) => x * 2 });
    const f = flow('finite', [three, double]);
    assert.deepEqual(await collect(f.stream()), [2, 4, 6]);
    assert.deepEqual(log, ['closed']);

    let made = 0;
    const endless = source('endless', {
      run: function* () {
        try {
          for (;;) yield made++;
        } finally {
          log.push('endless closed');
        }
      },
    });
    const g = flow('early', [endless, double]);
    const firstThree: unknown[] = [];
    for await (const x of g.stream()) {
      firstThree.push(x);
      if (firstThree.length === 3) break;
    }
    assert.deepEqual(firstThree, [0, 2, 4]);
    assert.deepEqual(log, ['closed', 'endless closed']);
  });

  it('several sources are read in step, joined by index; the shortest ends the flow and the others are closed', async () => {
    const closed: string[] = [];
    const numbers = source('numbers', { run: () => [1, 2, 3] });
    const letters = source('letters', {
      run: async function* () {
        try {
          for (const l of 'abcdef') yield l;
        } finally {
          closed.push('letters');
        }
      },
    });
    const pair = cell('pair', { inputs: ['n', 'l'], run: ({ n, l }: { n: number; l: string }) => `${l}${n}` });
    const f = flow('zip', { cells: [numbers, letters, pair], connect: [['numbers', 'pair.n'], ['letters', 'pair.l']] });
    assert.deepEqual(await collect(f.stream()), ['a1', 'b2', 'c3']);
    assert.deepEqual(closed, ['letters']);
  });

  it("a source's init runs once and its result is ctx.state; outputs keep order through a scaled async cell", async () => {
    let inits = 0;
    const frames = source('frames', {
      init: () => ({ prefix: `f${++inits}-` }),
      run: function* ({ state }) {
        for (let i = 0; i < 200; i++) yield `${state.prefix}${i}`;
      },
    });
    const jitter = cell('jitter', { scale: 3, executor: 'inline', run: async (x: string) => (await sleep(Number(x.split('-')[1]) % 4), x.toUpperCase()) });
    const f = flow('ordered', [frames, jitter]);
    assert.deepEqual(await collect(f.stream()), Array.from({ length: 200 }, (_, i) => `F1-${i}`));
    assert.equal(inits, 1);
  });

  it('a source that throws stops the flow, naming the source and the item; the items before it came out', async () => {
    const flaky = source('flaky', {
      run: function* () {
        yield 1;
        yield 2;
        throw new Error('camera unplugged');
      },
    });
    const f = flow('flaky', [flaky, cell('id', { run: (x: number) => x })]);
    const got: unknown[] = [];
    await assert.rejects(async () => {
      for await (const x of f.stream()) got.push(x);
    }, /cell "flaky" failed on item 2: the source threw: camera unplugged/);
    assert.deepEqual(got, [1, 2]);

    const broken = source('broken', { init: () => { throw new Error('no such device'); }, run: () => [1] });
    await assert.rejects(collect(flow('broken', [broken, cell('id', { run: (x: number) => x })]).stream()), /cell "broken" failed on item 0: the source threw: no such device/);
    const notIterable = source('wrong', { run: () => 42 as unknown as number[] });
    await assert.rejects(collect(flow('wrong', [notIterable, cell('id', { run: (x: number) => x })]).stream()), /run must return the items \(an array, a generator or an async generator\), got number/);
  });

  it("a source's value without one of its named outputs follows its onError: an error record, or the flow stops", async () => {
    const make = (onError: 'emit' | 'fail') => source('pairs', { outputs: ['x', 'y'], onError, run: () => [{ x: 1, y: 2 }, { x: 3 }, { x: 5, y: 6 }] });
    const add = cell('add', { inputs: ['x', 'y'], run: ({ x, y }: { x: number; y: number }) => x + y });
    const wire = (s: ReturnType<typeof make>) => flow('pairs', { cells: [s, add], connect: [['pairs.x', 'add.x'], ['pairs.y', 'add.y']] });
    const out = await collect(wire(make('emit')).stream());
    assert.equal(out[0], 3);
    assert.deepEqual(out[1], { error: { cell: 'pairs', index: 1, message: 'output "y" not set (run returned only "x")' } });
    assert.equal(out[2], 11);
    await assert.rejects(collect(wire(make('fail')).stream()), /cell "pairs" failed on item 1: output "y" not set/);
  });

  it('refused, with the reason: pushing into a flow with a source, stream(items) on it, stream() without items on one without', async () => {
    const nums = source('nums', { run: () => [1, 2] });
    const id = cell('id', { run: (x: number) => x });
    const pulled = flow('pulled', [nums, id]);
    await assert.rejects(pulled.push(1), /flow "pulled" pulls its items from source "nums": nothing can be pushed into it/);
    await pulled.close();
    await assert.rejects(collect(pulled.stream([1, 2] as never)), /call stream\(\) without items/);
    const pushed = flow('pushed', [cell('id2', { run: (x: number) => x })]);
    await assert.rejects(collect(pushed.stream()), /flow "pushed" has no source cell: give stream\(\) the items/);
  });

  it('refused at definition: a source with scale, an input left unfed beside a source', () => {
    const refused = (make: () => unknown, message: RegExp) => assert.throws(make, (err: unknown) => isPipelineError(err) && message.test(err.message));
    refused(() => source('s', { scale: 2, run: () => [1] } as never), /source "s": takes no `scale`/);
    refused(() => source('s', { run: 'nope' } as never), /source "s": needs a `run` function/);
    const nums = source('nums', { run: () => [1] });
    const a = cell('a', { run: (x: number) => x });
    const b = cell('b', { run: (x: number) => x });
    refused(() => flow('half', { cells: [nums, a, b], connect: [['nums', 'a']] }), /input b\.in is not connected, and the flow pulls its items from source "nums"/);
  });
});
