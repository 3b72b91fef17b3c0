import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { collect, flowModule, flowScript, range, runNode } from './fixture.js';

describe('flow API: push, pull, close, scale, bounded memory', { timeout: 60_000 }, () => {
  it('push and pull as in the seed; close drains and the flow can be used again', async () => {
    const { multiply } = await flowModule(`
      export const multiply = flow('multiply', [cell('times', { scale: 2, executor: 'threads', run: async (x) => { await sleep(jitter(x, 2)); return x.a * x.b; } })]);
    `);
    const f = multiply!;
    for (let i = 0; i < 5; i++) await f.push({ a: i, b: i % 2 === 0 ? 1 : -1 });
    const out = [];
    for (let i = 0; i < 5; i++) out.push(await f.pull());
    assert.deepEqual(out, [0, -1, 2, -3, 4]);
    await f.push({ a: 7, b: 6 });
    await f.close();
    await assert.rejects(f.pull(), /closed|no more outputs/);
    await f.push({ a: 2, b: 3 });
    assert.equal(await f.pull(), 6);
    await f.close();
  });

  it('scale() up and down while items stream: none is lost, order is kept, the clone count follows', async () => {
    const { resizable } = await flowModule(`
      export const resizable = flow('resizable', [cell('work', { scale: 1, executor: 'threads', run: async (i) => { await sleep(jitter(i, 2)); return i; } })]);
    `);
    const f = resizable!;
    const outputs: number[] = [];
    const seen: number[] = [];
    async function* source() {
      for (let i = 0; i < 1200; i++) {
        if (i === 300) await f.scale('work', 4);
        if (i === 700) await f.scale('work', 2);
        if (i === 1000) await f.scale('work', 1);
        yield i;
      }
    }
    // scale() acts on the flow's current run: drive that run with push/pull.
    const feeding = (async () => {
      for await (const i of source()) {
        await f.push(i);
        if (i % 100 === 50) seen.push(f.metrics()!.cells[0]!.clones);
      }
    })();
    for (let i = 0; i < 1200; i++) outputs.push(await f.pull() as number);
    await feeding;
    await f.close();
    assert.deepEqual(outputs, range(1200));
    assert.deepEqual(seen, [1, 1, 1, 4, 4, 4, 4, 2, 2, 2, 1, 1]);
    await assert.rejects(resizable!.scale('wrok', 2), /no cell "wrok"[\s\S]*/);
  });

  it('a million small items from a fast source into a slow sink run in flat memory', async () => {
    // In a process of its own: the test runner's promise tracking would make a million items slow.
    const script = await flowScript(`
      const parse = cell('parse', { run: (i) => ({ i, text: 'item ' + i }) });
      // Slow: every 512th item waits for the event loop, so the source really does run ahead.
      const sink = cell('sink', { run: (x) => (x.i % 512 === 0 ? new Promise((resolve) => setImmediate(resolve, x.i)) : x.i) });
      const million = flow('million', [parse, sink]);
      // How far the flow has read the source: read and not yet emitted is what the flow holds.
      let taken = 0;
      function* source() { for (let i = 0; i < 1_000_000; i++) { taken = i + 1; yield i; } }
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      const rss = [];
      const heap = [];
      let k = 0;
      let held = 0;
      let ordered = true;
      for await (const out of million.stream(source())) {
        if (out !== k) ordered = false;
        held = Math.max(held, taken - (k + 1));
        if (++k % 50_000 === 0) {
          // After a full collection, what is measured is what the flow holds, not garbage V8 has not swept yet.
          gc();
          rss.push(process.memoryUsage().rss);
          heap.push(process.memoryUsage().heapUsed);
        }
      }
      console.log(JSON.stringify({ k, ordered, held, heapBefore, rss, heap }));
    `);
    // V8's young generation at one fixed size (16 MB semi-spaces, Node 20's own largest): V8 grows
    // it as a program allocates, by its own rules, and Node 24's grew it by ~30 MB midway through
    // the stream (heapTotal 44 -> 76 MB, heapUsed flat at 9.9 MB), which is V8's sizing, not what
    // the flow holds.
    const { stdout, stderr, code } = await runNode(script, ['--expose-gc', '--min-semi-space-size=16', '--max-semi-space-size=16']);
    assert.equal(code, 0, stderr);
    const { k, ordered, held, heapBefore, rss, heap } = JSON.parse(stdout) as { k: number; ordered: boolean; held: number; heapBefore: number; rss: number[]; heap: number[] };
    assert.equal(k, 1_000_000);
    assert.ok(ordered);
    // Bounded means bounded from the first item: at no point has the flow read more than a few
    // channels' worth of the source ahead of what it emitted (two cells, capacity 32 each, plus
    // the exit and what a clone holds: a few hundred at most; a source buffered without limit is
    // the whole million).
    assert.ok(held < 1_000, `the flow held up to ${held} items read from the source and not yet emitted`);
    // And the heap at its peak, measured against the heap before the stream began (not against a
    // sample taken once the source may already be buffered): a million items held would be
    // ~100 MB; the flow itself needs a few.
    const mb = (bytes: number) => bytes / 2 ** 20;
    const heapPeak = mb(Math.max(...heap) - heapBefore);
    assert.ok(heapPeak < 16, `the heap grew ${heapPeak.toFixed(1)} MB over the stream's start (${heap.map((h) => mb(h).toFixed(1)).join(', ')} MB; before: ${mb(heapBefore).toFixed(1)})`);
    // Past the first tenth (warm-up), resident memory stays within a few MB of where it was;
    // a source buffered without limit would hold a million items (over 100 MB).
    const settled = rss.slice(2);
    const growth = mb(Math.max(...settled) - settled[0]!);
    assert.ok(growth < 20, `peak RSS grew ${growth.toFixed(1)} MB over the stream (${settled.map((r) => Math.round(mb(r))).join(', ')} MB)`);
    const heapGrowth = mb(Math.max(...heap.slice(2)) - heap[2]!);
    assert.ok(heapGrowth < 4, `the heap kept ${heapGrowth.toFixed(1)} MB more by the end (${heap.map((h) => mb(h).toFixed(1)).join(', ')} MB)`);
  });
});
