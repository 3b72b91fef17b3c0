#!/usr/bin/env node
/**
 * Streaming flows: every figure beside the peer it is compared with, measured in the same run,
 * as a ratio (this machine is shared, so absolute figures move; ratios much less).
 *   - scale-up of a CPU-bound cell (3 ms per item) on worker threads: 2 and 4 clones against 1;
 *   - ordered against unordered output, uniform and skewed work (1 item in 10 is 10× slower);
 *   - overhead: a 3-cell inline chain against Node's `Readable.map` chain of the same functions,
 *     and a thread-crossing cell against bare piscina `run()` calls of the same trivial task;
 *   - micro-batching at saturation, and the latency it adds at low load.
 *
 *   npm run bench:flow
 */
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';

// How many loops of the spin make a millisecond here, measured before any thread starts (the
// fastest of several tries: the least disturbed).
if (!process.env.PW_BENCH_LOOPS_PER_MS) {
  process.env.PW_BENCH_LOOPS_PER_MS = '100000';
  const { spin } = await import('./flow-task.mjs');
  let best = Infinity;
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    spin(10);
    best = Math.min(best, performance.now() - t0);
  }
  process.env.PW_BENCH_LOOPS_PER_MS = String(Math.round((100_000 * 10) / best));
}
const flows = await import('./flow-cells.mjs');

const { Piscina } = createRequire(import.meta.url)('piscina');
const range = (n) => Array.from({ length: n }, (_, i) => i);

/**
 * Seconds per `n` items through a flow, from its first output to its last: starting threads and
 * loading the flow file (a few hundred ms on a busy machine) is not what is compared. Checks that
 * outputs come out in order when asked.
 */
async function timeFlow(f, n, { ordered = true } = {}) {
  let t0 = 0;
  let k = 0;
  let inOrder = true;
  for await (const out of f.stream(range(n + 1))) {
    if (k === 0) t0 = performance.now();
    if (out !== k++) inOrder = false;
  }
  const seconds = (performance.now() - t0) / 1000;
  k--;
  if (ordered && !inOrder) throw new Error(`${f.name}: outputs out of order`);
  if (k !== n) throw new Error(`${f.name}: ${k} of ${n} items came out`);
  return seconds;
}

/** Best of `runs`: the least disturbed by the machine's other work. */
async function best(runs, measure) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, await measure());
  return min;
}

const rows = [];
const row = (measure, figure, target, pass) => rows.push(`| ${measure} | ${figure} | ${target} | ${pass === undefined ? '' : pass ? 'yes' : '**no**'} |`);
const x = (r) => `${r.toFixed(2)}×`;

// Warm-up: start threads and JIT once.
await timeFlow(flows.cpu2, 20);

// Scale-up.
{
  const n = 400;
  const one = await best(2, () => timeFlow(flows.cpu1, n));
  const two = await best(2, () => timeFlow(flows.cpu2, n));
  const four = await best(2, () => timeFlow(flows.cpu4, n));
  row('scale-up, CPU-bound cell (3 ms/item), 2 clones vs 1', `${(n / one).toFixed(0)} → ${(n / two).toFixed(0)} items/s: **${x(one / two)}**`, '≥ 1.8×', one / two >= 1.8);
  row('scale-up, 4 clones vs 2 (on 2 cores)', `${(n / four).toFixed(0)} items/s: **${x(two / four)}**`, '≥ 0.95×', two / four >= 0.95);
  // The peer, in the same minute: what piscina alone gets from a second thread on this machine now.
  const spinPool = async (threads) => {
    const pool = new Piscina({ filename: new URL('./flow-task.mjs', import.meta.url).href, name: 'spin', minThreads: threads, maxThreads: threads });
    await Promise.all(range(threads * 2).map(() => pool.run(1, { name: 'spin' })));
    const seconds = await best(2, async () => {
      const t0 = performance.now();
      await Promise.all(range(n).map(() => pool.run(3, { name: 'spin' })));
      return (performance.now() - t0) / 1000;
    });
    await pool.destroy();
    return seconds;
  };
  const p1 = await spinPool(1);
  const p2 = await spinPool(2);
  row('peer: bare piscina, same 3 ms task, 2 threads vs 1', `${(n / p1).toFixed(0)} → ${(n / p2).toFixed(0)} items/s: ${x(p1 / p2)}`, 'what the machine allows', undefined);
}

