/**
 * Pulls a flow's items from its source cells (`source()`), PyPipeline's pull-driven start: the
 * next item is asked of the sources only when every channel they feed has room, so back-pressure
 * reaches the source itself and a generator never runs ahead of the flow. Several sources are read
 * in step: item *i* is the *i*-th value of each, sent on with index *i*, so the cells that join
 * them match by index as for named inputs. The first source that ends ends the flow's input.
 */
import type { CellContext, CellDefinition } from './cell.js';
import { missingOutputs } from './cell-runner.js';
import type { Outlet } from './channel.js';
import { errorMessage } from './clone-messages.js';
import type { Envelope } from './envelope.js';
import { ItemFailedError } from './errors.js';
import { LatencyRing, type CellMetrics } from './metrics.js';

/** What the source runner needs of the run it belongs to. */
export interface SourceHost {
  /** The next item's index (the run counts items in). */
  takeIndex(): number;
  /** The sources are done (or stopped): no more items. */
  endInput(): void;
  fail(error: Error): void;
  log(message: string): void;
}

type Pull = () => IteratorResult<unknown> | Promise<IteratorResult<unknown>>;

/** One source cell: what it feeds, and once started, how to ask it for the next value. */
export class SourceMember {
  /** Per output port, the channels it feeds; wired by the run. */
  readonly destinations: Outlet<Envelope>[][];
  pull: Pull | undefined;
  close: (() => void) | undefined;
  readonly counts = { items: 0, errors: 0, skipped: 0 };
  readonly latency = new LatencyRing();

  constructor(readonly definition: CellDefinition, readonly group: SourceRunner) {
    this.destinations = definition.outputNames.map(() => []);
  }

  /** Room freed downstream: the group may pull again. */
  pump(): void {
    this.group.pump();
  }

  get hasRoom(): boolean {
    for (const port of this.destinations) for (const outlet of port) if (outlet.full) return false;
    return true;
  }
}

export class SourceRunner {
  readonly members: SourceMember[];
  private started = false;
  private ready = false;
  private pulling = false;
  private again = false;
  private ended = false;
  /** Items pulled so far: the index of the next one. */
  private produced = 0;

  constructor(definitions: readonly CellDefinition[], private readonly host: SourceHost) {
    this.members = definitions.map((d) => new SourceMember(d, this));
  }

  /** Runs each source's `init` and `run`, then starts pulling. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void Promise.all(this.members.map((m) => open(m))).then(() => {
      this.ready = true;
      if (this.ended) this.closeAll();
      else this.pump();
    }, (err: { cell: string; cause: unknown }) => this.stopWith(err.cause, err.cell));
  }

  /** Pulls items while every source's channels have room; one pull at a time. */
  pump(): void {
    if (!this.ready || this.ended) return;
    if (this.pulling) {
      // Room freed while a pull was under way, maybe after its last look: look again after it.
      this.again = true;
      return;
    }
    this.pulling = true;
    this.again = false;
    void this.pullWhileRoom().finally(() => {
      this.pulling = false;
      if (this.again) this.pump();
    });
  }

