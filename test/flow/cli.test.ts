import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CLI, useProjects, waitFor } from '../helpers/project.js';

const project = useProjects();

const SCORE = `import { cell, flow } from 'pipewright';
const parse = cell('parse', { run: (x: { text: string }) => x.text.trim() });
const words = cell('words', { scale: 2, executor: 'threads', run: async (text: string) => {
  await new Promise((r) => setTimeout(r, text.length % 3));
  return text.split(/\\s+/).length;
} });
const label = cell('label', { init: () => ({ n: 0 }), run: (count: number, { state }) => ({ count, n: state.n++ }) });
export default flow('score', [parse, words, label]);
`;

const lines = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ text: 'w '.repeat(i % 7 + 1) })).join('\n') + '\n';
const expected = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ count: i % 7 + 1, n: i })).join('\n') + '\n';

describe('pipewright stream', { timeout: 60_000 }, () => {
  it('reads JSON lines from --in (or stdin) and writes outputs in order to --out (or stdout)', async () => {
    const p = project({ 'score.flow.ts': SCORE, 'items.jsonl': lines(200) });
    const toFile = await p.run('stream', 'score.flow.ts', '--in', 'items.jsonl', '--out', 'out.jsonl');
    assert.equal(toFile.code, 0, toFile.stderr);
    assert.equal(p.read('out.jsonl'), expected(200));
    const piped = await p.run('stream', 'score.flow.ts', '--in', 'items.jsonl');
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout, expected(200));
  });

  it('a line that is not JSON: exit 2 naming the file and line (fail), or an error record in its place (emit)', async () => {
    const p = project({ 'score.flow.ts': SCORE, 'items.jsonl': '{"text": "a b"}\n{"text": "c"}\n{"text": oops}\n{"text": "d"}\n' });
    const failed = await p.run('stream', 'score.flow.ts', '--in', 'items.jsonl');
    assert.equal(failed.code, 2);
    assert.match(failed.stderr, /items\.jsonl:3: line 3 is not JSON/);
    assert.match(failed.stderr, /hint: .*onError/);
    assert.equal(failed.stdout, '{"count":2,"n":0}\n{"count":1,"n":1}\n', 'the lines before it came out');
    p.write({ 'score.flow.ts': SCORE.replace("cell('parse', {", "cell('parse', { onError: 'emit',") });
    const emitted = await p.run('stream', 'score.flow.ts', '--in', 'items.jsonl');
    assert.equal(emitted.code, 0, emitted.stderr);
    const out = emitted.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(out.length, 4);
    assert.equal(out[2].error.cell, 'input');
    assert.equal(out[2].error.index, 2);
    assert.match(out[2].error.message, /items\.jsonl: line 3 is not JSON/);
    assert.deepEqual(out[3], { count: 1, n: 2 });
  });

  it('an item failing in a cell stops the stream: exit 1 naming the cell, the item and the error', async () => {
    const p = project({
      'boom.flow.ts': `import { cell, flow } from 'pipewright';
export default flow('boom', [cell('check', { run: (x: number) => { if (x === 3) throw new Error('three is not allowed'); return x; } })]);
`, 'items.jsonl': '1\n2\n3\n4\n',
    });
    const result = await p.run('stream', 'boom.flow.ts', '--in', 'items.jsonl');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /cell "check" failed on item 2: three is not allowed/);
  });

  it('bad flow files: exit 2 with the reason and the fix (unknown port, unconnected input, cycle)', async () => {
    const p = project({
      'port.flow.ts': `import { cell, flow } from 'pipewright';
const a = cell('a', { run: (x: number) => x });
const b = cell('b', { inputs: ['left', 'right'], run: ({ left, right }: { left: number; right: number }) => left + right });
export default flow('port', { cells: [a, b], connect: [['a.out', 'b.lfet'], ['a.out', 'b.right']] });
`,
      'unfed.flow.ts': `import { cell, flow } from 'pipewright';
const a = cell('a', { run: (x: number) => x });
const b = cell('b', { inputs: ['left', 'right'], run: ({ left, right }: { left: number; right: number }) => left + right });
export default flow('unfed', { cells: [a, b], connect: [['a.out', 'b.left']] });
`,
      'loop.flow.ts': `import { cell, flow } from 'pipewright';
const a = cell('a', { run: (x: unknown) => x });
const b = cell('b', { inputs: ['item', 'back'], run: (x: unknown) => x });
const c = cell('c', { run: (x: unknown) => x });
export default flow('loop', { cells: [a, b, c], connect: [['a', 'b.item'], ['b', 'c'], ['c', 'b.back']] });
`,
      'items.jsonl': '1\n',
    });
    const port = await p.run('stream', 'port.flow.ts', '--in', 'items.jsonl');
    assert.equal(port.code, 2);
    assert.match(port.stderr, /flow "port": cell "b" has no input "lfet"/);
    assert.match(port.stderr, /did you mean "b\.left"\?/);
    const unfed = await p.run('stream', 'unfed.flow.ts', '--in', 'items.jsonl');
    assert.equal(unfed.code, 2);
    assert.match(unfed.stderr, /input b\.right is not connected/);
    const loop = await p.run('dag', 'loop.flow.ts');
    assert.equal(loop.code, 2);
    assert.match(loop.stderr, /flow "loop" has a cycle: (b → c → b|c → b → c)/);
  });

  it("dag FILE draws a flow's cells and connections", async () => {
    const p = project({ 'score.flow.ts': SCORE });
    const result = await p.run('dag', 'score.flow.ts');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'parse\n└─► words (×2 threads)\n    └─► label\n');
  });

  it('a flow is a stage of a pipeline and is cached like one', async () => {
    const p = project({
      'score.flow.ts': SCORE, 'items.jsonl': lines(20),
      'pipewright.yaml': `stages:\n  score:\n    cmd: node ${CLI} stream score.flow.ts --in items.jsonl --out scored.jsonl\n    deps: [score.flow.ts, items.jsonl]\n    outs: [scored.jsonl]\n`,
    });
    const first = await p.run('run');
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(p.read('scored.jsonl'), expected(20));
    const second = await p.run('run');
    assert.equal(second.code, 0);
    assert.doesNotMatch(second.stdout + second.stderr, /score (ran|done)/);
    assert.match(second.stdout + second.stderr, /up to date|nothing to do|skipped|cached/i);
  });
});

