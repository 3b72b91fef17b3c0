/**
 * The scheduler's ready queue, called directly on graphs of real pipeline files, with the real
 * executors (cmd stages in pooled shells): what the run announces, the order stages start in, what
 * is skipped after a failure or a block and why, fail-fast, a cancel, and -j. No run cache: every
 * stage runs. scheduler.test.ts and controls.test.ts cover the same through the CLI.
 */
import { strict as assert } from 'node:assert';
import { getEventListeners } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { stage } from '../../src/define/stage.js';
import { grid } from '../../src/define/sweep.js';
import { createExecutorSet } from '../../src/executors/executor-set.js';
import type { PipelineGraph } from '../../src/graph/graph.js';
import { selectStages } from '../../src/graph/select.js';
import type { FailMode, RunEvent, RunSummary } from '../../src/run/events.js';
import { runStages } from '../../src/run/scheduler.js';
import { cmd, tsGraph, yamlGraph } from '../helpers/graphs.js';

interface Ran {
  readonly summary: RunSummary;
  readonly events: RunEvent[];
  /** `type stage` of each instance event, in order. */
  readonly log: string[];
}

async function run(graph: PipelineGraph, options: { targets?: string[]; stages?: string[]; jobs?: number; failMode?: FailMode; signal?: AbortSignal; onEvent?: (e: RunEvent) => void; generatedLimit?: number } = {}): Promise<Ran> {
  const jobs = options.jobs ?? 1;
  const executors = createExecutorSet(jobs);
  const events: RunEvent[] = [];
  try {
    const summary = await runStages({
      graph,
      stages: options.stages ?? selectStages(graph, { targets: options.targets ?? [] }),
      jobs,
      failMode: options.failMode ?? 'keep-going',
      executorFor: (kind) => executors.get(kind),
      logDir: join(graph.declaration.root, '.pipewright/logs'),
      onEvent: (e) => {
        events.push(e);
        options.onEvent?.(e);
      },
      signal: options.signal,
      generatedLimit: options.generatedLimit,
    });
    const log = events.flatMap((e) => ('stage' in e && e.type !== 'log' ? [`${e.type} ${e.stage}${e.type === 'skipped' ? ` ${e.reason}${e.because ? ` (${e.because})` : ''}` : ''}`] : []));
    return { summary, events, log };
  } finally {
    await executors.close();
  }
}

const chain = `stages:
  a:
    cmd: echo a > a.txt
    outs: [a.txt]
  b:
    cmd: cat a.txt > b.txt
    deps: [a.txt]
    outs: [b.txt]
  c:
    cmd: cat b.txt > c.txt
    deps: [b.txt]
    outs: [c.txt]
`;

