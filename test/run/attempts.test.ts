/**
 * One instance's attempts: retried on failure while the policy allows, with the backoff growing by
 * its factor; a timed-out attempt is a failure that says so; a cancelled run is never retried.
 * Backoffs here are a few milliseconds: what is checked is what each retry is told, not how long.
 */
import { strict as assert } from 'node:assert';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { CancelledError, StageFailure } from '../../src/errors.js';
import { withAttempts } from '../../src/run/attempts.js';

/** Resolves when `signal` aborts, with its reason. */
const aborted = (signal: AbortSignal) => new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));

describe('retries', () => {
  it('without a policy, one attempt: its error as it was thrown', async () => {
    const stop = new AbortController();
    const numbers: number[] = [];
    const failure = new StageFailure('exit 3', 3);
    await assert.rejects(withAttempts({ stop: stop.signal, attempt: async (_s, n) => {
      numbers.push(n);
      throw failure;
    } }), (err) => err === failure);
    assert.deepEqual(numbers, [1]);
  });

  it('a value thrown that is not an Error becomes one', async () => {
    await assert.rejects(withAttempts({ stop: new AbortController().signal, attempt: async () => {
      throw 'plain text';
    } }), (err: Error) => err instanceof Error && err.message === 'plain text');
  });

  it('the first success is the result, after as many retries as it took', async () => {
    const told: [number, number, string, number][] = [];
    const result = await withAttempts({
      stop: new AbortController().signal,
      retry: { limit: 3, backoffMs: 2, factor: 3 },
      attempt: async (_s, n) => {
        if (n < 3) throw new Error(`failure ${n}`);
        return `ok on ${n}`;
      },
      onRetry: (failed, of, error, delay) => told.push([failed, of, error.message, delay]),
    });
    assert.equal(result, 'ok on 3');
    assert.deepEqual(told, [[1, 4, 'failure 1', 2], [2, 4, 'failure 2', 6]]);
  });

  it('gives up after the limit, with the last failure', async () => {
    const told: number[] = [];
    let attempts = 0;
    await assert.rejects(withAttempts({
      stop: new AbortController().signal,
      retry: { limit: 2, backoffMs: 1, factor: 2 },
      attempt: async (_s, n) => {
        attempts++;
        throw new Error(`failure ${n}`);
      },
      onRetry: (_f, _o, _e, delay) => told.push(delay),
    }), { message: 'failure 3' });
    assert.equal(attempts, 3);
    assert.deepEqual(told, [1, 2]);
  });

  it('retries with no backoff given at once, and without anyone told', async () => {
    let attempts = 0;
    const result = await withAttempts({
      stop: new AbortController().signal,
      retry: { limit: 1, backoffMs: 0, factor: 2 },
      attempt: async () => {
        if (++attempts === 1) throw new Error('once');
        return attempts;
      },
    });
    assert.equal(result, 2);
  });
});

describe('the run\'s cancel', () => {
  it('ends the running attempt through its signal, with the run\'s reason, and is not retried', async () => {
    const stop = new AbortController();
    let attempts = 0;
    const retried: number[] = [];
    const run = withAttempts({
      stop: stop.signal,
      retry: { limit: 5, backoffMs: 1, factor: 1 },
      attempt: async (signal) => {
        attempts++;
        const reason = await aborted(signal);
        throw reason;
      },
      onRetry: (n) => retried.push(n),
    });
    await new Promise((r) => setImmediate(r));
    const reason = new Error('user pressed ^C');
    stop.abort(reason);
    await assert.rejects(run, (err) => err === reason);
    assert.equal(attempts, 1);
    assert.deepEqual(retried, []);
  });

  it('during a backoff: no further attempt, a cancelled error with the reason', async () => {
    const stop = new AbortController();
    let attempts = 0;
    const run = withAttempts({
      stop: stop.signal,
      retry: { limit: 5, backoffMs: 60_000, factor: 1 },
      attempt: async () => {
        attempts++;
        throw new Error('fails');
      },
      onRetry: () => setImmediate(() => stop.abort('stopped')),
    });
    await assert.rejects(run, (err: Error) => err instanceof CancelledError && err.cause === 'stopped');
    assert.equal(attempts, 1);
  });

  it('already cancelled when the backoff would begin: no wait, no further attempt', async () => {
    const stop = new AbortController();
    let attempts = 0;
    await assert.rejects(withAttempts({
      stop: stop.signal,
      retry: { limit: 5, backoffMs: 60_000, factor: 1 },
      attempt: async () => {
        attempts++;
        throw new Error('fails');
      },
      onRetry: () => stop.abort('now'),
    }), (err: Error) => err instanceof CancelledError && err.cause === 'now');
    assert.equal(attempts, 1);
  });

  it('leaves nothing listening to the run\'s cancel once done, however many retries waited', async () => {
    const stop = new AbortController();
    let attempts = 0;
    await withAttempts({
      stop: stop.signal,
      retry: { limit: 3, backoffMs: 1, factor: 1 },
      attempt: async () => {
        if (++attempts < 4) throw new Error('again');
      },
    });
    assert.equal(attempts, 4);
    assert.equal(getEventListeners(stop.signal, 'abort').length, 0, 'a long run would pile up listeners on its signal');
  });

  it('each attempt stops listening to the run\'s cancel when it ends', async () => {
    const stop = new AbortController();
    const signals: AbortSignal[] = [];
    await withAttempts({
      stop: stop.signal,
      retry: { limit: 2, backoffMs: 0, factor: 1 },
      attempt: async (signal, n) => {
        signals.push(signal);
        if (n < 3) throw new Error('again');
      },
    });
    stop.abort();
    assert.deepEqual(signals.map((s) => s.aborted), [false, false, false], 'a finished attempt is not cancelled after');
  });
});

describe('timeouts', () => {
  it('a timed-out attempt fails saying so, and is retried like any failure', async () => {
    const told: string[] = [];
    const reasons: unknown[] = [];
    await assert.rejects(withAttempts({
      stop: new AbortController().signal,
      timeoutMs: 5,
      retry: { limit: 1, backoffMs: 0, factor: 1 },
      attempt: async (signal) => {
        reasons.push(await aborted(signal));
        throw new Error('killed');
      },
      onRetry: (_n, _of, error) => told.push(`${error.name}: ${error.message}`),
    }), (err: Error) => err instanceof StageFailure && err.message === 'timed out after 5ms');
    assert.deepEqual(told, ['StageFailure: timed out after 5ms']);
    assert.deepEqual(reasons.map((r) => (r as Error).message), ['timed out', 'timed out']);
  });

  it('says the timeout in seconds when it is', async () => {
    await assert.rejects(withAttempts({
      stop: new AbortController().signal,
      timeoutMs: 1000,
      attempt: async (signal) => {
        await aborted(signal);
        throw new Error('killed');
      },
    }), { message: 'timed out after 1s' });
  });

  it('an attempt that ends in time is neither aborted after nor reported as timed out', async () => {
    const signals: AbortSignal[] = [];
    await assert.rejects(withAttempts({
      stop: new AbortController().signal,
      timeoutMs: 20,
      attempt: async (signal) => {
        signals.push(signal);
        throw new Error('its own failure');
      },
    }), { message: 'its own failure' });
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(signals[0]!.aborted, false, 'the timer was cleared');
    const ok = await withAttempts({ stop: new AbortController().signal, timeoutMs: 20, attempt: async (signal) => {
      signals.push(signal);
      return 'done';
    } });
    assert.equal(ok, 'done');
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(signals[1]!.aborted, false);
  });
});
