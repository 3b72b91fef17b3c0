/**
 * The state database: (size, mtime, inode) → hash for every file hashed in this workspace, so an
 * unchanged file is never read twice. SQLite (libsql) in WAL mode at `.pipewright/state.db`.
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import { isDamagedDatabase, moveAside } from '../sqlite-damage.js';
import { openSqlite, type Database, type Statement } from '../native.js';
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

export class StateDb {
  /** Shared with the run-cache, whose table lives in the same file. */
  readonly db: Database;
  private readonly upsert: Statement;
  private pending: [string, FileStat, FileHash][] = [];
  /** Every record, read in one query on first use: one lookup per file would cost more than all. */
  private records: Map<string, { stat: FileStat; hash: FileHash }> | undefined;

  /**
   * Opens the state database; a damaged one (it is only a cache of hashes and the run-cache) is
   * moved aside with a warning and rebuilt, so one bad byte never stops a run.
   */
  static open(file: string, warn: (message: string) => void): StateDb {
    let state: StateDb | undefined;
    try {
      state = new StateDb(file);
      state.all();
      return state;
    } catch (err) {
      if (!isDamagedDatabase(err)) throw err;
      try {
        state?.db.close();
      } catch {
        // closing a damaged file may fail too; it is moved aside all the same
      }
      const aside = moveAside(file);
      warn(`${relative(process.cwd(), file) || file} was damaged (${(err as Error).message}); moved to ${basename(aside)} and rebuilt: file hashes and the run-cache are recomputed as needed`);
      return new StateDb(file);
    }
  }

  private constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = openSqlite(file);
    // Workers sharing a workspace with their coordinator open it at the same moment.
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // The state is a cache: a database from another version of its layout is emptied, not read.
    // (libsql ignores better-sqlite3's `simple` option: read the row.)
    const { user_version: version } = this.db.prepare('PRAGMA user_version').get() as { user_version: number };
    if (version !== SCHEMA_VERSION) {
      this.db.exec('DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS runs');
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
    this.db.exec('CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime TEXT NOT NULL, ino TEXT NOT NULL, hash TEXT NOT NULL)');
    this.upsert = this.db.prepare('INSERT OR REPLACE INTO files (path, size, mtime, ino, hash) VALUES (?, ?, ?, ?, ?)');
  }

  /** The recorded hash of `path`, if the file still has the size, mtime and inode it had then. */
  lookup(path: string, stat: FileStat): FileHash | undefined {
    const record = this.all().get(path);
    return record && sameStat(record.stat, stat) ? record.hash : undefined;
  }

  private all(): Map<string, { stat: FileStat; hash: FileHash }> {
    if (!this.records) {
      const rows = this.db.prepare('SELECT path, size, mtime, ino, hash FROM files').all() as Row[];
      this.records = new Map(rows.map((r) => [r.path, { stat: { size: r.size, mtimeMs: Number(r.mtime), ino: Number(r.ino) }, hash: r.hash as FileHash }]));
    }
    return this.records;
  }

  record(path: string, stat: FileStat, hash: FileHash): void {
    this.all().set(path, { stat, hash });
    this.pending.push([path, stat, hash]);
    if (this.pending.length >= 5000) this.flush();
  }

  flush(): void {
    if (!this.pending.length) return;
    const rows = this.pending;
    this.pending = [];
    this.db.transaction(() => {
      for (const [path, stat, hash] of rows) this.upsert.run(path, stat.size, String(stat.mtimeMs), String(stat.ino), hash);
    })();
  }

  close(): void {
    this.flush();
    this.db.close();
  }
}

export function sameStat(a: FileStat, b: FileStat): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}