describe('the ready queue', () => {
  it('announces the run, then runs each stage once its upstream is done, and sums it up', async () => {
    const graph = yamlGraph(chain);
    const { summary, events, log } = await run(graph);
    assert.deepEqual(events[0], { type: 'run-started', stages: ['a', 'b', 'c'], jobs: 1, failMode: 'keep-going', graph: [
      { stage: 'a', upstream: [] }, { stage: 'b', upstream: ['a'] }, { stage: 'c', upstream: ['b'] },
    ] });
    assert.deepEqual(log, ['queued a', 'started a', 'succeeded a', 'queued b', 'started b', 'succeeded b', 'queued c', 'started c', 'succeeded c']);
    assert.deepEqual(events.find((e) => e.type === 'queued'), { type: 'queued', stage: 'a', of: 'a', params: {} });
    const finished = events.at(-1)!;
    assert.equal(finished.type, 'run-finished');
    assert.deepEqual(finished.type === 'run-finished' && finished.summary, summary);
    assert.deepEqual(summary, { succeeded: ['a', 'b', 'c'], upToDate: [], restored: [], failed: [], blocked: [], skipped: [], cancelled: false });
    assert.equal(readFileSync(join(graph.declaration.root, 'c.txt'), 'utf8'), 'a\n');
  });

  it('queues every stage with nothing to wait for at once, in order', async () => {
    const graph = yamlGraph('stages:\n  x:\n    cmd: "true"\n  y:\n    cmd: "true"\n  z:\n    cmd: "true"\n');
    const { log } = await run(graph, { jobs: 1 });
    assert.deepEqual(log.slice(0, 3), ['queued x', 'queued y', 'queued z']);
  });

  it('a stage reading several waits for all of them', async () => {
    const graph = yamlGraph(`stages:
  slow:
    cmd: sleep 0.2 && touch s
    outs: [s]
  fast:
    cmd: touch f
    outs: [f]
  both:
    cmd: cat s f
    deps: [s, f]
`);
    const { log } = await run(graph, { jobs: 2 });
    assert.ok(log.indexOf('queued both') > log.indexOf('succeeded slow'), log.join('\n'));
    assert.ok(log.indexOf('queued both') > log.indexOf('succeeded fast'), log.join('\n'));
    assert.equal(log.filter((l) => l === 'queued both').length, 1);
  });

  it('a selection runs only what is selected and waits only on that', async () => {
    const graph = yamlGraph(chain, { 'a.txt': 'old\n' });
    const { summary, events, log } = await run(graph, { targets: ['b'] });
    assert.deepEqual(summary.succeeded, ['a', 'b']);
    assert.equal(log.some((l) => l.endsWith(' c')), false);
    assert.deepEqual(events[0]!.type === 'run-started' && events[0].graph, [{ stage: 'a', upstream: [] }, { stage: 'b', upstream: ['a'] }]);
  });

  it('stages given without their upstream wait only for what is given', async () => {
    const graph = yamlGraph(chain, { 'a.txt': 'kept\n' });
    const { summary, events } = await run(graph, { stages: ['b', 'c'] });
    assert.deepEqual(summary.succeeded, ['b', 'c']);
    assert.deepEqual(events[0]!.type === 'run-started' && events[0].graph, [{ stage: 'b', upstream: [] }, { stage: 'c', upstream: ['b'] }]);
    assert.equal(readFileSync(join(graph.declaration.root, 'c.txt'), 'utf8'), 'kept\n');
  });

  it('the run-finished event says how long the run took', async () => {
    const before = Date.now();
    const { events } = await run(yamlGraph('stages:\n  a:\n    cmd: "true"\n'));
    const elapsed = Date.now() - before;
    const finished = events.at(-1)!;
    assert.ok(finished.type === 'run-finished' && finished.durationMs >= 0 && finished.durationMs <= elapsed, JSON.stringify(finished));
  });

  it('leaves nothing listening to the caller\'s signal (a queue runs many runs on one)', async () => {
    const signal = new AbortController().signal;
    await run(yamlGraph(chain), { signal });
    assert.equal(getEventListeners(signal, 'abort').length, 0);
  });

  it('makes the log folder', async () => {
    const graph = yamlGraph('stages:\n  a:\n    cmd: "true"\n');
    await run(graph);
    assert.ok(existsSync(join(graph.declaration.root, '.pipewright/logs')));
  });
});

describe('after a failure', () => {
  const yaml = `stages:
  bad:
    cmd: exit 3
    outs: [bad.txt]
  mid:
    cmd: cat bad.txt > mid.txt
    deps: [bad.txt]
    outs: [mid.txt]
  end:
    cmd: cat mid.txt
    deps: [mid.txt]
  other:
    cmd: touch o
    outs: [o]
  after:
    cmd: cat o
    deps: [o]
`;
  it('keep-going: everything downstream is skipped because of it, however far; the rest runs', async () => {
    const { summary, log } = await run(yamlGraph(yaml));
    assert.deepEqual(summary.failed, ['bad']);
    assert.deepEqual(summary.skipped, ['mid', 'end']);
    assert.deepEqual(summary.succeeded, ['other', 'after']);
    assert.ok(log.includes('skipped mid upstream-failed (bad)'), log.join('\n'));
    assert.ok(log.includes('skipped end upstream-failed (bad)'), log.join('\n'));
    assert.equal(summary.cancelled, false);
  });

  it('fail-fast: what did not start is skipped as cancelled, naming the first failure', async () => {
    const { summary, log } = await run(yamlGraph(yaml), { failMode: 'fail-fast' });
    assert.deepEqual(summary.failed, ['bad']);
    assert.deepEqual(summary.succeeded, []);
    assert.deepEqual([...summary.skipped].sort(), ['after', 'end', 'mid', 'other']);
    // `other` may have had its slot already (then the runner names no cause); the others never started.
    for (const s of ['mid', 'end', 'after']) assert.ok(log.includes(`skipped ${s} cancelled (bad)`), log.join('\n'));
    assert.equal(summary.cancelled, false, 'no one cancelled the run');
  });

  it('a blocked stage (a dep missing) skips its downstream as upstream-blocked', async () => {
    const graph = yamlGraph(`stages:
  use:
    cmd: cat gone.txt > u.txt
    deps: [gone.txt]
    outs: [u.txt]
  next:
    cmd: cat u.txt
    deps: [u.txt]
  last:
    cmd: "true"
    deps: [u.txt, n.txt]
  n:
    cmd: touch n.txt
    outs: [n.txt]
`);
    const { summary, log } = await run(graph);
    assert.deepEqual(summary.blocked, ['use']);
    assert.deepEqual(summary.failed, ['use']);
    assert.ok(log.includes('skipped next upstream-blocked (use)'), log.join('\n'));
    assert.ok(log.includes('skipped last upstream-blocked (use)'), log.join('\n'));
    assert.deepEqual(summary.skipped, ['next', 'last']);
    assert.deepEqual(summary.succeeded, ['n']);
  });

  it('a stage downstream of two failures is skipped once', async () => {
    const graph = yamlGraph(`stages:
  x:
    cmd: exit 1
    outs: [x]
  y:
    cmd: exit 1
    outs: [y]
  z:
    cmd: cat x y
    deps: [x, y]
`);
    const { summary } = await run(graph, { jobs: 2 });
    assert.deepEqual([...summary.failed].sort(), ['x', 'y']);
    assert.deepEqual(summary.skipped, ['z']);
  });
});

