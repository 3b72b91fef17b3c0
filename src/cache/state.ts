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
  private readonly db: Database.Database;
  private readonly select: Database.Statement;
  private readonly selectRange: Database.Statement;
  private readonly upsert: Database.Statement;
  private pending: [string, FileStat, FileHash][] = [];

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec('CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime TEXT NOT NULL, ino TEXT NOT NULL, hash TEXT NOT NULL)');
    this.select = this.db.prepare('SELECT path, size, mtime, ino, hash FROM files WHERE path = ?');
    this.selectRange = this.db.prepare('SELECT path, size, mtime, ino, hash FROM files WHERE path >= ? AND path < ?');
    this.upsert = this.db.prepare('INSERT OR REPLACE INTO files (path, size, mtime, ino, hash) VALUES (?, ?, ?, ?, ?)');
  }

  /** The recorded hash of `path`, if the file still has the size, mtime and inode it had then. */
  lookup(path: string, stat: FileStat): FileHash | undefined {
    const row = this.select.get(path) as Row | undefined;
    return row && matches(row, stat) ? (row.hash as FileHash) : undefined;
  }

  /** Every record under a folder, for hashing it with one query. */
  recordsUnder(dir: string): Map<string, { stat: FileStat; hash: FileHash }> {
    const rows = this.selectRange.all(`${dir}/`, `${dir}0`) as Row[]; // '0' follows '/'
    return new Map(rows.map((r) => [r.path, { stat: { size: r.size, mtimeNs: BigInt(r.mtime), ino: BigInt(r.ino) }, hash: r.hash as FileHash }]));
  }

  record(path: string, stat: FileStat, hash: FileHash): void {
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

function matches(row: Row, stat: FileStat): boolean {
  return row.size === stat.size && row.mtime === String(stat.mtimeNs) && row.ino === String(stat.ino);
}
