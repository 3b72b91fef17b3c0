import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  LockfileWriter,
  readLockfile
} from "./chunk-U5SJRDGN.js";
import {
  ObjectStore
} from "./chunk-DI4O4WN5.js";
import {
  canonicalJson,
  hashBytes,
  hashFile,
  hashValue,
  isDirHash
} from "./chunk-NIE2MTBU.js";
import {
  MISSING,
  changeReasons,
  outKey
} from "./chunk-BBX3X4MH.js";
import {
  declaredStage,
  writtenPaths
} from "./chunk-VYRBVQGQ.js";
import {
  openSqlite
} from "./chunk-DJMCM54O.js";
import "./chunk-DD6A6ORU.js";
import "./chunk-VRTVQOPA.js";
import "./chunk-VYRDMYYG.js";
import {
  layout
} from "./chunk-PI66XGHR.js";
import "./chunk-72MSOLL7.js";

// src/cache/stage-cache.ts
import { join as join2, relative as relative2 } from "node:path";

// src/cache/code-identity.ts
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
var CodeIdentities = class {
  constructor(root) {
    this.root = root;
  }
  root;
  closures = /* @__PURE__ */ new Map();
  async of(stage, command) {
    if (command !== void 0) return { cmd: command, template: stage.commandTemplate ?? command };
    if (stage.builtin) return { fn: hashBytes(stage.builtin), files: {} };
    const entries = [...stage.codeFiles].sort();
    const key = entries.join("\n");
    let files = this.closures.get(key);
    if (!files) {
      files = this.sourceClosure(entries);
      this.closures.set(key, files);
    }
    return { fn: hashBytes(String(stage.run)), files: await files };
  }
  /** Every local source file the entries import, transitively, with its hash (root-relative paths). */
  async sourceClosure(entries) {
    const { build } = await import("esbuild");
    const result = await build({
      entryPoints: [...entries],
      absWorkingDir: this.root,
      bundle: true,
      write: false,
      metafile: true,
      platform: "node",
      format: "esm",
      packages: "external",
      logLevel: "silent",
      outdir: "out"
    });
    const files = {};
    const defining = new Set(entries.map((e) => resolve(this.root, e)));
    for (const input of Object.keys(result.metafile.inputs).sort()) {
      if (input.includes(":")) continue;
      const abs = resolve(this.root, input);
      files[relative(this.root, abs)] = defining.has(abs) ? hashBytes(withoutSweeps(readFileSync(abs, "utf8"))) : hashBytes(readFileSync(abs));
    }
    return files;
  }
};
function withoutSweeps(source) {
  let out = "";
  let from = 0;
  const start = /\bsweep\s*:\s*\{/g;
  for (let match = start.exec(source); match; match = start.exec(source)) {
    const open = match.index + match[0].length - 1;
    const close = matchingBrace(source, open);
    if (close < 0) break;
    out += source.slice(from, open) + "{}";
    from = close + 1;
    start.lastIndex = from;
  }
  return out + source.slice(from);
}
function matchingBrace(source, open) {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '"' || c === "'") {
      for (i++; i < source.length && source[i] !== c; i++) {
        if (source[i] === "\\") i++;
        else if (source[i] === "\n") return -1;
      }
    } else if (c === "`") {
      return -1;
    } else if (c === "/" && source[i + 1] === "/") {
      i = source.indexOf("\n", i);
      if (i < 0) return -1;
    } else if (c === "/" && source[i + 1] === "*") {
      i = source.indexOf("*/", i + 2) + 1;
      if (i <= 0) return -1;
    } else if (c === "/") {
      return -1;
    } else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

// src/cache/fingerprint.ts
function fingerprintOf(parts) {
  return hashValue(parts);
}

// src/cache/run-cache.ts
var RunCache = class {
  constructor(db, warn) {
    this.db = db;
    this.warn = warn;
    db.exec("CREATE TABLE IF NOT EXISTS runs (fingerprint TEXT PRIMARY KEY, stage TEXT NOT NULL, entry TEXT NOT NULL)");
    this.select = db.prepare("SELECT stage, entry FROM runs WHERE fingerprint = ?");
    this.insert = db.prepare("INSERT OR REPLACE INTO runs (fingerprint, stage, entry) VALUES (?, ?, ?)");
    this.delete = db.prepare("DELETE FROM runs WHERE fingerprint = ?");
  }
  db;
  warn;
  select;
  insert;
  delete;
  pending = /* @__PURE__ */ new Map();
  lastFlush = Date.now();
  get(fingerprint) {
    const queued = this.pending.get(fingerprint);
    if (queued) return { stage: queued[0], entry: queued[1] };
    const row = this.select.get(fingerprint);
    if (!row) return void 0;
    try {
      const entry = JSON.parse(row.entry);
      if (entry.fingerprint !== fingerprint) throw new Error("fingerprint mismatch");
      return { stage: row.stage, entry };
    } catch (err) {
      this.warn(`run-cache entry ${fingerprint} is corrupt (${err.message}); removed`);
      this.remove(fingerprint);
      return void 0;
    }
  }
  /**
   * Queued, and written in one transaction by `flush` (at most every half second and at the end):
   * an entry lost to a crash only means that run is not restorable later, never a wrong restore.
   */
  put(stage, entry) {
    this.pending.set(entry.fingerprint, [stage, entry]);
    if (Date.now() - this.lastFlush > 500) this.flush();
  }
  flush() {
    this.lastFlush = Date.now();
    if (!this.pending.size) return;
    const rows = [...this.pending.values()];
    this.pending.clear();
    this.db.transaction(() => {
      for (const [stage, entry] of rows) this.insert.run(entry.fingerprint, stage, JSON.stringify(entry));
    })();
  }
  /** Every entry, for gc. */
  all() {
    this.flush();
    const rows = this.db.prepare("SELECT stage, entry FROM runs").all();
    return rows.flatMap((row) => {
      try {
        return [{ stage: row.stage, entry: JSON.parse(row.entry) }];
      } catch {
        return [];
      }
    });
  }
  remove(fingerprint) {
    this.delete.run(fingerprint);
  }
};

// src/cache/state.ts
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
var SCHEMA_VERSION = 2;
var StateDb = class {
  /** Shared with the run-cache, whose table lives in the same file. */
  db;
  upsert;
  pending = [];
  /** Every record, read in one query on first use: one lookup per file would cost more than all. */
  records;
  constructor(file) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = openSqlite(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    const { user_version: version } = this.db.prepare("PRAGMA user_version").get();
    if (version !== SCHEMA_VERSION) {
      this.db.exec("DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS runs");
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
    this.db.exec("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime TEXT NOT NULL, ino TEXT NOT NULL, hash TEXT NOT NULL)");
    this.upsert = this.db.prepare("INSERT OR REPLACE INTO files (path, size, mtime, ino, hash) VALUES (?, ?, ?, ?, ?)");
  }
  /** The recorded hash of `path`, if the file still has the size, mtime and inode it had then. */
  lookup(path, stat) {
    const record = this.all().get(path);
    return record && sameStat(record.stat, stat) ? record.hash : void 0;
  }
  all() {
    if (!this.records) {
      const rows = this.db.prepare("SELECT path, size, mtime, ino, hash FROM files").all();
      this.records = new Map(rows.map((r) => [r.path, { stat: { size: r.size, mtimeMs: Number(r.mtime), ino: Number(r.ino) }, hash: r.hash }]));
    }
    return this.records;
  }
  record(path, stat, hash) {
    this.all().set(path, { stat, hash });
    this.pending.push([path, stat, hash]);
    if (this.pending.length >= 5e3) this.flush();
  }
  flush() {
    if (!this.pending.length) return;
    const rows = this.pending;
    this.pending = [];
    this.db.transaction(() => {
      for (const [path, stat, hash] of rows) this.upsert.run(path, stat.size, String(stat.mtimeMs), String(stat.ino), hash);
    })();
  }
  close() {
    this.flush();
    this.db.close();
  }
};
function sameStat(a, b) {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

// src/cache/workspace-hash.ts
import { statSync } from "node:fs";
import { readdir, stat as fsStat } from "node:fs/promises";
import { join, posix } from "node:path";
var PARALLEL_READS = 16;
var WorkspaceHasher = class {
  constructor(root, state) {
    this.root = root;
    this.state = state;
  }
  root;
  state;
  /** Hashes already taken in this process; forgotten when a stage is about to write the path. */
  memo = /* @__PURE__ */ new Map();
  /** The hash of a root-relative path, or undefined if nothing is there. */
  hash(path) {
    let result = this.memo.get(path);
    if (!result) {
      result = this.hashUncached(path);
      this.memo.set(path, result);
      for (let cut = path.lastIndexOf("/"); cut > 0; cut = path.lastIndexOf("/", cut - 1)) this.parents.add(path.slice(0, cut));
    }
    return result;
  }
  /** Drops memoized hashes of `path` and of anything inside or above it. */
  forget(path) {
    this.memo.delete(path);
    for (let cut = path.lastIndexOf("/"); cut > 0; cut = path.lastIndexOf("/", cut - 1)) this.memo.delete(path.slice(0, cut));
    this.memo.delete("");
    if (this.parents.has(path)) {
      for (const key of this.memo.keys()) if (key.startsWith(`${path}/`)) this.memo.delete(key);
    }
  }
  /** Every folder above a memoized path. */
  parents = /* @__PURE__ */ new Set();
  async hashUncached(path) {
    const abs = join(this.root, path);
    let stat;
    try {
      stat = statSync(abs, { throwIfNoEntry: false });
    } catch {
      return void 0;
    }
    if (!stat) return void 0;
    if (stat.isDirectory()) return this.hashDir(path);
    if (!stat.isFile()) return void 0;
    const fileStat = toFileStat(stat);
    const hash = this.state.lookup(path, fileStat) ?? await this.hashAndRecord(path, abs, fileStat);
    return { hash, size: fileStat.size, files: 1 };
  }
  async hashAndRecord(path, abs, stat) {
    const hash = await hashFile(abs, stat.size);
    this.state.record(path, stat, hash);
    return hash;
  }
  async hashDir(dir) {
    const files = await listFiles(join(this.root, dir));
    const entries = new Array(files.length);
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const i = next++;
        const { rel, stat } = files[i];
        const path = posix.join(dir, rel);
        const hash = this.state.lookup(path, stat) ?? await this.hashAndRecord(path, join(this.root, path), stat);
        entries[i] = { path: rel, hash, size: stat.size };
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_READS }, worker));
    entries.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    return {
      hash: manifestHash(entries),
      size: entries.reduce((n, e) => n + e.size, 0),
      files: entries.length,
      manifest: entries
    };
  }
};
function manifestHash(entries) {
  return `${hashBytes(canonicalJson(entries))}.dir`;
}
async function listFiles(dir) {
  const out = [];
  const walk = async (rel) => {
    const entries = await readdir(join(dir, rel), { withFileTypes: true });
    await Promise.all(entries.map(async (entry) => {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile() || entry.isSymbolicLink()) {
        const stat = await fsStat(join(dir, child)).catch(() => void 0);
        if (!stat) return;
        if (stat.isFile()) out.push({ rel: child, stat: toFileStat(stat) });
      }
    }));
  };
  await walk("");
  return out;
}
function toFileStat(stat) {
  return { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino };
}

