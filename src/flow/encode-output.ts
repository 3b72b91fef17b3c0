/**
 * An output as JSON text, or why it cannot be: a BigInt, a cycle or a `toJSON` that throws must
 * answer that one item with an error naming the cell and the output, never stop a server or a
 * stream (the seed: "what happens when encoding … an output fails?").
 */
import type { CellDefinition } from './cell.js';
import type { ItemFailure } from './envelope.js';
import { portKey, type FlowGraph } from './graph.js';

export interface EncodingFailure extends ItemFailure {
  readonly output: string;
}

export type Encoded = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly failure: EncodingFailure; readonly cell: CellDefinition };

export function encodeOutput(graph: FlowGraph, index: number, value: unknown): Encoded {
  try {
    return { ok: true, text: JSON.stringify(value ?? null) ?? 'null' };
  } catch (err) {
    // With several exits the output is keyed `cell.port`: the first key that fails is the culprit.
    const exit = graph.exits.length === 1 ? graph.exits[0]! : graph.exits.find((e) => !encodes((value as Record<string, unknown>)[portKey(e)])) ?? graph.exits[0]!;
    const cell = graph.cells.find((c) => c.name === exit.cell)!;
    const message = `output "${exit.port}" cannot be encoded as JSON: ${(err as Error).message}`;
    return { ok: false, failure: { cell: exit.cell, output: exit.port, index, message }, cell };
  }
}

function encodes(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}
