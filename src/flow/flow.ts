/**
 * `flow()`: a named graph of cells. A list of cells is a chain; `{ cells, connect }` wires named
 * ports. The graph is checked when the flow is made (unknown ports, unconnected inputs, cycles);
 * nothing runs until it is asked for items: `stream()`, or `push()`/`pull()`.
 */
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { PipelineError } from '../errors.js';
import { stackFiles } from '../define/stack-files.js';
import type { Cell, CellDefinition, InPort, OutPort } from './cell.js';
import { buildFlowGraph, type FlowGraph, type PortReference } from './graph.js';
import { FlowRun, unknownCell, type ErrorRecord, type FlowRunOptions } from './run.js';
import type { FlowMetrics } from './metrics.js';

const FLOW = Symbol.for('pipewright.flow');

/** Items waiting between two cells, by default: enough that scaled-up clones never idle on a slow item. */
export const DEFAULT_CAPACITY = 32;

export interface FlowOptions {
  /** Items waiting in front of each cell (and in the flow's output); default 32. */
  readonly capacity?: number;
  /**
   * Default true: outputs come out in input order, and every cell sees items in that order. False
   * lets each item through as soon as it is done (a little faster when work is uneven).
   */
  readonly ordered?: boolean;
  /** The module defining the flow (`import.meta.url`), when it cannot be told from the call stack. */
  readonly file?: string;
}

export interface ConnectedFlowSpec<C> extends FlowOptions {
  readonly cells: readonly CellDefinition[];
  /** `[from, to]` pairs: an output port and an input port (`[parse.outputs.out, score.inputs.in]`, `['parse.out', 'score.in']`, or cells with one port). */
  readonly connect: C;
}

type AnyPort = OutPort<never> | InPort<never> | PortReference;
/** `[from, to]`, or `[from, to, { initial }]` for a recurrent connection (item i gets item i−1's value). */
type Pair = readonly [AnyPort, AnyPort] | readonly [AnyPort, AnyPort, { readonly initial: unknown }];
/** A connection whose ends TS can see the types of must carry the output's type into the input. */
type CheckPair<P> = P extends readonly [OutPort<infer T>, InPort<infer U>]
  ? unknown extends T ? P : [T] extends [U] ? P : readonly [OutPort<T>, InPort<T>]
  : P extends readonly [OutPort<infer T>, InPort<infer U>, { readonly initial: infer V }]
    ? unknown extends T ? P : [T] extends [U] ? ([V] extends [U] ? P : readonly [OutPort<T>, InPort<U>, { readonly initial: U }]) : readonly [OutPort<T>, InPort<T>, { readonly initial: T }]
    : P;
type Checked<C> = { readonly [K in keyof C]: CheckPair<C[K]> };

type InputOf<C> = C extends Cell<infer I, unknown, infer IN, unknown> ? (IN extends undefined ? I : unknown) : unknown;
type OutputOf<C> = C extends Cell<unknown, infer O, unknown, infer OUT> ? (OUT extends undefined ? O : unknown) : unknown;
type Last<T extends readonly unknown[]> = T extends readonly [...unknown[], infer L] ? L : T[number];

/** What `pull()` and `stream()` give: the output, or with `onError: 'emit'` an error record in its place. */
export type FlowOutput<O> = O | ErrorRecord;

export interface FlowDefinition<I = unknown, O = unknown> {
  readonly [FLOW]: true;
  readonly name: string;
  readonly graph: FlowGraph;
  readonly options: Required<Omit<FlowOptions, 'file'>>;
  /** The module that defines the flow: clones on threads and processes load it. */
  readonly file: string | undefined;
  /**
   * Runs the flow over some items: outputs in input order; the clones stop when the items are done.
   * A flow with a source cell is run with no items (`stream()`): it pulls its own.
   */
  stream(items?: Iterable<I> | AsyncIterable<I>, options?: FlowRunOptions): AsyncGenerator<FlowOutput<O>, void, undefined>;
  /** Feeds one item in; waits while the flow is full. Refused by a flow with a source cell. */
  push(item: I): Promise<void>;
  /** The next output, in input order (a flow with a source pulls it from the source). */
  pull(): Promise<FlowOutput<O>>;
  /** No more items: waits for those in flight, then stops the clones. */
  close(): Promise<void>;
  /** Changes a cell's clones at run time; in-flight items finish first, none is lost. */
  scale(cell: string, clones: number): Promise<void>;
  metrics(): FlowMetrics | undefined;
  /** A run of its own (the server uses one); `stream`, `push` and `pull` make theirs. */
  start(options?: FlowRunOptions): FlowRun;
}

interface Internal {
  file: string | undefined;
  current: FlowRun | undefined;
  closed: boolean;
}

