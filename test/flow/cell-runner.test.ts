/**
 * One cell of a running flow (src/flow/cell-runner.ts), driven directly: items pushed into its input
 * channels, outputs read from its output channels, the run it belongs to played by a small host.
 * What a user of flows relies on, each pinned down: which clone gets an item, order kept whatever
 * order clones finish in, scaling up and down, the window that bounds what a cell takes in, joins,
 * batches (full, timed, at the end of input, the wrong number of outputs), the error policies and
 * their counts, clones whose `init` fails, and metrics. Written from the survivors of
 * `npm run mutate -- src/flow/cell-runner.ts` (docs: Mutation testing).
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { cell, type CellDefinition } from '../../src/flow/cell.js';
import { CellRunner, missingOutputs, type RunnerHost } from '../../src/flow/cell-runner.js';
import { Channel } from '../../src/flow/channel.js';
import type { CellAddress } from '../../src/flow/clone-messages.js';
import type { Envelope } from '../../src/flow/envelope.js';
import type { ItemFailedError } from '../../src/flow/errors.js';
import type { FlowDefinition } from '../../src/index.js';
import { isAlive } from '../../src/process-alive.js';
import { REPO } from '../helpers/project.js';

interface RigOptions {
  readonly capacity?: number;
  readonly ordered?: boolean;
  readonly failStopsFlow?: boolean;
  readonly outCapacity?: number;
  readonly address?: (cell: string) => CellAddress | undefined;
}

/** A cell runner wired as a run wires it: fed from queues as its inputs free up, read from its outputs. */
function rig(definition: CellDefinition, options: RigOptions = {}) {
  const failures: ItemFailedError[] = [];
  const logs: string[] = [];
  const host: RunnerHost & { inputEnded: boolean } = {
    ordered: options.ordered ?? true,
    inputEnded: false,
    failStopsFlow: options.failStopsFlow ?? true,
    address: options.address ?? (() => undefined),
    fail: (error) => failures.push(error),
    log: (message) => logs.push(message),
  };
  const runner = new CellRunner(definition, options.capacity ?? 4, host);
  const outs = definition.outputNames.map((_, p) => {
    const channel = new Channel<Envelope>(options.outCapacity ?? 100_000);
    channel.onSpace = () => runner.pump();
    runner.destinations[p]!.push(channel);
    return channel;
  });
  const waiting: Envelope[][] = runner.inputs.map(() => []);
  const nextSeq = runner.inputs.map(() => 0);
  const refill = (port: number) => {
    const channel = runner.inputs[port]!;
    while (!channel.full && waiting[port]!.length) channel.push(waiting[port]!.shift()!);
  };
  runner.inputs.forEach((channel, port) => (channel.onSpace = () => refill(port)));
  runner.start();
  return {
    runner, host, failures, logs, outs,
    /** Queues values on a port, with the next indexes of that port. */
    feed(values: readonly unknown[], port = 0) {
      for (const value of values) waiting[port]!.push({ seq: nextSeq[port]!++, kind: 'value', value });
      refill(port);
    },
    feedEnvelope(envelope: Envelope, port = 0) {
      nextSeq[port] = envelope.seq + 1;
      waiting[port]!.push(envelope);
      refill(port);
    },
    /** Items fed and not yet taken in by the cell (its input channel and the queue behind it). */
    notTaken(port = 0) {
      return waiting[port]!.length + runner.inputs[port]!.size;
    },
    /** Everything emitted on a port so far, as values, or `kind: message` for failures. */
    take(port = 0): unknown[] {
      const got: unknown[] = [];
      for (let e = outs[port]!.shift(); e; e = outs[port]!.shift()) got.push(e.kind === 'value' ? e.value : `${e.kind} ${e.seq}: ${e.failure.message}`);
      return got;
    },
  };
}

/** A promise with its resolve in hand: lets a test decide when each call of `run` finishes. */
function deferred<T = unknown>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, done: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
}

