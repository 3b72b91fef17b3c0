/**
 * The flows bench/flow.mjs measures. In a module of their own: clones on worker threads load
 * this file and find their cell by name, as they would a user's flow file.
 */
import { cell, flow } from '../dist/src/index.js';

import { spin } from './flow-task.mjs';

const cpu = (scale, ms) => cell('cpu', { scale, executor: 'threads', run: (i) => (spin(ms), i) });
export const cpu1 = flow('cpu1', [cpu(1, 3)]);
export const cpu2 = flow('cpu2', [cpu(2, 3)]);
export const cpu4 = flow('cpu4', [cpu(4, 3)]);

/** 2 ms per item, or with `skewed` one item in ten 10× slower. */
const uneven = (skewed) => cell('work', { scale: 2, executor: 'threads', run: (i) => (spin(skewed && i % 10 === 0 ? 10 : skewed ? 1 : 2), i) });
export const uniformOrdered = flow('uniformOrdered', [uneven(false)]);
export const uniformUnordered = flow('uniformUnordered', [uneven(false)], { ordered: false });
export const skewedOrdered = flow('skewedOrdered', [uneven(true)]);
export const skewedUnordered = flow('skewedUnordered', [uneven(true)], { ordered: false });

export const f1 = (i) => i + 1;
export const f2 = (i) => i * 2;
export const f3 = (i) => i - 3;
export const inlineChain = flow('inlineChain', [cell('f1', { run: f1 }), cell('f2', { run: f2 }), cell('f3', { run: f3 })]);
export const threadHop = flow('threadHop', [cell('f1', { executor: 'threads', run: f1 })]);

export { spin };

/** A model-like cell: 5 ms per call plus 0.2 ms per item. */
const model = (batch) => batch
  ? cell('model', { batch: { size: 32, maxWaitMs: 10 }, run: (items) => (spin(5 + 0.2 * items.length), items) })
  : cell('model', { run: (item) => (spin(5.2), item) });
export const batched = flow('batched', [model(true)]);
export const unbatched = flow('unbatched', [model(false)]);
