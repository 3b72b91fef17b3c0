/**
 * `cell()`: one step of a streaming flow. A cell is plain data plus its `run` (and `init`)
 * function, told apart by a `Symbol.for` brand rather than `instanceof`, because a worker thread
 * or child process loads the flow file with its own copy of this module.
 */
import { PipelineError } from '../errors.js';

const CELL = Symbol.for('pipewright.cell');
const IN_PORT = Symbol.for('pipewright.inPort');
const OUT_PORT = Symbol.for('pipewright.outPort');

/** Where a cell's clones run: the main thread, worker threads, or child processes. */
export type FlowExecutorKind = 'inline' | 'threads' | 'processes';
export const FLOW_EXECUTOR_KINDS: readonly FlowExecutorKind[] = ['inline', 'threads', 'processes'];

/**
 * What happens to an item whose `run` throws (or whose clone dies):
 * - `fail`: the flow stops, naming the cell, the item's index and the error;
 * - `skip`: the item is dropped (counted in the metrics, logged on stderr by the CLI);
 * - `emit`: an error record `{ error: { cell, index, message } }` takes its place in the output.
 */
export type ErrorPolicy = 'fail' | 'skip' | 'emit';
export const ERROR_POLICIES: readonly ErrorPolicy[] = ['fail', 'skip', 'emit'];

export interface BatchOptions {
  /** Most items per call of `run`. */
  readonly size: number;
  /** Longest an item waits for its batch to fill before a smaller batch is run. */
  readonly maxWaitMs: number;
}

/** What `run` receives besides the item. */
export interface CellContext<S = unknown> {
  readonly cell: string;
  /** Which clone of the cell runs this call (0-based); each clone has its own `state`. */
  readonly clone: number;
  /** What this clone's `init()` returned. */
  readonly state: S;
}

/** An input port of a cell; the type parameter is the value it takes. */
export interface InPort<T = unknown> {
  readonly [IN_PORT]: true;
  readonly cell: string;
  readonly port: string;
  /** Never set: carries the type for `connect` checks. */
  readonly accepts?: (value: T) => void;
}

/** An output port of a cell; the type parameter is the value it gives. */
export interface OutPort<T = unknown> {
  readonly [OUT_PORT]: true;
  readonly cell: string;
  readonly port: string;
  /** Never set: carries the type for `connect` checks. */
  readonly gives?: () => T;
}

/** Options shared by every cell, whatever its ports. */
export interface CellSettings<S> {
  /** Clones of the cell working at once; default 1. Order is kept whatever the scale. */
  readonly scale?: number;
  /** Default `threads` when `scale` > 1, else `inline`. */
  readonly executor?: FlowExecutorKind;
  /** Default `fail`. */
  readonly onError?: ErrorPolicy;
  /** Runs once per clone before its first item (load a model); what it returns is `ctx.state`. */
  readonly init?: () => S | Promise<S>;
  /** Items waiting in front of the cell; default the flow's `capacity`. */
  readonly capacity?: number;
}

type PortNames = readonly string[];
type Keyed<N extends PortNames, T> = { readonly [K in N[number]]: T };

/** The value a cell receives: the item, or with several named inputs one value of each. */
type InputOf<IN extends PortNames | undefined, I> = IN extends PortNames ? (I extends object ? I : Keyed<IN, unknown>) : I;

export interface CellOptions<I, O, S, IN extends PortNames | undefined, OUT extends PortNames | undefined> extends CellSettings<S> {
  /** Named input ports: `run` then gets an object with one value of each, joined by item. */
  readonly inputs?: IN;
  /** Named output ports: `run` then returns an object keyed by them. */
  readonly outputs?: OUT;
  readonly batch?: undefined;
  readonly run: (item: InputOf<IN, I>, ctx: CellContext<S>) => O | Promise<O>;
}

export interface BatchCellOptions<I, O, S, IN extends PortNames | undefined, OUT extends PortNames | undefined> extends CellSettings<S> {
  readonly inputs?: IN;
  readonly outputs?: OUT;
  /** `run` gets an array of up to `size` items and returns their outputs in the same order. */
  readonly batch: BatchOptions;
  readonly run: (items: readonly InputOf<IN, I>[], ctx: CellContext<S>) => readonly O[] | Promise<readonly O[]>;
}

