import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  yaml
} from "./chunk-DD6A6ORU.js";
import {
  LOCKFILE,
  layout
} from "./chunk-PI66XGHR.js";

// src/cache/lockfile.ts
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
function stampOf(file) {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.size}:${s.mtimeNs}:${s.ino}`;
  } catch {
    return void 0;
  }
}
function readLockfile(root, warn) {
  return { ...readLockfileItself(root, warn), ...readJournal(root) };
}
function readLockfileItself(root, warn) {
  const file = join(root, LOCKFILE);
  const stamp = stampOf(file);
  if (stamp === void 0) return {};
  try {
    const snapshot = JSON.parse(readFileSync(layout(root).lockSnapshot, "utf8"));
    if (snapshot.stamp === stamp) return snapshot.stages;
  } catch {
  }
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return {};
  }
  try {
    const data = yaml.load(text, { schema: yaml.CORE_SCHEMA });
    if (!data || data.version !== 1 || typeof data.stages !== "object" || data.stages === null) throw new Error("not a version 1 lockfile");
    return { ...data.stages };
  } catch (err) {
    warn(`${LOCKFILE} is unreadable (${err.message.split("\n")[0]}); every stage is treated as never run`);
    return {};
  }
}
function readJournal(root) {
  let text;
  try {
    text = readFileSync(layout(root).lockJournal, "utf8");
  } catch {
    return {};
  }
  const entries = {};
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      const { stage, entry } = JSON.parse(line);
      entries[stage] = entry;
    } catch {
    }
  }
  return entries;
}
var LockfileWriter = class {
  constructor(root, entries) {
    this.root = root;
    this.entries = entries;
  }
  root;
  entries;
  texts = /* @__PURE__ */ new Map();
  journal;
  pending = false;
  lastWrite = 0;
  timer;
  get(stage) {
    return this.entries[stage];
  }
  set(stage, entry) {
    this.entries[stage] = entry;
    this.texts.delete(stage);
    if (this.journal === void 0) {
      mkdirSync(dirname(layout(this.root).lockJournal), { recursive: true });
      this.journal = openSync(layout(this.root).lockJournal, "a");
    }
    writeSync(this.journal, JSON.stringify({ stage, entry }) + "\n");
    this.pending = true;
    const wait = this.lastWrite + REWRITE_INTERVAL_MS - Date.now();
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait).unref();
  }
  all() {
    return this.entries;
  }
  /** Rewrites pipewright.lock and its JSON snapshot now, then empties the journal. */
  flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = void 0;
    if (!this.pending) return;
    this.pending = false;
    this.lastWrite = Date.now();
    const file = join(this.root, LOCKFILE);
    const names = Object.keys(this.entries).sort();
    const body = names.map((name) => {
      let text = this.texts.get(name);
      if (text === void 0) {
        text = yaml.dump({ [name]: this.entries[name] }, { sortKeys: true, lineWidth: -1, noRefs: true }).replace(/^(?=.)/gm, "  ");
        this.texts.set(name, text);
      }
      return text;
    });
    writeAside(file, `version: 1
stages:${names.length ? "\n" + body.join("") : " {}\n"}`);
    const paths = layout(this.root);
    writeAside(paths.lockSnapshot, JSON.stringify({ stamp: stampOf(file), stages: this.entries }));
    if (this.journal !== void 0) ftruncateSync(this.journal, 0);
  }
  close() {
    this.flush();
    if (this.journal !== void 0) closeSync(this.journal);
    this.journal = void 0;
  }
};
var REWRITE_INTERVAL_MS = 500;
function writeAside(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export {
  readLockfile,
  LockfileWriter
};
//# sourceMappingURL=chunk-U5SJRDGN.js.map
