/**
 * A running flow: the cell runners wired by channels, the input side (`push`, `offer`, or the
 * source cells it pulls) and the output side (`next`, or a callback per item for the server).
 * Every item gets its index on the way in; the run is drained when every index has come out (as
 * an output, an error record, or a skipped mark).
 */
import { PipelineError, closestName } from '../errors.js';
import { CellRunner, type RunnerHost } from './cell-runner.js';
import { Channel, type Outlet } from './channel.js';
import type { CellAddress } from './clone-messages.js';
import type { Envelope, ItemFailure } from './envelope.js';
import { FlowAbortedError, type ItemFailedError } from './errors.js';
import type { FlowDefinition } from './flow.js';
import { portKey } from './graph.js';
import type { FlowMetrics } from './metrics.js';
import { RecurrentOutlet } from './recurrent.js';
import { SourceRunner, type SourceHost } from './source-runner.js';

/** What takes an item's place in the output when its cell's `onError` is `emit`. */
export interface ErrorRecord {
  readonly error: ItemFailure;
}

/** How one item ended, for a caller waiting on that item (the server). */
export type ItemOutcome =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'failed'; readonly failure: ItemFailure }
  | { readonly kind: 'skipped'; readonly failure: ItemFailure }
  | { readonly kind: 'aborted'; readonly error: Error };

/** Told how an item ended, with its index. */
export type ItemCallback = (outcome: ItemOutcome, index: number) => void;

export interface FlowRunOptions {
  /** Where skipped items are reported; default stderr. */
  readonly log?: (message: string) => void;
  /**
   * Default true: an item failing in a cell whose `onError` is `fail` stops the flow. The server
   * sets false: the failure answers that item's request and the flow goes on.
   */
  readonly failStopsFlow?: boolean;
}

const NOTHING = Symbol('nothing');

interface PushWaiter {
  readonly make: (seq: number) => Envelope;
  readonly onOutcome: (ItemCallback) | undefined;
  readonly resolve: (seq: number) => void;
  readonly reject: (err: Error) => void;
}

/** What feeds a connection: a cell, or a source. */
interface Upstream {
  readonly destinations: Outlet<Envelope>[][];
  pump(): void;
}

export class FlowRun implements RunnerHost, SourceHost {
  readonly ordered: boolean;
  readonly failStopsFlow: boolean;
  inputEnded = false;
  private readonly runners = new Map<string, CellRunner>();
  private readonly sources: SourceRunner | undefined;
  /** The index of the output `next()` gave last (for `pipewright stream`'s error records). */
  lastIndex = -1;
  private readonly entries: Channel<Envelope>[] = [];
  private readonly exits: Channel<Envelope>[] = [];
  private readonly exitNames: string[];
  private readonly joins = new Map<number, { parts: (Envelope | undefined)[]; have: number }>();
  private nextSeq = 0;
  private produced = 0;
  private failure: Error | undefined;
  private readonly pushWaiters: PushWaiter[] = [];
  private readonly pullWaiters: { resolve: (r: IteratorResult<unknown>) => void; reject: (err: Error) => void }[] = [];
  /** Per-item callbacks (the server); items pushed without one go to `next()`. */
  private readonly callbacks = new Map<number, ItemCallback>();
  /** Outputs that arrived after the input ended, kept for `next()` so that closing never waits on a reader. */
  private readonly leftovers: { seq: number; outcome: ItemOutcome }[] = [];
  private collecting = false;
  private collectAgain = false;
  private stopped: Promise<void> | undefined;
  private drainedResolve!: () => void;
  private readonly drained = new Promise<void>((resolve) => (this.drainedResolve = resolve));
  readonly log: (message: string) => void;

