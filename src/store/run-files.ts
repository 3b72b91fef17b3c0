/**
 * A recorded run's own files, beside the store: `.pipewright/runs/ID/events.jsonl` (the run's
 * events as they happen, one JSON object a line, stage output left out) and `logs/` (each
 * instance's log as this run wrote it). The events are what `pipewright ui` replays and follows
 * to draw a run's DAG live; the kept logs outlive the next run of the same stage, which writes a
 * new file under `.pipewright/logs` (the scheduler unlinks before writing, so a hard link made
 * here keeps this run's copy).
 */
import { appendFileSync, existsSync, linkSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RunEvent } from '../run/events.js';

export const EVENTS_FILE = 'events.jsonl';
const FLUSH_MS = 100;
const FLUSH_LINES = 1000;

/** A line of events.jsonl: the event and when it happened (ms since the epoch). */
export type TimedEvent = RunEvent & { readonly t: number };

export class RunFiles {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private broken = false;

  constructor(readonly dir: string, private readonly onError: (message: string) => void = () => {}) {
    // The id is new to the store; a folder of that number is left from a store since removed.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'logs'), { recursive: true });
  }

  get eventsFile(): string {
    return join(this.dir, EVENTS_FILE);
  }

  /** Batched: a sweep of thousands of tiny instances would otherwise pay a write each. */
  add(event: RunEvent): void {
    if (event.type === 'log' || this.broken) return;
    this.pending.push(JSON.stringify({ ...event, t: Date.now() }));
    if (this.pending.length >= FLUSH_LINES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.length) return;
    const text = this.pending.join('\n') + '\n';
    this.pending = [];
    this.attempt(() => appendFileSync(this.eventsFile, text));
  }

  /**
   * This run's copy of a finished instance's log, or undefined when it wrote none. A hard link:
   * no bytes copied, and the next run's log is a new file.
   */
  keepLog(logPath: string): string | undefined {
    // Looked for first: most small instances print nothing, and a link that throws ENOENT costs
    // ~18 µs against ~1.3 µs for the look (a 100,000-instance sweep asks 100,000 times).
    if (!existsSync(logPath)) return undefined;
    const kept = join(this.dir, 'logs', basename(logPath));
    try {
      // The run's folder is new and an instance is recorded once: nothing is there to replace.
      linkSync(logPath, kept);
      return kept;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return logPath;
    }
  }

  /** The files are a view of the run, never the run itself: a failed write is said once, then dropped. */
  private attempt(write: () => void): void {
    try {
      write();
    } catch (err) {
      this.broken = true;
      this.onError(`could not write the run's events to ${this.dir} (${(err as Error).message}): \`pipewright ui\` will not show this run live`);
    }
  }
}
