/**
 * Messages between a cell runner (main thread) and a clone in a worker thread or child process.
 * Only the address of the cell (flow file, flow name, cell name) and items cross; the clone loads
 * the flow file itself and finds the cell by name.
 */

/** The cell a clone runs, by address. */
export interface CellAddress {
  readonly file: string;
  readonly flow: string;
  readonly cell: string;
}

/** How one call of `run` ended: its output, or the message of what it threw. */
export type UnitResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string };

/** Main → clone: load the cell and run its `init`; sent once, first. */
export interface StartMessage {
  readonly type: 'start';
  readonly address: CellAddress;
  readonly clone: number;
}

/** Main → clone: values to call `run` with (an item, or a batch's array), one after another, in this order. */
export interface WorkMessage {
  readonly type: 'work';
  readonly units: readonly unknown[];
}

export type ToClone = StartMessage | WorkMessage;

/** Clone → main: results, in the order the units came (which is how they are matched); `busyMs` is the time spent in `run`. */
export interface ResultsMessage {
  readonly type: 'results';
  readonly results: readonly UnitResult[];
  readonly busyMs: number;
}

/** Clone → main: loading the flow or `init()` threw; the clone is of no use. */
export interface InitFailedMessage {
  readonly type: 'init-failed';
  readonly message: string;
}

/** Clone → main: what the cell printed (it goes to the main process's stderr). */
export interface CloneOutputMessage {
  readonly type: 'output';
  readonly text: string;
}

export type FromClone = ResultsMessage | InitFailedMessage | CloneOutputMessage;

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
