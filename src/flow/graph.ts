/**
 * Turns a flow's cells and connections into a checked graph: every port named exists, every input
 * is fed exactly once, no cycles but through a recurrent connection (one with an initial value),
 * no scaled cell inside such a loop, no pushed input beside a source. Errors name the flow, the
 * cell and the port, with a fix.
 */
import { PipelineError, closestName } from '../errors.js';
import { isCell, isInPort, isOutPort, type CellDefinition } from './cell.js';

export interface PortAddress {
  readonly cell: string;
  readonly port: string;
}

/** One end of a connection as the user may write it: a port, a cell with one such port, or `'cell.port'`. */
export type PortReference = PortAddress | CellDefinition | string;

export interface FlowEdge {
  readonly from: PortAddress;
  readonly to: PortAddress;
}

/**
 * A recurrent connection (PyPipeline's RecurrentConnection): item *i* gets on `to` what item *i−1*
 * gave on `from`, and item 0 gets `initial`. It may close a loop; the loop's cells run one item
 * at a time, since each waits for the previous item's value.
 */
export interface RecurrentEdge extends FlowEdge {
  readonly initial: unknown;
}

export interface FlowGraph {
  readonly name: string;
  /** In an order where every cell comes after the cells feeding it. */
  readonly cells: readonly CellDefinition[];
  /** The connections that carry an item forward (the graph's edges, acyclic). */
  readonly edges: readonly FlowEdge[];
  /** Connections that carry the previous item's value back (or on); not part of the order. */
  readonly recurrent: readonly RecurrentEdge[];
  /** Source cells, which the flow pulls its items from; with any, `entries` is empty. */
  readonly sources: readonly string[];
  /** Cells inside a loop closed by a recurrent connection: never scaled. */
  readonly loopCells: readonly string[];
  /** The input ports the flow's items go into (cells no other cell feeds). */
  readonly entries: readonly PortAddress[];
  /** The output ports nothing reads: the flow's output (one value, or an object keyed `cell.port`). */
  readonly exits: readonly PortAddress[];
}

export const portKey = (address: PortAddress): string => `${address.cell}.${address.port}`;

export function buildFlowGraph(name: string, cells: readonly unknown[], connect: readonly (readonly unknown[])[] | undefined): FlowGraph {
  const bad = (message: string, hint?: string) => new PipelineError('bad-input', `flow "${name}": ${message}`, undefined, hint);
  if (!Array.isArray(cells) || cells.length === 0) throw bad('has no cells', 'give it a list: `flow(name, [parse, score])`');
  const byName = new Map<string, CellDefinition>();
  for (const [i, c] of cells.entries()) {
    if (!isCell(c)) throw bad(`item ${i} of its cells is not a cell`, 'make each with `cell(name, { run })`');
    if (byName.has(c.name)) throw new PipelineError('duplicate-stage', `flow "${name}": two cells are named "${c.name}"`, undefined, 'give each cell its own name');
    byName.set(c.name, c);
  }
  const pairs = connect ?? chain(cells as CellDefinition[], bad);
  const edges: FlowEdge[] = [];
  const recurrent: RecurrentEdge[] = [];
  const fed = new Map<string, FlowEdge>();
  const read = new Set<string>();
  for (const [i, pair] of pairs.entries()) {
    if (!Array.isArray(pair) || (pair.length !== 2 && pair.length !== 3)) throw bad(`connection ${i} is not a [from, to] pair`);
    const from = resolvePort(pair[0], 'output', byName, bad);
    const to = resolvePort(pair[1], 'input', byName, bad);
    const edge: FlowEdge | RecurrentEdge = pair.length === 3 ? { from, to, initial: initialOf(pair[2], i, bad) } : { from, to };
    const previous = fed.get(portKey(to));
    if (previous) {
      throw bad(`input ${portKey(to)} is fed twice (by ${portKey(previous.from)} and ${portKey(from)})`,
        'an input takes one connection; to join two values give the cell two named inputs');
    }
    fed.set(portKey(to), edge);
    read.add(portKey(from));
    if ('initial' in edge) recurrent.push(edge as RecurrentEdge);
    else edges.push(edge);
  }
  // A cycle first: an input left unfed on one is a symptom, the cycle the thing to fix.
  const ordered = topologicalOrder(name, [...byName.values()], edges);
  const sources = [...byName.values()].filter((c) => c.source).map((c) => c.name);
  const entries: PortAddress[] = [];
  for (const c of byName.values()) {
    const unfed = c.inputNames.filter((port) => !fed.has(`${c.name}.${port}`));
    if (unfed.length === 0) continue;
    // The flow's items go into a cell's one input, or its one input besides those that come
    // round a recurrent connection (a running mean's `x` beside its `prev`).
    const loopedBack = c.inputNames.filter((port) => recurrent.some((e) => e.to.cell === c.name && e.to.port === port));
    if (unfed.length === 1 && unfed.length + loopedBack.length === c.inputNames.length) {
      if (sources.length) {
        throw bad(`input ${c.name}.${unfed[0]} is not connected, and the flow pulls its items from source "${sources[0]}"`,
          'a flow with a source takes no pushed items: connect the input to an output');
      }
      entries.push({ cell: c.name, port: unfed[0]! });
      continue;
    }
    throw bad(`input${unfed.length > 1 ? 's' : ''} ${unfed.map((p) => `${c.name}.${p}`).join(', ')} ${unfed.length > 1 ? 'are' : 'is'} not connected`,
      'connect each named input to an output; only a cell with one input (besides recurrent ones) can take the flow\'s items directly');
  }
  const exits: PortAddress[] = [];
  for (const c of byName.values()) for (const port of c.outputNames) if (!read.has(`${c.name}.${port}`)) exits.push({ cell: c.name, port });
  const loopCells = loopsOf(ordered, edges, recurrent, bad);
  return { name, cells: ordered, edges, recurrent, sources, loopCells, entries, exits };
}

