/**
 * At most N holders at once, served first come, first served. `-j N` is N commands running, not N
 * stages being looked at: planning and recording happen around the slot, so the next command
 * starts the moment one ends.
 */
import { CancelledError } from '../errors.js';

export class Slots {
  private free: number;
  private readonly waiting: { grant: () => void; refuse: (err: Error) => void }[] = [];

  constructor(count: number) {
    this.free = count;
  }

  /** Resolves with the function that gives the slot back; rejects when `signal` aborts first. */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(new CancelledError(signal.reason));
    const giveBack = once(() => {
      const next = this.waiting.shift();
      if (next) next.grant();
      else this.free++;
    });
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(giveBack);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve(giveBack);
        },
        refuse: reject,
      };
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new CancelledError(signal.reason));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
