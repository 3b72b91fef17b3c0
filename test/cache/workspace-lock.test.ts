/**
 * One writer per workspace, under contention: many threads take and release the workspace lock
 * as fast as they can; at no moment do two hold it. (The lock file was created empty and written
 * after: a taker reading it in between took it for an unreadable lock, removed it and took it too.)
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';

const THREADS = 8;
const TAKES = 300;

const body = `
const { workerData, parentPort } = require('node:worker_threads');
const { file, shared, module } = workerData;
const holders = new Int32Array(shared);
const pause = new Int32Array(new SharedArrayBuffer(4));
import(module).then(({ acquireWorkspaceLock }) => {
  let taken = 0, overlaps = 0;
  while (taken < ${TAKES}) {
    let lock;
    try {
      lock = acquireWorkspaceLock(file, 'test', () => {});
    } catch (err) {
      if (err.code !== 'locked') throw err;
      continue;
    }
    if (Atomics.add(holders, 0, 1) !== 0) overlaps++;
    Atomics.wait(pause, 0, 0, 1); // held for a moment, as a task holds it to write
    Atomics.sub(holders, 0, 1);
    lock.release();
    taken++;
  }
  parentPort.postMessage({ overlaps });
});
`;

describe('the workspace lock under contention', () => {
  it(`${THREADS} threads taking it ${TAKES} times each: never two holders at once`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-lock-'));
    try {
      const shared = new SharedArrayBuffer(4);
      const module = new URL('../../src/cache/workspace-lock.js', import.meta.url).href;
      const results = await Promise.all(Array.from({ length: THREADS }, () => new Promise<{ overlaps: number }>((resolve, reject) => {
        const worker = new Worker(body, { eval: true, workerData: { file: join(dir, 'run.lock'), shared, module } });
        worker.once('message', resolve);
        worker.once('error', reject);
      })));
      const overlaps = results.reduce((n, r) => n + r.overlaps, 0);
      assert.equal(overlaps, 0, `${overlaps} times a thread took the lock while another held it`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