  constructor(private readonly definition: FlowDefinition, options: FlowRunOptions = {}) {
    this.ordered = definition.options.ordered;
    this.failStopsFlow = options.failStopsFlow ?? true;
    this.log = options.log ?? ((message) => process.stderr.write(message + '\n'));
    const { graph } = definition;
    const capacity = definition.options.capacity;
    for (const cell of graph.cells) if (!cell.source) this.runners.set(cell.name, new CellRunner(cell, capacity, this));
    const sourceCells = graph.cells.filter((c) => c.source);
    this.sources = sourceCells.length ? new SourceRunner(sourceCells, this) : undefined;
    const upstreamOf = (cell: string): Upstream & { definition: { outputNames: readonly string[] } } =>
      this.runners.get(cell) ?? this.sources!.members.find((m) => m.definition.name === cell)!;
    const portIndex = (names: readonly string[], port: string) => names.indexOf(port);
    for (const edge of [...graph.edges, ...graph.recurrent]) {
      const { from, to } = edge;
      const upstream = upstreamOf(from.cell);
      const downstream = this.runners.get(to.cell)!;
      const channel = downstream.inputs[portIndex(downstream.definition.inputNames, to.port)]!;
      channel.onSpace = () => upstream.pump();
      const outlet = 'initial' in edge ? new RecurrentOutlet(channel, edge.initial) : channel;
      upstream.destinations[portIndex(upstream.definition.outputNames, from.port)]!.push(outlet);
    }
    for (const entry of graph.entries) {
      const runner = this.runners.get(entry.cell)!;
      const channel = runner.inputs[portIndex(runner.definition.inputNames, entry.port)]!;
      channel.onSpace = () => this.admitWaiting();
      this.entries.push(channel);
    }
    for (const exit of graph.exits) {
      const runner = upstreamOf(exit.cell);
      const channel = new Channel<Envelope>(capacity);
      channel.onItem = () => this.collect();
      channel.onSpace = () => runner.pump();
      runner.destinations[portIndex(runner.definition.outputNames, exit.port)]!.push(channel);
      this.exits.push(channel);
    }
    this.exitNames = graph.exits.map(portKey);
    for (const runner of this.runners.values()) runner.start();
    this.sources?.start();
  }

  /** The next item's index, for the sources. */
  takeIndex(): number {
    return this.nextSeq++;
  }

  address(cell: string): CellAddress | undefined {
    const file = this.definition.file;
    return file ? { file, flow: this.definition.name, cell } : undefined;
  }

  /** Feeds an item in if there is room now; undefined when the flow is full (the server answers 503). */
  offer(item: unknown, onOutcome?: ItemCallback): number | undefined {
    this.assertOpen();
    if (this.pushWaiters.length || this.entries.some((c) => c.full)) return undefined;
    return this.enter((seq) => ({ seq, kind: 'value', value: item }), onOutcome);
  }

  /** Feeds an item in, waiting while the flow is full; resolves with its index. */
  push(item: unknown, onOutcome?: ItemCallback): Promise<number> {
    return this.pushEnvelope((seq) => ({ seq, kind: 'value', value: item }), onOutcome);
  }

  /** An item that failed before entering (a line that is not JSON): it takes its place in the order as an error record. */
  pushFailure(cell: string, message: string, skip = false): Promise<number> {
    return this.pushEnvelope((seq) => ({ seq, kind: skip ? 'skipped' : 'failed', failure: { cell, index: seq, message } }));
  }

  private pushEnvelope(make: (seq: number) => Envelope, onOutcome?: ItemCallback): Promise<number> {
    try {
      this.assertOpen();
    } catch (err) {
      return Promise.reject(err);
    }
    if (!this.pushWaiters.length && !this.entries.some((c) => c.full)) return Promise.resolve(this.enter(make, onOutcome));
    return new Promise((resolve, reject) => this.pushWaiters.push({ make, onOutcome, resolve, reject }));
  }

  private assertOpen(): void {
    if (this.failure) throw this.failure;
    if (this.sources) {
      throw new PipelineError('usage', `flow "${this.definition.name}" pulls its items from source "${this.sources.members[0]!.definition.name}": nothing can be pushed into it`,
        undefined, 'read it with stream() (no items) or pull()');
    }
    if (this.inputEnded) throw new PipelineError('usage', `flow "${this.definition.name}" is closed: no more items can be pushed`);
  }

