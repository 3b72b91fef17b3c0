import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { runPipeline } from '../../src/index.js';
import { rendezvousScript, useProjects } from '../helpers/project.js';
const project = useProjects();
/** Two TS stages that each wait for the other's signal file: they finish only if they overlap. */
const tsRendezvous = (executor) => `
import { existsSync, writeFileSync } from 'node:fs';
import { pipeline, stage } from 'pipewright';
const meet = (mine: string, theirs: string) => async ({ outs }: { outs: { done: string } }) => {
  writeFileSync(mine, 'here');
  const until = Date.now() + 15000;
  while (!existsSync(theirs)) {
    if (Date.now() > until) throw new Error('never met ' + theirs);
    await new Promise((r) => setTimeout(r, 20));
  }
  writeFileSync(outs.done, 'met');
};
const a = stage('a', { executor: '${executor}', outs: { done: 'a.done' }, run: meet('a.sig', 'b.sig') });
const b = stage('b', { executor: '${executor}', outs: { done: 'b.done' }, run: meet('b.sig', 'a.sig') });
export default pipeline('rendezvous', [a, b]);
`;
describe('parallel execution', () => {
    for (const executor of ['threads', 'processes']) {
        it(`runs two TS stages (${executor}) at the same time with -j 2`, async () => {
            const p = project({ 'pipewright.ts': tsRendezvous(executor) });
            const result = await p.run('run', '-j', '2');
            assert.equal(result.code, 0, result.stdout + result.stderr);
            assert.equal(p.read('a.done'), 'met');
            assert.equal(p.read('b.done'), 'met');
        });
    }
    it('runs two cmd stages at the same time with -j 2', async () => {
        const p = project({
            'meet.cjs': rendezvousScript(),
            'pipewright.yaml': `stages:
  a:
    cmd: node meet.cjs a.sig b.sig
    deps: [meet.cjs]
    outs: [a.sig]
  b:
    cmd: node meet.cjs b.sig a.sig
    deps: [meet.cjs]
    outs: [b.sig]
`,
        });
        const result = await p.run('run', '-j', '2');
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.equal(p.read('a.sig.done'), 'met');
        assert.equal(p.read('b.sig.done'), 'met');
    });
    it('with -j 1 the same pair cannot meet: the first stage fails, which proves -j limits concurrency', async () => {
        const p = project({
            'meet.cjs': rendezvousScript().replace('15000', '1000'),
            'pipewright.yaml': `stages:
  a:
    cmd: node meet.cjs a.sig b.sig
    outs: [a.sig]
  b:
    cmd: node meet.cjs b.sig a.sig
    outs: [b.sig]
`,
        });
        const result = await p.run('run', '-j', '1');
        assert.equal(result.code, 1);
        assert.match(result.stdout, /✗ a failed: command exited with code 3/);
        assert.match(result.stdout, /never met b\.sig/);
    });
});
describe('a CPU-bound TS stage on a thread', () => {
    it('leaves the main thread free: its timers keep running while the stage spins', async () => {
        // The stage announces that it spins, then spins (no awaits) until a release file appears. Only
        // the main thread writes that file, from a timer, after it has seen the stage spin for 20 of its
        // own ticks. Were the main thread blocked, no tick would come and the stage would time out.
        const p = project({
            'pipewright.ts': `
import { existsSync, writeFileSync } from 'node:fs';
import { pipeline, stage } from 'pipewright';
const spin = stage('spin', {
  outs: { out: 'spun.txt' },
  run: ({ root, outs }) => {
    writeFileSync(root + '/spinning', 'yes');
    const until = Date.now() + 10000;
    let spins = 0;
    while (!existsSync(root + '/release')) {
      if (Date.now() > until) throw new Error('main thread never released me');
      spins++;
    }
    writeFileSync(outs.out, String(spins));
  },
});
export default pipeline('cpu', [spin]);
`,
        });
        let ticksWhileSpinning = 0;
        const ticker = setInterval(() => {
            if (!p.exists('spinning'))
                return;
            if (++ticksWhileSpinning === 20)
                p.write({ release: 'go' });
        }, 10);
        const events = [];
        try {
            const summary = await runPipeline({ dir: p.dir, jobs: 1, onEvent: (event) => events.push(event.type) });
            assert.deepEqual(summary.succeeded, ['spin'], JSON.stringify(summary));
        }
        finally {
            clearInterval(ticker);
        }
        assert.ok(ticksWhileSpinning >= 20);
        assert.ok(Number(p.read('spun.txt')) > 0, 'the stage spun');
        assert.deepEqual(events, ['run-started', 'queued', 'started', 'succeeded', 'run-finished']);
    });
});
describe('ordering', () => {
    it('starts a stage only after every stage it reads from has finished', async () => {
        const p = project({
            'pipewright.yaml': `stages:
  one:
    cmd: echo 1 > one.txt
    outs: [one.txt]
  two:
    cmd: cat one.txt > two.txt && echo 2 >> two.txt
    deps: [one.txt]
    outs: [two.txt]
  three:
    cmd: cat two.txt one.txt > three.txt
    deps: [two.txt, one.txt]
    outs: [three.txt]
  side:
    cmd: echo side > side.txt
    outs: [side.txt]
`,
        });
        const order = [];
        const finished = new Set();
        const summary = await runPipeline({
            dir: p.dir,
            jobs: 4,
            onEvent: (e) => {
                if (e.type === 'started') {
                    order.push(e.stage);
                    if (e.stage === 'two')
                        assert.ok(finished.has('one'), 'two started before one finished');
                    if (e.stage === 'three')
                        assert.ok(finished.has('two') && finished.has('one'), 'three started too early');
                }
                if (e.type === 'succeeded')
                    finished.add(e.stage);
            },
        });
        assert.equal(summary.succeeded.length, 4);
        assert.equal(p.read('three.txt'), '1\n2\n1\n');
        assert.ok(order.indexOf('one') < order.indexOf('two') && order.indexOf('two') < order.indexOf('three'));
    });
});
describe('failures', () => {
    const failing = {
        'pipewright.yaml': `stages:
  bad:
    cmd: echo about to fail && exit 4
    outs: [bad.txt]
  after_bad:
    cmd: cat bad.txt > after.txt
    deps: [bad.txt]
    outs: [after.txt]
  slow_ok:
    cmd: sleep 1 && echo ok > ok.txt
    outs: [ok.txt]
  later:
    cmd: cat ok.txt > later.txt
    deps: [ok.txt]
    outs: [later.txt]
`,
    };
    it('--keep-going (the default) finishes independent branches and skips what needs the failed stage', async () => {
        const p = project(failing);
        const result = await p.run('run', '-j', '2');
        assert.equal(result.code, 1);
        assert.match(result.stdout, /✗ bad failed: command exited with code 4/);
        assert.match(result.stdout, /\| about to fail/, 'the failed stage shows the end of its log');
        assert.match(result.stdout, /- after_bad skipped: upstream stage bad failed/);
        assert.equal(p.read('later.txt'), 'ok\n');
        assert.match(result.stdout, /2 ran, 1 failed, 1 skipped/);
    });
    it('--fail-fast stops at the first failure: running stages are cancelled, nothing new starts', async () => {
        const p = project(failing);
        const result = await p.run('run', '-j', '2', '--fail-fast');
        assert.equal(result.code, 1);
        assert.match(result.stdout, /✗ bad failed/);
        assert.equal(p.exists('later.txt'), false);
        assert.equal(p.exists('ok.txt'), false, 'slow_ok was killed before it wrote');
        assert.match(result.stdout, /- later not run: stopped after bad failed \(--fail-fast\)/);
        assert.match(result.stdout, /0 ran, 1 failed, 3 skipped/);
    });
    it('a TS stage that throws fails with its message; one that does not write its out fails too', async () => {
        const p = project({
            'pipewright.ts': `
import { pipeline, stage } from 'pipewright';
const boom = stage('boom', { run: () => { throw new Error('the data is wrong'); } });
const lazy = stage('lazy', { outs: { x: 'x.txt' }, run: () => {} });
export default pipeline('f', [boom, lazy]);
`,
        });
        const result = await p.run('run');
        assert.equal(result.code, 1);
        assert.match(result.stdout, /✗ boom failed: the data is wrong/);
        assert.match(result.stdout, /✗ lazy failed: stage "lazy" finished but did not write "x.txt"/);
    });
});
//# sourceMappingURL=scheduler.test.js.map