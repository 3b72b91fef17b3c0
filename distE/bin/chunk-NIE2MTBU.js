import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  xxHash
} from "./chunk-DJMCM54O.js";

// src/cache/hash.ts
import { closeSync, openSync, readFileSync, readSync } from "node:fs";

// src/cache/read-ahead.ts
import { Worker } from "node:worker_threads";
var SLOT_BYTES = 512 << 10;
var SLOTS = 8;
var EMPTY = 0;
var FULL = 1;
var STOP = 2 * SLOTS;
var HEADER_BYTES = 4 * (2 * SLOTS + 2);
var HELPER = `
const { parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
parentPort.on('message', ({ file, ring, slots, slotBytes, headerBytes, stop }) => {
  const control = new Int32Array(ring, 0, headerBytes / 4);
  const data = new Uint8Array(ring, headerBytes);
  let fd;
  try {
    fd = openSync(file, 'r');
    for (let i = 0; ; i = (i + 1) % slots) {
      Atomics.wait(control, i, ${FULL});
      if (Atomics.load(control, stop)) break;
      const n = readSync(fd, data, i * slotBytes, slotBytes, null);
      control[slots + i] = n;
      Atomics.store(control, i, ${FULL});
      Atomics.notify(control, i);
      if (n === 0) break;
    }
  } catch {
    for (let i = 0; i < slots; i++) {
      control[slots + i] = -1;
      Atomics.store(control, i, ${FULL});
      Atomics.notify(control, i);
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
});`;
var helper;
var busy = false;
async function readAhead(file, take, pauseEvery, pause) {
  if (busy) return false;
  busy = true;
  try {
    if (!helper) {
      helper = new Worker(HELPER, { eval: true });
      helper.unref();
    }
    const ring = new SharedArrayBuffer(HEADER_BYTES + SLOTS * SLOT_BYTES);
    const control = new Int32Array(ring, 0, HEADER_BYTES / 4);
    helper.postMessage({ file, ring, slots: SLOTS, slotBytes: SLOT_BYTES, headerBytes: HEADER_BYTES, stop: STOP });
    try {
      let sincePause = 0;
      for (let i = 0; ; i = (i + 1) % SLOTS) {
        Atomics.wait(control, i, EMPTY);
        const length = control[SLOTS + i];
        if (length < 0) throw new Error(`cannot read ${file}`);
        if (length === 0) return true;
        take(Buffer.from(ring, HEADER_BYTES + i * SLOT_BYTES, length));
        Atomics.store(control, i, EMPTY);
        Atomics.notify(control, i);
        sincePause += length;
        if (sincePause >= pauseEvery) {
          sincePause = 0;
          await pause();
        }
      }
    } finally {
      Atomics.store(control, STOP, 1);
      for (let i = 0; i < SLOTS; i++) {
        Atomics.store(control, i, EMPTY);
        Atomics.notify(control, i);
      }
    }
  } finally {
    busy = false;
  }
}

// src/cache/hash.ts
var { xxh3 } = xxHash();
var isDirHash = (hash) => hash.endsWith(".dir");
var CHUNK = 128 << 10;
var YIELD_EVERY = 64 << 20;
var SMALL_FILE = 256 << 10;
var READ_AHEAD_FROM = 256 << 20;
var yieldToLoop = () => new Promise((resolve) => setImmediate(resolve));
async function hashFile(path, size) {
  if (size !== void 0 && size <= SMALL_FILE) return hex64(xxh3.xxh64(readFileSync(path)));
  if (size !== void 0 && size >= READ_AHEAD_FROM) {
    const state = xxh3.Xxh3.withSeed(0n);
    if (await readAhead(path, (chunk) => state.update(chunk), YIELD_EVERY, yieldToLoop)) return hex64(state.digest());
  }
  const fd = openSync(path, "r");
  try {
    const state = xxh3.Xxh3.withSeed(0n);
    const buffer = Buffer.allocUnsafe(CHUNK);
    let sinceYield = 0;
    for (; ; ) {
      const bytesRead = readSync(fd, buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      state.update(bytesRead === CHUNK ? buffer : buffer.subarray(0, bytesRead));
      sinceYield += bytesRead;
      if (sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await yieldToLoop();
      }
    }
    return hex64(state.digest());
  } finally {
    closeSync(fd);
  }
}
function hashBytes(bytes) {
  return hex64(xxh3.xxh64(bytes));
}
function hashValue(value) {
  return xxh3.xxh128(canonicalJson(value)).toString(16).padStart(32, "0");
}
function canonicalJson(value) {
  return JSON.stringify(value, (_key, v) => v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) : v);
}
function hex64(n) {
  return n.toString(16).padStart(16, "0");
}

export {
  isDirHash,
  hashFile,
  hashBytes,
  hashValue,
  canonicalJson
};
//# sourceMappingURL=chunk-NIE2MTBU.js.map
