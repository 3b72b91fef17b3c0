/**
 * A damaged SQLite file of a project (one bad byte, a cut copy): how to tell, and how to set it
 * aside without losing it. The state database is a cache and is rebuilt; the run store is
 * history, and is only ever moved aside by `pipewright runs --repair`.
 */
import { existsSync, renameSync } from 'node:fs';

/** What `runs.db is damaged` tells a user to do. */
export const REPAIR_HINT = '`pipewright runs --repair` keeps every run SQLite can still read, and moves the damaged file aside (nothing is deleted)';

/** SQLite's own word that the file is not a database, or not a whole one. */
export function isDamagedDatabase(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/** Moves the file (with its WAL and shared-memory files) to `<file>.damaged-<time>`; returns that path. */
export function moveAside(file: string): string {
  const aside = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  }
  return aside;
}
