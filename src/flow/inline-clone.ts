/**
 * A clone in the main thread. A synchronous `run` answers at once, without a promise per item:
 * an inline chain costs about what the functions themselves cost.
 */
import type { CellContext, CellDefinition } from './cell.js';
import type { Clone, CloneListener, CloneSpec } from './clone.js';
import { errorMessage, type WorkUnit } from './clone-messages.js';

type Run = (item: unknown, ctx: CellContext<unknown>) => unknown;

export class InlineClone implements Clone {
  readonly index: number;
  private readonly definition: CellDefinition;
  private readonly listener: CloneListener;
  private readonly queue: WorkUnit[] = [];
  private busy = false;
  private stopped = false;
  private context: CellContext<unknown> | undefined;
  private initializing: Promise<void> | undefined;

  constructor({ definition, index, listener }: CloneSpec) {
    this.definition = definition;
    this.index = index;
    this.listener = listener;
    this.initialize();
  }

  send(units: readonly WorkUnit[]): void {
    for (const unit of units) this.queue.push(unit);
    if (!this.busy) this.drain();
  }

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
    const run = this.definition.options.run as Run;
    while (this.queue.length && !this.stopped) {
      const unit = this.queue.shift()!;
      const started = performance.now();
      let out: unknown;
      try {
        out = run(unit.value, this.context);
      } catch (err) {
        this.listener.results([{ id: unit.id, ok: false, message: errorMessage(err) }], performance.now() - started);
        continue;
      }
      if (out instanceof Promise) {
        out.then(
          (value) => this.listener.results([{ id: unit.id, ok: true, value }], performance.now() - started),
          (err) => this.listener.results([{ id: unit.id, ok: false, message: errorMessage(err) }], performance.now() - started),
        ).finally(() => {
          this.busy = false;
          this.drain();
        });
        return;
      }
      this.listener.results([{ id: unit.id, ok: true, value: out }], performance.now() - started);
    }
    this.busy = false;
  }
}
