/**
 * What became of each instance, told once: the event that reports it, the run summary's lists,
 * the results collecting stages and generators read, and a fail-fast run's stop.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { stage } from '../../src/define/stage.js';
import { grid } from '../../src/define/sweep.js';
import type { RunEvent } from '../../src/run/events.js';
import { Outcomes } from '../../src/run/outcomes.js';
import { cmd, tsGraph } from '../helpers/graphs.js';

const graph = tsGraph([
  stage('prep', cmd('p', { params: z.object({ n: z.number().default(3) }) })),
  stage('train', cmd('t', { params: z.object({ lr: z.number().default(1) }), sweep: { space: { lr: grid([1, 2, 3, 4]) } }, outs: { m: 'm-${params.lr}' } })),
]);
const node = (name: string) => graph.nodes.get(name)!;
const [t1, t2, t3, t4] = ['train@lr=1', 'train@lr=2', 'train@lr=3', 'train@lr=4'].map(node) as [ReturnType<typeof node>, ReturnType<typeof node>, ReturnType<typeof node>, ReturnType<typeof node>];

function outcomes(failMode: 'keep-going' | 'fail-fast' = 'keep-going') {
  const events: RunEvent[] = [];
  const stop = new AbortController();
  return { events, stop, outcomes: new Outcomes((e) => events.push(e), failMode, stop) };
}

describe('outcomes', () => {
  it('each outcome sends its event as given, lands in its summary list and in the results', () => {
    const { events, stop, outcomes: o } = outcomes();
    const upToDate = { type: 'up-to-date', stage: t1.name, metrics: { acc: 0.9 } } as const;
    const restored = { type: 'restored', stage: t2.name, from: 'run-cache', reasons: [] } as const;
    const succeeded = { type: 'succeeded', stage: 'prep', durationMs: 5, metrics: { rows: 10 } } as const;
    o.upToDate(t1, upToDate);
    o.restored(t2, restored);
    o.succeeded(node('prep'), succeeded);
    o.failedInstance(t3, new Error('exit 1'), 7, '/logs/t3.log');
    o.skipped({ type: 'skipped', stage: t4.name, reason: 'upstream-failed', because: t3.name });
    assert.deepEqual(events.slice(0, 3), [upToDate, restored, succeeded]);
    assert.equal(events[0], upToDate, 'the very event');
    const failed = events[3] as Extract<RunEvent, { type: 'failed' }>;
    assert.deepEqual({ ...failed, error: { message: failed.error.message } },
      { type: 'failed', stage: t3.name, durationMs: 7, error: { message: 'exit 1' }, logPath: '/logs/t3.log' });
    assert.match(failed.error.stack!, /^Error: exit 1\n/);
    assert.deepEqual(events[4], { type: 'skipped', stage: t4.name, reason: 'upstream-failed', because: t3.name });

    assert.deepEqual(o.summary(false), {
      succeeded: ['prep'], upToDate: [t1.name], restored: [t2.name], failed: [t3.name], blocked: [], skipped: [t4.name], cancelled: false,
    });
    assert.equal(o.summary(true).cancelled, true);
    assert.deepEqual([...o.results.values()], [
      { name: t1.name, params: { lr: 1 }, values: { lr: 1 }, status: 'skipped', metrics: { acc: 0.9 } },
      { name: t2.name, params: { lr: 2 }, values: { lr: 2 }, status: 'restored' },
      { name: 'prep', params: { n: 3 }, values: {}, status: 'ran', metrics: { rows: 10 } },
      { name: t3.name, params: { lr: 3 }, values: { lr: 3 }, status: 'failed' },
    ]);
    assert.equal(stop.signal.aborted, false, 'keep-going: the run goes on');
    assert.deepEqual([...o.generated], []);
  });

  it('keeps no results when nothing reads them (no collecting stage, no generator): the events and summary are the same', () => {
    const events: RunEvent[] = [];
    const o = new Outcomes((e) => events.push(e), 'keep-going', new AbortController(), false);
    o.upToDate(t1, { type: 'up-to-date', stage: t1.name, metrics: { acc: 0.9 } });
    o.succeeded(node('prep'), { type: 'succeeded', stage: 'prep', durationMs: 5 });
    o.failedInstance(t3, new Error('exit 1'), 7, '/logs/t3.log');
    assert.equal(o.results.size, 0);
    assert.deepEqual(events.map((e) => e.type), ['up-to-date', 'succeeded', 'failed']);
    assert.deepEqual(o.summary(false).upToDate, [t1.name]);
    assert.deepEqual(o.summary(false).failed, [t3.name]);
  });

  it('first and last failure, and the last blocked', () => {
    const { outcomes: o } = outcomes();
    assert.equal(o.firstFailed, undefined);
    assert.equal(o.lastFailed, undefined);
    assert.equal(o.lastBlocked, undefined);
    o.failed('gen', 'a string thrown', 1, '/logs/gen.log');
    o.blocked(t1, { type: 'failed', stage: t1.name, durationMs: 0, error: { message: 'cannot start' }, logPath: '' });
    o.failedInstance(t2, new Error('x'), 1, '');
    assert.equal(o.firstFailed, 'gen');
    assert.equal(o.lastFailed, t2.name);
    assert.equal(o.lastBlocked, t1.name);
    const summary = o.summary(false);
    assert.deepEqual(summary.failed, ['gen', t1.name, t2.name]);
    assert.deepEqual(summary.blocked, [t1.name]);
    assert.equal(o.results.has('gen'), false, 'a generator\'s failure is no instance\'s result');
    assert.equal(o.results.get(t1.name)!.status, 'failed');
  });

  it('a non-Error failure is reported by its text', () => {
    const { events, outcomes: o } = outcomes();
    o.failed('s', 42, 1, '/l');
    assert.equal((events[0] as Extract<RunEvent, { type: 'failed' }>).error.message, '42');
  });

  it('a blocked instance sends its event as given', () => {
    const { events, outcomes: o } = outcomes();
    const event = { type: 'failed', stage: t1.name, durationMs: 0, error: { message: 'cannot start' }, logPath: '', blocked: [] } as const;
    o.blocked(t1, event);
    assert.deepEqual(events, [event]);
  });

  it('fail-fast: the first failure stops the run, naming it', () => {
    const { stop, outcomes: o } = outcomes('fail-fast');
    o.succeeded(t1, { type: 'succeeded', stage: t1.name, durationMs: 1 });
    assert.equal(stop.signal.aborted, false);
    o.failedInstance(t2, new Error('x'), 1, '');
    assert.equal(stop.signal.aborted, true);
    assert.equal((stop.signal.reason as Error).message, `stage "${t2.name}" failed`);
  });

  it('fail-fast: a blocked instance stops the run too', () => {
    const { stop, outcomes: o } = outcomes('fail-fast');
    o.skipped({ type: 'skipped', stage: t1.name, reason: 'cancelled' });
    assert.equal(stop.signal.aborted, false);
    o.blocked(t1, { type: 'failed', stage: t1.name, durationMs: 0, error: { message: 'cannot start' }, logPath: '' });
    assert.equal((stop.signal.reason as Error).message, `stage "${t1.name}" is blocked`);
  });

  it('keep-going: neither a failure nor a block stops the run', () => {
    const { stop, outcomes: o } = outcomes('keep-going');
    o.failed('a', new Error('x'), 1, '');
    o.blocked(t1, { type: 'failed', stage: t1.name, durationMs: 0, error: { message: 'cannot start' }, logPath: '' });
    assert.equal(stop.signal.aborted, false);
  });
});
