/**
 * `pipewright runs --repair`: a damaged run store is read row by row, whatever SQLite can still
 * read is copied into a new store with the same ids, and the damaged file is moved aside (kept,
 * never deleted). Rows are read in windows of rowids; a window that fails is read again one rowid
 * at a time, so one bad page costs only the rows on it.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { openSqlite, type Database } from '../native.js';
import { isDamagedDatabase, moveAside } from '../sqlite-damage.js';
import { RunStore } from './run-store.js';

/** The store's tables, parents first, so that ids referred to exist when their rows come. */
const TABLES = ['runs', 'instances', 'queue'] as const;
const WINDOW = 256;
/**
 * How many windows in a row that give no row (empty, or unreadable to the last rowid) end the
 * search: max(rowid) may be unreadable, or read from a damaged page.
 */
const BARREN_WINDOWS_TO_STOP = 64;

export interface RepairReport {
  /** Rows copied, per table. */
  readonly kept: Readonly<Record<(typeof TABLES)[number], number>>;
  /** Rowids that could not be read, per table (a table whose schema is lost counts as -1). */
  readonly unreadable: Readonly<Record<(typeof TABLES)[number], number>>;
  /** Where the damaged file now is. */
  readonly aside: string;
}

export function repairRunStore(file: string): RepairReport {
  const fresh = `${file}.repair-${process.pid}`;
  rmSync(fresh, { force: true });
  // A new store with the current schema (no journal taken in: that stays for the repaired one).
  new RunStore(fresh, `${fresh}.no-journal`).close();
  const target = openSqlite(fresh);
  const kept = { runs: 0, instances: 0, queue: 0 };
  const unreadable = { runs: 0, instances: 0, queue: 0 };
  let source: Database | undefined;
  try {
    source = openSqlite(file);
    target.pragma('foreign_keys = OFF');
    for (const table of TABLES) {
      const columns = (target.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      const copied = copyTable(source, target, table, columns);
      kept[table] = copied.kept;
      unreadable[table] = copied.unreadable;
    }
  } catch (err) {
    // Not even the file's header or schema can be read: nothing to copy.
    if (!isDamagedDatabase(err)) throw err;
    for (const table of TABLES) if (kept[table] === 0) unreadable[table] = -1;
  } finally {
    closeQuietly(source);
    target.close();
  }
  const aside = moveAside(file);
  renameSync(fresh, file);
  for (const suffix of ['-wal', '-shm']) if (existsSync(fresh + suffix)) renameSync(fresh + suffix, file + suffix);
  return { kept, unreadable, aside };
}

function copyTable(source: Database, target: Database, table: string, columns: readonly string[]): { kept: number; unreadable: number } {
  const list = columns.join(', ');
  // Ids are columns of their own (runs.id, queue.id), so instances still point at their runs.
  const insert = target.prepare(`INSERT OR IGNORE INTO ${table} (${list}) VALUES (${columns.map(() => '?').join(', ')})`);
  const select = (where: string) => source.prepare(`SELECT rowid AS _rowid, ${list} FROM ${table} WHERE ${where}`);
  let readWindow: ReturnType<typeof select>;
  let readOne: ReturnType<typeof select>;
  try {
    readWindow = select('rowid BETWEEN ? AND ? ORDER BY rowid');
    readOne = select('rowid = ?');
  } catch (err) {
    if (!isDamagedDatabase(err) && !/no such (table|column)/.test((err as Error).message)) throw err;
    return { kept: 0, unreadable: -1 };
  }
  let last: number | undefined;
  try {
    last = (source.prepare(`SELECT max(rowid) AS m FROM ${table}`).get() as { m: number | null }).m ?? 0;
  } catch (err) {
    if (!isDamagedDatabase(err)) throw err;
  }
  let kept = 0;
  let unreadable = 0;
  let barren = 0;
  const put = (row: Record<string, unknown>) => {
    insert.run(...columns.map((c) => row[c]));
    kept++;
  };
  target.exec('BEGIN');
  for (let lo = 1; barren < BARREN_WINDOWS_TO_STOP && (last === undefined || lo <= last); lo += WINDOW) {
    const hi = lo + WINDOW - 1;
    const before = kept;
    try {
      (readWindow.all(lo, hi) as Record<string, unknown>[]).forEach(put);
    } catch (err) {
      if (!isDamagedDatabase(err)) throw err;
      for (let rowid = lo; rowid <= hi; rowid++) {
        try {
          const row = readOne.get(rowid) as Record<string, unknown> | undefined;
          if (row) put(row);
        } catch (inner) {
          if (!isDamagedDatabase(inner)) throw inner;
          unreadable++;
        }
      }
    }
    barren = kept > before ? 0 : barren + 1;
  }
  target.exec('COMMIT');
  return { kept, unreadable };
}

function closeQuietly(db: Database | undefined): void {
  try {
    db?.close();
  } catch {
    // a damaged file may fail to close cleanly; it is moved aside all the same
  }
}
