/**
 * Two processes opening state.db or runs.db at the same instant (a coordinator and its workers
 * starting together) must both get in. busy_timeout alone does not do it: SQLite answers SQLITE_BUSY
 * without waiting to a connection that holds a read lock and asks for a write lock (waiting could
 * deadlock), and switching a new file to WAL does just that (src/sqlite-open.ts). Tested twice: that
 * very case made to happen on purpose, and many opens released together by one barrier, round
 * after round.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { StateDb } from '../../src/cache/state.js';
import { RunStore } from '../../src/store/run-store.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '../../src');
const url = (path: string) => pathToFileURL(join(SRC, path)).href;

/** A thread that takes the write lock of a new, empty file and holds it for `holdMs`. */
const HOLDER = `
const { parentPort, workerData } = require('node:worker_threads');
import(${JSON.stringify(url('native.js'))}).then(({ openSqlite }) => {
  const db = openSqlite(workerData.file);
  db.exec('BEGIN IMMEDIATE');
  parentPort.postMessage('held');
  setTimeout(() => { db.exec('COMMIT'); db.close(); parentPort.postMessage('released'); }, workerData.holdMs);
});
`;

/** A thread that waits at the barrier, then opens both files of a project, writes to each and closes them. */
const OPENER = `
const { parentPort, workerData } = require('node:worker_threads');
Promise.all([import(${JSON.stringify(url('cache/state.js'))}), import(${JSON.stringify(url('store/run-store.js'))}), import(${JSON.stringify(url('native.js'))})])
  .then(([{ StateDb }, { RunStore }, { openSqlite }]) => {
    openSqlite(':memory:').close(); // SQLite loaded before the barrier, so that all start as one
    const barrier = new Int32Array(workerData.barrier);
    Atomics.add(barrier, 1, 1);
    Atomics.wait(barrier, 0, 0);
    const failures = [];
    try {
      const state = StateDb.open(workerData.dir + '/.pipewright/state.db', () => {});
      state.record('f' + workerData.n, { size: 1, mtimeMs: 1, ino: 1 }, 'h');
      state.close();
    } catch (err) { failures.push('state.db: ' + (err.code ?? '') + ' ' + err.message); }
    try {
      const store = new RunStore(workerData.dir + '/.pipewright/runs.db');
      store.startRun({ argv: ['run'], host: 'test' });
      store.close();
    } catch (err) { failures.push('runs.db: ' + (err.code ?? '') + ' ' + err.message); }
    parentPort.postMessage(failures);
  });
`;

function message(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

describe('opening the state files concurrently', () => {
  it('an open that meets another connection\'s write lock on a new file waits for it, instead of failing with SQLITE_BUSY', async () => {
    for (const [name, open] of [
      ['state.db', (file: string) => StateDb.open(file, (m) => assert.fail(m)).close()],
      ['runs.db', (file: string) => new RunStore(file, `${file}.no-journal`).close()],
    ] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'pw-open-'));
      try {
        const file = join(dir, name);
        const holder = new Worker(HOLDER, { eval: true, workerData: { file, holdMs: 400 } });
        try {
          assert.equal(await message(holder), 'held');
          const released = message(holder);
          const started = Date.now();
          // Reads the new file's header, then asks to write it: SQLite answers BUSY at once, not after busy_timeout.
          open(file);
          assert.ok(Date.now() - started >= 300, `${name}: opened only once the lock was released`);
          assert.equal(await released, 'released');
        } finally {
          await holder.terminate();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('16 threads released by one barrier all open a new state.db and runs.db, round after round', { timeout: 240_000 }, async () => {
    const THREADS = 16;
    const ROUNDS = 12;
    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'pw-open-'));
      try {
        // [0]: the gate (0 closed, 1 open); [1]: how many wait at it.
        const barrier = new SharedArrayBuffer(8);
        const flags = new Int32Array(barrier);
        const workers = Array.from({ length: THREADS }, (_, n) => new Worker(OPENER, { eval: true, workerData: { dir, barrier, n } }));
        const answers = workers.map((w) => message(w));
        while (Atomics.load(flags, 1) < THREADS) await new Promise((r) => setTimeout(r, 2));
        Atomics.store(flags, 0, 1);
        Atomics.notify(flags, 0);
        const failed = (await Promise.all(answers)).flatMap((answer) => (answer as string[]).map((f) => `round ${round}: ${f}`));
        await Promise.all(workers.map((w) => w.terminate()));
        failures.push(...failed);
        if (failed.length) continue;
        const state = StateDb.open(join(dir, '.pipewright/state.db'), (m) => assert.fail(m));
        for (let n = 0; n < THREADS; n++) assert.equal(state.lookup(`f${n}`, { size: 1, mtimeMs: 1, ino: 1 }), 'h', `round ${round}: thread ${n}'s hash was kept`);
        state.close();
        const store = new RunStore(join(dir, '.pipewright/runs.db'));
        assert.equal(store.runs().length, THREADS, `round ${round}: every thread's run was recorded`);
        store.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const rounds = new Set(failures.map((f) => f.split(':')[0])).size;
    assert.deepEqual(failures, [], `${failures.length} of ${THREADS * ROUNDS * 2} opens failed, in ${rounds} of ${ROUNDS} rounds`);
  });
});
