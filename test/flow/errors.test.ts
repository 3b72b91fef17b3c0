import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { collect, flowModule, range } from './fixture.js';

type Out = number | { error: { cell: string; index: number; message: string } };

describe('flow errors and crashing clones', { timeout: 60_000 }, () => {
  it('a clone whose init throws: the flow stops naming the cell (fail), or every item gets an error record and the flow ends (emit)', async () => {
    const flows = await flowModule(`
      const load = () => { throw new Error('no model file'); };
      export const failing = flow('failing', [cell('model', { scale: 2, executor: 'threads', init: load, run: (i) => i })]);
      export const emitting = flow('emitting', [cell('model', { scale: 2, executor: 'threads', onError: 'emit', init: load, run: (i) => i })]);
    `);
    await assert.rejects(collect(flows.failing!.stream(range(20))), (err: Error) => {
      assert.equal(err.name, 'ItemFailedError');
      assert.match(err.message, /cell "model" failed on item \d+: its clones fail to start \(init threw: no model file\)/);
      return true;
    });
    const out = await collect(flows.emitting!.stream(range(20))) as Out[];
    assert.equal(out.length, 20);
    out.forEach((o, k) => {
      assert.equal(typeof o, 'object');
      const { error } = o as Exclude<Out, number>;
      assert.equal(error.cell, 'model');
      assert.equal(error.index, k);
      assert.match(error.message, /no model file/);
    });
  });

  it('a clone whose init throws the first times is started again: the flow\'s output is complete (docs/concepts/flows.md: retried twice)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-init-retry-'));
    try {
      // init throws on its first two calls (counted in a file, as each try is a new thread or process), then loads.
      const flows = await flowModule(`
        import { existsSync, readFileSync, writeFileSync } from 'node:fs';
        const failTwice = (file) => () => {
          const tries = existsSync(file) ? Number(readFileSync(file, 'utf8')) + 1 : 1;
          writeFileSync(file, String(tries));
          if (tries <= 2) throw new Error('model not there yet (try ' + tries + ')');
          return { factor: 10 };
        };
        const dir = ${JSON.stringify(dir)};
        export const threads = flow('threads', [cell('model', { executor: 'threads', init: failTwice(dir + '/threads'), run: (i, ctx) => i * ctx.state.factor })]);
        export const processes = flow('processes', [cell('model', { executor: 'processes', init: failTwice(dir + '/processes'), run: (i, ctx) => i * ctx.state.factor })]);
        export const inline = flow('inline', [cell('model', { init: failTwice(dir + '/inline'), run: (i, ctx) => i * ctx.state.factor })]);
      `);
      for (const name of ['threads', 'processes', 'inline']) {
        const out = await collect(flows[name]!.stream(range(50)));
        assert.deepEqual(out, range(50).map((i) => i * 10), name);
        assert.equal(readFileSync(join(dir, name), 'utf8'), '3', `${name}: init was called three times`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an item that throws: fail stops the flow naming cell, index and error; skip drops it and the rest come out in order', async () => {
    const flows = await flowModule(`
      const run = (i) => { if (i === 37) throw new Error('cannot parse 37'); return i * 10; };
      export const failing = flow('failing', [cell('parse', { scale: 2, executor: 'threads', run })]);
      export const skipping = flow('skipping', [cell('parse', { scale: 2, executor: 'threads', onError: 'skip', run })]);
    `);
    await assert.rejects(collect(flows.failing!.stream(range(100))), { name: 'ItemFailedError', message: 'cell "parse" failed on item 37: cannot parse 37' });
    const logged: string[] = [];
    const out = await collect(flows.skipping!.stream(range(100), { log: (m) => logged.push(m) }));
    assert.deepEqual(out, range(100).filter((i) => i !== 37).map((i) => i * 10));
    assert.deepEqual(logged, ['cell "parse" skipped item 37: cannot parse 37']);
  });

  it('a clone process that calls process.exit is replaced: its item gets an error record, the others all come out in order', async () => {
    const flows = await flowModule(`
      const run = async (i) => { await sleep(1); if (i === 25) process.exit(3); return i; };
      export const emitting = flow('emitting', [cell('risky', { scale: 2, executor: 'processes', onError: 'emit', run })]);
      export const failing = flow('failing', [cell('risky', { scale: 2, executor: 'processes', run })]);
    `);
    const out = await collect(flows.emitting!.stream(range(60))) as Out[];
    assert.equal(out.length, 60);
    const record = out[25] as Exclude<Out, number>;
    assert.equal(record.error.cell, 'risky');
    assert.equal(record.error.index, 25);
    assert.match(record.error.message, /clone \d died \(its process exited with code 3\)/);
    // Only the item it was running is lost: those queued behind it go to another clone.
    out.forEach((o, k) => k !== 25 && assert.equal(o, k));
    await assert.rejects(collect(flows.failing!.stream(range(60))), { name: 'ItemFailedError', message: /cell "risky" failed on item 25: clone \d died \(its process exited with code 3\)/ });
  });

  it('a thread clone that exits is replaced too', async () => {
    const { threads } = await flowModule(`
      export const threads = flow('threads', [cell('risky', { scale: 2, executor: 'threads', onError: 'skip', run: async (i) => { await sleep(1); if (i === 10) process.exit(1); return i; } })]);
    `);
    const out = await collect(threads!.stream(range(40), { log: () => {} })) as number[];
    assert.deepEqual(out, range(40).filter((i) => i !== 10));
  });
});
