/**
 * What travels between the cells of a running flow: each item of the input gets a sequence number
 * (its index) and passes every cell exactly once, as a value, a failure (`onError: 'emit'`), or a
 * skipped mark (`onError: 'skip'`). Because no index is ever missing, a cell keeps order by
 * emitting index after index, and a join matches its inputs by index.
 */

/** Why an item has no output: the cell, the item's index, the message. */
export interface ItemFailure {
  readonly cell: string;
  readonly index: number;
  readonly message: string;
}

export type Envelope =
  | { readonly seq: number; readonly kind: 'value'; readonly value: unknown }
  | { readonly seq: number; readonly kind: 'failed'; readonly failure: ItemFailure }
  | { readonly seq: number; readonly kind: 'skipped'; readonly failure: ItemFailure };