/** A cell whose calls wait until the test releases them; records which clone got which item. */
function held(name: string, options: { scale?: number; capacity?: number } = {}) {
  const calls = new Map<number, ReturnType<typeof deferred>>();
  const started: [item: number, clone: number][] = [];
  const definition = cell(name, {
    executor: 'inline', scale: options.scale, capacity: options.capacity,
    run: (item: number, ctx) => {
      started.push([item, ctx.clone]);
      const call = deferred();
      calls.set(item, call);
      return call.promise.then(() => item * 10);
    },
  });
  return {
    definition, started,
    release: async (...items: number[]) => {
      for (const item of items) {
        const call = calls.get(item);
        assert.ok(call, `item ${item} was never started`);
        call.resolve(undefined);
      }
      await tick();
    },
  };
}

describe('missingOutputs: why a value is not a whole output of a cell with named outputs', { timeout: 10_000 }, () => {
  const split = cell('split', { outputs: ['a', 'b'], run: (x: number) => ({ a: x, b: x }) });
  it('names the outputs, what was returned instead, and which are unset', () => {
    assert.equal(missingOutputs(split, null), 'run must return an object keyed by its outputs (a, b), got null');
    assert.equal(missingOutputs(split, 5), 'run must return an object keyed by its outputs (a, b), got number');
    assert.equal(missingOutputs(split, 'ab'), 'run must return an object keyed by its outputs (a, b), got string');
    assert.equal(missingOutputs(split, { a: 1 }), 'output "b" not set (run returned only "a")');
    assert.equal(missingOutputs(split, {}), 'outputs "a", "b" not set (run returned an empty object)');
    assert.equal(missingOutputs(split, { a: 1, b: undefined, c: 2 }), 'output "b" not set (run returned only "a", "b", "c")');
    assert.equal(missingOutputs(split, { a: 0, b: null }), undefined, 'falsy values are set');
  });
  it('a cell without named outputs takes any value', () => {
    const plain = cell('plain', { run: (x: number) => x });
    for (const value of [null, undefined, 3, {}, 'x']) assert.equal(missingOutputs(plain, value), undefined);
  });
});