  /** Stops pulling and lets each source's generator clean up (its `finally` runs). */
  stop(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.ready) this.closeAll();
  }

  private async pullWhileRoom(): Promise<void> {
    while (!this.ended && this.members.every((m) => m.hasRoom)) {
      const started = performance.now();
      let results: IteratorResult<unknown>[];
      let failing = 0;
      try {
        const pending = this.members.map((m, i) => {
          failing = i;
          return m.pull!();
        });
        // Synchronous sources (arrays, generators) answer without a promise per item.
        results = pending.some((r) => r instanceof Promise) ? await settleAll(pending, (i) => (failing = i)) : pending as IteratorResult<unknown>[];
      } catch (err) {
        return this.stopWith(err, this.members[failing]!.definition.name);
      }
      if (this.ended) return;
      if (results.some((r) => r.done)) {
        this.stop();
        this.host.endInput();
        return;
      }
      const seq = this.host.takeIndex();
      this.produced++;
      const elapsed = performance.now() - started;
      for (let i = 0; i < this.members.length; i++) this.send(this.members[i]!, seq, results[i]!.value, elapsed);
    }
  }

  private send(member: SourceMember, seq: number, value: unknown, elapsed: number): void {
    const { definition } = member;
    member.latency.add(elapsed);
    const wrong = missingOutputs(definition, value);
    let envelopes: Envelope[];
    if (wrong) {
      member.counts.errors++;
      const failure = { cell: definition.name, index: seq, message: wrong };
      const policy = definition.options.onError ?? 'fail';
      if (policy === 'fail') {
        this.stop();
        this.host.fail(new ItemFailedError(definition.name, seq, wrong));
        return;
      }
      if (policy === 'skip') {
        member.counts.skipped++;
        this.host.log(`source "${definition.name}" skipped item ${seq}: ${wrong}`);
      }
      const envelope: Envelope = { seq, kind: policy === 'skip' ? 'skipped' : 'failed', failure };
      envelopes = definition.outputNames.map(() => envelope);
    } else {
      member.counts.items++;
      envelopes = definition.outputNames.map((port) => ({ seq, kind: 'value', value: definition.namedOutputs ? (value as Record<string, unknown>)[port] : value }));
    }
    member.destinations.forEach((outlets, p) => {
      for (const outlet of outlets) outlet.push(envelopes[p]!);
    });
  }

  /** A source that throws (in `init`, `run` or its iterator) has nothing more to give: the flow stops. */
  private stopWith(err: unknown, cell: string): void {
    this.stop();
    this.host.fail(new ItemFailedError(cell, this.produced, `the source threw: ${errorMessage(err)}`));
  }

  private closeAll(): void {
    for (const member of this.members) {
      try {
        member.close?.();
      } catch {
        // A generator that throws while being closed has nothing more to say to the flow.
      }
    }
  }

  metrics(): CellMetrics[] {
    return this.members.map((m) => {
      const [p50, p90, p99] = m.latency.percentiles(0.5, 0.9, 0.99);
      return { cell: m.definition.name, ...m.counts, latencyMs: { p50: p50!, p90: p90!, p99: p99! }, queued: 0, clones: 1, clonesBusy: this.pulling ? 1 : 0 };
    });
  }
}

/** Runs a source's `init` and `run` and keeps its iterator's `next` and `return`. */
async function open(member: SourceMember): Promise<void> {
  try {
    await openIterator(member);
  } catch (cause) {
    throw { cell: member.definition.name, cause };
  }
}

async function openIterator(member: SourceMember): Promise<void> {
  const { definition } = member;
  const state = definition.options.init ? await definition.options.init() : undefined;
  const context: CellContext<unknown> = { cell: definition.name, clone: 0, state };
  const items = (definition.options.run as unknown as (ctx: CellContext<unknown>) => unknown)(context);
  const iterable = items as Partial<Iterable<unknown> & AsyncIterable<unknown>> | null;
  const iterator: Iterator<unknown> | AsyncIterator<unknown> | undefined = typeof iterable?.[Symbol.asyncIterator] === 'function' ? iterable[Symbol.asyncIterator]!()
    : typeof iterable?.[Symbol.iterator] === 'function' ? iterable[Symbol.iterator]!() : undefined;
  if (!iterator) throw new Error(`run must return the items (an array, a generator or an async generator), got ${items === null ? 'null' : typeof items}`);
  member.pull = () => iterator.next();
  member.close = () => {
    const closing = iterator.return?.();
    if (closing instanceof Promise) closing.catch(() => {});
  };
}

/** Awaits each pull, noting which one is being waited on, so that a rejection names its source. */
async function settleAll(pending: readonly (IteratorResult<unknown> | Promise<IteratorResult<unknown>>)[], waiting: (i: number) => void): Promise<IteratorResult<unknown>[]> {
  // Each is awaited in turn: the later ones must not count as unhandled while an earlier one is awaited.
  for (const p of pending) if (p instanceof Promise) p.catch(() => {});
  const results: IteratorResult<unknown>[] = [];
  for (let i = 0; i < pending.length; i++) {
    waiting(i);
    results.push(await pending[i]!);
  }
  return results;
}