// Ordered against unordered.
{
  const n = 400;
  // Alternated, best of three each: the machine's other work falls on both alike.
  let [uo, uu, so, su] = [Infinity, Infinity, Infinity, Infinity];
  for (let i = 0; i < 3; i++) {
    uo = Math.min(uo, await timeFlow(flows.uniformOrdered, n));
    uu = Math.min(uu, await timeFlow(flows.uniformUnordered, n, { ordered: false }));
    so = Math.min(so, await timeFlow(flows.skewedOrdered, n));
    su = Math.min(su, await timeFlow(flows.skewedUnordered, n, { ordered: false }));
  }
  row('ordered vs unordered, uniform work (2 ms/item, 2 clones)', `**${x(uu / uo)}**`, '≥ 0.9×', uu / uo >= 0.9);
  row('ordered vs unordered, skewed work (1 in 10 is 10× slower)', `**${x(su / so)}**`, '≥ 0.75×', su / so >= 0.75);
}

// Overhead per item.
{
  const n = 300_000;
  const chain = await best(3, () => timeFlow(flows.inlineChain, n, { ordered: false }));
  const readable = await best(3, async () => {
    const t0 = performance.now();
    let k = 0;
    for await (const _ of Readable.from(range(n)).map(flows.f1).map(flows.f2).map(flows.f3)) k++;
    if (k !== n) throw new Error('Readable.map lost items');
    return (performance.now() - t0) / 1000;
  });
  const us = (s, m) => ((s * 1e6) / m).toFixed(2);
  row('3-cell inline chain vs `Readable.map` ×3 (same functions)', `${us(chain, n)} vs ${us(readable, n)} µs/item: **${x(readable / chain)}**`, '≥ 1×', readable / chain >= 1);

  const m = 50_000;
  const hop = await best(3, () => timeFlow(flows.threadHop, m, { ordered: false }));
  const pool = new Piscina({ filename: new URL('./flow-task.mjs', import.meta.url).href, minThreads: 1, maxThreads: 1 });
  const bare = await best(3, async () => {
    const t0 = performance.now();
    await Promise.all(range(m).map((i) => pool.run(i)));
    return (performance.now() - t0) / 1000;
  });
  await pool.destroy();
  row('thread-crossing cell vs bare piscina `run()` (1 thread, trivial task)', `${us(hop, m)} vs ${us(bare, m)} µs/item: **${x(bare / hop)}**`, '≥ 0.5×', bare / hop >= 0.5);
}

// Micro-batching.
{
  const n = 320;
  const plain = await timeFlow(flows.unbatched, n);
  const batch = await timeFlow(flows.batched, n);
  row('micro-batching at saturation (5 ms/call + 0.2 ms/item; size 32, maxWait 10 ms)', `${(n / plain).toFixed(0)} → ${(n / batch).toFixed(0)} items/s: **${x(plain / batch)}**`, '≥ 3×', plain / batch >= 3);
  // Low load: one item at a time, 30 ms apart; the latency a batch adds is at most its wait.
  const latency = async (f) => {
    const times = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      await f.push(i);
      await f.pull();
      times.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 30));
    }
    await f.close();
    return times.sort((a, b) => a - b)[15];
  };
  const lp = await latency(flows.unbatched);
  const lb = await latency(flows.batched);
  row('micro-batching at low load: median latency added', `${lp.toFixed(1)} → ${lb.toFixed(1)} ms: **+${(lb - lp).toFixed(1)} ms**`, '≤ maxWaitMs (10 ms)', lb - lp <= 10);
}

console.log(`\nStreaming flows, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${(await import('node:os')).availableParallelism()} cores\n`);
console.log('| measure | figure | target | met |');
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(r);
