/**
 * Where each instance of a run is writing its log, from the run's events: read on from where the
 * last look stopped, so that following a running log (a request a second) does not parse a
 * sweep's tens of MB of events each time.
 */
import { readFrom } from './event-stream.js';
import type { TimedEvent } from '../store/run-files.js';

export class LogWhereabouts {
  private offset = 0;
  /** Instance → its log file, as its `started` event named it. */
  readonly logOf = new Map<string, string>();
  /** Instance → the file its output goes to while it runs (a pooled shell's scratch file). */
  readonly writingTo = new Map<string, string>();
  /** Instances that succeeded or failed. */
  readonly ended = new Set<string>();

  constructor(private readonly file: string) {}

  /** Takes in the lines appended since the last look (whole lines only). */
  refresh(): this {
    for (;;) {
      const grown = readFrom(this.file, this.offset, 4 * 1024 * 1024);
      const lastNewline = grown.lastIndexOf(10);
      if (lastNewline < 0) return this;
      this.offset += lastNewline + 1;
      for (const line of grown.subarray(0, lastNewline).toString('utf8').split('\n')) {
        if (line) this.take(JSON.parse(line) as TimedEvent);
      }
    }
  }

  private take(event: TimedEvent): void {
    if (event.type === 'started') this.logOf.set(event.stage, event.logPath);
    else if (event.type === 'output-file') this.writingTo.set(event.stage, event.path);
    else if (event.type === 'succeeded' || event.type === 'failed') this.ended.add(event.stage);
  }
}
