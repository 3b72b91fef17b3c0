/** Errors a running flow raises. Bad flow files and bad input are `PipelineError`s, as for pipelines. */

/** An item failed in a cell whose `onError` is `fail` (the default): the flow stopped. */
export class ItemFailedError extends Error {
  override readonly name = 'ItemFailedError';
  constructor(readonly cell: string, readonly index: number, readonly reason: string) {
    super(`cell "${cell}" failed on item ${index}: ${reason}`);
  }
}

/** The flow was stopped (`abort`, or its consumer stopped reading) before this could finish. */
export class FlowAbortedError extends Error {
  override readonly name = 'FlowAbortedError';
  constructor(reason?: unknown) {
    super(`the flow was stopped${reason instanceof Error ? `: ${reason.message}` : ''}`, { cause: reason });
  }
}