describe('pipewright serve', { timeout: 60_000 }, () => {
  const serve = async (p: ReturnType<typeof project>, file: string) => {
    const server = p.start(['serve', file, '--port', '0']);
    await waitFor(() => /serving flow .* on http:\/\/127\.0\.0\.1:\d+/.test(server.output()), 'the server to listen');
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())![1]!;
    return { ...server, url };
  };
  const post = async (url: string, body: string) => {
    const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    return { status: response.status, body: await response.json() as unknown };
  };

  it('answers items from many clients at once, each its own output; 400 for malformed JSON; 422 for a failing item, and goes on', async () => {
    const p = project({
      'api.flow.ts': `import { cell, flow } from 'pipewright';
const check = cell('check', { run: (x: { n: number }) => { if (x.n < 0) throw new Error('n must be positive'); return x.n; } });
const square = cell('square', { scale: 2, executor: 'threads', batch: { size: 8, maxWaitMs: 5 }, run: (ns: readonly number[]) => ns.map((n) => ({ n, square: n * n, batch: ns.length })) });
export default flow('api', [check, square]);
`,
    });
    const server = await serve(p, 'api.flow.ts');
    try {
      const answers = await Promise.all(Array.from({ length: 60 }, (_, n) => post(server.url, JSON.stringify({ n }))));
      answers.forEach((a, n) => {
        assert.equal(a.status, 200);
        assert.deepEqual({ ...(a.body as object), batch: undefined }, { n, square: n * n, batch: undefined });
      });
      assert.ok(answers.some((a) => (a.body as { batch: number }).batch > 1), 'requests arriving together were batched');
      const malformed = await post(server.url, '{"n": ');
      assert.equal(malformed.status, 400);
      assert.match((malformed.body as { error: { message: string } }).error.message, /malformed JSON/);
      const failing = await post(server.url, '{"n": -1}');
      assert.equal(failing.status, 422);
      assert.equal((failing.body as { error: { cell: string } }).error.cell, 'check');
      assert.equal((failing.body as { error: { message: string } }).error.message, 'n must be positive');
      assert.deepEqual((await post(server.url, '{"n": 3}')).body, { n: 3, square: 9, batch: 1 });
      const batch = await post(`${server.url}/batch`, JSON.stringify([{ n: 1 }, { n: -2 }, { n: 4 }]));
      assert.equal(batch.status, 200);
      const [one, bad, four] = batch.body as [{ square: number }, { error: { cell: string } }, { square: number }];
      assert.equal(one.square, 1);
      assert.equal(bad.error.cell, 'check');
      assert.equal(four.square, 16);
      const health = await fetch(`${server.url}/health`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok', flow: 'api', inFlight: 0 });
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      assert.match(metrics, /pipewright_cell_items_total\{flow="api",cell="square"\} 63/);
      assert.match(metrics, /pipewright_cell_errors_total\{flow="api",cell="check"\} 2/);
      assert.match(metrics, /pipewright_cell_latency_seconds\{flow="api",cell="square",quantile="0.99"\} \d/);
      assert.match(metrics, /pipewright_cell_clones\{flow="api",cell="square"\} 2/);
    } finally {
      server.child.kill('SIGTERM');
      assert.equal((await server.done).code, 0);
    }
  });

  it('past capacity answers 503 at once and keeps serving; SIGTERM lets requests in flight finish, then exits 0', async () => {
    const p = project({
      'slow.flow.ts': `import { cell, flow } from 'pipewright';
export default flow('slow', [cell('nap', { run: async (ms: number) => { await new Promise((r) => setTimeout(r, ms)); return ms; } })], { capacity: 2 });
`,
    });
    const server = await serve(p, 'slow.flow.ts');
    const flood = await Promise.all(Array.from({ length: 20 }, () => post(server.url, '300')));
    const statuses = flood.map((a) => a.status);
    assert.ok(statuses.includes(503), `some were refused: ${statuses.join(' ')}`);
    assert.ok(statuses.includes(200), 'some were served');
    assert.ok(statuses.every((s) => s === 200 || s === 503));
    assert.equal((await post(server.url, '1')).status, 200, 'and it still serves');
    // One slow request in flight, then SIGTERM: it is answered, and the server exits 0.
    const inFlight = post(server.url, '500');
    await new Promise((r) => setTimeout(r, 100));
    server.child.kill('SIGTERM');
    const answer = await inFlight;
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 500);
    const exit = await server.done;
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(exit.stderr, /SIGTERM: finishing the requests in flight/);
  });
});
