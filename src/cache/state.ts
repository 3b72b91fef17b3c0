/**
 * The state database: (size, mtime, inode) → hash for every file hashed in this workspace, so an
 * unchanged file is never read twice. SQLite (libsql) in WAL mode at `.pipewright/state.db`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';
import type { FileHash } from './hash.js';

export interface FileStat {
  readonly size: number;
  readonly mtimeNs: bigint;
  readonly ino: bigint;
}

interface Row {
  path: string;
  size: number;
  mtime: string;
  ino: string;
  hash: string;
}

export class StateDb {
  /** Shared with the run-cache, whose table lives in the same file. */
  readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private pending: [string, FileStat, FileHash][] = [];
  /** Every record, read in one query on first use: one lookup per file would cost more than all. */
  private records: Map<string, { stat: FileStat; hash: FileHash }> | undefined;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
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
      this.records = new Map(rows.map((r) => [r.path, { stat: { size: r.size, mtimeNs: BigInt(r.mtime), ino: BigInt(r.ino) }, hash: r.hash as FileHash }]));
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
      for (const [path, stat, hash] of rows) this.upsert.run(path, stat.size, String(stat.mtimeNs), String(stat.ino), hash);
    })();
  }

  close(): void {
    this.flush();
    this.db.close();
  }
}

export function sameStat(a: FileStat, b: FileStat): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ino === b.ino;
}
