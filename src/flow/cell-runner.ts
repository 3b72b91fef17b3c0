/**
 * Runs one cell of a running flow: takes items from its input channels (joining named inputs by
 * index), hands them to whichever clone is free, and emits the results downstream. Emission goes
 * index after index, so outputs keep input order whatever order the clones finish in; a window
 * (the capacity plus what the clones hold) bounds what a cell has taken in and not yet emitted,
 * so a slow clone never idles the others until the window is used up, and memory stays bounded.
 */
import { executorOf, type BatchOptions, type CellDefinition, type ErrorPolicy, type FlowExecutorKind } from './cell.js';
import { Channel, type Outlet } from './channel.js';
import type { Clone, CloneListener, CloneSpec } from './clone.js';
import type { CellAddress } from './clone-messages.js';
import type { Envelope, ItemFailure } from './envelope.js';
import { ItemFailedError } from './errors.js';
import { InlineClone } from './inline-clone.js';
import { LatencyRing, type CellMetrics } from './metrics.js';
import { ProcessClone } from './process-clone.js';
import { ThreadClone } from './thread-clone.js';

/** What a cell runner needs of the run it belongs to. */
export interface RunnerHost {
  readonly ordered: boolean;
  /** No more items will enter the flow: a batch waiting to fill is run as it is. */
  readonly inputEnded: boolean;
  /** False when serving: an item's failure answers its request, and the flow goes on. */
  readonly failStopsFlow: boolean;
  readonly address: (cell: string) => CellAddress | undefined;
  fail(error: ItemFailedError): void;
  log(message: string): void;
}

/** Timers fire late by about this much: a batch's timer is set that much early, so that no item waits past `maxWaitMs`. */
const TIMER_LATENESS_MS = 1;

/** A cell whose clones fail in `init` this many times in a row stops starting new ones. */
const INIT_ATTEMPTS = 3;

interface Slot {
  readonly index: number;
  readonly clone: Clone;
  inFlight: number;
  retiring: boolean;
  /**
   * What was sent and not answered, oldest first: an item's index, or a batch's indexes. A clone
   * answers in the order it was sent, so the oldest entry is what the next answer is for.
   */
  pending: (number | readonly number[])[];
  /** What was sent for each pending entry: given to another clone if this one dies before starting it. */
  sent: unknown[];
  head: number;
}

/**
 * Why a value is not a whole output of a cell with named outputs (an object with every output
 * set), or undefined when it is: an output left unset would reach the cells downstream as
 * `undefined` (the seed's "check whether all outputs of a cell have been set").
 */
export function missingOutputs(definition: CellDefinition, value: unknown): string | undefined {
  if (!definition.namedOutputs) return undefined;
  const names = definition.outputNames;
  if (typeof value !== 'object' || value === null) return `run must return an object keyed by its outputs (${names.join(', ')}), got ${value === null ? 'null' : typeof value}`;
  const unset = names.filter((n) => (value as Record<string, unknown>)[n] === undefined);
  if (!unset.length) return undefined;
  return `output${unset.length > 1 ? 's' : ''} ${unset.map((n) => `"${n}"`).join(', ')} not set (run returned ${Object.keys(value).length ? `only ${Object.keys(value).map((k) => `"${k}"`).join(', ')}` : 'an empty object'})`;
}

export class CellRunner {
  readonly name: string;
  readonly inputs: Channel<Envelope>[];
  /** Per output port, the channels it feeds; wired by the run. */
  readonly destinations: Outlet<Envelope>[][];
  private readonly policy: ErrorPolicy;
  private readonly kind: FlowExecutorKind;
  private readonly batch: BatchOptions | undefined;
  private readonly capacity: number;
  private slots: Slot[] = [];
  private target: number;
  private readonly joins = new Map<number, { parts: (Envelope | undefined)[]; have: number }>();
  private ready: Envelope[] = [];
  private readyHead = 0;
  /** Finished and not yet emitted, at `seq & mask` (ordered): never more than a window apart. */
  private done: (Envelope | undefined)[] = new Array<Envelope | undefined>(64);
  private mask = 63;
  private readonly doneQueue: Envelope[] = [];
  private nextEmit = 0;
  private admitted = 0;
  private emitted = 0;
  private serviceMs: number | undefined;
  private initFailures = 0;
  private broken: string | undefined;
  private stopped = false;
  private pumping = false;
  private again = false;
  private batchSince = 0;
  private batchTimer: NodeJS.Timeout | undefined;
  private counts = { items: 0, errors: 0, skipped: 0 };
  private readonly latency = new LatencyRing();