describe('cell runner: clones, order, scaling', { timeout: 10_000 }, () => {
  it('each free clone gets the next item, lowest clone first; outputs leave in input order whatever order clones finish in', async () => {
    const cellUnderTest = held('work', { scale: 3, capacity: 10 });
    const r = rig(cellUnderTest.definition);
    r.feed([0, 1, 2, 3, 4, 5]);
    await tick();
    assert.deepEqual(cellUnderTest.started, [[0, 0], [1, 1], [2, 2]]);
    assert.deepEqual({ clones: r.runner.metrics().clones, busy: r.runner.metrics().clonesBusy }, { clones: 3, busy: 3 });
    await cellUnderTest.release(2);
    assert.deepEqual(cellUnderTest.started.at(-1), [3, 2], 'the clone that finished takes the next item');
    await cellUnderTest.release(1);
    assert.deepEqual(r.take(), [], 'nothing leaves before item 0');
    await cellUnderTest.release(0);
    assert.deepEqual(r.take(), [0, 10, 20]);
    await cellUnderTest.release(3, 4, 5);
    assert.deepEqual(r.take(), [30, 40, 50]);
    assert.equal(r.runner.metrics().clonesBusy, 0);
    assert.equal(r.runner.metrics().items, 6);
    await r.runner.stop();
  });

  it('scaling down retires the idlest clones: at once when idle, after their item when busy; no new item goes to a retiring clone', async () => {
    const cellUnderTest = held('work', { scale: 3, capacity: 10 });
    const r = rig(cellUnderTest.definition);
    r.feed([0, 1]);
    await tick();
    assert.deepEqual(cellUnderTest.started, [[0, 0], [1, 1]]);
    r.runner.scale(2);
    assert.equal(r.runner.clones, 2, 'the idle clone 2 went');
    r.feed([2]);
    await cellUnderTest.release(0);
    assert.deepEqual(cellUnderTest.started.at(-1), [2, 0], 'item 2 waited for clone 0, not the retired clone 2');
    // Both busy: the first of the two retires once its item is done.
    r.runner.scale(1);
    assert.equal(r.runner.clones, 1);
    assert.equal(r.runner.metrics().clonesBusy, 2, 'the retiring clone still finishes its item');
    r.feed([3, 4]);
    await cellUnderTest.release(2);
    await cellUnderTest.release(1);
    await cellUnderTest.release(3);
    await cellUnderTest.release(4);
    assert.deepEqual(cellUnderTest.started.slice(3).map(([, clone]) => clone), [1, 1], 'after scale(1) only clone 1 works');
    assert.deepEqual(r.take(), [0, 10, 20, 30, 40]);
    assert.equal(r.runner.metrics().clonesBusy, 0);
    // Up again: new clones take the lowest free numbers.
    r.runner.scale(3);
    assert.equal(r.runner.clones, 3);
    r.feed([5, 6, 7]);
    await tick();
    assert.deepEqual(cellUnderTest.started.slice(5).map(([, clone]) => clone).sort(), [0, 1, 2]);
    await cellUnderTest.release(5, 6, 7);
    assert.deepEqual(r.take(), [50, 60, 70]);
    await r.runner.stop();
  });

  it('a window bounds what the cell takes in: its capacity plus one item per inline clone', async () => {
    const cellUnderTest = held('slow', { scale: 1 });
    const r = rig(cellUnderTest.definition, { capacity: 2 });
    r.feed(Array.from({ length: 20 }, (_, i) => i));
    await tick();
    assert.equal(20 - r.notTaken(), 3, 'took 3 of 20: one running, two ready');
    assert.equal(r.runner.metrics().queued, 4, 'queued: two ready in the cell, two in its input channel');
    for (let i = 0; i < 20; i++) await cellUnderTest.release(i);
    assert.deepEqual(r.take(), Array.from({ length: 20 }, (_, i) => i * 10));
    assert.equal(r.runner.metrics().queued, 0);
    await r.runner.stop();
  });

  it('a downstream that stops reading stops the cell at its window; reading again lets everything through', async () => {
    const double = cell('double', { run: (x: number) => x * 2 });
    const r = rig(double, { capacity: 3, outCapacity: 2 });
    r.feed(Array.from({ length: 50 }, (_, i) => i));
    await tick();
    // Two in the output channel; the window (3 + 1) finished and held; 3 more in its input channel.
    assert.equal(r.outs[0]!.size, 2);
    assert.equal(50 - r.notTaken(), 2 + 4);
    const got: unknown[] = [];
    while (got.length < 50) {
      got.push(...r.take());
      await tick();
    }
    assert.deepEqual(got, Array.from({ length: 50 }, (_, i) => i * 2));
    await r.runner.stop();
  });

  it('results finishing far ahead of a slow item are held in order (the reorder buffer grows past its first 64)', async () => {
    const first = deferred();
    const definition = cell('gap', {
      executor: 'inline', scale: 2,
      run: async (i: number) => {
        if (i === 0) await first.promise;
        return i * 3;
      },
    });
    const r = rig(definition, { capacity: 400 });
    r.feed(Array.from({ length: 300 }, (_, i) => i));
    await until('299 items done', () => r.runner.metrics().items === 299);
    assert.deepEqual(r.take(), []);
    first.resolve(undefined);
    await until('all out', () => r.outs[0]!.size === 300);
    assert.deepEqual(r.take(), Array.from({ length: 300 }, (_, i) => i * 3));
    await r.runner.stop();
  });

  it('thousands of items through one cell keep order and values (the ready queue compacts as it goes)', async () => {
    const definition = cell('inc', { run: async (i: number) => i + 1 });
    const r = rig(definition, { capacity: 16 });
    const n = 5_000;
    r.feed(Array.from({ length: n }, (_, i) => i));
    await until('all out', () => r.outs[0]!.size === n);
    const got = r.take();
    assert.equal(got.length, n);
    assert.ok(got.every((v, i) => v === i + 1), 'every output is its input + 1, in order');
    await r.runner.stop();
  });

  it('unordered: outputs leave as they finish', async () => {
    const slow = deferred();
    const definition = cell('race', {
      executor: 'inline', scale: 2,
      run: async (i: number) => {
        if (i === 0) await slow.promise;
        return i;
      },
    });
    const r = rig(definition, { ordered: false });
    r.feed([0, 1, 2]);
    await until('1 and 2 out', () => r.outs[0]!.size === 2);
    slow.resolve(undefined);
    await until('0 out', () => r.outs[0]!.size === 3);
    assert.deepEqual(r.take(), [1, 2, 0]);
    await r.runner.stop();
  });

  it('named outputs go each to its own port', async () => {
    const split = cell('split', { outputs: ['word', 'length'], run: (s: string) => ({ word: s.toUpperCase(), length: s.length }) });
    const r = rig(split);
    r.feed(['ab', 'cde']);
    await tick();
    assert.deepEqual(r.take(0), ['AB', 'CDE']);
    assert.deepEqual(r.take(1), [2, 3]);
    await r.runner.stop();
  });
});