function initialOf(third: unknown, i: number, bad: (m: string, h?: string) => Error): unknown {
  if (typeof third !== 'object' || third === null || !('initial' in third)) {
    throw bad(`connection ${i} has a third element that is not { initial }`, 'a recurrent connection is `[from, to, { initial: value }]`: item 0 gets `initial` on `to`');
  }
  return (third as { initial: unknown }).initial;
}

/**
 * The cells on a loop a recurrent connection closes: those on a path from its `to` cell to its
 * `from` cell. Each item there waits for the previous one's value, so a scaled cell would only
 * hold clones idle, and is refused.
 */
function loopsOf(cells: readonly CellDefinition[], edges: readonly FlowEdge[], recurrent: readonly RecurrentEdge[], bad: (m: string, h?: string) => Error): string[] {
  const after = new Map<string, string[]>(cells.map((c) => [c.name, []]));
  const before = new Map<string, string[]>(cells.map((c) => [c.name, []]));
  for (const { from, to } of edges) {
    after.get(from.cell)!.push(to.cell);
    before.get(to.cell)!.push(from.cell);
  }
  const reach = (start: string, next: ReadonlyMap<string, readonly string[]>) => {
    const seen = new Set([start]);
    for (const stack = [start]; stack.length; ) for (const n of next.get(stack.pop()!)!) if (!seen.has(n)) (seen.add(n), stack.push(n));
    return seen;
  };
  const inLoop = new Set<string>();
  for (const edge of recurrent) {
    const downstream = reach(edge.to.cell, after);
    if (!downstream.has(edge.from.cell)) continue;
    const upstream = reach(edge.from.cell, before);
    for (const c of downstream) {
      if (!upstream.has(c)) continue;
      inLoop.add(c);
      const definition = cells.find((d) => d.name === c)!;
      const scale = definition.options.scale ?? 1;
      if (scale > 1) {
        throw bad(`cell "${c}" has scale ${scale} but is inside the loop that ${portKey(edge.from)} → ${portKey(edge.to)} closes`,
          'items in a recurrent loop pass one at a time (each waits for the one before): take `scale` off, or move the slow work out of the loop');
      }
    }
  }
  return cells.map((c) => c.name).filter((c) => inLoop.has(c));
}

/** A list of cells is a chain: each one's output feeds the next one's input. */
function chain(cells: readonly CellDefinition[], bad: (m: string, h?: string) => Error): [PortAddress, PortAddress][] {
  const pairs: [PortAddress, PortAddress][] = [];
  for (let i = 1; i < cells.length; i++) {
    const from = cells[i - 1]!;
    const to = cells[i]!;
    if (from.outputNames.length !== 1 || to.inputNames.length !== 1) {
      const which = from.outputNames.length !== 1 ? `"${from.name}" has ${from.outputNames.length} outputs` : `"${to.name}" has ${to.inputNames.length} inputs`;
      throw bad(`cannot chain ${from.name} → ${to.name}: ${which}`, 'wire named ports with `flow(name, { cells, connect: [[from, to], ...] })`');
    }
    pairs.push([{ cell: from.name, port: from.outputNames[0]! }, { cell: to.name, port: to.inputNames[0]! }]);
  }
  return pairs;
}

