/**
 * The run store: every `run` with its instances (params, status, duration, metrics, out hashes,
 * log), and the queue of runs to come. SQLite (libsql) in WAL mode at `.pipewright/runs.db`,
 * migrated forward by `user_version`; unlike the state database it is history, never dropped.
 */
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { Database, Statement } from '../native.js';
import type { LockedOut } from '../cache/lockfile.js';
import { keptStages } from '../cache/up-to-date.js';
import { isAlive } from '../process-alive.js';
import type { Params } from '../define/declaration.js';
import type { Metrics } from '../define/stage.js';
import { PipelineError } from '../errors.js';
import { RUNS_JOURNAL, runFilesDir } from '../layout.js';
import { REPAIR_HINT, isDamagedDatabase } from '../sqlite-damage.js';
import { immediateTransaction, openSqliteRetrying } from '../sqlite-open.js';

/** Each entry moves the schema one version on; never edit one that has shipped, add another. */
const MIGRATIONS: readonly string[] = [
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
   );`,
  // Distributed runs: the host that ran each instance (null: the run's own host).
  'ALTER TABLE instances ADD COLUMN host TEXT;',
];

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';
/** ran, skipped (up to date), restored (from the cache), failed, or not-run (upstream failed, cancelled). */
export type InstanceStatus = 'ran' | 'skipped' | 'restored' | 'failed' | 'not-run';

export interface RunInfo {
  readonly name?: string;
  readonly argv: readonly string[];
  readonly gitCommit?: string;
  readonly gitDirty?: boolean;
  readonly host: string;
  readonly version?: string;
}

/** A run recorded in the journal, taken into the store when it is next opened. */
export interface DeferredRun {
  readonly info: RunInfo;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly status: RunStatus;
  readonly counts: Record<string, number>;
  readonly instances: readonly InstanceRecord[];
  /** A kept no-op certificate whose stages are this run's instances, all up to date. */
  readonly instancesFrom?: string;
}

export interface RunRecord {
  readonly id: number;
  readonly name: string;
  readonly status: RunStatus | 'interrupted';
  readonly startedAt: number;
  readonly endedAt?: number;
  readonly gitCommit?: string;
  readonly gitDirty?: boolean;
  readonly host: string;
  readonly argv: readonly string[];
  readonly version?: string;
  readonly counts?: Readonly<Record<string, number>>;
}

export interface InstanceRecord {
  readonly name: string;
  /** The declared stage (a sweep's instances share it). */
  readonly stage: string;
  readonly params: Params;
  readonly status: InstanceStatus;
  readonly durationMs?: number;
  readonly metrics?: Metrics;
  readonly outs?: readonly LockedOut[];
  readonly fingerprint?: string;
  readonly logPath?: string;
  readonly error?: string;
  /** The machine that ran it, when that was not the run's own (a distributed run's worker). */
  readonly host?: string;
}

/** A sweep in a run, in one line: `train: 60, f1 0.926–0.977`. */
export interface SweepSummary {
  readonly stage: string;
  readonly count: number;
  readonly metric?: string;
  readonly min?: number;
  readonly max?: number;
}

export interface QueueEntry {
  readonly id: number;
  readonly addedAt: number;
  readonly spec: QueueSpec;
  readonly status: 'queued' | 'running' | 'done' | 'failed';
  readonly runId?: number;
  readonly error?: string;
}

/** What a queued run will do: a version's overrides and/or `-S` specs, and its name. */
export interface QueueSpec {
  readonly version?: string;
  readonly overrides: readonly string[];
  readonly name?: string;
  readonly targets: readonly string[];
}

interface RunRow {
  id: number;
  name: string;
  status: RunStatus;
  started_at: number;
  ended_at: number | null;
  git_commit: string | null;
  git_dirty: number | null;
  host: string;
  pid: number;
  argv: string;
  version: string | null;
  counts: string | null;
}

interface InstanceRow {
  name: string;
  stage: string;
  params: string;
  status: InstanceStatus;
  duration_ms: number | null;
  metrics: string | null;
  outs: string | null;
  fingerprint: string | null;
  log_path: string | null;
  host: string | null;
  error: string | null;
}

export { REPAIR_HINT } from '../sqlite-damage.js';

export class RunStore {
  private readonly db: Database;

  /**
   * Opens the store for reading history, checked first (SQLite's quick_check: ~35 ms for 50 MB),
   * so that a damaged file is named as such instead of failing half-way through a listing.
   */
  static openChecked(file: string): RunStore {
    const damaged = (detail: string) => new PipelineError('store-damaged', `${displayFile(file)} (the run history) is damaged: ${detail}`, undefined, REPAIR_HINT);
    let store: RunStore;
    try {
      store = new RunStore(file);
    } catch (err) {
      if (isDamagedDatabase(err)) throw damaged((err as Error).message);
      throw err;
    }
    let problem: string | undefined;
    try {
      const rows = (store.db.prepare('PRAGMA quick_check(2)').all() as { quick_check: string }[]).map((r) => r.quick_check);
      // SQLite heads its findings with a line `*** in database main ***`: the findings are what says something.
      if (rows[0] !== 'ok') problem = rows.flatMap((r) => r.split('\n')).filter((line) => line && !line.startsWith('*** ')).slice(0, 2).join('; ') || 'SQLite finds it inconsistent';
    } catch (err) {
      if (!isDamagedDatabase(err)) throw err;
      problem = (err as Error).message;
    }
    if (problem !== undefined) {
      store.close();
      throw damaged(problem);
    }
    return store;
  }

  private readonly insertInstance: Statement;

  /** `journal`: runs appended by cheap no-op runs, taken in on opening. */
  constructor(readonly file: string, private readonly journal = join(dirname(file), RUNS_JOURNAL)) {
    mkdirSync(dirname(file), { recursive: true });
    // Two processes (a run and `pipewright runs`, a coordinator and its workers) may open it at
    // once: what SQLite refuses without waiting is retried (src/sqlite-open.ts).
    this.db = openSqliteRetrying(file, (db) => {
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      this.migrate(db);
    });
    this.insertInstance = this.db.prepare(`INSERT OR REPLACE INTO instances
      (run_id, name, stage, params, status, duration_ms, metrics, outs, fingerprint, log_path, error, host) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.takeJournal();
  }

  /** Takes in the runs of the journal. Renamed first, so that two processes never take one twice. */
  private takeJournal(): void {
    const taken = `${this.journal}.${process.pid}`;
    try {
      renameSync(this.journal, taken);
    } catch {
      return;
    }
    const runs = readFileSync(taken, 'utf8').split('\n').filter(Boolean).flatMap((line) => {
      try {
        return [JSON.parse(line) as DeferredRun];
      } catch {
        return []; // a line cut short by a kill: that run is lost, not the others
      }
    });
    const certificates = new Map<string, InstanceRecord[]>();
    const instancesOf = (run: DeferredRun): readonly InstanceRecord[] => {
      if (run.instancesFrom === undefined) return run.instances;
      let records = certificates.get(run.instancesFrom);
      if (!records) {
        // Missing only if another process took it in at the same moment: the run is kept, its rows not.
        records = (keptStages(run.instancesFrom) ?? []).map((s) => ({
          name: s.name, stage: s.of, params: s.params, status: 'skipped' as const, metrics: s.metrics, outs: s.outs, fingerprint: s.fingerprint,
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

  /**
   * Brings the schema up to date. The version is read again under the write lock: two processes
   * opening a new file at once would otherwise both run the first migration.
   */
  private migrate(db: Database): void {
    const versionOf = () => (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
    const tooNew = (version: number) => new PipelineError('usage', `${this.file} was written by a newer pipewright (schema ${version}, this one knows ${MIGRATIONS.length})`, undefined,
      'upgrade pipewright to read this run store');
    const version = versionOf();
    if (version > MIGRATIONS.length) throw tooNew(version);
    if (version === MIGRATIONS.length) return;
    immediateTransaction(db, () => {
      const now = versionOf();
      if (now > MIGRATIONS.length) throw tooNew(now);
      for (let v = now; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${MIGRATIONS.length}`);
    });
  }

  /** Records a run's start; its name is `info.name` or a fresh readable one. */
  startRun(info: RunInfo, startedAt = Date.now()): RunRecord {
    const nameTaken = () => new PipelineError('usage', `a run named "${info.name}" already exists`, undefined, 'choose another --name, or remove the old run with `pipewright runs rm`');
    if (info.name && this.db.prepare('SELECT 1 FROM runs WHERE name = ?').get(info.name)) throw nameTaken();
    const insert = this.db.prepare(`INSERT INTO runs (name, status, started_at, git_commit, git_dirty, host, pid, argv, version)
      VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?)`);
    for (let attempt = 1; ; attempt++) {
      const name = info.name ?? this.freshName();
      try {
        const result = insert.run(name, startedAt, info.gitCommit ?? null, info.gitDirty === undefined ? null : Number(info.gitDirty), info.host, process.pid,
          JSON.stringify(info.argv), info.version ?? null);
        return this.run(Number(result.lastInsertRowid))!;
      } catch (err) {
        // Another run, started at the same moment, took the name between our look and our insert.
        if (!/UNIQUE constraint failed: runs\.name/.test((err as Error).message)) throw err;
        if (info.name) throw nameTaken();
        if (attempt >= 20) throw err;
      }
    }
  }

  finishRun(id: number, status: RunStatus, counts: Record<string, number>, git: Pick<RunInfo, 'gitCommit' | 'gitDirty'> = {}, endedAt = Date.now()): void {
    this.db.prepare('UPDATE runs SET status = ?, ended_at = ?, counts = ?, git_commit = ?, git_dirty = ? WHERE id = ?').run(
      status, endedAt, JSON.stringify(counts), git.gitCommit ?? null, git.gitDirty === undefined ? null : Number(git.gitDirty), id);
  }


  /** Writes instance records in one transaction. */
  recordInstances(runId: number, records: readonly InstanceRecord[]): void {
    if (records.length === 0) return;
    const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
    immediateTransaction(this.db, () => {
      for (const r of records) {
        this.insertInstance.run(runId, r.name, r.stage, JSON.stringify(r.params), r.status, r.durationMs ?? null, json(r.metrics), json(r.outs),
          r.fingerprint ?? null, r.logPath ?? null, r.error ?? null, r.host ?? null);
      }
    });
  }

  /** Newest first. */
  runs(limit = -1): RunRecord[] {
    return (this.db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit) as RunRow[]).map(toRun);
  }

  run(id: number): RunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row && toRun(row);
  }

  /** The runs of these ids, in the order given (one query: a page of the UI's table); unknown ids are left out. */
  runsById(ids: readonly number[]): RunRecord[] {
    const rows = this.db.prepare('SELECT * FROM runs WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as RunRow[];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [toRun(row)] : [];
    });
  }

  /**
   * A run by reference: its id (`12` or `#12`), its name, `last`, or `last~N` for the Nth before
   * it (git's spelling: a bare `~1` is the shell's). Throws a PipelineError naming what exists.
   */
  resolve(ref: string): RunRecord {
    let row: RunRow | undefined;
    const back = /^last(?:~(\d+))?$/.exec(ref);
    if (back) row = this.db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT 1 OFFSET ?').get(Number(back[1] ?? 0)) as RunRow | undefined;
    else if (/^#?\d+$/.test(ref)) row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(Number(ref.replace('#', ''))) as RunRow | undefined;
    row ??= this.db.prepare('SELECT * FROM runs WHERE name = ?').get(ref) as RunRow | undefined;
    if (!row) {
      const recent = this.runs(5).map((r) => `#${r.id} ${r.name}`);
      throw new PipelineError('unknown-run', `no run "${ref}"`, undefined,
        recent.length ? `recent runs: ${recent.join(', ')} (see \`pipewright runs\`)` : 'no runs are recorded yet: `pipewright run` records one');
    }
    return toRun(row);
  }

  /** A run's instances; only those of `stage` when given (a sweep's, say). */
  /** One instance of a run, by its name (the UI's log of one instance, asked every second while followed). */
  instance(runId: number, name: string): InstanceRecord | undefined {
    const row = this.db.prepare('SELECT * FROM instances WHERE run_id = ? AND name = ?').get(runId, name) as InstanceRow | undefined;
    return row && toInstance(row);
  }

  instances(runId: number, stage?: string): InstanceRecord[] {
    const rows = (stage === undefined
      ? this.db.prepare('SELECT * FROM instances WHERE run_id = ? ORDER BY rowid').all(runId)
      : this.db.prepare('SELECT * FROM instances WHERE run_id = ? AND stage = ?').all(runId, stage)) as InstanceRow[];
    return rows.map(toInstance);
  }

  /**
   * The instances that are a whole stage (not a sweep's points), for tables across runs: a sweep
   * of 10,000 instances costs nothing here.
   */
  stageInstances(runIds: readonly number[]): Map<number, InstanceRecord[]> {
    const found = new Map<number, InstanceRecord[]>(runIds.map((id) => [id, []]));
    const statement = this.db.prepare('SELECT * FROM instances WHERE run_id = ? AND name = stage');
    for (const id of runIds) found.set(id, (statement.all(id) as InstanceRow[]).map(toInstance));
    return found;
  }

  /**
   * Per swept stage of a run: how many instances, and the range of their first numeric metric
   * (computed in SQL, so a sweep of 10,000 costs two queries, not 10,000 rows).
   */
  sweepSummaries(runId: number): SweepSummary[] {
    const stages = this.db.prepare('SELECT stage, COUNT(*) AS count FROM instances WHERE run_id = ? AND name != stage GROUP BY stage ORDER BY MIN(rowid)')
      .all(runId) as { stage: string; count: number }[];
    return stages.map(({ stage, count }) => {
      const sample = this.db.prepare(`SELECT metrics FROM instances WHERE run_id = ? AND stage = ? AND metrics IS NOT NULL LIMIT 1`).get(runId, stage) as { metrics: string } | undefined;
      const metric = sample && Object.entries(JSON.parse(sample.metrics) as Record<string, unknown>).find(([, v]) => typeof v === 'number')?.[0];
      if (!metric || !/^[A-Za-z0-9_]+$/.test(metric)) return { stage, count };
      const range = this.db.prepare(`SELECT MIN(json_extract(metrics, '$.${metric}')) AS min, MAX(json_extract(metrics, '$.${metric}')) AS max
        FROM instances WHERE run_id = ? AND stage = ?`).get(runId, stage) as { min: number; max: number };
      return { stage, count, metric, min: range.min, max: range.max };
    });
  }

  /** How many instances each stage had in each run, and how many of each status. */
  instanceCounts(runId: number): { stage: string; count: number }[] {
    return this.db.prepare('SELECT stage, COUNT(*) AS count FROM instances WHERE run_id = ? GROUP BY stage').all(runId) as { stage: string; count: number }[];
  }

  removeRuns(ids: readonly number[]): number {
    const remove = this.db.prepare('DELETE FROM runs WHERE id = ?');
    let removed = 0;
    for (const id of ids) {
      removed += Number(remove.run(id).changes);
      rmSync(runFilesDir(dirname(this.file), id), { recursive: true, force: true });
    }
    return removed;
  }

  enqueue(spec: QueueSpec): QueueEntry {
    const result = this.db.prepare(`INSERT INTO queue (added_at, spec, status) VALUES (?, ?, 'queued')`).run(Date.now(), JSON.stringify(spec));
    return this.queue().find((e) => e.id === Number(result.lastInsertRowid))!;
  }

  queue(): QueueEntry[] {
    return (this.db.prepare('SELECT * FROM queue ORDER BY id').all() as { id: number; added_at: number; spec: string; status: QueueEntry['status']; run_id: number | null; error: string | null }[])
      .map((row) => ({ id: row.id, addedAt: row.added_at, spec: JSON.parse(row.spec) as QueueSpec, status: row.status, ...(row.run_id === null ? {} : { runId: row.run_id }), ...(row.error === null ? {} : { error: row.error }) }));
  }

  /** Takes the oldest waiting entry (marking it running), or undefined when none waits. */
  takeQueued(): QueueEntry | undefined {
    const row = this.db.prepare(`UPDATE queue SET status = 'running' WHERE id = (SELECT id FROM queue WHERE status = 'queued' ORDER BY id LIMIT 1) RETURNING id`).get() as { id: number } | undefined;
    return row && this.queue().find((e) => e.id === row.id);
  }

  finishQueued(id: number, status: 'done' | 'failed', runId: number | undefined, error?: string): void {
    this.db.prepare('UPDATE queue SET status = ?, run_id = ?, error = ? WHERE id = ?').run(status, runId ?? null, error ?? null, id);
  }

  close(): void {
    try {
      this.db.close();
    } catch (err) {
      // A damaged file may fail to checkpoint on close; what was written is in its WAL.
      if (!isDamagedDatabase(err)) throw err;
    }
  }

  private freshName(): string {
    const taken = this.db.prepare('SELECT 1 FROM runs WHERE name = ?');
    for (let attempt = 0; ; attempt++) {
      const name = readableName(attempt > 20);
      if (!taken.get(name)) return name;
    }
  }
}

const ADJECTIVES = ['amber', 'brisk', 'calm', 'deft', 'eager', 'fair', 'gentle', 'hardy', 'keen', 'lucid', 'merry', 'nimble', 'plucky', 'quiet', 'rapid', 'sly', 'tidy', 'vivid', 'warm', 'zesty'];
const NOUNS = ['otter', 'heron', 'lynx', 'marten', 'finch', 'badger', 'ibis', 'newt', 'puffin', 'stoat', 'tern', 'vole', 'wren', 'yak', 'gecko', 'koala', 'lemur', 'moth', 'orca', 'quail'];

/** `brisk-otter`, like DVC's experiment names; with a number once the short ones run out. */
function readableName(long: boolean): string {
  const pick = (list: readonly string[]) => list[Math.floor(Math.random() * list.length)]!;
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}${long ? `-${Math.floor(Math.random() * 10_000)}` : ''}`;
}

function toRun(row: RunRow): RunRecord {
  // A run still marked running whose process is gone on this host was killed: say so.
  const alive = row.status !== 'running' || row.host !== hostname() || isAlive(row.pid);
  return {
    id: row.id,
    name: row.name,
    status: alive ? row.status : 'interrupted',
    startedAt: row.started_at,
    ...(row.ended_at === null ? {} : { endedAt: row.ended_at }),
    ...(row.git_commit === null ? {} : { gitCommit: row.git_commit }),
    ...(row.git_dirty === null ? {} : { gitDirty: row.git_dirty === 1 }),
    host: row.host,
    argv: JSON.parse(row.argv) as string[],
    ...(row.version === null ? {} : { version: row.version }),
    ...(row.counts === null ? {} : { counts: JSON.parse(row.counts) as Record<string, number> }),
  };
}

function toInstance(row: InstanceRow): InstanceRecord {
  return {
    name: row.name,
    stage: row.stage,
    params: JSON.parse(row.params) as Params,
    status: row.status,
    ...(row.duration_ms === null ? {} : { durationMs: row.duration_ms }),
    ...(row.metrics === null ? {} : { metrics: JSON.parse(row.metrics) as Metrics }),
    ...(row.outs === null ? {} : { outs: JSON.parse(row.outs) as LockedOut[] }),
    ...(row.fingerprint === null ? {} : { fingerprint: row.fingerprint }),
    ...(row.log_path === null ? {} : { logPath: row.log_path }),
    ...(row.error === null ? {} : { error: row.error }),
    ...(row.host === null || row.host === undefined ? {} : { host: row.host }),
  };
}


function displayFile(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}