describe('cell runner: joins of named inputs', { timeout: 10_000 }, () => {
  const sum = () => cell('sum', { inputs: ['a', 'b'], run: ({ a, b }: { a: number; b: number }) => a + b });

  it('joins by index, however far one input runs ahead, and takes no more of it than the window', async () => {
    const r = rig(sum(), { capacity: 2 });
    r.feed(Array.from({ length: 10 }, (_, i) => i), 0);
    await tick();
    assert.equal(10 - r.notTaken(0), 3, 'a window (2 + 1) of input a held waiting for b');
    assert.equal(r.runner.metrics().queued, 5, 'three half-joined items and two in a\'s channel');
    r.feed(Array.from({ length: 10 }, (_, i) => 100 * i), 1);
    await until('all joined', () => r.outs[0]!.size === 10);
    assert.deepEqual(r.take(), Array.from({ length: 10 }, (_, i) => 101 * i));
    await r.runner.stop();
  });

  it('an item that failed upstream on one input stays failed, at its index', async () => {
    const r = rig(sum(), { capacity: 4 });
    r.feed([1], 0);
    r.feedEnvelope({ seq: 1, kind: 'failed', failure: { cell: 'up', index: 1, message: 'bad' } }, 0);
    r.feed([2], 0);
    r.feed([10, 20, 30], 1);
    await tick();
    assert.deepEqual(r.take(), [11, 'failed 1: bad', 32]);
    await r.runner.stop();
  });
});

