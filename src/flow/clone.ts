/**
 * A clone: one copy of a cell, with its own `init` state, running units one after another. The
 * cell runner decides which clone gets which unit; a clone only runs them and reports back.
 * One implementation per executor: inline-clone, thread-clone, process-clone.
 */
import type { CellDefinition } from './cell.js';
import type { CellAddress } from './clone-messages.js';

export interface CloneListener {
  /** The oldest unit sent finished: its output (ok) or the message it threw; `busyMs` is time spent in `run`. */
  result(ok: boolean, value: unknown, busyMs: number): void;
  /** The clone is gone (init threw, it crashed or exited): units sent and not answered are lost. */
  died(reason: string, initFailed: boolean): void;
}

export interface Clone {
  readonly index: number;
  /** Queues one call of `run`; results come back in the order of `send`. */
  send(value: unknown): void;
  /** Sends what was queued (a thread or process gets one message per bundle). */
  flush(): void;
  /** Ends the clone; the runner calls it only once nothing is in flight (or the flow is aborted). */
  stop(): Promise<void>;
}

export interface CloneSpec {
  readonly definition: CellDefinition;
  readonly address: CellAddress | undefined;
  readonly index: number;
  readonly listener: CloneListener;
}

