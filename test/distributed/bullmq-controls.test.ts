/**
 * A stage's controls on the BullMQ executor, seen on the worker: Ctrl-C on the coordinator and a
 * stage's `timeout` stop the stage's process where it runs (the worker), not only the wait for
 * it; `retries` run the stage again after a failure; `secrets` reach the stage from the worker's
 * environment, masked in what comes back.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe } from 'node:test';
import { needs } from '../helpers/needs.js';
import { redisMissing } from '../helpers/redis.js';
import { useWorkers } from '../helpers/workers.js';
import { useProjects, waitFor, type TestProject } from '../helpers/project.js';

const project = useProjects();

/** Whether a process is still running (a zombie waiting for its parent to reap it has finished). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** A stage whose work is a `sleep 30` whose pid it writes first; it writes done.txt only if the sleep ends by itself. */
const SLEEPER = (extra = '') => ({
  'pipewright.yaml': `stages:
  slow:
    cmd: sleep 30 & echo $! > sleep.pid; wait $!; echo done > done.txt
    outs: [done.txt]
${extra}`,
});

// Each test is skipped (or, under CI=true, fails) on its own where redis-server is missing.
const { it, before, after } = needs(redisMissing);

describe('stage controls on the BullMQ executor, seen on the worker', { timeout: 120_000 }, () => {
  const { redisUrl, start, ready } = useWorkers({ before, after });
  const worker = (p: TestProject, env: NodeJS.ProcessEnv = {}) => start(p, ['--concurrency', '1', '--lock-duration', '2000', '--stalled-interval', '1000'], env);
  const sleepPid = async (p: TestProject) => {
    await waitFor(() => p.exists('sleep.pid') && /^\d+\n$/.test(p.read('sleep.pid')), 'the stage to start its sleep', 20_000);
    return Number(p.read('sleep.pid'));
  };

  it('Ctrl-C on the coordinator stops the stage on the worker: its process is gone within seconds, the stage does not finish', async () => {
    const p = project({ ...SLEEPER(), 'pipewright.config.yaml': 'name: ctrl-c\n' });
    const w = worker(p);
    await ready(w);
    const run = p.start(['run', '--executor', 'bullmq', '--redis', redisUrl()]);
    const pid = await sleepPid(p);
    assert.ok(running(pid));
    run.child.kill('SIGINT');
    const r = await run.done;
    assert.notEqual(r.code, 0, r.stdout + r.stderr);
    await waitFor(() => !running(pid), `the stage's sleep (pid ${pid}) on the worker to be stopped`, 5_000)
      .catch((err: Error) => assert.fail(`${err.message}; worker: ${w.output()}`));
    await waitFor(() => /✗ slow/.test(w.output()), 'the worker to report the stage stopped', 5_000)
      .catch((err: Error) => assert.fail(`${err.message}; worker: ${w.output()}`));
    assert.doesNotMatch(w.output(), /✓ slow/);
    assert.equal(p.exists('done.txt'), false, 'the stage did not finish');
  });

  it('a stage `timeout` stops the stage on the worker; the instance fails saying it timed out', async () => {
    const p = project({ ...SLEEPER('    timeout: 2s\n'), 'pipewright.config.yaml': 'name: timeout\n' });
    const w = worker(p);
    await ready(w);
    const started = Date.now();
    const run = p.start(['run', '--executor', 'bullmq', '--redis', redisUrl()]);
    const pid = await sleepPid(p);
    const r = await run.done;
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /slow failed: timed out after 2(\.0)? ?s/);
    await waitFor(() => !running(pid), `the stage's sleep (pid ${pid}) on the worker to be stopped`, 5_000)
      .catch((err: Error) => assert.fail(`${err.message}; worker: ${w.output()}`));
    assert.ok(Date.now() - started < 20_000, 'stopped at the timeout, not after the sleep');
    assert.doesNotMatch(w.output(), /✓ slow/);
    assert.equal(p.exists('done.txt'), false, 'the stage did not finish');
  });

  it('`retries: 1` runs a stage that fails the first time again, on a worker; the run succeeds and says the attempt failed', async () => {
    const p = project({
      'pipewright.config.yaml': 'name: retries\n',
      'pipewright.yaml': `stages:
  flaky:
    cmd: if [ -e tried ]; then echo ok > out.txt; else touch tried; echo first attempt fails; exit 3; fi
    outs: [out.txt]
    retries: 1
`,
    });
    const w = worker(p);
    await ready(w);
    const r = await p.run('run', '--executor', 'bullmq', '--redis', redisUrl());
    assert.equal(r.code, 0, r.stdout + r.stderr + w.output());
    assert.equal(p.read('out.txt'), 'ok\n');
    const log = p.exists('.pipewright/logs/flaky.log') ? p.read('.pipewright/logs/flaky.log') : '';
    assert.match(r.stdout + log, /attempt 1 of 2 failed/);
    assert.match(w.output(), /✓ flaky/, 'the retry ran on the worker');
  });

  it('a stage\'s `secrets` reach its command from the worker\'s environment, and its value is masked in what comes back', async () => {
    const workerValue = 'worker-side-token-4821';
    const p = project({
      'pipewright.config.yaml': 'name: secrets\n',
      'pipewright.yaml': `stages:
  uses-token:
    cmd: echo "token is $TOKEN"; printf %s "$TOKEN" > seen.txt; echo ok > out.txt
    outs: [out.txt]
    secrets: {TOKEN: s/k}
`,
    });
    const w = worker(p, { TOKEN: workerValue });
    await ready(w);
    // The coordinator checks the secret is set on its side too (docs/concepts/stages.md: Secrets); the value used is the worker's.
    const r = await p.runWithEnv({ TOKEN: 'coordinator-side-token-1177' }, 'run', '--executor', 'bullmq', '--redis', redisUrl());
    assert.equal(r.code, 0, r.stdout + r.stderr + w.output());
    assert.equal(p.read('seen.txt'), workerValue, 'the command had the worker\'s TOKEN');
    assert.ok(!(r.stdout + r.stderr).includes(workerValue), `the value is masked in the coordinator's output: ${r.stdout}`);
    assert.ok(!w.output().includes(workerValue), 'and in the worker\'s');
    const log = p.exists('.pipewright/logs/uses-token.log') ? p.read('.pipewright/logs/uses-token.log') : '';
    assert.match(log, /token is \*\*\*/, 'the stage\'s log has the line, masked');
  });
});
