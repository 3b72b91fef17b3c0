/**
 * Entry of a clone in a worker thread or a child process: loads the flow file, finds the cell by
 * name, runs its `init`, then runs the units it is sent one after another. Results go back in
 * small bundles: at once for slow items, every few milliseconds for fast ones, so that a
 * thread-crossing cell does not pay one message per trivial item.
 */
import { parentPort } from 'node:worker_threads';
import { captureConsole } from '../executors/runner-side.js';
import type { CellContext } from './cell.js';
import { errorMessage, type FromClone, type ToClone, type UnitResult } from './clone-messages.js';
import { findCell } from './load-flow.js';

/** Longest a finished result waits to travel with later ones. */
const BUNDLE_MS = 1;
/** An item slower than this is answered at once: bundling pays only for fast items. */
const SLOW_MS = 0.1;

const post: (message: FromClone) => void = parentPort
  ? (message) => parentPort!.postMessage(message)
  : (message) => process.send!(message);

let run: ((item: unknown, ctx: CellContext<unknown>) => unknown) | undefined;
let context: CellContext<unknown> | undefined;
const queue: unknown[] = [];
let draining = false;
let failed = false;

captureConsole((_stream, text) => post({ type: 'output', text }));

async function start(message: Extract<ToClone, { type: 'start' }>): Promise<void> {
  try {
    const definition = await findCell(message.address);
    const state = definition.options.init ? await definition.options.init() : undefined;
    run = definition.options.run as typeof run;
    context = { cell: definition.name, clone: message.clone, state };
  } catch (err) {
    failed = true;
    post({ type: 'init-failed', message: errorMessage(err) });
    return;
  }
  void drain();
}

async function drain(): Promise<void> {
  if (draining || !run || failed) return;
  draining = true;
  let results: UnitResult[] = [];
  let busyMs = 0;
  let since = performance.now();
  const flush = (now: number) => {
    if (results.length) post({ type: 'results', results, busyMs });
    results = [];
    busyMs = 0;
    since = now;
  };
  while (queue.length) {
    const unit = queue.shift();
    const started = performance.now();
    try {
      let value = run(unit, context!);
      // Nothing is lost by sending what is done while waiting; and if this item then kills the
      // clone, the items before it have been answered, so the blame falls on this one.
      if (value instanceof Promise) {
        flush(started);
        value = await value;
      }
      results.push({ ok: true, value });
    } catch (err) {
      results.push({ ok: false, message: errorMessage(err) });
    }
    const now = performance.now();
    busyMs += now - started;
    if (now - started >= SLOW_MS || now - since >= BUNDLE_MS || !queue.length) flush(now);
  }
  draining = false;
}

const receive = (message: ToClone) => {
  if (message.type === 'start') void start(message);
  else {
    for (const unit of message.units) queue.push(unit);
    void drain();
  }
};

if (parentPort) parentPort.on('message', receive);
else process.on('message', receive);
