/**
 * Per-stage controls, through the real CLI: retries (each attempt logged, never a cancelled run),
 * timeouts (the reason says so), resources (cpus against -j, GPU devices of their own against
 * --gpus, with a fake device count), and secrets (required, and masked everywhere). The slot
 * accounting itself is checked by a seeded property test.
 */
import { strict as assert } from 'node:assert';
import { setMaxListeners } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Slots } from '../../src/run/slots.js';
import { useProjects, waitFor } from '../helpers/project.js';

const project = useProjects();

describe('retries and timeouts', () => {
  it('a stage that fails twice then succeeds is retried after its backoff, each attempt logged', async () => {
    const p = project({
      'flaky.sh': 'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; echo "try $n"; [ $n -ge 3 ] && echo ok > out.txt',
      'pipewright.yaml': 'stages:\n  flaky:\n    cmd: sh flaky.sh\n    outs: [out.txt]\n    retry: {limit: 2, backoff: 50ms, factor: 2}\n',
    });
    const r = await p.run('run');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(p.read('count').trim(), '3');
    assert.match(r.stdout, /↻ flaky attempt 1 of 3 failed: command exited with code 1 \(retrying in 0\.1s\)/);
    assert.match(r.stdout, /↻ flaky attempt 2 of 3 failed/);
    assert.match(r.stdout, /✓ flaky/);
    const log = p.read('.pipewright/logs/flaky.log');
    assert.match(log, /try 1\n\[pipewright\] attempt 1 of 3 failed: command exited with code 1; retrying in 50ms\ntry 2\n\[pipewright\] attempt 2 of 3 failed[^\n]*\ntry 3\n/);
  });

  it('fails after the last attempt; `retries: N` is the short form', async () => {
    const p = project({ 'pipewright.yaml': 'stages:\n  bad:\n    cmd: echo x >> tries; exit 3\n    retries: 1\n' });
    const started = Date.now();
    const r = await p.run('run');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(p.read('tries'), 'x\nx\n', 'two attempts');
    assert.match(r.stdout, /✗ bad failed: command exited with code 3/);
    assert.ok(Date.now() - started >= 2000, 'the default backoff (2 s) was waited');
  });

  it('a cancelled run is not retried', async () => {
    const p = project({ 'pipewright.yaml': 'stages:\n  slow:\n    cmd: echo x >> tries; sleep 30\n    retries: 3\n' });
    const run = p.start(['run']);
    await waitFor(() => p.exists('tries'), 'the stage to start');
    run.child.kill('SIGINT');
    const r = await run.done;
    assert.equal(r.code, 130, r.stdout + r.stderr);
    assert.equal(p.read('tries'), 'x\n');
    assert.doesNotMatch(r.stdout, /attempt 1 of 4 failed/);
  });

  it('a command or a TS stage that runs past its timeout is stopped, and the reason says so', async () => {
    const p = project({
      'pipewright.ts': `import { pipeline, stage } from 'pipewright';
const hang = stage('hang', { cmd: 'sleep 30 & echo $! > child.pid; wait', timeout: '1s' });
const spin = stage('spin', { timeout: 1, run: () => { for (;;) {} } });
export default pipeline('t', [hang, spin]);
`,
    });
    const started = Date.now();
    const r = await p.run('run', '-j', '2');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /✗ hang failed: timed out after 1s/);
    assert.match(r.stdout, /✗ spin failed: timed out after 1s/);
    assert.ok(Date.now() - started < 20_000, 'not the 30 s of the command');
    const pid = Number(p.read('child.pid'));
    assert.throws(() => process.kill(pid, 0), 'the command\'s own child was killed with its group');
  });
});

