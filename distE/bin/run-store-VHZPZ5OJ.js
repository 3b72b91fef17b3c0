import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  keptStages
} from "./chunk-RIBXOF6W.js";
import {
  isAlive
} from "./chunk-AKNRMNR7.js";
import {
  openSqlite
} from "./chunk-DJMCM54O.js";
import {
  PipelineError
} from "./chunk-VYRDMYYG.js";
import {
  RUNS_JOURNAL
} from "./chunk-PI66XGHR.js";
import "./chunk-72MSOLL7.js";

// src/store/run-store.ts
import { mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
var MIGRATIONS = [
  `CREATE TABLE runs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     name TEXT NOT NULL UNIQUE,
     status TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     ended_at INTEGER,
     git_commit TEXT,
     git_dirty INTEGER,
     host TEXT NOT NULL,
     pid INTEGER NOT NULL,
     argv TEXT NOT NULL,
     version TEXT,
     counts TEXT
   );
   CREATE TABLE instances (
     run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
     name TEXT NOT NULL,
     stage TEXT NOT NULL,
     params TEXT NOT NULL,
     status TEXT NOT NULL,
     duration_ms INTEGER,
     metrics TEXT,
     outs TEXT,
     fingerprint TEXT,
     log_path TEXT,
     error TEXT,
     UNIQUE (run_id, name)
   );
   CREATE INDEX instances_by_stage ON instances (run_id, stage);
   CREATE TABLE queue (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     added_at INTEGER NOT NULL,
     spec TEXT NOT NULL,
     status TEXT NOT NULL,
     run_id INTEGER,
     error TEXT
   );`
];
var RunStore = class {
  /** `journal`: runs appended by cheap no-op runs, taken in on opening. */
  constructor(file, journal = join(dirname(file), RUNS_JOURNAL)) {
    this.file = file;
    this.journal = journal;
    mkdirSync(dirname(file), { recursive: true });
    this.db = openSqlite(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    this.migrate();
    this.insertInstance = this.db.prepare(`INSERT OR REPLACE INTO instances
      (run_id, name, stage, params, status, duration_ms, metrics, outs, fingerprint, log_path, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.takeJournal();
  }
  file;
  journal;
  db;
  insertInstance;
  /** Takes in the runs of the journal. Renamed first, so that two processes never take one twice. */
  takeJournal() {
    const taken = `${this.journal}.${process.pid}`;
    try {
      renameSync(this.journal, taken);
    } catch {
      return;
    }
    const runs = readFileSync(taken, "utf8").split("\n").filter(Boolean).flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    });
    const certificates = /* @__PURE__ */ new Map();
    const instancesOf = (run) => {
      if (run.instancesFrom === void 0) return run.instances;
      let records = certificates.get(run.instancesFrom);
      if (!records) {
        records = (keptStages(run.instancesFrom) ?? []).map((s) => ({
          name: s.name,
          stage: s.of,
          params: s.params,
          status: "skipped",
          metrics: s.metrics,
          outs: s.outs,
          fingerprint: s.fingerprint
        }));
        certificates.set(run.instancesFrom, records);
      }
      return records;
    };
    for (const run of runs) {
      const { id } = this.startRun(run.info, run.startedAt);
      this.recordInstances(id, instancesOf(run));
      this.finishRun(id, run.status, run.counts, run.info, run.endedAt);
    }
    rmSync(taken, { force: true });
    for (const file of certificates.keys()) rmSync(file, { force: true });
  }
  migrate() {
    const { user_version: version } = this.db.prepare("PRAGMA user_version").get();
    if (version > MIGRATIONS.length) {
      throw new PipelineError(
        "usage",
        `${this.file} was written by a newer pipewright (schema ${version}, this one knows ${MIGRATIONS.length})`,
        void 0,
        "upgrade pipewright to read this run store"
      );
    }
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.exec("BEGIN");
      try {
        this.db.exec(MIGRATIONS[v]);
        this.db.pragma(`user_version = ${v + 1}`);
        this.db.exec("COMMIT");
      } catch (err) {
        this.db.exec("ROLLBACK");
        throw err;
      }
    }
  }
  /** Records a run's start; its name is `info.name` or a fresh readable one. */
  startRun(info, startedAt = Date.now()) {
    const name = info.name ?? this.freshName();
    if (info.name && this.db.prepare("SELECT 1 FROM runs WHERE name = ?").get(info.name)) {
      throw new PipelineError("usage", `a run named "${info.name}" already exists`, void 0, "choose another --name, or remove the old run with `pipewright runs rm`");
    }
    const result = this.db.prepare(`INSERT INTO runs (name, status, started_at, git_commit, git_dirty, host, pid, argv, version)
      VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?)`).run(
      name,
      startedAt,
      info.gitCommit ?? null,
      info.gitDirty === void 0 ? null : Number(info.gitDirty),
      info.host,
      process.pid,
      JSON.stringify(info.argv),
      info.version ?? null
    );
    return this.run(Number(result.lastInsertRowid));
  }
  finishRun(id, status, counts, git = {}, endedAt = Date.now()) {
    this.db.prepare("UPDATE runs SET status = ?, ended_at = ?, counts = ?, git_commit = ?, git_dirty = ? WHERE id = ?").run(
      status,
      endedAt,
      JSON.stringify(counts),
      git.gitCommit ?? null,
      git.gitDirty === void 0 ? null : Number(git.gitDirty),
      id
    );
  }
  /** Writes instance records in one transaction. */
  recordInstances(runId, records) {
    if (records.length === 0) return;
    const json = (value) => value === void 0 ? null : JSON.stringify(value);
    this.db.exec("BEGIN");
    try {
      for (const r of records) {
        this.insertInstance.run(
          runId,
          r.name,
          r.stage,
          JSON.stringify(r.params),
          r.status,
          r.durationMs ?? null,
          json(r.metrics),
          json(r.outs),
          r.fingerprint ?? null,
          r.logPath ?? null,
          r.error ?? null
        );
      }
      this.db.exec("COMMIT");
    } catch (err) {
      this.db.exec("ROLLBACK");
      throw err;
    }
  }
  /** Newest first. */
  runs(limit = -1) {
    return this.db.prepare("SELECT * FROM runs ORDER BY id DESC LIMIT ?").all(limit).map(toRun);
  }
  run(id) {
    const row = this.db.prepare("SELECT * FROM runs WHERE id = ?").get(id);
    return row && toRun(row);
  }
  /**
   * A run by reference: its id (`12` or `#12`), its name, `last`, or `last~N` for the Nth before
   * it (git's spelling: a bare `~1` is the shell's). Throws a PipelineError naming what exists.
   */
  resolve(ref) {
    let row;
    const back = /^last(?:~(\d+))?$/.exec(ref);
    if (back) row = this.db.prepare("SELECT * FROM runs ORDER BY id DESC LIMIT 1 OFFSET ?").get(Number(back[1] ?? 0));
    else if (/^#?\d+$/.test(ref)) row = this.db.prepare("SELECT * FROM runs WHERE id = ?").get(Number(ref.replace("#", "")));
    row ??= this.db.prepare("SELECT * FROM runs WHERE name = ?").get(ref);
    if (!row) {
      const recent = this.runs(5).map((r) => `#${r.id} ${r.name}`);
      throw new PipelineError(
        "unknown-run",
        `no run "${ref}"`,
        void 0,
        recent.length ? `recent runs: ${recent.join(", ")} (see \`pipewright runs\`)` : "no runs are recorded yet: `pipewright run` records one"
      );
    }
    return toRun(row);
  }
  /** A run's instances; only those of `stage` when given (a sweep's, say). */
  instances(runId, stage) {
    const rows = stage === void 0 ? this.db.prepare("SELECT * FROM instances WHERE run_id = ? ORDER BY rowid").all(runId) : this.db.prepare("SELECT * FROM instances WHERE run_id = ? AND stage = ?").all(runId, stage);
    return rows.map(toInstance);
  }
  /**
   * The instances that are a whole stage (not a sweep's points), for tables across runs: a sweep
   * of 10,000 instances costs nothing here.
   */
  stageInstances(runIds) {
    const found = new Map(runIds.map((id) => [id, []]));
    const statement = this.db.prepare("SELECT * FROM instances WHERE run_id = ? AND name = stage");
    for (const id of runIds) found.set(id, statement.all(id).map(toInstance));
    return found;
  }
  /**
   * Per swept stage of a run: how many instances, and the range of their first numeric metric
   * (computed in SQL, so a sweep of 10,000 costs two queries, not 10,000 rows).
   */
  sweepSummaries(runId) {
    const stages = this.db.prepare("SELECT stage, COUNT(*) AS count FROM instances WHERE run_id = ? AND name != stage GROUP BY stage ORDER BY MIN(rowid)").all(runId);
    return stages.map(({ stage, count }) => {
      const sample = this.db.prepare(`SELECT metrics FROM instances WHERE run_id = ? AND stage = ? AND metrics IS NOT NULL LIMIT 1`).get(runId, stage);
      const metric = sample && Object.entries(JSON.parse(sample.metrics)).find(([, v]) => typeof v === "number")?.[0];
      if (!metric || !/^[A-Za-z0-9_]+$/.test(metric)) return { stage, count };
      const range = this.db.prepare(`SELECT MIN(json_extract(metrics, '$.${metric}')) AS min, MAX(json_extract(metrics, '$.${metric}')) AS max
        FROM instances WHERE run_id = ? AND stage = ?`).get(runId, stage);
      return { stage, count, metric, min: range.min, max: range.max };
    });
  }
  /** How many instances each stage had in each run, and how many of each status. */
  instanceCounts(runId) {
    return this.db.prepare("SELECT stage, COUNT(*) AS count FROM instances WHERE run_id = ? GROUP BY stage").all(runId);
  }
  removeRuns(ids) {
    const remove = this.db.prepare("DELETE FROM runs WHERE id = ?");
    let removed = 0;
    for (const id of ids) removed += Number(remove.run(id).changes);
    return removed;
  }
  enqueue(spec) {
    const result = this.db.prepare(`INSERT INTO queue (added_at, spec, status) VALUES (?, ?, 'queued')`).run(Date.now(), JSON.stringify(spec));
    return this.queue().find((e) => e.id === Number(result.lastInsertRowid));
  }
  queue() {
    return this.db.prepare("SELECT * FROM queue ORDER BY id").all().map((row) => ({ id: row.id, addedAt: row.added_at, spec: JSON.parse(row.spec), status: row.status, ...row.run_id === null ? {} : { runId: row.run_id }, ...row.error === null ? {} : { error: row.error } }));
  }
  /** Takes the oldest waiting entry (marking it running), or undefined when none waits. */
  takeQueued() {
    const row = this.db.prepare(`UPDATE queue SET status = 'running' WHERE id = (SELECT id FROM queue WHERE status = 'queued' ORDER BY id LIMIT 1) RETURNING id`).get();
    return row && this.queue().find((e) => e.id === row.id);
  }
  finishQueued(id, status, runId, error) {
    this.db.prepare("UPDATE queue SET status = ?, run_id = ?, error = ? WHERE id = ?").run(status, runId ?? null, error ?? null, id);
  }
  close() {
    this.db.close();
  }
  freshName() {
    const taken = this.db.prepare("SELECT 1 FROM runs WHERE name = ?");
    for (let attempt = 0; ; attempt++) {
      const name = readableName(attempt > 20);
      if (!taken.get(name)) return name;
    }
  }
};
var ADJECTIVES = ["amber", "brisk", "calm", "deft", "eager", "fair", "gentle", "hardy", "keen", "lucid", "merry", "nimble", "plucky", "quiet", "rapid", "sly", "tidy", "vivid", "warm", "zesty"];
var NOUNS = ["otter", "heron", "lynx", "marten", "finch", "badger", "ibis", "newt", "puffin", "stoat", "tern", "vole", "wren", "yak", "gecko", "koala", "lemur", "moth", "orca", "quail"];
function readableName(long) {
  const pick = (list) => list[Math.floor(Math.random() * list.length)];
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}${long ? `-${Math.floor(Math.random() * 1e4)}` : ""}`;
}
function toRun(row) {
  const alive = row.status !== "running" || row.host !== hostname() || isAlive(row.pid);
  return {
    id: row.id,
    name: row.name,
    status: alive ? row.status : "interrupted",
    startedAt: row.started_at,
    ...row.ended_at === null ? {} : { endedAt: row.ended_at },
    ...row.git_commit === null ? {} : { gitCommit: row.git_commit },
    ...row.git_dirty === null ? {} : { gitDirty: row.git_dirty === 1 },
    host: row.host,
    argv: JSON.parse(row.argv),
    ...row.version === null ? {} : { version: row.version },
    ...row.counts === null ? {} : { counts: JSON.parse(row.counts) }
  };
}
function toInstance(row) {
  return {
    name: row.name,
    stage: row.stage,
    params: JSON.parse(row.params),
    status: row.status,
    ...row.duration_ms === null ? {} : { durationMs: row.duration_ms },
    ...row.metrics === null ? {} : { metrics: JSON.parse(row.metrics) },
    ...row.outs === null ? {} : { outs: JSON.parse(row.outs) },
    ...row.fingerprint === null ? {} : { fingerprint: row.fingerprint },
    ...row.log_path === null ? {} : { logPath: row.log_path },
    ...row.error === null ? {} : { error: row.error }
  };
}
export {
  RunStore
};
//# sourceMappingURL=run-store-VHZPZ5OJ.js.map
