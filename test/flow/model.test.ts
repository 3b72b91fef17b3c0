import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { cell, flow, type PipelineError } from '../../src/index.js';

const rejects = (make: () => unknown, code: string, message: RegExp, hint?: RegExp) => {
  assert.throws(make, (err: PipelineError) => {
    assert.equal(err.name, 'PipelineError');
    assert.equal(err.code, code);
    assert.match(err.message, message);
    if (hint) assert.match(err.hint ?? '', hint);
    return true;
  });
};

describe('flow model: cells, ports, connections, validation', () => {
  const parse = cell('parse', { run: (text: string) => text.length });
  const split = cell('split', { outputs: ['words', 'count'], run: (text: string) => ({ words: text.split(' '), count: text.length }) });
  const join = cell('join', { inputs: ['words', 'count'], run: ({ words, count }: { words: string[]; count: number }) => `${words.length}/${count}` });

  it('a list of cells is a chain; ports are found by name; entries and exits are the unconnected ends', () => {
    const chain = flow('chain', [parse, cell('double', { run: (n: number) => n * 2 })]);
    assert.deepEqual(chain.graph.edges, [{ from: { cell: 'parse', port: 'out' }, to: { cell: 'double', port: 'in' } }]);
    const wired = flow('wired', { cells: [split, join], connect: [[split.outputs.words, join.inputs.words], ['split.count', 'join.count']] });
    assert.deepEqual(wired.graph.entries, [{ cell: 'split', port: 'in' }]);
    assert.deepEqual(wired.graph.exits, [{ cell: 'join', port: 'out' }]);
  });

  it('TypeScript sees a connection whose types do not match', () => {
    const count = cell('count', { run: (text: string) => text.length });
    const shout = cell('shout', { run: (text: string) => text.toUpperCase() });
    // A number into a string input does not compile.
    // @ts-expect-error
    flow('typed', { cells: [count, shout], connect: [[count.outputs.out, shout.inputs.in]] });
    // The same ports the right way round compile (and run the check at run time too).
    const length = cell('length', { run: (text: string) => text.length });
    assert.ok(flow('typed-ok', { cells: [shout, length], connect: [[shout.outputs.out, length.inputs.in]] }));
  });

  it('bad graphs are refused with the cell, the port and the fix', () => {
    rejects(() => flow('f', { cells: [split, join], connect: [['split.words', 'join.wrods'], ['split.count', 'join.count']] }),
      'bad-input', /cell "join" has no input "wrods"/, /did you mean "join\.words"\?/);
    rejects(() => flow('f', { cells: [split, join], connect: [['splt.words', 'join.words']] }), 'bad-input', /unknown cell "splt"/, /did you mean "split"\?/);
    rejects(() => flow('f', { cells: [split, join], connect: [['split.words', 'join.words']] }), 'bad-input', /input join\.count is not connected/);
    rejects(() => flow('f', { cells: [split, join], connect: [['split.words', 'join.words'], ['split.count', 'join.words']] }), 'bad-input', /input join\.words is fed twice/);
    rejects(() => flow('f', { cells: [split, join], connect: [['join.words', 'split.words']] }), 'bad-input', /cell "join" has no output "words"/);
    rejects(() => flow('f', [split, parse]), 'bad-input', /cannot chain split → parse: "split" has 2 outputs/, /connect/);
    rejects(() => flow('f', [parse, cell('parse', { run: (x: unknown) => x })]), 'duplicate-stage', /two cells are named "parse"/);
    rejects(() => cell('c', { scale: 0, run: (x: unknown) => x }), 'pipeline-load', /scale must be a whole number/);
    rejects(() => cell('c', { batch: { size: 0, maxWaitMs: 1 }, run: (xs: readonly unknown[]) => xs }), 'pipeline-load', /batch needs a whole `size`/);
    rejects(() => cell('c', { onError: 'ignore' as 'skip', run: (x: unknown) => x }), 'pipeline-load', /unknown onError "ignore"/, /fail, skip, emit/);
  });

  it('falsy outputs (0, null, false, empty string) come out like any other', async () => {
    const same = flow('same', [cell('same', { run: (x: unknown) => x })]);
    const out: unknown[] = [];
    for await (const o of same.stream([0, null, false, '', 0])) out.push(o);
    assert.deepEqual(out, [0, null, false, '', 0]);
    await same.push(0);
    assert.equal(await same.pull(), 0);
    await same.close();
  });

  it('an inline flow runs in the main thread without a file; named outputs split, named inputs join', async () => {
    const wired = flow('wired', { cells: [split, join], connect: [['split.words', 'join.words'], ['split.count', 'join.count']] });
    const out: unknown[] = [];
    for await (const o of wired.stream(['a b c', 'hello'])) out.push(o);
    assert.deepEqual(out, ['3/5', '1/5']);
  });
});
