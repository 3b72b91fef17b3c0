/**
 * Outputs that cannot be written as JSON (a BigInt, a cycle) answer their own item with an error naming the
 * cell and the output: `serve` gives that request a 500 and goes on serving, `stream` follows the cell's
 * onError (exit 1 with one line, or an error record in the item's place). And every named output must be set.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { cell, flow } from '../../src/index.js';
import { useProjects, waitFor } from '../helpers/project.js';

const project = useProjects();

const BIGINT_FLOW = (onError: string) => `import { cell, flow } from 'pipewright';
const size = cell('size', { onError: '${onError}', run: (x: { n: number }) => (x.n === 2 ? { n: BigInt(x.n) } : x.n === 3 ? (() => { const o: Record<string, unknown> = {}; o.self = o; return o; })() : { n: x.n }) });
export default flow('sizes', [size]);
`;
const ITEMS = '{"n": 1}\n{"n": 2}\n{"n": 3}\n{"n": 4}\n';

describe('outputs that cannot be encoded as JSON', { timeout: 60_000 }, () => {
  it('stream, onError fail (the default): the outputs before it, then exit 1 with one line naming the cell, the output and the item', async () => {
    const p = project({ 'sizes.flow.ts': BIGINT_FLOW('fail'), 'items.jsonl': ITEMS });
    const result = await p.run('stream', 'sizes.flow.ts', '--in', 'items.jsonl');
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stdout, '{"n":1}\n');
    assert.match(result.stderr, /^error: cell "size" failed on item 1: output "out" cannot be encoded as JSON: Do not know how to serialize a BigInt\n$/);
  });

  it('stream, onError emit: an error record in the item\'s place (BigInt and cycle alike), the rest as usual', async () => {
    const p = project({ 'sizes.flow.ts': BIGINT_FLOW('emit'), 'items.jsonl': ITEMS });
    const result = await p.run('stream', 'sizes.flow.ts', '--in', 'items.jsonl');
    assert.equal(result.code, 0, result.stderr);
    const out = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(out[0], { n: 1 });
    assert.deepEqual({ ...out[1].error, message: undefined }, { cell: 'size', output: 'out', index: 1, message: undefined });
    assert.match(out[1].error.message, /BigInt/);
    assert.equal(out[2].error.index, 2);
    assert.match(out[2].error.message, /circular/i);
    assert.deepEqual(out[3], { n: 4 });
  });

  it('serve: that request gets a JSON 500 naming the cell and the output; the server goes on; /batch puts a record in its place', async () => {
    const p = project({ 'sizes.flow.ts': BIGINT_FLOW('fail') });
    const server = p.start(['serve', 'sizes.flow.ts', '--port', '0']);
    await waitFor(() => /serving flow .* on http:\/\/127\.0\.0\.1:\d+/.test(server.output()), 'the server to listen');
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())![1]!;
    const post = async (path: string, body: unknown) => {
      const response = await fetch(url + path, { method: 'POST', body: JSON.stringify(body) });
      return { status: response.status, type: response.headers.get('content-type'), body: await response.json() as Record<string, unknown> };
    };
    try {
      const bad = await post('/', { n: 2 });
      assert.equal(bad.status, 500);
      assert.match(bad.type!, /application\/json/);
      assert.deepEqual((bad.body.error as Record<string, unknown>).cell, 'size');
      assert.deepEqual((bad.body.error as Record<string, unknown>).output, 'out');
      assert.match(String((bad.body.error as Record<string, unknown>).message), /cannot be encoded as JSON: Do not know how to serialize a BigInt/);
      assert.equal((await post('/', { n: 3 })).status, 500, 'a cycle too');
      assert.deepEqual(await post('/', { n: 5 }), { status: 200, type: 'application/json; charset=utf-8', body: { n: 5 } });
      const batch = await post('/batch', [{ n: 1 }, { n: 2 }, { n: 4 }]);
      assert.equal(batch.status, 200);
      const [first, second, third] = batch.body as unknown as Record<string, unknown>[];
      assert.deepEqual([first, third], [{ n: 1 }, { n: 4 }]);
      assert.equal((second!.error as Record<string, unknown>).output, 'out');
      assert.equal(server.child.exitCode, null, 'the server is still running');
    } finally {
      server.child.kill('SIGTERM');
      assert.equal((await server.done).code, 0);
    }
  });
});

describe('every named output set', () => {
  const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
    const out: T[] = [];
    for await (const item of items) out.push(item);
    return out;
  };

  it('a cell that returns without one of its outputs: an item error naming the cell, the output and the item', async () => {
    const split = (onError: 'emit' | 'fail') => cell('split', {
      outputs: ['word', 'length'], onError,
      run: (text: string) => (text === 'bad' ? { word: text } : text === 'worse' ? {} : { word: text, length: text.length }),
    });
    const join = cell('join', { inputs: ['word', 'length'], run: ({ word, length }: { word: string; length: number }) => `${word}:${length}` });
    const wire = (s: ReturnType<typeof split>) => flow('words', { cells: [s, join], connect: [['split.word', 'join.word'], ['split.length', 'join.length']] });
    assert.deepEqual(await collect(wire(split('emit')).stream(['ok', 'bad', 'worse', 'fine'])), [
      'ok:2',
      { error: { cell: 'split', index: 1, message: 'output "length" not set (run returned only "word")' } },
      { error: { cell: 'split', index: 2, message: 'outputs "word", "length" not set (run returned an empty object)' } },
      'fine:4',
    ]);
    await assert.rejects(collect(wire(split('fail')).stream(['ok', 'bad'])), /cell "split" failed on item 1: output "length" not set/);
  });

  it('a batching cell too: each item of the batch is checked on its own', async () => {
    const pairs = cell('pairs', {
      outputs: ['a', 'b'], onError: 'emit', batch: { size: 4, maxWaitMs: 1 },
      run: (xs: readonly number[]) => xs.map((x) => (x % 2 ? { a: x } : { a: x, b: -x })),
    });
    const f = flow('pairs', { cells: [pairs, cell('sum', { inputs: ['a', 'b'], run: ({ a, b }: { a: number; b: number }) => a + b })], connect: [['pairs.a', 'sum.a'], ['pairs.b', 'sum.b']] });
    const out = await collect(f.stream([2, 3, 4]));
    assert.equal(out[0], 0);
    assert.deepEqual(out[1], { error: { cell: 'pairs', index: 1, message: 'output "b" not set (run returned only "a")' } });
    assert.equal(out[2], 0);
  });
});
