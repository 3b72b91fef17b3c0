/**
 * Progress of a transfer. On a terminal: one line rewritten in place, "12/40 objects, 3.4/10.1
 * MiB", at most ten times a second. Elsewhere (a log, CI): plain lines at each quarter of a large
 * transfer, with nothing in them that depends on timing, so that logs of two runs compare.
 */
export interface Progress {
  /** A new phase: this many objects and bytes to go. */
  start(objects: number, bytes: number): void;
  advance(bytes: number): void;
  finish(): void;
}

export const silentProgress: Progress = { start() {}, advance() {}, finish() {} };

/** Below this many objects a transfer is quick: plain output then shows only the command's summary. */
const PLAIN_FROM = 20;

export function progressLine(verb: string, out: NodeJS.WriteStream, tty = out.isTTY === true): Progress {
  let total = 0, totalBytes = 0, done = 0, doneBytes = 0, lastDraw = 0, quarter = 0;
  const text = () => `${verb} ${done}/${total} objects, ${formatBytes(doneBytes)}/${formatBytes(totalBytes)}`;
  return {
    start(objects, bytes) {
      total = objects;
      totalBytes = bytes;
      done = doneBytes = quarter = 0;
    },
    advance(bytes) {
      done++;
      doneBytes += bytes;
      if (tty) {
        const now = Date.now();
        if (now - lastDraw >= 100 || done === total) {
          lastDraw = now;
          out.write(`\r\x1b[2K${text()}`);
        }
      } else if (total >= PLAIN_FROM) {
        const reached = Math.floor((done * 4) / total);
        if (reached > quarter && done < total) {
          quarter = reached;
          out.write(`${text()}\n`);
        }
      }
    },
    finish() {
      if (tty && total > 0) out.write('\r\x1b[2K');
    },
  };
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i ? n.toFixed(1) : n} ${units[i]}`;
}
