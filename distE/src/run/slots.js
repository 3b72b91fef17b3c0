/**
 * At most N holders at once, served first come, first served. `-j N` is N commands running, not N
 * stages being looked at: planning and recording happen around the slot, so the next command
 * starts the moment one ends.
 */
import { CancelledError } from '../errors.js';
export class Slots {
    free;
    waiting = [];
    constructor(count) {
        this.free = count;
    }
    /** Resolves with the function that gives the slot back; rejects when `signal` aborts first. */
    acquire(signal) {
        if (signal.aborted)
            return Promise.reject(new CancelledError(signal.reason));
        const giveBack = once(() => {
            const next = this.waiting.shift();
            if (next)
                next.grant();
            else
                this.free++;
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
function once(fn) {
    let done = false;
    return () => {
        if (done)
            return;
        done = true;
        fn();
    };
}
//# sourceMappingURL=slots.js.map