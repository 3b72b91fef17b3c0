/**
 * A clone in the main thread. A synchronous `run` answers at once, without a promise or an
 * allocation of its own per item: an inline chain costs about what the functions themselves cost.
 */
import type { CellContext, CellDefinition } from './cell.js';
import type { Clone, CloneListener, CloneSpec } from './clone.js';
import { errorMessage } from './clone-messages.js';

type Run = (item: unknown, ctx: CellContext<unknown>) => unknown;

/** Calls are timed one in this many (and each async one): enough for latency percentiles. */
const TIME_EVERY = 8;

export class InlineClone implements Clone {
  readonly index: number;
  private readonly definition: CellDefinition;
  private readonly listener: CloneListener;
  private readonly run: Run;
  private queue: unknown[] = [];
  private head = 0;
  private busy = false;
  private stopped = false;
  private calls = 0;
  private context: CellContext<unknown> | undefined;
  private initializing: Promise<void> | undefined;

  constructor({ definition, index, listener }: CloneSpec) {
    this.definition = definition;
    this.index = index;
    this.listener = listener;
    this.run = definition.options.run as Run;
    this.initialize();
  }

  send(value: unknown): void {
    this.queue.push(value);
    if (!this.busy) this.drain();
  }

  flush(): void {}

  async stop(): Promise<void> {
    this.stopped = true;
  }

  private initialize(): void {
    const ready = (state: unknown) => {
      this.context = { cell: this.definition.name, clone: this.index, state };
    };
    const failed = (err: unknown) => {
      this.stopped = true;
      this.listener.died(`init threw: ${errorMessage(err)}`, true);
    };
    const init = this.definition.options.init;
    if (!init) return ready(undefined);
    try {
      const state = init();
      if (state instanceof Promise) {
        this.initializing = state.then(ready, failed).finally(() => {
          this.initializing = undefined;
          if (!this.stopped) this.drain();
        });
      } else ready(state);
    } catch (err) {
      // Reported once the runner has this clone in hand, not from inside its constructor.
      queueMicrotask(() => failed(err));
    }
  }

  private drain(): void {
    if (this.stopped || !this.context || this.initializing) return;
    this.busy = true;
    while (this.head < this.queue.length && !this.stopped) {
      const value = this.queue[this.head];
      this.queue[this.head++] = undefined;
      if (this.head === this.queue.length) {
        this.queue.length = 0;
        this.head = 0;
      }
      const timed = this.calls++ % TIME_EVERY === 0;
      const started = timed ? performance.now() : 0;
      let out: unknown;
      try {
        out = this.run(value, this.context);
      } catch (err) {
        this.listener.result(false, errorMessage(err), timed ? performance.now() - started : -1);
        continue;
      }
      if (out instanceof Promise) {
        const asyncStarted = timed ? started : performance.now();
        const settle = (ok: boolean, result: unknown) => {
          this.listener.result(ok, result, performance.now() - asyncStarted);
          this.busy = false;
          this.drain();
        };
        out.then((output) => settle(true, output), (err) => settle(false, errorMessage(err)));
        return;
      }
      this.listener.result(true, out, timed ? performance.now() - started : -1);
    }
    this.busy = false;
  }
}