describe('cell runner: batches', { timeout: 10_000 }, () => {
  function batcher(size: number, maxWaitMs: number, options: { wrong?: (items: readonly number[]) => unknown } = {}) {
    const batches: { items: number[]; at: number }[] = [];
    const definition = cell('batch', {
      executor: 'inline', batch: { size, maxWaitMs }, onError: 'emit',
      run: (items: readonly number[]) => {
        batches.push({ items: [...items], at: performance.now() });
        return (options.wrong?.(items) ?? items.map((i) => i * 2)) as number[];
      },
    });
    return { definition, batches };
  }

  it('a full batch runs at once; the rest waits up to maxWaitMs, then runs as it is', async () => {
    const { definition, batches } = batcher(4, 80);
    const r = rig(definition, { capacity: 16 });
    const fed = performance.now();
    r.feed(Array.from({ length: 9 }, (_, i) => i));
    assert.deepEqual(batches.map((b) => b.items), [[0, 1, 2, 3], [4, 5, 6, 7]], 'two full batches at once');
    await sleep(30);
    assert.equal(batches.length, 2, 'the ninth item waits for its batch to fill');
    await until('the short batch', () => batches.length === 3);
    assert.deepEqual(batches[2]!.items, [8]);
    const waited = batches[2]!.at - fed;
    assert.ok(waited >= 75, `the short batch ran after ${waited.toFixed(1)} ms, not before maxWaitMs (80)`);
    assert.deepEqual(r.take(), Array.from({ length: 9 }, (_, i) => i * 2));
    await r.runner.stop();
  });

  it('once the input has ended, a short batch runs without waiting', async () => {
    const { definition, batches } = batcher(4, 60_000);
    const r = rig(definition);
    r.host.inputEnded = true;
    r.feed([1, 2, 3]);
    assert.deepEqual(batches.map((b) => b.items), [[1, 2, 3]]);
    await r.runner.stop();
  });

  it('a batch that returns the wrong number of outputs, or no array, fails each of its items with why', async () => {
    const tooFew = batcher(3, 60_000, { wrong: (items) => items.slice(1) });
    const r1 = rig(tooFew.definition);
    r1.feed([1, 2, 3]);
    assert.deepEqual(r1.take(), [0, 1, 2].map((i) => `failed ${i}: a batch of 3 items must return 3 outputs, in order; run returned 2`));
    const notArray = batcher(2, 60_000, { wrong: () => 'no' }); // as long as the batch: not taken for two outputs
    const r2 = rig(notArray.definition);
    r2.feed([1, 2]);
    assert.deepEqual(r2.take(), [0, 1].map((i) => `failed ${i}: a batch of 2 items must return 2 outputs, in order; run returned string`));
    assert.equal(r2.runner.metrics().errors, 2);
    await Promise.all([r1.runner.stop(), r2.runner.stop()]);
  });

  it('a batch whose run throws fails each of its items with the message', async () => {
    const definition = cell('thrower', {
      executor: 'inline', batch: { size: 2, maxWaitMs: 60_000 }, onError: 'emit',
      run: (items: readonly number[]) => {
        // A message as long as the batch: its letters must not pass for the batch's outputs.
        if (items.includes(3)) throw new Error('no');
        return items.map((i) => i);
      },
    });
    const r = rig(definition);
    r.feed([1, 2, 3, 4]);
    assert.deepEqual(r.take(), [1, 2, 'failed 2: no', 'failed 3: no']);
    await r.runner.stop();
  });

  it('a batch cell takes in its capacity, a batch per clone and one batch filling', async () => {
    const calls: (() => void)[] = [];
    const definition = cell('held-batch', {
      executor: 'inline', batch: { size: 4, maxWaitMs: 60_000 },
      run: (items: readonly number[]) => new Promise<number[]>((resolve) => calls.push(() => resolve([...items]))),
    });
    const r = rig(definition, { capacity: 2 });
    r.feed(Array.from({ length: 40 }, (_, i) => i));
    await tick();
    assert.equal(calls.length, 1, 'one batch running');
    assert.equal(40 - r.notTaken(), 2 + 4 + 4, 'window: capacity 2 + a batch of 4 per clone + one batch of 4');
    assert.equal(r.runner.metrics().queued, 6 + 2, 'queued: 6 ready and 2 in its input channel');
    await until('all out', () => (calls.shift()?.(), r.outs[0]!.size === 40));
    assert.deepEqual(r.take(), Array.from({ length: 40 }, (_, i) => i));
    await r.runner.stop();
  });

  it('stopping the cell clears the timer of a batch waiting to fill', async () => {
    const { definition } = batcher(4, 60_000);
    const r = rig(definition);
    const timers = () => process.getActiveResourcesInfo().filter((t) => t === 'Timeout').length;
    const before = timers();
    r.feed([1]);
    assert.equal(timers(), before + 1, 'a timer for the short batch');
    await r.runner.stop();
    assert.equal(timers(), before, 'gone once stopped');
  });
});

