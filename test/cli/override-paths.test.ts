/**
 * Every path that applies param overrides runs the command templated with the values it records:
 * `run -S`, `exec` (plain and `--cached`), `queue`, `--version`, `--dev`, BullMQ workers and
 * compiled Kubeflow/Argo tasks, for a dvc.yaml stage (templated when the file is read) and a
 * pipewright.yaml stage (templated when it is resolved). A path that ran the old command while
 * recording the new value would be a false cache hit for every later run with that value.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import jsYaml from 'js-yaml';
import { useProjects, type TestProject } from '../helpers/project.js';
import { redisMissing } from '../helpers/redis.js';
import { useWorkers } from '../helpers/workers.js';
import { needs } from '../helpers/needs.js';
import { compile, MOUNT, TARGETS } from '../compile/compiled.js';
import { argoContainers, kfpContainers, runContainers } from '../compile/local-runner.js';

const project = useProjects();

// The command also prints what it wrote, so that a dev-mode run (which keeps nothing) shows it.
const FORMATS = {
  'dvc.yaml': {
    'dvc.yaml': 'stages:\n  train:\n    cmd: echo cmd-lr=${lr} > out.txt && cat out.txt\n    params: [lr]\n    outs: [out.txt]\n',
    'params.yaml': 'lr: 0.1\n',
  },
  'pipewright.yaml': {
    'pipewright.yaml': 'stages:\n  train:\n    cmd: echo cmd-lr=${params.lr} > out.txt && cat out.txt\n    params: [lr]\n    outs: [out.txt]\n'
      + 'versions:\n  fast: {lr: 0.3}\ndev: {lr: 0.2}\n',
    'params.yaml': 'lr: 0.1\n',
  },
} as const;
type Format = keyof typeof FORMATS;

interface LockedTrain {
  readonly params: { lr: number };
  readonly code: { cmd: string };
}

function lockedTrain(p: TestProject): LockedTrain {
  return (jsYaml.load(p.read('pipewright.lock')) as { stages: { train: LockedTrain } }).stages.train;
}

/** The out holds what the command made with `lr`, and the lock records that value and that command. */
function assertConsistent(p: TestProject, lr: number, what: string): void {
  assert.equal(p.read('out.txt'), `cmd-lr=${lr}\n`, `${what}: the out`);
  const locked = lockedTrain(p);
  assert.equal(locked.params.lr, lr, `${what}: the lock's param`);
  assert.match(locked.code.cmd, new RegExp(`cmd-lr=${lr} `), `${what}: the lock's command`);
}

async function ok(p: TestProject, ...args: string[]): Promise<string> {
  const r = await p.run(...args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout + r.stderr;
}

for (const format of Object.keys(FORMATS) as Format[]) {
  describe(`param overrides on a ${format} stage`, () => {
    it('run -S (a params.yaml key and the stage\'s own key) records what the command used', async () => {
      const p = project(FORMATS[format]);
      await ok(p, 'run', '-S', 'lr=0.5');
      assertConsistent(p, 0.5, 'run -S lr=0.5');
      await ok(p, 'run', '-S', 'train.lr=0.7');
      assertConsistent(p, 0.7, 'run -S train.lr=0.7');
    });

    it('exec --cached -S runs the command with the new value; a later run with it restores that out', async () => {
      const p = project(FORMATS[format]);
      await ok(p, 'exec', '--cached', '-S', 'lr=0.5', 'train');
      assertConsistent(p, 0.5, 'exec --cached -S lr=0.5');
      await ok(p, 'exec', '--cached', '-S', 'train.lr=0.6', 'train');
      assertConsistent(p, 0.6, 'exec --cached -S train.lr=0.6');
      await ok(p, 'run', '-S', 'lr=0.9');
      assertConsistent(p, 0.9, 'run -S lr=0.9');
      const back = await ok(p, 'run', '-S', 'lr=0.5');
      assert.match(back, /train restored/, 'restored from the cache, not run');
      assertConsistent(p, 0.5, 'run -S lr=0.5 after exec');
      // Plain exec records nothing but runs what it is told.
      await ok(p, 'exec', '-S', 'lr=0.4', 'train');
      assert.equal(p.read('out.txt'), 'cmd-lr=0.4\n', 'exec -S lr=0.4: the out');
    });

    it('a queued run with -S records what the command used', async () => {
      const p = project(FORMATS[format]);
      await ok(p, 'queue', 'add', '-S', 'lr=0.4');
      await ok(p, 'queue', 'start');
      assertConsistent(p, 0.4, 'queue add -S lr=0.4');
    });

    it('dev mode runs the command with its values', async () => {
      const p = project(FORMATS[format]);
      const args = format === 'dvc.yaml' ? ['-S', 'lr=0.2'] : [];
      const out = await ok(p, 'run', '--dev', '-v', ...args);
      assert.match(out, /cmd-lr=0\.2\n/);
      assert.equal(p.exists('pipewright.lock'), false, 'dev mode records nothing');
    });

    for (const target of TARGETS) {
      it(`compiled ${target} tasks run the command with the pipeline parameter's value, default or given at submission`, async () => {
        const p = project(FORMATS[format]);
        const { documents } = await compile(p, target, '-S', 'lr=0.8');
        const containers = (overrides: Record<string, unknown>) => (target === 'kfp' ? kfpContainers(documents, overrides) : argoContainers(documents[0]!, overrides));
        await runContainers(containers({}), { mountPath: MOUNT, dir: p.dir });
        assertConsistent(p, 0.8, `${target}: compiled with -S lr=0.8`);
        await runContainers(containers({ lr: 0.25 }), { mountPath: MOUNT, dir: p.dir });
        assertConsistent(p, 0.25, `${target}: submitted with lr=0.25`);
      });
    }
  });
}

describe('param overrides with --version', () => {
  it('a version\'s values are what the command uses and the lock records', async () => {
    const p = project(FORMATS['pipewright.yaml']);
    await ok(p, 'run', '--version', 'fast');
    assertConsistent(p, 0.3, 'run --version fast');
  });
});

describe('param overrides on BullMQ workers', () => {
  // Each test is skipped (or, under CI=true, fails) on its own where redis-server is missing.
  const { it, before, after } = needs(redisMissing);
  const { redisUrl, worker } = useWorkers({ before, after });

  for (const format of Object.keys(FORMATS) as Format[]) {
    it(`a ${format} stage run on a worker with -S records what the command used`, async () => {
      const p = project({ ...FORMATS[format], 'pipewright.config.yaml': `name: overrides-${format.replace('.', '-')}\n` });
      const w = await worker(p);
      await ok(p, 'run', '--executor', 'bullmq', '--redis', redisUrl(), '-S', 'lr=0.5');
      assert.match(w.output(), /✓ train/, 'the worker ran it');
      assertConsistent(p, 0.5, 'run --executor bullmq -S lr=0.5');
      await ok(p, 'run', '--executor', 'bullmq', '--redis', redisUrl(), '-S', 'train.lr=0.7');
      assertConsistent(p, 0.7, 'run --executor bullmq -S train.lr=0.7');
      w.child.kill('SIGTERM');
    });
  }
});
