/**
 * A run's events as Server-Sent Events: what events.jsonl holds, then what is appended to it
 * while the run goes on, in batches (one SSE message carries every complete line read at once, a
 * JSON array). The file is polled rather than watched: fs.watch misses appends on some file
 * systems and in containers, and a 200 ms look at a file's size costs nothing.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ServerResponse } from 'node:http';

const POLL_MS = 200;
/** Read at one look: a sweep of 100,000 instances has tens of MB of events, sent in parts. */
const MAX_READ = 4 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;
/** A run that stopped without saying so (killed) stops being followed after this long quiet. */
const QUIET_AFTER_END_MS = 1_000;

export interface FollowOptions {
  /** events.jsonl of the run. */
  readonly file: string;
  /** Whether the store still has the run as running (a killed run is not). */
  readonly running: () => boolean;
}

export function streamRunEvents(response: ServerResponse, options: FollowOptions): void {
  response.statusCode = 200;
  response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  response.setHeader('X-Accel-Buffering', 'no');
  response.flushHeaders();
  let offset = 0;
  let quietSince: number | undefined;
  let lastWrite = Date.now();
  let ended = false;

  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(timer);
    response.write('event: end\ndata: {}\n\n');
    response.end();
  };

  /** Set while the client has not taken what was sent: nothing more is read until it has. */
  let waiting = false;
  const poll = () => {
    if (waiting || ended) return;
    try {
      look();
    } catch (err) {
      // One stream's trouble (a store that cannot be read now) ends that stream, never the server.
      process.stderr.write(`pipewright ui: the event stream of ${options.file} stopped: ${(err as Error).message}\n`);
      ended = true;
      clearInterval(timer);
      response.destroy();
    }
  };
  const send = (text: string) => {
    if (!response.write(text)) {
      waiting = true;
      response.once('drain', () => (waiting = false));
    }
  };

  const look = () => {
    // A run that is over and never had events (recorded before they were kept, taken in from the
    // journal): nothing will come, and its page waits for this end to draw the run.
    if (offset === 0 && !options.running() && !existsSync(options.file)) return end();
    // Whole lines only, cut as bytes: a line being written, or cut by MAX_READ, is read again next time.
    let grown = readFrom(options.file, offset, MAX_READ);
    let lastNewline = grown.lastIndexOf(10);
    // One line longer than a read (huge params): that line whole.
    if (lastNewline < 0 && grown.length === MAX_READ) {
      grown = readFrom(options.file, offset, Infinity);
      lastNewline = grown.lastIndexOf(10);
    }
    if (lastNewline >= 0) {
      offset += lastNewline + 1;
      const batch = grown.subarray(0, lastNewline).toString('utf8').split('\n').filter((line) => line !== '');
      if (batch.length) {
        send(`data: [${batch.join(',')}]\n\n`);
        lastWrite = Date.now();
        quietSince = undefined;
        if (batch.some((line) => line.startsWith('{"type":"run-finished"'))) return end();
      }
    }
    if (!options.running()) {
      // Give a run that just ended its last flush, then stop.
      quietSince ??= Date.now();
      if (Date.now() - quietSince >= QUIET_AFTER_END_MS) return end();
    }
    if (Date.now() - lastWrite >= HEARTBEAT_MS) {
      send(': still here\n\n');
      lastWrite = Date.now();
    }
  };

  const timer = setInterval(poll, POLL_MS);
  response.on('close', () => {
    ended = true;
    clearInterval(timer);
  });
  poll();
}

/** At most `most` bytes appended since `offset`; none when the file is not there (yet). */
export function readFrom(file: string, offset: number, most: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const size = fstatSync(fd).size;
    if (size <= offset) return Buffer.alloc(0);
    const bytes = Buffer.alloc(Math.min(size - offset, most));
    const read = readSync(fd, bytes, 0, bytes.length, offset);
    return bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