export function flow<const C extends readonly CellDefinition[]>(name: string, cells: C, options?: FlowOptions): FlowDefinition<InputOf<C[0]>, OutputOf<Last<C>>>;
export function flow<I = unknown, O = unknown, const C extends readonly Pair[] = readonly Pair[]>(name: string, spec: ConnectedFlowSpec<C & Checked<C>>): FlowDefinition<I, O>;
export function flow(name: string, spec: readonly CellDefinition[] | ConnectedFlowSpec<readonly Pair[]>, extra: FlowOptions = {}): FlowDefinition {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
    throw new PipelineError('pipeline-load', `invalid flow name ${JSON.stringify(name)}`, undefined, 'use letters, digits, "_" and "-"');
  }
  const chained = Array.isArray(spec);
  const options: FlowOptions = chained ? extra : { ...(spec as ConnectedFlowSpec<unknown>), ...extra };
  const graph = chained ? buildFlowGraph(name, spec, undefined)
    : buildFlowGraph(name, (spec as ConnectedFlowSpec<unknown>).cells, (spec as ConnectedFlowSpec<readonly Pair[]>).connect as readonly (readonly [unknown, unknown])[]);
  const capacity = options.capacity ?? DEFAULT_CAPACITY;
  if (!Number.isInteger(capacity) || capacity < 1) throw new PipelineError('pipeline-load', `flow "${name}": capacity must be a whole number ≥ 1`);
  if (options.ordered === false && graph.recurrent.length) {
    throw new PipelineError('pipeline-load', `flow "${name}": a recurrent connection needs the items in order`, undefined, 'leave `ordered` out (true)');
  }
  const internal: Internal = { file: options.file ? toPath(options.file) : callerFile(), current: undefined, closed: false };
  const self: FlowDefinition = {
    [FLOW]: true,
    name,
    graph,
    options: { capacity, ordered: options.ordered ?? true },
    get file() {
      return internal.file;
    },
    start: (runOptions) => new FlowRun(self, runOptions),
    async *stream(items, runOptions) {
      const pulled = graph.sources.length > 0;
      if (pulled && items !== undefined) {
        throw new PipelineError('usage', `flow "${name}" pulls its items from source "${graph.sources[0]}": call stream() without items`);
      }
      if (!pulled && (items === null || typeof items !== 'object')) {
        throw new PipelineError('usage', `flow "${name}" has no source cell: give stream() the items (an array, a generator or an async iterable)`);
      }
      const run = self.start(runOptions);
      const feeding = pulled ? Promise.resolve() : (async () => {
        try {
          // A plain iterable is read without a promise per item while the flow has room.
          if (Symbol.iterator in items!) for (const item of items) run.offer(item) ?? await run.push(item);
          else for await (const item of items!) await run.push(item);
          run.endInput();
        } catch (err) {
          run.abort(err);
        }
      })();
      let finished = false;
      try {
        for (;;) {
          const next = await run.next();
          if (next.done) break;
          yield next.value;
        }
        finished = true;
      } finally {
        // A consumer that stops early (break, throw) stops the flow; its clones do not linger.
        if (!finished) run.abort(new Error('the consumer stopped reading'));
        await feeding;
        await run.close();
      }
    },
    push: (item) => {
      internal.closed = false;
      return current().push(item).then(() => undefined);
    },
    async pull() {
      // Pulling from a closed flow would wait forever: nothing can be pushed into that run.
      if (!internal.current && internal.closed) throw new PipelineError('usage', `flow "${name}" is closed and has no more outputs`, undefined, 'pull once per item pushed, before close()');
      const next = await current().next();
      if (next.done) throw new PipelineError('usage', `flow "${name}" is closed and has no more outputs`, undefined, 'pull once per item pushed');
      return next.value;
    },
    async close() {
      const run = internal.current;
      internal.current = undefined;
      internal.closed = true;
      await run?.close();
    },
    async scale(cellName, clones) {
      if (!internal.current) {
        if (!graph.cells.some((c) => c.name === cellName)) throw unknownCell(name, cellName, graph.cells.map((c) => c.name));
        throw new PipelineError('usage', `flow "${name}" is not running: scale() changes the clones of a running flow`, undefined, 'give the cell `scale: N` to start with N clones');
      }
      return internal.current.scale(cellName, clones);
    },
    metrics: () => internal.current?.metrics(),
  };
  const current = () => (internal.current ??= self.start());
  return self;
}

export function isFlow(value: unknown): value is FlowDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[FLOW] === true;
}

/** The CLI knows the file it loaded; that beats what the call stack said. */
export function setFlowFile(definition: FlowDefinition, file: string): void {
  const descriptor = Object.getOwnPropertyDescriptor(definition, 'file');
  if (descriptor?.get) Object.defineProperty(definition, 'file', { value: file, enumerable: true });
}

function toPath(file: string): string {
  return file.startsWith('file:') ? fileURLToPath(file) : file;
}

const OWN_DIR = dirname(fileURLToPath(import.meta.url));

/** The module that called `flow()`: the first frame on the stack outside this folder. */
function callerFile(): string | undefined {
  return stackFiles(20).find((file) => dirname(file) !== OWN_DIR && !file.includes('/node_modules/tsx/'));
}
