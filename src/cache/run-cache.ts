/**
 * The run-cache: every fingerprint a stage instance ever ran with, and the outs it made, under
 * `.pipewright/runs/`. A fingerprint seen before has its outs restored instead of re-running, so
 * switching params back and forth costs nothing.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ValueHash } from './hash.js';
import type { LockEntry, LockWarning } from './lockfile.js';

export interface RunCacheEntry {
  readonly stage: string;
  readonly entry: LockEntry;
}

export class RunCache {
  constructor(private readonly dir: string, private readonly warn: LockWarning) {}

  private pathOf(fingerprint: ValueHash): string {
    return join(this.dir, fingerprint.slice(0, 2), `${fingerprint.slice(2)}.json`);
  }

  get(fingerprint: ValueHash): RunCacheEntry | undefined {
    const file = this.pathOf(fingerprint);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const entry = JSON.parse(text) as RunCacheEntry;
      if (entry.entry?.fingerprint !== fingerprint) throw new Error('fingerprint mismatch');
      return entry;
    } catch (err) {
      this.warn(`run-cache entry ${file} is corrupt (${(err as Error).message}); removed`);
      rmSync(file, { force: true });
      return undefined;
    }
  }

  put(stage: string, entry: LockEntry): void {
    const file = this.pathOf(entry.fingerprint);
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ stage, entry } satisfies RunCacheEntry));
    renameSync(tmp, file);
  }

  /** Every entry, for gc. */
  all(): { file: string; entry: RunCacheEntry }[] {
    const out: { file: string; entry: RunCacheEntry }[] = [];
    let prefixes: string[];
    try {
      prefixes = readdirSync(this.dir);
    } catch {
      return out;
    }
    for (const prefix of prefixes) {
      for (const name of readdirSync(join(this.dir, prefix))) {
        if (!name.endsWith('.json')) continue;
        const file = join(this.dir, prefix, name);
        try {
          out.push({ file, entry: JSON.parse(readFileSync(file, 'utf8')) as RunCacheEntry });
        } catch {
          rmSync(file, { force: true });
        }
      }
    }
    return out;
  }

  remove(file: string): void {
    rmSync(file, { force: true });
  }
}
