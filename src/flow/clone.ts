/**
 * A clone: one copy of a cell, with its own `init` state, running units one after another. The
 * cell runner decides which clone gets which unit; a clone only runs them and reports back.
 * One implementation per executor: inline-clone, thread-clone, process-clone.
 */
import type { CellDefinition, FlowExecutorKind } from './cell.js';
import type { CellAddress, UnitResult, WorkUnit } from './clone-messages.js';

export interface CloneListener {
  /** Units finished (their results, in order); `busyMs` is time spent in `run`. */
  results(results: readonly UnitResult[], busyMs: number): void;
  /** The clone is gone (init threw, it crashed or exited): units sent and not answered are lost. */
  died(reason: string, initFailed: boolean): void;
}

export interface Clone {
  readonly index: number;
  send(units: readonly WorkUnit[]): void;
  /** Ends the clone; the runner calls it only once nothing is in flight (or the flow is aborted). */
  stop(): Promise<void>;
}

export interface CloneSpec {
  readonly definition: CellDefinition;
  readonly address: CellAddress | undefined;
  readonly index: number;
  readonly listener: CloneListener;
}

export async function startClone(kind: FlowExecutorKind, spec: CloneSpec): Promise<Clone> {
  if (kind === 'inline') return new (await import('./inline-clone.js')).InlineClone(spec);
  if (kind === 'threads') return new (await import('./thread-clone.js')).ThreadClone(spec);
  return new (await import('./process-clone.js')).ProcessClone(spec);
}
