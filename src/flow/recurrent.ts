/**
 * The sending end of a recurrent connection: what item *i* gives on the connection's output is
 * what item *i+1* gets on its input, and item 0 gets the initial value. Index-shifting is all it
 * takes: the receiving cell joins its inputs by index, so item *i+1* waits until item *i* has come
 * round the loop, and the loop's cells see the items one after another, in order.
 */
import type { Channel, Outlet } from './channel.js';
import type { Envelope } from './envelope.js';

export class RecurrentOutlet implements Outlet<Envelope> {
  private last: unknown;

  constructor(private readonly target: Channel<Envelope>, initial: unknown) {
    // A copy per run: a cell that changes the value it was given in place must not change what
    // the next run starts from.
    this.last = copyOf(initial);
    target.push({ seq: 0, kind: 'value', value: this.last });
  }

  get full(): boolean {
    return this.target.full;
  }

  push(envelope: Envelope): void {
    // An item that failed or was skipped in the loop passes on the value it was given: the state
    // goes on from the last item that made one, instead of every later item failing too.
    if (envelope.kind === 'value') this.last = envelope.value;
    this.target.push({ seq: envelope.seq + 1, kind: 'value', value: this.last });
  }
}

function copyOf(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    // Functions and class instances with methods cannot be cloned: those are shared as given.
    return value;
  }
}