function resolvePort(reference: unknown, side: 'input' | 'output', cells: ReadonlyMap<string, CellDefinition>, bad: (m: string, h?: string) => Error): PortAddress {
  let cellName: string;
  let port: string | undefined;
  if (typeof reference === 'string') [cellName, port] = reference.includes('.') ? reference.split('.', 2) as [string, string] : [reference, undefined];
  else if (isCell(reference)) cellName = reference.name;
  else if (isInPort(reference) || isOutPort(reference)) {
    if (isInPort(reference) !== (side === 'input')) throw bad(`${reference.cell}.${reference.port} is an ${side === 'input' ? 'output' : 'input'}, used as an ${side}`, 'a connection goes [output, input]');
    ({ cell: cellName, port } = reference);
  } else if (isAddress(reference)) ({ cell: cellName, port } = reference);
  else throw bad(`a connection's ${side} is not a port`, 'write `[parse.outputs.out, score.inputs.in]`, `[parse, score]` or `[\'parse.out\', \'score.in\']`');
  const target = cells.get(cellName);
  if (!target) {
    const guess = closestName(cellName, cells.keys());
    throw bad(`connection names unknown cell "${cellName}"`, guess ? `did you mean "${guess}"?` : `its cells are: ${[...cells.keys()].join(', ')}`);
  }
  const ports = side === 'input' ? target.inputNames : target.outputNames;
  if (port === undefined) {
    if (ports.length !== 1) throw bad(`cell "${cellName}" has ${ports.length} ${side}s; name one`, `one of: ${ports.map((p) => `${cellName}.${p}`).join(', ')}`);
    return { cell: cellName, port: ports[0]! };
  }
  if (!ports.includes(port)) {
    const guess = closestName(port, ports);
    throw bad(`cell "${cellName}" has no ${side} "${port}"`, guess ? `did you mean "${cellName}.${guess}"?` : `its ${side}s: ${ports.join(', ') || 'none'}`);
  }
  return { cell: cellName, port };
}

function isAddress(value: unknown): value is PortAddress {
  return typeof value === 'object' && value !== null && typeof (value as PortAddress).cell === 'string' && typeof (value as PortAddress).port === 'string';
}

function topologicalOrder(name: string, cells: readonly CellDefinition[], edges: readonly FlowEdge[]): CellDefinition[] {
  const waiting = new Map(cells.map((c) => [c.name, 0]));
  const next = new Map<string, string[]>(cells.map((c) => [c.name, []]));
  for (const { from, to } of edges) {
    waiting.set(to.cell, waiting.get(to.cell)! + 1);
    next.get(from.cell)!.push(to.cell);
  }
  const ready = cells.filter((c) => waiting.get(c.name) === 0).map((c) => c.name);
  const order: string[] = [];
  while (ready.length) {
    const current = ready.shift()!;
    order.push(current);
    for (const after of next.get(current)!) {
      const left = waiting.get(after)! - 1;
      waiting.set(after, left);
      if (left === 0) ready.push(after);
    }
  }
  if (order.length < cells.length) {
    const cycle = findCycle(cells.filter((c) => !order.includes(c.name)).map((c) => c.name), next);
    throw new PipelineError('cycle', `flow "${name}" has a cycle: ${cycle.join(' → ')}`, undefined,
      'a value that loops back needs a recurrent connection with the value item 0 gets: `[from, to, { initial: value }]`');
  }
  const byName = new Map(cells.map((c) => [c.name, c]));
  return order.map((n) => byName.get(n)!);
}

/** Every stuck cell has a stuck cell feeding it, so walking back from one must come round. */
function findCycle(stuck: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[] {
  const inCycle = new Set(stuck);
  const feeding = (cell: string) => [...next].find(([from, to]) => inCycle.has(from) && to.includes(cell))![0];
  const path: string[] = [];
  let current = stuck[0]!;
  while (!path.includes(current)) {
    path.push(current);
    current = feeding(current);
  }
  return [...path.slice(path.indexOf(current)), current].reverse();
}