  constructor(readonly definition: CellDefinition, capacity: number, private readonly host: RunnerHost) {
    this.name = definition.name;
    this.policy = definition.options.onError ?? 'fail';
    this.kind = executorOf(definition);
    this.batch = definition.options.batch;
    this.capacity = definition.options.capacity ?? capacity;
    this.target = definition.options.scale ?? 1;
    this.inputs = definition.inputNames.map(() => {
      const channel = new Channel<Envelope>(this.capacity);
      channel.onItem = () => this.pump();
      return channel;
    });
    this.destinations = definition.outputNames.map(() => []);
  }

  /** Starts the clones; separate from the constructor so that wiring is done first. */
  start(): void {
    for (let i = 0; i < this.target; i++) this.addClone();
  }

  get clones(): number {
    return this.slots.filter((s) => !s.retiring).length;
  }

  /** Up: new clones start at once. Down: the extra clones get no new item and stop once theirs are done. */
  scale(clones: number): void {
    this.target = clones;
    const live = this.slots.filter((s) => !s.retiring);
    for (let i = live.length; i < clones; i++) this.addClone();
    const extra = live.sort((a, b) => a.inFlight - b.inFlight).slice(0, Math.max(0, live.length - clones));
    for (const slot of extra) {
      slot.retiring = true;
      if (slot.inFlight === 0) this.removeSlot(slot);
    }
    this.pump();
  }

  /** Items taken in and not yet emitted, at most. */
  private get window(): number {
    const unit = this.batch ? this.batch.size : 1;
    return this.capacity + this.target * this.depth * unit + (this.batch ? this.batch.size : 0);
  }

  /**
   * Units sent to one clone before it answers. Inline: one. A thread or process: at least two, so
   * it never idles for a round trip between items, and for fast items enough to cover about half
   * a millisecond of work, so that they travel in bundles.
   */
  private get depth(): number {
    if (this.kind === 'inline') return 1;
    if (this.batch || this.serviceMs === undefined) return 2;
    return Math.max(2, Math.min(64, Math.round(0.5 / Math.max(this.serviceMs, 1e-3))));
  }

  pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        if (this.stopped) return;
        this.emit();
        this.admit();
        this.dispatch();
      } while (this.again);
    } finally {
      this.pumping = false;
    }
  }

  private emit(): void {
    for (;;) {
      const envelope = this.host.ordered ? this.done[this.nextEmit & this.mask] : this.doneQueue[0];
      if (!envelope || !this.canEmit()) return;
      if (this.host.ordered) {
        this.done[this.nextEmit & this.mask] = undefined;
        this.nextEmit++;
      } else this.doneQueue.shift();
      this.emitted++;
      const ports = this.destinations;
      for (let p = 0; p < ports.length; p++) {
        const outgoing = envelope.kind === 'value' && this.definition.namedOutputs
          ? { seq: envelope.seq, kind: 'value' as const, value: (envelope.value as Record<string, unknown>)[this.definition.outputNames[p]!] }
          : envelope;
        for (const channel of ports[p]!) channel.push(outgoing);
      }
    }
  }

  private canEmit(): boolean {
    for (const port of this.destinations) for (const channel of port) if (channel.full) return false;
    return true;
  }

  private admit(): void {
    const single = this.inputs.length === 1 ? this.inputs[0]! : undefined;
    while (this.admitted - this.emitted < this.window) {
      let envelope: Envelope | undefined;
      if (single) envelope = single.shift();
      else envelope = this.join();
      if (!envelope) return;
      this.admitted++;
      if (envelope.kind === 'value') {
        if (this.readyHead === this.ready.length && this.batch) this.batchSince = performance.now();
        this.ready.push(envelope);
      } else this.finish(envelope);
    }
  }

  /** The next item whose every named input has arrived, as one value keyed by input name. */
  private join(): Envelope | undefined {
    const names = this.definition.inputNames;
    for (;;) {
      let took = false;
      for (let p = 0; p < this.inputs.length; p++) {
        const head = this.inputs[p]!.peek();
        if (!head) continue;
        let entry = this.joins.get(head.seq);
        // Bounded: a branch may run ahead of the others by at most a window.
        if (!entry && this.joins.size >= this.window) continue;
        this.inputs[p]!.shift();
        took = true;
        if (!entry) this.joins.set(head.seq, (entry = { parts: new Array(names.length), have: 0 }));
        entry.parts[p] = head;
        if (++entry.have < names.length) continue;
        this.joins.delete(head.seq);
        const failed = entry.parts.find((e) => e!.kind !== 'value');
        if (failed) return { ...failed, seq: head.seq } as Envelope;
        const value: Record<string, unknown> = {};
        names.forEach((name, i) => (value[name] = (entry!.parts[i] as Extract<Envelope, { kind: 'value' }>).value));
        return { seq: head.seq, kind: 'value', value };
      }
      if (!took) return undefined;
    }
  }

  private dispatch(): void {
    if (this.broken) {
      while (this.readyHead < this.ready.length) this.failItem(this.takeReady().seq, this.broken);
      return;
    }
    const depth = this.depth;
    for (;;) {
      const waiting = this.ready.length - this.readyHead;
      if (waiting === 0) return;
      if (this.batch && waiting < this.batch.size && !this.host.inputEnded) {
        const due = this.batchSince + this.batch.maxWaitMs - TIMER_LATENESS_MS - performance.now();
        if (due > 0) {
          this.batchTimer ??= setTimeout(() => {
            this.batchTimer = undefined;
            this.pump();
          }, due);
          return;
        }
      }
      let slot: Slot | undefined;
      for (const candidate of this.slots) {
        if (candidate.retiring || candidate.inFlight >= depth) continue;
        if (!slot || candidate.inFlight < slot.inFlight) slot = candidate;
      }
      if (!slot) return;
      for (let room = depth - slot.inFlight; room > 0 && this.readyHead < this.ready.length; room--) {
        slot.inFlight++;
        if (this.batch) {
          const items = [];
          while (items.length < this.batch.size && this.readyHead < this.ready.length) items.push(this.takeReady());
          const values = items.map((e) => (e as Extract<Envelope, { kind: 'value' }>).value);
          slot.pending.push(items.map((e) => e.seq));
          slot.sent.push(values);
          this.batchSince = performance.now();
          slot.clone.send(values);
        } else {
          const envelope = this.takeReady() as Extract<Envelope, { kind: 'value' }>;
          slot.pending.push(envelope.seq);
          slot.sent.push(envelope.value);
          // An inline clone may answer inside this call; the slot is up to date before it does.
          slot.clone.send(envelope.value);
        }
      }
      slot.clone.flush();
    }
  }

  private takeReady(): Envelope {
    const envelope = this.ready[this.readyHead]!;
    this.ready[this.readyHead++] = undefined as unknown as Envelope;
    if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.readyHead);
      this.readyHead = 0;
    }
    return envelope;
  }

  /** A clone answered for the oldest unit it holds: `value` is the output, or the message it threw. */
  private completed(slot: Slot, ok: boolean, value: unknown, busyMs: number): void {
    if (this.stopped || slot.head >= slot.pending.length) return;
    const seqs = slot.pending[slot.head]!;
    slot.sent[slot.head] = undefined;
    slot.pending[slot.head++] = 0;
    if (slot.head === slot.pending.length) {
      slot.pending.length = 0;
      slot.sent.length = 0;
      slot.head = 0;
    }
    slot.inFlight--;
    this.initFailures = 0;
    if (busyMs >= 0) {
      this.latency.add(busyMs);
      this.serviceMs = this.serviceMs === undefined ? busyMs : this.serviceMs * 0.8 + busyMs * 0.2;
    }
    if (typeof seqs === 'number') {
      if (ok) this.finishValue(seqs, value);
      else this.failItem(seqs, value as string);
    } else if (ok && Array.isArray(value) && value.length === seqs.length) {
      for (let i = 0; i < seqs.length; i++) this.finishValue(seqs[i]!, value[i]);
    } else {
      const message = ok ? `a batch of ${seqs.length} items must return ${seqs.length} outputs, in order; run returned ${Array.isArray(value) ? value.length : typeof value}` : value as string;
      for (const seq of seqs) this.failItem(seq, message);
    }
    if (slot.retiring && slot.inFlight === 0) this.removeSlot(slot);
    this.pump();
  }

  private died(slot: Slot, reason: string, initFailed: boolean): void {
    if (this.stopped || !this.slots.includes(slot)) return;
    this.slots = this.slots.filter((s) => s !== slot);
    // A clone runs what it is sent one after another: the oldest unit was running when it died
    // (unless it never started), and that one takes the blame; the rest go to another clone.
    const running = initFailed ? slot.head : slot.head + 1;
    for (const seqs of slot.pending.slice(slot.head, running)) {
      for (const seq of typeof seqs === 'number' ? [seqs] : seqs) this.failItem(seq, `clone ${slot.index} died (${reason})`);
    }
    const again: Envelope[] = [];
    slot.pending.slice(running).forEach((seqs, i) => {
      const value = slot.sent[running + i];
      if (typeof seqs === 'number') again.push({ seq: seqs, kind: 'value', value });
      else seqs.forEach((seq, k) => again.push({ seq, kind: 'value', value: (value as unknown[])[k] }));
    });
    if (again.length) {
      // Back in index order, so that a scale-1 cell downstream still sees items in input order.
      this.ready = [...again, ...this.ready.slice(this.readyHead)].sort((x, y) => x.seq - y.seq);
      this.readyHead = 0;
    }
    if (initFailed && ++this.initFailures >= INIT_ATTEMPTS) this.broken = `its clones fail to start (${reason})`;
    if (!this.broken && !this.stopped) for (let live = this.clones; live < this.target; live++) this.addClone();
    this.pump();
  }

  private finishValue(seq: number, value: unknown): void {
    const wrong = missingOutputs(this.definition, value);
    if (wrong) return this.failItem(seq, wrong);
    this.counts.items++;
    this.finish({ seq, kind: 'value', value });
  }

  private failItem(seq: number, message: string): void {
    this.counts.errors++;
    const failure: ItemFailure = { cell: this.name, index: seq, message };
    if (this.policy === 'fail' && this.host.failStopsFlow) {
      this.host.fail(new ItemFailedError(this.name, seq, message));
      return;
    }
    if (this.policy === 'skip') {
      this.counts.skipped++;
      this.host.log(`cell "${this.name}" skipped item ${seq}: ${message}`);
      return this.finish({ seq, kind: 'skipped', failure });
    }
    this.finish({ seq, kind: 'failed', failure });
  }

  private finish(envelope: Envelope): void {
    if (!this.host.ordered) this.doneQueue.push(envelope);
    else {
      while (envelope.seq - this.nextEmit > this.mask) this.growDone();
      this.done[envelope.seq & this.mask] = envelope;
    }
    this.again = true;
  }

  private growDone(): void {
    const bigger = new Array<Envelope | undefined>(this.done.length * 2);
    for (const envelope of this.done) if (envelope) bigger[envelope.seq & (bigger.length - 1)] = envelope;
    this.done = bigger;
    this.mask = bigger.length - 1;
  }

  private addClone(): void {
    const used = new Set(this.slots.map((s) => s.index));
    let index = 0;
    while (used.has(index)) index++;
    let slot: Slot | undefined;
    const listener: CloneListener = {
      result: (ok, value, busyMs) => slot && this.completed(slot, ok, value, busyMs),
      died: (reason, initFailed) => slot && this.died(slot, reason, initFailed),
    };
    const spec: CloneSpec = { definition: this.definition, address: this.host.address(this.name), index, listener };
    const clone = this.kind === 'inline' ? new InlineClone(spec) : this.kind === 'threads' ? new ThreadClone(spec) : new ProcessClone(spec);
    slot = { index, clone, inFlight: 0, retiring: false, pending: [], sent: [], head: 0 };
    this.slots.push(slot);
  }

  private removeSlot(slot: Slot): void {
    this.slots = this.slots.filter((s) => s !== slot);
    void slot.clone.stop();
  }

  /** Ends every clone; the run calls it when the flow is done or stopped. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.batchTimer) clearTimeout(this.batchTimer);
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.clone.stop()));
  }

  metrics(): CellMetrics {
    const [p50, p90, p99] = this.latency.percentiles(0.5, 0.9, 0.99);
    let queued = this.ready.length - this.readyHead + this.joins.size;
    for (const channel of this.inputs) queued += channel.size;
    return {
      cell: this.name, ...this.counts, latencyMs: { p50: p50!, p90: p90!, p99: p99! }, queued,
      clones: this.clones, clonesBusy: this.slots.filter((s) => s.inFlight > 0).length,
    };
  }
}
