/**
 * The state database: (size, mtime, inode) → hash for every file hashed in this workspace, so an
 * unchanged file is never read twice, and the run-cache's table (src/cache/run-cache.ts). SQLite
 * (libsql) in WAL mode at `.pipewright/state.db`.
 *
 * It is only a cache, so damage never stops work: every statement runs through `use`, and an
 * answer of SQLite's that means damage (at open, at a read while planning, at a batched write's
 * flush, at close) moves the file aside with one warning, builds a fresh one, and runs the
 * statement again there. The object cache (`.pipewright/cache`) is another folder, never touched.
 */
import { mkdirSync, statSync } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import { isDamagedDatabase, moveAside } from '../sqlite-damage.js';
import { closeQuietly, immediateTransaction, openSqliteRetrying } from '../sqlite-open.js';
import type { Database, Statement } from '../native.js';
import type { FileHash } from './hash.js';

/**
 * What tells a file changed without reading it. mtime in milliseconds as a float keeps a fraction
 * of a microsecond; nanoseconds as a BigInt would cost a BigInt per stat, and a no-op run is
 * thousands of stats.
 */
export interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
}

const SCHEMA_VERSION = 2;

interface Row {
  path: string;
  size: number;
  mtime: string;
  ino: string;
  hash: string;
}

type HashRecord = { stat: FileStat; hash: FileHash };

/** One open handle of the file and the statements prepared on it (a rebuild starts a new one). */
export class StateConnection {
  private readonly statements = new Map<string, Statement>();

  constructor(readonly db: Database, readonly ino: number | undefined) {}

  /** `sql` prepared once per handle. */
  statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }
}

export class StateDb {
  private connection: StateConnection;
  private pending: [string, FileStat, HashRecord][] = [];
  /** Every record, read in one query on first use: one lookup per file would cost more than all. */
  private records: Map<string, HashRecord> | undefined;
  /** Paths hashed by this process: what a rebuilt file is given back. */
  private readonly recordedHere = new Set<string>();

  /**
   * Opens the state database; a damaged one is moved aside with a warning and rebuilt, here or at
   * whichever statement later finds the damage.
   */
  static open(file: string, warn: (message: string) => void): StateDb {
    return new StateDb(file, warn);
  }

  private constructor(private readonly file: string, private readonly warn: (message: string) => void) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      this.connection = connect(file);
    } catch (err) {
      if (!isDamagedDatabase(err)) throw err;
      this.connection = this.rebuilt(err, undefined);
    }
  }

  /**
   * Runs `body` on the database. A damage error anywhere in it moves the file aside (one warning),
   * builds a fresh one and runs `body` once more there; anything else is thrown as it is.
   */
  use<T>(body: (connection: StateConnection) => T): T {
    const connection = this.connection;
    try {
      return body(connection);
    } catch (err) {
      if (!isDamagedDatabase(err)) throw err;
      if (this.connection === connection) this.connection = this.rebuilt(err, connection);
      return body(this.connection);
    }
  }

  /** The recorded hash of `path`, if the file still has the size, mtime and inode it had then. */
  lookup(path: string, stat: FileStat): FileHash | undefined {
    const record = this.all().get(path);
    return record && sameStat(record.stat, stat) ? record.hash : undefined;
  }

  private all(): Map<string, HashRecord> {
    if (!this.records) {
      const rows = this.use((c) => c.statement('SELECT path, size, mtime, ino, hash FROM files').all() as Row[]);
      // A rebuild while reading may have filled it with what this process hashed: keep those.
      const records = new Map<string, HashRecord>(rows.map((r) => [r.path, { stat: { size: r.size, mtimeMs: Number(r.mtime), ino: Number(r.ino) }, hash: r.hash as FileHash }]));
      for (const [path, record] of (this.records as Map<string, HashRecord> | undefined) ?? []) records.set(path, record);
      this.records = records;
    }
    return this.records;
  }

  record(path: string, stat: FileStat, hash: FileHash): void {
    const record = { stat, hash };
    this.all().set(path, record);
    this.recordedHere.add(path);
    this.pending.push([path, stat, record]);
    if (this.pending.length >= 5000) this.flush();
  }

  flush(): void {
    if (!this.pending.length) return;
    this.use((c) => {
      // Read inside: a rebuild re-queues every hash of this process, these included.
      const rows = this.pending;
      this.pending = [];
      const upsert = c.statement('INSERT OR REPLACE INTO files (path, size, mtime, ino, hash) VALUES (?, ?, ?, ?, ?)');
      immediateTransaction(c.db, () => {
        for (const [path, stat, { hash }] of rows) upsert.run(path, stat.size, String(stat.mtimeMs), String(stat.ino), hash);
      });
    });
  }

  close(): void {
    this.flush();
    closeQuietly(this.connection.db);
  }

  /**
   * The file found damaged (`err`) through `connection` is moved aside, with a warning, and a fresh
   * one opened, holding what this process hashed. If another process sharing the file (a worker,
   * its coordinator) has already replaced it, its fresh file is used as it is.
   */
  private rebuilt(err: unknown, connection: StateConnection | undefined): StateConnection {
    if (connection) closeQuietly(connection.db);
    if (connection === undefined || inode(this.file) === connection.ino) {
      const aside = moveAside(this.file);
      this.warn(`${relative(process.cwd(), this.file) || this.file} was damaged (${(err as Error).message}); moved to ${basename(aside)} and rebuilt: file hashes and the run-cache are recomputed as needed`);
    }
    const fresh = connect(this.file);
    // What was read from the damaged file is not trusted; what this process hashed is written again.
    if (this.records) {
      const kept = new Map<string, HashRecord>();
      for (const path of this.recordedHere) kept.set(path, this.records.get(path)!);
      this.records = kept;
      this.pending = [...kept].map(([path, record]) => [path, record.stat, record]);
    }
    return fresh;
  }
}

/** Opens the file and makes sure of its layout; retried while another process does the same (src/sqlite-open.ts). */
function connect(file: string): StateConnection {
  const db = openSqliteRetrying(file, (db) => {
    // Workers sharing a workspace with their coordinator open it at the same moment.
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // The version is read under the write lock: two processes never both drop and create.
    immediateTransaction(db, () => {
      // The state is a cache: a database from another version of its layout is emptied, not read.
      // (libsql ignores better-sqlite3's `simple` option: read the row.)
      const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
      if (version !== SCHEMA_VERSION) {
        db.exec('DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS runs');
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }
      db.exec('CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime TEXT NOT NULL, ino TEXT NOT NULL, hash TEXT NOT NULL)');
      // The run-cache's table (src/cache/run-cache.ts).
      db.exec('CREATE TABLE IF NOT EXISTS runs (fingerprint TEXT PRIMARY KEY, stage TEXT NOT NULL, entry TEXT NOT NULL)');
    });
  });
  return new StateConnection(db, inode(file));
}

function inode(file: string): number | undefined {
  try {
    return statSync(file).ino;
  } catch {
    return undefined;
  }
}

export function sameStat(a: FileStat, b: FileStat): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}