describe('cell runner: errors, counts and init', { timeout: 10_000 }, () => {
  const flaky = (onError: 'fail' | 'skip' | 'emit') => cell('flaky', {
    onError, run: (i: number) => {
      if (i % 3 === 1) throw new Error(`bad ${i}`);
      return i;
    },
  });

  it("skip: failed items are dropped, logged with cell, index and message, and counted", async () => {
    const r = rig(flaky('skip'));
    r.feed([0, 1, 2, 3, 4]);
    assert.deepEqual(r.take(), [0, 'skipped 1: bad 1', 2, 3, 'skipped 4: bad 4']);
    assert.deepEqual(r.logs, ['cell "flaky" skipped item 1: bad 1', 'cell "flaky" skipped item 4: bad 4']);
    const { items, errors, skipped } = r.runner.metrics();
    assert.deepEqual({ items, errors, skipped }, { items: 3, errors: 2, skipped: 2 });
    await r.runner.stop();
  });

  it("emit: failed items become error records in their place and are counted as errors, not skipped", async () => {
    const r = rig(flaky('emit'));
    r.feed([0, 1, 2]);
    assert.deepEqual(r.take(), [0, 'failed 1: bad 1', 2]);
    const { items, errors, skipped } = r.runner.metrics();
    assert.deepEqual({ items, errors, skipped }, { items: 2, errors: 1, skipped: 0 });
    assert.deepEqual(r.logs, []);
    await r.runner.stop();
  });

  it("fail stops the flow naming cell and index; while serving it answers that item's request and goes on", async () => {
    const r = rig(flaky('fail'));
    r.feed([0, 1]);
    assert.equal(r.failures.length, 1);
    assert.deepEqual([r.failures[0]!.cell, r.failures[0]!.index, r.failures[0]!.reason], ['flaky', 1, 'bad 1']);
    const served = rig(flaky('fail'), { failStopsFlow: false });
    served.feed([0, 1, 2]);
    assert.deepEqual(served.take(), [0, 'failed 1: bad 1', 2]);
    assert.equal(served.failures.length, 0);
    await Promise.all([r.runner.stop(), served.runner.stop()]);
  });

  it('an output left unset is an item error naming it', async () => {
    const split = cell('split', { outputs: ['a', 'b'], onError: 'emit', run: (i: number) => (i === 1 ? { a: i } : { a: i, b: -i }) });
    const r = rig(split);
    r.feed([0, 1, 2]);
    assert.deepEqual(r.take(0), [0, 'failed 1: output "b" not set (run returned only "a")', 2]);
    assert.deepEqual(r.take(1), [-0, 'failed 1: output "b" not set (run returned only "a")', -2]);
    await r.runner.stop();
  });

  it('a clone whose init throws is started again; three failures in a row and the cell fails every item with why', async () => {
    let attempts = 0;
    const broken = cell('broken', {
      onError: 'emit',
      init: () => {
        attempts++;
        throw new Error('no model');
      },
      run: (i: number) => i,
    });
    const r = rig(broken);
    r.feed([0, 1]);
    await until('both failed', () => r.outs[0]!.size === 2);
    assert.equal(attempts, 3);
    assert.deepEqual(r.take(), [0, 1].map((i) => `failed ${i}: its clones fail to start (init threw: no model)`));
    r.feed([2]);
    await tick();
    assert.deepEqual(r.take(), ['failed 2: its clones fail to start (init threw: no model)'], 'later items too');
    assert.equal(attempts, 3, 'no more clones started');
    await r.runner.stop();
  });

  it('init failing twice, then working: every item comes out; a success resets the count of failures in a row', async () => {
    const outcomes = [false, false, true, false, false, true];
    let attempts = 0;
    const shaky = cell('shaky', {
      executor: 'inline',
      init: async () => {
        if (!outcomes[attempts++]) throw new Error(`attempt ${attempts}`);
        return 'ready';
      },
      run: (i: number, ctx) => `${ctx.state}:${i}`,
    });
    const r = rig(shaky);
    r.feed([0, 1]);
    await until('two out', () => r.outs[0]!.size === 2);
    assert.deepEqual(r.take(), ['ready:0', 'ready:1']);
    assert.equal(attempts, 3);
    // A second clone: it too fails twice before it starts; the earlier failures no longer count.
    r.runner.scale(2);
    await until('second clone started', () => attempts === 6);
    r.feed([2, 3]);
    await until('two more out', () => r.outs[0]!.size === 2);
    assert.deepEqual(r.take(), ['ready:2', 'ready:3']);
    assert.equal(r.runner.clones, 2);
    await r.runner.stop();
  });

  it('an item sent to a clone whose async init then fails goes to the replacement clone', async () => {
    let attempts = 0;
    const late = cell('late', {
      init: async () => {
        await sleep(5);
        if (attempts++ === 0) throw new Error('first');
      },
      run: (i: number, ctx) => `${i}@${ctx.clone}`,
    });
    const r = rig(late);
    r.feed([7, 8]);
    await until('out', () => r.outs[0]!.size === 2);
    assert.deepEqual(r.take(), ['7@0', '8@0']);
    assert.equal(r.runner.metrics().errors, 0);
    await r.runner.stop();
  });

  it('metrics: latency of run, queued items, clones and busy clones; after stop none', async () => {
    const slow = cell('slow', { run: async (i: number) => (await sleep(20), i) });
    const r = rig(slow);
    r.feed([0, 1, 2, 3]);
    await until('done', () => r.outs[0]!.size === 4);
    const m = r.runner.metrics();
    assert.equal(m.cell, 'slow');
    assert.ok(m.latencyMs.p50 >= 15 && m.latencyMs.p50 < 1_000, `p50 ${m.latencyMs.p50} ms for a 20 ms run`);
    assert.deepEqual([m.queued, m.clones, m.clonesBusy, m.items], [0, 1, 0, 4]);
    await r.runner.stop();
    assert.deepEqual([r.runner.metrics().clones, r.runner.metrics().clonesBusy], [0, 0]);
  });
});

