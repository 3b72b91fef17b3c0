/**
 * One instance's attempts: each under its own signal (the run's cancel, and the stage's timeout),
 * a failed one retried after a backoff while the stage's retry policy allows. Only failures are
 * retried, never a cancelled run; a timed-out attempt is a failure that says so.
 */
import { formatDuration, type RetryPolicy } from '../define/controls.js';
import { CancelledError, StageFailure } from '../errors.js';

export interface AttemptOptions<T> {
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
  /** The run's cancel: it ends the current attempt and every retry. */
  readonly stop: AbortSignal;
  readonly attempt: (signal: AbortSignal, number: number) => Promise<T>;
  /** Told before each retry, with the failure and how long it waits. */
  readonly onRetry?: (failed: number, of: number, error: Error, delayMs: number) => void;
}

export async function withAttempts<T>(options: AttemptOptions<T>): Promise<T> {
  const total = 1 + (options.retry?.limit ?? 0);
  let delay = options.retry?.backoffMs ?? 0;
  for (let n = 1; ; n++) {
    const attempt = new AbortController();
    const cancel = () => attempt.abort(options.stop.reason);
    options.stop.addEventListener('abort', cancel, { once: true });
    let timedOut = false;
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      attempt.abort(new Error('timed out'));
    }, options.timeoutMs);
    try {
      return await options.attempt(attempt.signal, n);
    } catch (err) {
      if (options.stop.aborted) throw err;
      const failure = timedOut ? new StageFailure(`timed out after ${formatDuration(options.timeoutMs!)}`) : asError(err);
      if (n >= total) throw failure;
      options.onRetry?.(n, total, failure, delay);
      await sleep(delay, options.stop);
      delay *= options.retry!.factor;
    } finally {
      if (timer) clearTimeout(timer);
      options.stop.removeEventListener('abort', cancel);
    }
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError(signal.reason));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError(signal.reason));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