  private enter(make: (seq: number) => Envelope, onOutcome?: ItemCallback): number {
    const seq = this.nextSeq++;
    if (onOutcome) this.callbacks.set(seq, onOutcome);
    const envelope = make(seq);
    for (const channel of this.entries) channel.push(envelope);
    return seq;
  }

  private admitWaiting(): void {
    while (this.pushWaiters.length && !this.failure && !this.entries.some((c) => c.full)) {
      const waiter = this.pushWaiters.shift()!;
      waiter.resolve(this.enter(waiter.make, waiter.onOutcome));
    }
  }

  /** The next output in order (or error record); done once the input has ended and everything came out. */
  next(): Promise<IteratorResult<unknown>> {
    const leftover = this.leftovers.shift();
    if (leftover) {
      this.lastIndex = leftover.seq;
      return Promise.resolve({ done: false, value: outputValue(leftover.outcome) });
    }
    const taken = this.takeForReader();
    if (taken !== NOTHING) return Promise.resolve({ done: false, value: taken });
    if (this.failure) return Promise.reject(this.failure);
    if (this.isDrained()) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => this.pullWaiters.push({ resolve, reject }));
  }

  /** The next output for `next()`, or NOTHING (an output may well be 0, null or undefined). */
  private takeForReader(): unknown {
    for (;;) {
      const taken = this.takeOutput();
      if (!taken) return NOTHING;
      const { seq, outcome } = taken;
      const callback = this.callbacks.get(seq);
      if (callback) {
        this.callbacks.delete(seq);
        callback(outcome, seq);
      } else if (outcome.kind !== 'skipped') {
        this.lastIndex = seq;
        return outputValue(outcome);
      }
      this.checkDrained();
    }
  }

  /** Called whenever an exit has something: hands outputs to their callbacks and waiting readers. */
  private collect(): void {
    if (this.collecting) {
      this.collectAgain = true;
      return;
    }
    this.collecting = true;
    try {
      do {
        this.collectAgain = false;
        for (;;) {
          if (!this.callbacks.size && !this.pullWaiters.length && !this.inputEnded) break;
          const taken = this.takeOutput();
          if (!taken) break;
          const callback = this.callbacks.get(taken.seq);
          if (callback) {
            this.callbacks.delete(taken.seq);
            callback(taken.outcome, taken.seq);
          } else if (taken.outcome.kind !== 'skipped') {
            const waiter = this.pullWaiters.shift();
            if (waiter) {
              this.lastIndex = taken.seq;
              waiter.resolve({ done: false, value: outputValue(taken.outcome) });
            } else this.leftovers.push(taken);
          }
        }
        this.checkDrained();
      } while (this.collectAgain);
    } finally {
      this.collecting = false;
    }
  }

  /** One item's outcome from the exits, joined across them by index. */
  private takeOutput(): { seq: number; outcome: ItemOutcome } | undefined {
    if (this.exits.length === 1) {
      const envelope = this.exits[0]!.shift();
      if (!envelope) return undefined;
      this.produced++;
      return { seq: envelope.seq, outcome: outcomeOf(envelope) };
    }
    for (;;) {
      let took = false;
      for (let p = 0; p < this.exits.length; p++) {
        const head = this.exits[p]!.shift();
        if (!head) continue;
        took = true;
        let entry = this.joins.get(head.seq);
        if (!entry) this.joins.set(head.seq, (entry = { parts: new Array(this.exits.length), have: 0 }));
        entry.parts[p] = head;
        if (++entry.have < this.exits.length) continue;
        this.joins.delete(head.seq);
        this.produced++;
        const failed = entry.parts.find((e) => e!.kind !== 'value');
        if (failed) return { seq: head.seq, outcome: outcomeOf(failed) };
        const value: Record<string, unknown> = {};
        this.exitNames.forEach((name, i) => (value[name] = (entry!.parts[i] as Extract<Envelope, { kind: 'value' }>).value));
        return { seq: head.seq, outcome: { kind: 'value', value } };
      }
      if (!took) return undefined;
    }
  }

  private isDrained(): boolean {
    return this.inputEnded && this.produced === this.nextSeq;
  }

  private checkDrained(): void {
    if (!this.isDrained()) return;
    for (const waiter of this.pullWaiters.splice(0)) waiter.resolve({ done: true, value: undefined });
    this.drainedResolve();
  }

  /** No more items: a batch waiting to fill runs as it is; outputs nobody reads yet are kept. */
  endInput(): void {
    if (this.inputEnded) return;
    this.inputEnded = true;
    this.sources?.stop();
    for (const runner of this.runners.values()) runner.pump();
    this.collect();
  }

  /** Ends the input, waits for every item in flight to come out, then stops the clones. */
  async close(): Promise<void> {
    this.endInput();
    if (!this.failure) await Promise.race([this.drained, this.stopped ?? new Promise(() => {})]);
    await this.stop();
  }

  /** Stops at once: waiting pushes and pulls fail, the clones are ended. */
  abort(reason: unknown): void {
    if (this.failure) return;
    this.failure = reason instanceof Error && (reason.name === 'ItemFailedError' || reason.name === 'PipelineError') ? reason : new FlowAbortedError(reason);
    const error = this.failure;
    this.sources?.stop();
    for (const waiter of this.pushWaiters.splice(0)) waiter.reject(error);
    for (const waiter of this.pullWaiters.splice(0)) waiter.reject(error);
    for (const [seq, callback] of this.callbacks) {
      this.callbacks.delete(seq);
      callback({ kind: 'aborted', error }, seq);
    }
    void this.stop();
  }

  fail(error: ItemFailedError | Error): void {
    this.abort(error);
  }

  private stop(): Promise<void> {
    this.stopped ??= Promise.all([...this.runners.values()].map((r) => r.stop())).then(() => undefined);
    return this.stopped;
  }

  /** Changes a cell's clones while the flow runs; no item is lost either way. */
  async scale(cell: string, clones: number): Promise<void> {
    const runner = this.runners.get(cell);
    if (!runner) {
      if (this.definition.graph.sources.includes(cell)) throw new PipelineError('usage', `"${cell}" is a source: it is pulled one item at a time and has no clones`);
      throw unknownCell(this.definition.name, cell, [...this.runners.keys()]);
    }
    if (!Number.isInteger(clones) || clones < 1) throw new PipelineError('usage', `scale of cell "${cell}" must be a whole number ≥ 1, got ${clones}`);
    if (clones > 1 && this.definition.graph.loopCells.includes(cell)) {
      throw new PipelineError('usage', `cell "${cell}" is inside a recurrent loop: its items pass one at a time, and clones would only wait`);
    }
    runner.scale(clones);
  }

  /** True when an item offered now would be taken. */
  get hasRoom(): boolean {
    return !this.failure && !this.inputEnded && !this.pushWaiters.length && !this.entries.some((c) => c.full);
  }

  get stoppedBy(): Error | undefined {
    return this.failure;
  }

  metrics(): FlowMetrics {
    return {
      flow: this.definition.name, itemsIn: this.nextSeq, itemsOut: this.produced, inFlight: this.nextSeq - this.produced,
      cells: [...this.sources?.metrics() ?? [], ...[...this.runners.values()].map((r) => r.metrics())],
    };
  }
}

export function unknownCell(flow: string, cell: string, cells: readonly string[]): PipelineError {
  const guess = closestName(cell, cells);
  return new PipelineError('unknown-stage', `flow "${flow}" has no cell "${cell}"`, undefined, guess ? `did you mean "${guess}"?` : `its cells: ${cells.join(', ')}`);
}

function outcomeOf(envelope: Envelope): ItemOutcome {
  if (envelope.kind === 'value') return { kind: 'value', value: envelope.value };
  return { kind: envelope.kind, failure: envelope.failure };
}

function outputValue(outcome: ItemOutcome): unknown {
  if (outcome.kind === 'value') return outcome.value;
  if (outcome.kind === 'aborted') throw outcome.error;
  return { error: outcome.failure } satisfies ErrorRecord;
}
