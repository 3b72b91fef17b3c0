/**
 * The run-cache: every fingerprint a stage instance ever ran with, and the outs it made. A
 * fingerprint seen before has its outs restored instead of re-running, so switching params back
 * and forth costs nothing. A table of the state database: one insert per finished instance, atomic
 * as SQLite makes it, instead of a file written aside and renamed.
 */
import { immediateTransaction } from '../sqlite-open.js';
import type { ValueHash } from './hash.js';
import type { LockEntry, LockWarning } from './lockfile.js';
import type { StateDb } from './state.js';

export interface RunCacheEntry {
  readonly stage: string;
  readonly entry: LockEntry;
}

export class RunCache {
  private readonly pending = new Map<ValueHash, [string, LockEntry]>();
  private lastFlush = Date.now();

  /** The table is the state database's (created with it); every statement goes through its `use`, which survives damage. */
  constructor(private readonly state: StateDb, private readonly warn: LockWarning) {}

  get(fingerprint: ValueHash): RunCacheEntry | undefined {
    const queued = this.pending.get(fingerprint);
    if (queued) return { stage: queued[0], entry: queued[1] };
    const row = this.state.use((c) => c.statement('SELECT stage, entry FROM runs WHERE fingerprint = ?').get(fingerprint)) as { stage: string; entry: string } | undefined;
    if (!row) return undefined;
    try {
      const entry = JSON.parse(row.entry) as LockEntry;
      if (entry.fingerprint !== fingerprint) throw new Error('fingerprint mismatch');
      return { stage: row.stage, entry };
    } catch (err) {
      this.warn(`run-cache entry ${fingerprint} is corrupt (${(err as Error).message}); removed`);
      this.remove(fingerprint);
      return undefined;
    }
  }

  /**
   * Queued, and written in one transaction by `flush` (at most every half second and at the end):
   * an entry lost to a crash only means that run is not restorable later, never a wrong restore.
   */
  put(stage: string, entry: LockEntry): void {
    this.pending.set(entry.fingerprint, [stage, entry]);
    if (Date.now() - this.lastFlush > 500) this.flush();
  }

  flush(): void {
    this.lastFlush = Date.now();
    if (!this.pending.size) return;
    const rows = [...this.pending.values()];
    this.pending.clear();
    this.state.use((c) => {
      const insert = c.statement('INSERT OR REPLACE INTO runs (fingerprint, stage, entry) VALUES (?, ?, ?)');
      immediateTransaction(c.db, () => {
        for (const [stage, entry] of rows) insert.run(entry.fingerprint, stage, JSON.stringify(entry));
      });
    });
  }

  /** Every entry, for gc. */
  all(): RunCacheEntry[] {
    this.flush();
    const rows = this.state.use((c) => c.statement('SELECT stage, entry FROM runs').all()) as { stage: string; entry: string }[];
    return rows.flatMap((row) => {
      try {
        return [{ stage: row.stage, entry: JSON.parse(row.entry) as LockEntry }];
      } catch {
        return [];
      }
    });
  }

  remove(fingerprint: ValueHash): void {
    this.state.use((c) => c.statement('DELETE FROM runs WHERE fingerprint = ?').run(fingerprint));
  }
}