describe('cell runner: clones on threads and processes', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pw-cell-runner-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'cells.mjs');
  writeFileSync(file, `
import { isMainThread } from 'node:worker_threads';
import { cell, flow } from ${JSON.stringify(pathToFileURL(join(REPO, 'dist/src/index.js')).href)};
const where = () => ({ pid: process.pid, main: isMainThread });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const rig = flow('rig', [
  cell('threads', { scale: 2, executor: 'threads', run: (i) => ({ i, ...where() }) }),
  cell('processes', { scale: 2, executor: 'processes', run: (i) => ({ i, ...where() }) }),
  cell('slow', { scale: 2, executor: 'threads', run: async (i) => (await sleep(100), i) }),
  cell('fast', { scale: 1, executor: 'threads', run: (i) => i }),
]);
`);
  const load = async () => {
    const flow = (await import(pathToFileURL(file).href) as { rig: FlowDefinition }).rig;
    const find = (name: string) => flow.graph.cells.find((c) => c.name === name)!;
    return { find, address: (name: string) => ({ file, flow: 'rig', cell: name }) };
  };

  it('threads run off the main thread in this process; processes in a process of their own', async () => {
    const { find, address } = await load();
    for (const [name, samePid] of [['threads', true], ['processes', false]] as const) {
      const r = rig(find(name), { address });
      r.feed([0, 1, 2, 3]);
      await until(`${name} out`, () => r.outs[0]!.size === 4);
      const got = r.take() as { i: number; pid: number; main: boolean }[];
      assert.deepEqual(got.map((g) => g.i), [0, 1, 2, 3]);
      for (const g of got) {
        assert.equal(g.pid === process.pid, samePid, `${name}: pid ${g.pid}`);
        assert.equal(g.main, !samePid, `${name}: a worker thread of this process, or the main thread of another`);
      }
      await r.runner.stop();
      if (!samePid) await until('clone processes gone after stop', () => !got.some((g) => isAlive(g.pid)));
    }
  });

  it('scaling down while both thread clones are busy loses nothing: the retiring clone finishes its items first', async () => {
    const { find, address } = await load();
    const r = rig(find('slow'), { address });
    r.feed([0, 1, 2, 3, 4, 5]);
    await sleep(50);
    r.runner.scale(1);
    await until('all out', () => r.outs[0]!.size === 6, 10_000);
    assert.deepEqual(r.take(), [0, 1, 2, 3, 4, 5]);
    assert.equal(r.runner.metrics().errors, 0);
    await r.runner.stop();
  });

  it('fast items travel to a thread in bundles: once warm, a thread clone holds many items, and never more than 64', async () => {
    const { find, address } = await load();
    const r = rig(find('fast'), { address, capacity: 4, outCapacity: 4 });
    // Warm up, reading as it goes, so the cell learns how long an item takes.
    const warm = 2_000;
    r.feed(Array.from({ length: warm }, (_, i) => i));
    let read = 0;
    await until('warm', () => ((read += r.take().length), read === warm), 20_000);
    // Now stop reading: the cell takes in up to its window (capacity + items per clone) and holds them.
    r.feed(Array.from({ length: 500 }, (_, i) => warm + i));
    let before = -1;
    while (before !== r.notTaken()) {
      before = r.notTaken();
      await sleep(50);
    }
    const taken = 500 - r.notTaken();
    assert.ok(taken > 4 + 4 + 2, `took ${taken}: more than 2 items per round trip`);
    assert.ok(taken <= 4 + 4 + 64, `took ${taken}: at most capacity + 64 per clone, plus what the output holds`);
    await r.runner.stop();
  });
});