type InPorts<IN, I> = IN extends PortNames ? { readonly [K in IN[number]]: InPort<I extends Record<K, infer V> ? V : unknown> } : { readonly in: InPort<I> };
type OutPorts<OUT, O> = OUT extends PortNames ? { readonly [K in OUT[number]]: OutPort<O extends Record<K, infer V> ? V : unknown> } : { readonly out: OutPort<O> };

/** What the engine needs of a cell, whatever its types. */
export interface CellDefinition {
  readonly [CELL]: true;
  readonly name: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** True when the cell declared named outputs (then `run` returns an object keyed by them). */
  readonly namedOutputs: boolean;
  /** A source cell (`source()`): no inputs; the flow pulls its items from what `run` returns. */
  readonly source: boolean;
  readonly options: CellSettings<unknown> & {
    readonly batch?: BatchOptions;
    readonly run: (item: never, ctx: CellContext<never>) => unknown;
  };
}

export interface Cell<I = unknown, O = unknown, IN = undefined, OUT = undefined> extends CellDefinition {
  readonly inputs: InPorts<IN, I>;
  readonly outputs: OutPorts<OUT, O>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function cell<I, O, S = undefined, const IN extends PortNames | undefined = undefined, const OUT extends PortNames | undefined = undefined>(
  name: string, options: BatchCellOptions<I, O, S, IN, OUT>): Cell<I, O, IN, OUT>;
export function cell<I, O, S = undefined, const IN extends PortNames | undefined = undefined, const OUT extends PortNames | undefined = undefined>(
  name: string, options: CellOptions<I, O, S, IN, OUT>): Cell<I, O, IN, OUT>;
export function cell(name: string, options: CellOptions<unknown, unknown, unknown, PortNames | undefined, PortNames | undefined>
  | BatchCellOptions<unknown, unknown, unknown, PortNames | undefined, PortNames | undefined>): CellDefinition {
  const bad = (message: string, hint?: string) => new PipelineError('pipeline-load', `cell "${name}": ${message}`, undefined, hint);
  checkCellName(name);
  if (typeof options?.run !== 'function') throw bad('needs a `run` function');
  const inputNames = portNames(options.inputs, 'in', 'inputs', bad);
  const outputNames = portNames(options.outputs, 'out', 'outputs', bad);
  const scale = options.scale ?? 1;
  if (!Number.isInteger(scale) || scale < 1) throw bad(`scale must be a whole number of clones ≥ 1, got ${String(scale)}`);
  if (options.executor !== undefined && !FLOW_EXECUTOR_KINDS.includes(options.executor)) {
    throw bad(`unknown executor "${String(options.executor)}"`, `use one of: ${FLOW_EXECUTOR_KINDS.join(', ')}`);
  }
  if (options.onError !== undefined && !ERROR_POLICIES.includes(options.onError)) {
    throw bad(`unknown onError "${String(options.onError)}"`, `use one of: ${ERROR_POLICIES.join(', ')}`);
  }
  if (options.capacity !== undefined && (!Number.isInteger(options.capacity) || options.capacity < 1)) throw bad('capacity must be a whole number ≥ 1');
  const batch = options.batch;
  if (batch !== undefined && (!Number.isInteger(batch.size) || batch.size < 1 || !(batch.maxWaitMs >= 0))) {
    throw bad('batch needs a whole `size` ≥ 1 and a `maxWaitMs` ≥ 0', 'for example `batch: { size: 32, maxWaitMs: 10 }`');
  }
  const inputs = Object.fromEntries(inputNames.map((port) => [port, { [IN_PORT]: true, cell: name, port } satisfies InPort]));
  const outputs = Object.fromEntries(outputNames.map((port) => [port, { [OUT_PORT]: true, cell: name, port } satisfies OutPort]));
  return {
    [CELL]: true, name, inputNames, outputNames, namedOutputs: options.outputs !== undefined, source: false,
    options: options as CellDefinition['options'], inputs, outputs,
  } as unknown as Cell;
}

export interface SourceOptions<O, S, OUT extends PortNames | undefined> {
  /** Named output ports: each value the source gives is then an object keyed by them. */
  readonly outputs?: OUT;
  /** Runs once before the first item; what it returns is `ctx.state`. */
  readonly init?: () => S | Promise<S>;
  /**
   * What happens to an item that lacks one of the named outputs: as for a cell. A source whose
   * iterator throws always stops the flow (a generator that threw has nothing more to give).
   */
  readonly onError?: ErrorPolicy;
  /**
   * The items, in order: an array, a generator or an async generator. The flow pulls the next one
   * only when the cells it feeds have room, so a source never runs ahead of the flow.
   */
  readonly run: (ctx: CellContext<S>) => Iterable<O> | AsyncIterable<O>;
}

/** A source cell's definition; `inputs` is empty, `outputs` as for a cell. */
export interface SourceCell<O = unknown, OUT = undefined> extends CellDefinition {
  readonly inputs: Record<string, never>;
  readonly outputs: OutPorts<OUT, O>;
}

/**
 * `source()`: a cell with outputs only, which the flow pulls (PyPipeline's SourceCell). A flow with
 * a source takes no pushed items: `stream()` and `pull()` run it, and it ends when the source does.
 * Sources run on the main thread, one item at a time; several sources in a flow are read in step,
 * item *i* of the flow being the *i*-th value of each.
 */
export function source<O, S = undefined, const OUT extends PortNames | undefined = undefined>(
  name: string, options: SourceOptions<O, S, OUT>): SourceCell<O, OUT> {
  const bad = (message: string, hint?: string) => new PipelineError('pipeline-load', `source "${name}": ${message}`, undefined, hint);
  checkCellName(name);
  if (typeof options?.run !== 'function') throw bad('needs a `run` function that returns the items (an array or a generator)');
  for (const key of ['scale', 'executor', 'batch', 'capacity', 'inputs'] as const) {
    if ((options as unknown as Record<string, unknown>)[key] !== undefined) {
      throw bad(`takes no \`${key}\``, 'a source runs on the main thread and is pulled one item at a time; scale the cells it feeds');
    }
  }
  if (options.onError !== undefined && !ERROR_POLICIES.includes(options.onError)) {
    throw bad(`unknown onError "${String(options.onError)}"`, `use one of: ${ERROR_POLICIES.join(', ')}`);
  }
  const outputNames = portNames(options.outputs, 'out', 'outputs', bad);
  const outputs = Object.fromEntries(outputNames.map((port) => [port, { [OUT_PORT]: true, cell: name, port } satisfies OutPort]));
  return {
    [CELL]: true, name, inputNames: [], outputNames, namedOutputs: options.outputs !== undefined, source: true,
    options: options as unknown as CellDefinition['options'], inputs: {}, outputs,
  } as unknown as SourceCell<O, OUT>;
}

function checkCellName(name: unknown): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new PipelineError('pipeline-load', `invalid cell name ${JSON.stringify(name)}`, undefined, 'use letters, digits, "_" and "-"; start with a letter or "_"');
  }
}

function portNames(names: PortNames | undefined, single: string, what: string, bad: (m: string, h?: string) => Error): string[] {
  if (names === undefined) return [single];
  if (Array.isArray(names) && names.length === 0) throw bad(`needs at least one of its ${what}`, `leave \`${what}\` out for one port named "${single}"`);
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || !NAME.test(n))) {
    throw bad(`${what} must be a list of port names`, `for example \`${what}: ['text', 'meta']\``);
  }
  if (new Set(names).size !== names.length) throw bad(`${what} name a port twice`);
  return [...names];
}

export function isCell(value: unknown): value is CellDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[CELL] === true;
}

export function isInPort(value: unknown): value is InPort {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[IN_PORT] === true;
}

export function isOutPort(value: unknown): value is OutPort {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[OUT_PORT] === true;
}

/** The executor a cell's clones use: `threads` by default once it is scaled up. */
export function executorOf(definition: CellDefinition, scale = definition.options.scale ?? 1): FlowExecutorKind {
  return definition.options.executor ?? (scale > 1 ? 'threads' : 'inline');
}