describe('resources', () => {
  it('property: running claims never exceed the cpus and GPUs there are, and whole GPUs are never shared', async () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 25; round++) {
      const cpus = 1 + Math.floor(random() * 4);
      const gpus = Math.floor(random() * 4);
      const slots = new Slots(cpus, gpus);
      let usedCpus = 0;
      const gpuUse = new Array<number>(gpus).fill(0);
      const whole = new Set<number>();
      const stop = new AbortController().signal;
      setMaxListeners(100, stop);
      await Promise.all(Array.from({ length: 30 }, async () => {
        const claim = { cpus: 1 + Math.floor(random() * cpus), gpus: gpus === 0 ? 0 : [0, 0.5, 0.25, 1, 1, gpus][Math.floor(random() * 6)]! };
        const held = await slots.acquire(stop, claim);
        usedCpus += claim.cpus;
        assert.ok(usedCpus <= cpus, `round ${round}: ${usedCpus} cpus of ${cpus}`);
        assert.equal(held.devices.length, claim.gpus >= 1 ? claim.gpus : claim.gpus > 0 ? 1 : 0);
        for (const d of held.devices) {
          gpuUse[d]! += claim.gpus >= 1 ? 1 : claim.gpus;
          assert.ok(gpuUse[d]! <= 1 + 1e-9, `round ${round}: device ${d} over-used`);
          if (claim.gpus >= 1) {
            assert.ok(!whole.has(d), `round ${round}: device ${d} given whole twice`);
            whole.add(d);
          }
        }
        await new Promise((r) => setTimeout(r, random() * 3));
        usedCpus -= claim.cpus;
        for (const d of held.devices) {
          gpuUse[d]! -= claim.gpus >= 1 ? 1 : claim.gpus;
          whole.delete(d);
        }
        held.release();
      }));
    }
  });

  it('each instance that asks for a GPU gets a device of its own in CUDA_VISIBLE_DEVICES (--gpus 2, a fake count)', async () => {
    const stage = (n: number) => `  g${n}:\n    cmd: echo "$CUDA_VISIBLE_DEVICES $(date +%s%N)" > g${n}.txt; sleep 0.4; date +%s%N >> g${n}.txt\n    outs: [g${n}.txt]\n    resources: {gpus: 1}\n`;
    const p = project({ 'pipewright.yaml': `stages:\n${[1, 2, 3, 4].map(stage).join('')}  none:\n    cmd: echo "[$CUDA_VISIBLE_DEVICES]" > none.txt\n    outs: [none.txt]\n` });
    const r = await p.run('run', '-j', '4', '--gpus', '2');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const spans = [1, 2, 3, 4].map((n) => {
      const [first, end] = p.read(`g${n}.txt`).trim().split('\n');
      const [device, start] = first!.split(' ');
      return { device: device!, start: Number(start), end: Number(end) };
    });
    for (const s of spans) assert.match(s.device, /^[01]$/);
    for (const a of spans) for (const b of spans) {
      if (a !== b && a.start < b.end && b.start < a.end) assert.notEqual(a.device, b.device, 'two running instances shared a device');
    }
    assert.equal(p.read('none.txt').trim(), '[]', 'a stage that asks for none gets none');
    const tooMany = project({ 'pipewright.yaml': 'stages:\n  big:\n    cmd: "true"\n    resources: {gpus: 4}\n' });
    const refused = await tooMany.run('run', '--gpus', '2');
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /big failed: cannot run on this machine: it asks for 4 GPUs and this machine has 2 \(set --gpus N where there are more\)/);
  });

  it('an instance asking for 2 cpus holds two slots of -j: two such never run at once with -j 2', async () => {
    const stage = (n: number) => `  c${n}:\n    cmd: date +%s%N > c${n}.txt; sleep 0.3; date +%s%N >> c${n}.txt\n    outs: [c${n}.txt]\n    resources: {cpus: 2}\n`;
    const p = project({ 'pipewright.yaml': `stages:\n${[1, 2, 3].map(stage).join('')}` });
    assert.equal((await p.run('run', '-j', '2')).code, 0);
    const spans = [1, 2, 3].map((n) => p.read(`c${n}.txt`).trim().split('\n').map(Number) as [number, number]);
    for (const a of spans) for (const b of spans) if (a !== b) assert.ok(a[1] <= b[0] || b[1] <= a[0], 'two 2-cpu instances overlapped');
  });
});

describe('secrets', () => {
  const files = {
    'pipewright.yaml': 'stages:\n  call:\n    cmd: echo "using $API_TOKEN now"; echo "$API_TOKEN" > used.txt\n    outs: [used.txt]\n    secrets: {API_TOKEN: service/token}\n',
  };

  it('a missing secret fails the stage, naming the variable', async () => {
    const p = project(files);
    const r = await p.runWithEnv({ API_TOKEN: '' }, 'run');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /call failed: stage "call" needs the secret API_TOKEN: set API_TOKEN=… in the environment of `pipewright run`/);
  });

  it('its value reaches the command, and never the log, the terminal, the lockfile or the run store', async () => {
    const p = project(files);
    const secret = 'tok-5f2c9a81e7';
    const r = await p.runWithEnv({ API_TOKEN: secret }, 'run', '-v');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(p.read('used.txt').trim(), secret, 'the command had it');
    assert.match(r.stdout, /using \*\*\* now/);
    assert.match(p.read('.pipewright/logs/call.log'), /using \*\*\* now/);
    const quiet = await p.runWithEnv({ API_TOKEN: secret }, 'run', '-f');
    assert.equal(quiet.code, 0);
    const written = ['pipewright.lock', ...readdirSync(p.path('.pipewright'), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(db|log|json|jsonl|lock)(-wal)?$/.test(f)).map((f) => `.pipewright/${f}`)];
    for (const file of written) assert.ok(!readFileSync(p.path(file)).includes(secret), `${file} holds the secret`);
    assert.doesNotMatch(r.stdout + r.stderr + quiet.stdout + quiet.stderr, new RegExp(secret));
  });
});