describe('a cancel', () => {
  it('stops the running stage and skips what did not start, as cancelled with no cause', async () => {
    const graph = yamlGraph(`stages:
  long:
    cmd: touch started && sleep 30
    outs: [l]
  then:
    cmd: cat l
    deps: [l]
  beside:
    cmd: "true"
`);
    const stop = new AbortController();
    const { summary, log } = await run(graph, {
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'started' && e.stage === 'long') setTimeout(() => stop.abort(new Error('^C')), 50);
      },
    });
    assert.equal(summary.cancelled, true);
    assert.deepEqual(summary.succeeded, []);
    assert.ok(log.includes('skipped then cancelled'), log.join('\n'));
    assert.ok(log.includes('skipped beside cancelled'), log.join('\n'));
    assert.equal(log.some((l) => l.startsWith('skipped then upstream')), false, 'not blamed on long');
  });

  it('after a failure, keep-going: what the cancel stops is not blamed on the failure', async () => {
    const graph = yamlGraph(`stages:
  bad:
    cmd: exit 1
  long:
    cmd: sleep 30
    outs: [l]
  then:
    cmd: cat l
    deps: [l]
`);
    const stop = new AbortController();
    let failed = false;
    let started = false;
    const { summary, log } = await run(graph, {
      jobs: 2,
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'failed') failed = true;
        if (e.type === 'started' && e.stage === 'long') started = true;
        if (failed && started && !stop.signal.aborted) stop.abort(new Error('^C'));
      },
    });
    assert.equal(summary.cancelled, true);
    assert.deepEqual(summary.failed, ['bad']);
    assert.ok(log.includes('skipped then cancelled'), log.join('\n'));
  });

  it('a run cancelled before it began (Ctrl-C while the project loaded) starts nothing', async () => {
    const stop = new AbortController();
    stop.abort();
    const { summary, log } = await run(yamlGraph(chain), { signal: stop.signal });
    assert.equal(summary.cancelled, true);
    assert.deepEqual(summary.succeeded, []);
    assert.equal(log.some((l) => l.startsWith('started')), false, log.join('\n'));
    assert.deepEqual(summary.skipped, ['a', 'b', 'c']);
  });
});

describe('-j', () => {
  /** Stages that each note how many were running when they started (a folder of markers). */
  const counting = (n: number) => `stages:\n${Array.from({ length: n }, (_, i) => `  s${i}:
    cmd: mkdir -p running && touch running/s${i} && ls running | wc -l > seen-s${i} && sleep 0.15 && rm running/s${i}
    outs: [seen-s${i}]
`).join('')}`;
  const seen = (graph: PipelineGraph, n: number) => Array.from({ length: n }, (_, i) => Number(readFileSync(join(graph.declaration.root, `seen-s${i}`), 'utf8')));

  it('runs at most -j commands at once', async () => {
    const graph = yamlGraph(counting(6));
    const { summary } = await run(graph, { jobs: 2 });
    assert.equal(summary.succeeded.length, 6);
    assert.ok(seen(graph, 6).every((c) => c <= 2), String(seen(graph, 6)));
  });

  it('-j 1: one at a time', async () => {
    const graph = yamlGraph(counting(3));
    await run(graph, { jobs: 1 });
    assert.deepEqual(seen(graph, 3), [1, 1, 1]);
  });

  it('many ready stages all run, more than it plans ahead', async () => {
    const graph = yamlGraph(`stages:\n${Array.from({ length: 12 }, (_, i) => `  s${i}:\n    cmd: "true"\n`).join('')}`);
    const { summary } = await run(graph, { jobs: 1 });
    assert.equal(summary.succeeded.length, 12);
  });
});