// src/cache/stage-cache.ts
var StageCache = class {
  constructor(pipeline, options = {}) {
    this.pipeline = pipeline;
    const root = pipeline.root;
    const warn = options.warn ?? (() => {
    });
    this.warn = warn;
    const paths = layout(root);
    this.state = new StateDb(paths.stateDb);
    this.hasher = new WorkspaceHasher(root, this.state);
    this.store = new ObjectStore(paths.cache, options.links);
    this.lock = new LockfileWriter(root, readLockfile(root, warn));
    this.runCache = new RunCache(this.state.db, warn);
    this.codes = new CodeIdentities(root);
  }
  pipeline;
  store;
  lock;
  runCache;
  state;
  hasher;
  codes;
  warn;
  async plan(stage, options = {}) {
    const declared = declaredStage(this.pipeline, stage.of);
    const depPaths = [.../* @__PURE__ */ new Set([...stage.deps.map((d) => d.path), ...Object.values(stage.inputs).map((i) => i.path)])].sort();
    const deps = {};
    await Promise.all(depPaths.map(async (path) => {
      deps[path] = options.expected?.get(path) ?? (await this.hasher.hash(path))?.hash ?? MISSING;
    }));
    const parts = {
      code: await this.codes.of(declared, stage.command),
      params: stage.params,
      deps: Object.fromEntries(depPaths.map((p) => [p, deps[p]])),
      outs: writtenPaths(stage).map(outKey)
    };
    const fingerprint = fingerprintOf(parts);
    return { parts, fingerprint, decision: await this.decide(stage, parts, fingerprint, options) };
  }
  async decide(stage, parts, fingerprint, options) {
    const locked = this.lock.get(stage.name);
    if (stage.frozen) {
      if (!locked) return { action: "fail", message: `stage "${stage.name}" is frozen but has never run, so it has no outs to keep`, reasons: [{ kind: "frozen" }] };
      const damage = await this.outDamage(locked);
      if (damage.length === 0) return { action: "skip", entry: locked, reasons: [{ kind: "frozen" }] };
      return await this.canRestore(locked) ? { action: "restore", from: "lock", entry: locked, reasons: [{ kind: "frozen" }, ...damage] } : { action: "fail", message: `stage "${stage.name}" is frozen and its outs are damaged and not in the cache`, reasons: damage };
    }
    if (options.force) return { action: "run", reasons: [{ kind: "forced" }] };
    if (stage.alwaysChanged) return { action: "run", reasons: [{ kind: "always-changed" }] };
    if (Object.values(parts.deps).includes(MISSING)) return { action: "run", reasons: changeReasons(locked, parts) };
    if (locked?.fingerprint === fingerprint) {
      const damage = await this.outDamage(locked);
      if (damage.length === 0) return { action: "skip", entry: locked, reasons: [] };
      return await this.canRestore(locked) ? { action: "restore", from: "lock", entry: locked, reasons: damage } : { action: "run", reasons: damage };
    }
    const reasons = changeReasons(locked, parts);
    const seen = this.runCache.get(fingerprint);
    if (seen && await this.canRestore(seen.entry)) return { action: "restore", from: "run-cache", entry: seen.entry, reasons };
    return { action: "run", reasons };
  }
  /** Outs of a recorded run that are no longer as recorded. */
  async outDamage(entry) {
    const reasons = [];
    for (const out of entry.outs) {
      const now = await this.hasher.hash(out.path);
      if (!now) reasons.push({ kind: "out-missing", path: out.path });
      else if (now.hash !== out.hash) reasons.push({ kind: "out-modified", path: out.path });
    }
    return reasons;
  }
  /**
   * Every out is in the store and intact: none uncached, none lost to gc, none changed in place
   * (a hardlinked out edited by root writes through to its object). A damaged object is removed,
   * with a warning, and counts as a miss.
   */
  async canRestore(entry) {
    return entry.outs.every((o) => o.cache) && this.intact(entry.outs);
  }
  /** Whether these outs' objects are all in the store with the content they were saved with. */
  async intact(outs) {
    for (const out of outs) {
      if (!this.store.has(out.hash)) return false;
      const objects = isDirHash(out.hash) ? this.store.readManifest(out.hash).map((e) => e.hash) : [out.hash];
      for (const hash of objects) {
        const path = relative2(this.pipeline.root, this.store.pathOf(hash));
        const now = await this.hasher.hash(path);
        if (now?.hash !== hash) {
          this.warn(`cache object ${hash} is corrupt (its content changed); removed`);
          this.hasher.forget(path);
          await this.store.remove(hash);
          return false;
        }
      }
    }
    return true;
  }
  /** Puts a recorded run's outs back into the workspace and records it as the stage's state. */
  async restore(stage, plan) {
    const entry = plan.decision.entry;
    for (const out of entry.outs) {
      this.hasher.forget(out.path);
      const now = await this.hasher.hash(out.path);
      if (now?.hash === out.hash) continue;
      this.hasher.forget(out.path);
      await this.store.checkout(out.hash, join2(this.pipeline.root, out.path));
    }
    this.lock.set(stage.name, { ...entry, fingerprint: plan.fingerprint, params: plan.parts.params, deps: lockedDeps(plan.parts) });
  }
  /** Called before a stage runs: whatever was hashed of its outs is stale from now on. */
  forgetOuts(stage) {
    for (const out of writtenPaths(stage)) this.hasher.forget(out.path);
  }
  /** Records a run that just succeeded: outs hashed and stored, lockfile and run-cache written. */
  async commit(stage, plan, returned) {
    const outs = [];
    for (const out of writtenPaths(stage)) {
      this.hasher.forget(out.path);
      const hashed = await this.hasher.hash(out.path);
      if (!hashed) throw new Error(`out "${out.path}" of stage "${stage.name}" vanished before it could be cached`);
      if (out.cache) await this.store.save(join2(this.pipeline.root, out.path), hashed);
      outs.push({ path: out.path, hash: hashed.hash, size: hashed.size, ...hashed.manifest ? { files: hashed.files } : {}, cache: out.cache });
    }
    const entry = {
      fingerprint: plan.fingerprint,
      code: plan.parts.code,
      params: plan.parts.params,
      deps: lockedDeps(plan.parts),
      outs,
      ...returned && stage.metrics.length === 0 ? { metrics: returned } : {}
    };
    this.lock.set(stage.name, entry);
    this.runCache.put(stage.name, entry);
    return entry;
  }
  close() {
    this.lock.close();
    this.runCache.flush();
    this.state.close();
  }
};
function lockedDeps(parts) {
  return Object.entries(parts.deps).map(([path, hash]) => ({ path, hash }));
}
export {
  StageCache
};
//# sourceMappingURL=stage-cache-OKIOMIZA.js.map
