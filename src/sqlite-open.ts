/**
 * Opening a project's SQLite file while other processes open it too (a coordinator and its
 * workers start together, `runs` while a run starts).
 *
 * `busy_timeout` makes SQLite wait for a lock, but not always. SQLite's documented rule
 * (sqlite3_busy_handler): a connection that holds a read lock and asks for a write lock is answered
 * SQLITE_BUSY at once, without waiting, since the writer it waits for may be waiting for it. Switching
 * a new file to WAL is such a case (`PRAGMA journal_mode = WAL` reads the header in a read
 * transaction, then asks to write it: two processes doing it together, one is refused), and so is a
 * deferred transaction that reads before it writes (in WAL mode, SQLITE_BUSY_SNAPSHOT once another
 * connection wrote meanwhile). A connection's first read may also meet another's WAL recovery or
 * last-close cleanup, which SQLite's WAL page says may answer SQLITE_BUSY.
 *
 * So the open and the setup that follows it (pragmas, schema) are retried whole: on a BUSY or
 * LOCKED answer the handle is closed and everything starts again after a short random pause.
 */
import { openSqlite, type Database } from './native.js';

/** SQLite's answer that another connection holds a lock it needs (SQLITE_BUSY_*, SQLITE_LOCKED_*). */
export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/**
 * Opens `file` and runs `setup` on the new handle; a BUSY answer from either closes the handle and
 * tries again (pauses of 5–50 ms, growing, with jitter so that the contenders spread out), for up
 * to `patienceMs`. Any other error is thrown at once, the handle closed.
 */
export function openSqliteRetrying(file: string, setup: (db: Database) => void, patienceMs = 60_000): Database {
  const deadline = Date.now() + patienceMs;
  for (let attempt = 0; ; attempt++) {
    let db: Database | undefined;
    try {
      db = openSqlite(file);
      setup(db);
      return db;
    } catch (err) {
      closeQuietly(db);
      if (!isBusy(err) || Date.now() > deadline) throw err;
    }
    sleep(Math.min(50, 5 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random()));
  }
}

/** Runs `body` in a `BEGIN IMMEDIATE` transaction: the write lock is taken first (waiting, per busy_timeout), so no read inside can go stale. */
export function immediateTransaction(db: Database, body: () => void): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    body();
    db.exec('COMMIT');
  } catch (err) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // SQLite may have rolled back already (a failed COMMIT, a damaged file)
    }
    throw err;
  }
}

/** Closes a handle whose file may be damaged or locked; a failure to close changes nothing for the caller. */
export function closeQuietly(db: Database | undefined): void {
  try {
    db?.close();
  } catch {
    // a damaged file may fail to checkpoint on close
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}