describe('sweeps in the run', () => {
  it('the run\'s DAG has one node per declared stage, its instances each an instance event', async () => {
    const train = stage('train', cmd('echo ${params.lr} > m-${params.lr}', {
      params: z.object({ lr: z.number().default(1) }), sweep: { space: { lr: grid([1, 2]) } }, outs: { m: 'm-${params.lr}' },
    }));
    const graph = tsGraph([train, stage('report', cmd('cat m-1 m-2', { inputs: { runs: train.all } }))]);
    const { events, summary } = await run(graph, { jobs: 2 });
    assert.deepEqual(events[0], { type: 'run-started', stages: ['train@lr=1', 'train@lr=2', 'report'], jobs: 2, failMode: 'keep-going', graph: [
      { stage: 'train', upstream: [] }, { stage: 'report', upstream: ['train'] },
    ] });
    assert.deepEqual(summary.succeeded.slice(-1), ['report']);
    assert.deepEqual(events.filter((e) => e.type === 'queued').map((e) => e.type === 'queued' && [e.stage, e.of, e.params]),
      [['train@lr=1', 'train', { lr: 1 }], ['train@lr=2', 'train', { lr: 2 }], ['report', 'report', {}]]);
  });

  it('a generated sweep is not announced itself; its instances run and what collects them after', async () => {
    const params = z.object({ lr: z.number().default(1) });
    const gen = stage('gen', cmd('echo ${params.lr} > g-${params.lr}', {
      params, outs: { g: 'g-${params.lr}' },
      sweep: { space: { lr: grid([1, 2, 3]) }, async *generate() {
        yield { lr: 1 };
        yield { lr: 2 };
        yield { lr: 3 };
      } },
    }));
    const graph = tsGraph([gen, stage('report', cmd('cat g-*', { inputs: { runs: gen.all } }))]);
    const { events, summary, log } = await run(graph, { jobs: 2, generatedLimit: 2 });
    assert.deepEqual(events[0]!.type === 'run-started' && events[0].stages, ['report']);
    assert.equal(log.includes('queued gen'), false);
    assert.deepEqual([...summary.succeeded].sort(), ['gen@lr=1', 'gen@lr=2', 'report']);
    assert.equal(summary.succeeded.at(-1), 'report');
  });

  it('a run-started graph has no edge from a sweep to itself, even where one instance reads another', async () => {
    const params = z.object({ lr: z.number().default(1), from: z.number().default(0) });
    const train = stage('train', cmd('touch m-${params.lr}-${params.from}', {
      params, sweep: { space: { lr: grid([1, 2]), from: grid([0, 1]) } }, deps: ['m-${params.from}-0'], outs: { m: 'm-${params.lr}-${params.from}' },
    }));
    const graph = tsGraph([train]);
    assert.deepEqual(graph.nodes.get('train@lr=2,from=1')!.upstream, ['train@lr=1,from=0'], 'the pipeline this test is about');
    const { events } = await run(graph);
    assert.deepEqual(events[0]!.type === 'run-started' && events[0].graph, [{ stage: 'train', upstream: [] }]);
  });

  it('a generated sweep downstream of a failure is skipped silently: it made no instance to skip', async () => {
    const params = z.object({ lr: z.number().default(1) });
    const bad = stage('bad', cmd('exit 1', { outs: { o: 'bad.txt' } }));
    const gen = stage('gen', cmd('cat bad.txt', {
      params, deps: ['bad.txt'], outs: { g: 'g-${params.lr}' },
      sweep: { space: { lr: grid([1]) }, async *generate() {
        yield { lr: 1 };
      } },
    }));
    const graph = tsGraph([bad, gen, stage('report', cmd('true', { inputs: { runs: gen.all } }))]);
    const { summary, log } = await run(graph);
    assert.deepEqual(summary.failed, ['bad']);
    assert.deepEqual(summary.skipped, ['report']);
    assert.ok(log.includes('skipped report upstream-failed (bad)'), log.join('\n'));
    assert.equal(log.some((l) => l.includes(' gen')), false, log.join('\n'));
  });

  it('a failed generated instance skips what collects the sweep', async () => {
    const params = z.object({ lr: z.number().default(1) });
    const gen = stage('gen', cmd('exit ${params.lr}', {
      params, outs: { g: 'g-${params.lr}' },
      sweep: { space: { lr: grid([1]) }, async *generate() {
        yield { lr: 1 };
      } },
    }));
    const graph = tsGraph([gen, stage('report', cmd('true', { inputs: { runs: gen.all } }))]);
    const { summary, log } = await run(graph);
    assert.deepEqual(summary.failed, ['gen@lr=1']);
    assert.ok(log.includes('skipped report upstream-failed (gen@lr=1)'), log.join('\n'));
  });
});
