/**
 * Errors a user can act on. Every error caused by the user's input (a pipeline file, a params
 * file, a command-line flag) is a `PipelineError` with a `code` that tests and the UI match on,
 * and, where there is one, the file and position it points at. The CLI formats them in one place
 * (cli/format-error.ts) and exits with code 2.
 */

export type ErrorCode =
  | 'usage'
  | 'pipeline-not-found'
  | 'pipeline-load'
  | 'yaml-syntax'
  | 'yaml-schema'
  | 'params-file'
  | 'param-invalid'
  | 'param-override'
  | 'duplicate-stage'
  | 'unknown-stage'
  | 'cycle'
  | 'out-conflict'
  | 'out-overlap'
  | 'bad-input'
  | 'interpolation'
  | 'bad-sweep'
  | 'unknown-run'
  | 'locked'
  /** A remote (shared cache) that is not configured, not reachable, or written wrongly. */
  | 'remote'
  /** `.pipewright/runs.db` cannot be read whole: `runs --repair`. */
  | 'store-damaged'
  /** A stage asked for by name needs a dep that is missing: the pipeline is valid, the run cannot happen (exit 1). */
  | 'blocked'
  /** `export dvc`: what DVC cannot express, or a file that would be overwritten. */
  | 'not-exportable'
  /** `compile`: what a cluster workflow cannot express (a sweep whose instances a generator makes as it runs). */
  | 'not-compilable'
  /** A feature whose optional package is not installed (S3 remotes, workers, serve, plots): `npm i` it. */
  | 'missing-package';

export interface SourcePosition {
  readonly file: string;
  /** 1-based line. */
  readonly line?: number;
  /** 1-based column. */
  readonly col?: number;
}

export class PipelineError extends Error {
  override readonly name = 'PipelineError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly where?: SourcePosition,
    /** What the user can do about it. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

export function isPipelineError(err: unknown): err is PipelineError {
  return err instanceof Error && (err as { name?: string }).name === 'PipelineError' && 'code' in err;
}

/** A stage failed while running: its own code threw, or its command exited non-zero. */
export class StageFailure extends Error {
  override readonly name = 'StageFailure';
  constructor(message: string, readonly exitCode?: number, readonly signal?: string) {
    super(message);
  }
}

/** The run was cancelled (Ctrl-C, or fail-fast after another stage failed). */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(reason?: unknown) {
    super('cancelled', { cause: reason });
  }
}

/** Suggest the closest known name, for "Do you mean ...?" hints. */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
