/**
 * Which project a checkout is, wherever it lies (distributed/identity.ts), on a real redis-server
 * with real `pipewright worker` processes: workers in folders of other names (one without .git, one
 * a git clone) serve the coordinator's jobs; two projects on one Redis never take each other's; a
 * worker of another project serving the same pipeline file is named by the coordinator, with the
 * fix; a checkout that names no project is refused by the worker; the coordinator's first
 * distributed use (run, compile) writes `name:` into pipewright.config.yaml, keeping what is there.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';
import { needs } from '../helpers/needs.js';
import { redisMissing } from '../helpers/redis.js';
import { useWorkers } from '../helpers/workers.js';
import { useProjects, waitFor, type TestProject } from '../helpers/project.js';

const project = useProjects();

/** Four independent stages of half a second each: two workers of concurrency 1 share them. */
const SWEEP = `stages:
${['a', 'b', 'c', 'd'].map((s) => `  ${s}:\n    cmd: sleep 0.5; echo ${s} > ${s}.txt\n    outs: [${s}.txt]\n`).join('')}`;

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

// Each test is skipped (or, under CI=true, fails) on its own where redis-server is missing.
const { it, before, after } = needs(redisMissing);

describe('the project\'s identity: workers find their jobs from any checkout', () => {
  const { redisUrl, start, ready } = useWorkers({ before, after });
  const worker = (p: TestProject, folder: string, ...args: string[]) =>
    start(p, ['-C', folder, '--concurrency', '1', '--lock-duration', '2000', '--stalled-interval', '1000', ...args]);
  const jobs = (w: ReturnType<TestProject['start']>) => (w.output().match(/✓ [a-d] /g) ?? []).map((line) => line[2]);

  it('a copy in a folder of another name (without .git) and a git clone elsewhere serve the coordinator\'s jobs', async () => {
    const base = project();
    const remote = join(base.dir, 'remote');
    mkdirSync(remote);
    // The coordinator's checkout: a git repo of a dvc.yaml project, which declares no name.
    base.write({
      'proj/dvc.yaml': SWEEP,
      'proj/pipewright.config.yaml': `remotes:\n  shared:\n    url: ${remote}\ndefault_remote: shared\n`,
      'proj/.gitignore': '.pipewright/\n',
    });
    const proj = base.path('proj');
    git(proj, 'init', '-q');
    git(proj, 'add', '-A');
    git(proj, 'commit', '-q', '-m', 'the project');
    // Its first distributed run names the project (no worker yet: it fails fast), and the name is committed.
    const first = await base.run('run', '-C', 'proj', '--executor', 'bullmq', '--redis', redisUrl(), '--worker-wait', '1s', 'a');
    assert.match(first.stdout, /wrote name: proj into pipewright.config.yaml/, first.stdout + first.stderr);
    git(proj, 'commit', '-q', '-am', 'name the project');
    git(base.dir, 'clone', '-q', proj, 'proj-2');
    cpSync(proj, base.path('app'), { recursive: true, filter: (src) => !/\/\.(git|pipewright)$/.test(src) });
    assert.ok(!base.exists('app/.git') && base.exists('proj-2/.git') && base.exists('app/dvc.yaml'));

    const inApp = worker(base, 'app');
    const inClone = worker(base, 'proj-2');
    await Promise.all([ready(inApp), ready(inClone)]);
    assert.match(inApp.output(), /of project "proj"/);
    const r = await base.run('run', '-C', 'proj', '--executor', 'bullmq', '--redis', redisUrl(), '-j', '4', '--worker-wait', '5s');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const ran = [...jobs(inApp), ...jobs(inClone)].sort();
    assert.deepEqual(ran, ['a', 'b', 'c', 'd'], `every instance ran once, on the workers: ${inApp.output()}\n${inClone.output()}`);
    assert.ok(jobs(inApp).length > 0 && jobs(inClone).length > 0, `both workers took jobs: ${inApp.output()}\n${inClone.output()}`);
    for (const s of ['a', 'b', 'c', 'd']) assert.equal(base.read(`proj/${s}.txt`), `${s}\n`, 'the outs came back');
  });

  it('two projects on one Redis: no job of one is taken by the other\'s worker', async () => {
    const one = project({ 'pipewright.yaml': SWEEP.replaceAll('echo ', 'echo one-'), 'pipewright.config.yaml': 'name: one\n' });
    const two = project({ 'pipewright.yaml': SWEEP.replaceAll('echo ', 'echo two-'), 'pipewright.config.yaml': 'name: two\n' });
    const w1 = worker(one, '.');
    const w2 = worker(two, '.');
    await Promise.all([ready(w1), ready(w2)]);
    const [r1, r2] = await Promise.all([
      one.run('run', '--executor', 'bullmq', '--redis', redisUrl(), '-j', '4'),
      two.run('run', '--executor', 'bullmq', '--redis', redisUrl(), '-j', '4'),
    ]);
    assert.equal(r1.code, 0, r1.stdout + r1.stderr);
    assert.equal(r2.code, 0, r2.stdout + r2.stderr);
    assert.deepEqual(jobs(w1).sort(), ['a', 'b', 'c', 'd'], w1.output());
    assert.deepEqual(jobs(w2).sort(), ['a', 'b', 'c', 'd'], w2.output());
    assert.equal(one.read('a.txt'), 'one-a\n');
    assert.equal(two.read('a.txt'), 'two-a\n');
  });

  it('a worker serving the same pipeline under another name: the coordinator fails within seconds, naming it and the fix', async () => {
    // A pipeline file of its own: workers of the other tests (still live) serve SWEEP.
    const pipeline = `# the misnamed one\n${SWEEP}`;
    const coordinator = project({ 'pipewright.yaml': pipeline, 'pipewright.config.yaml': 'name: named-here\n' });
    const elsewhere = project({ 'pipewright.yaml': pipeline, 'pipewright.config.yaml': 'name: named-there\n' });
    const w = worker(elsewhere, '.');
    await ready(w);
    const started = Date.now();
    const r = await coordinator.run('run', '--executor', 'bullmq', '--redis', redisUrl(), '--worker-wait', '2s', 'a');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.ok(Date.now() - started < 15_000, `failed in ${Date.now() - started} ms`);
    assert.match(r.stdout, /a failed: no worker takes jobs labelled "any" of project "named-here" \(prefix pw-named-here\) \(no worker of this project is running\); seen: \S+:\d+ in \S+ serving "named-there" with the same pipeline file — give both checkouts the same name: in pipewright.config.yaml \(this one is "named-here"\)/);
    assert.ok(r.stdout.includes(`in ${elsewhere.dir} serving`), r.stdout);
    // With the default --worker-wait (20 s), the same is said as a warning within seconds.
    const waiting = coordinator.start(['run', '--executor', 'bullmq', '--redis', redisUrl(), 'a']);
    const saidAt = Date.now();
    await waitFor(() => /jobs wait for a worker: .*seen: \S+ in \S+ serving "named-there" with the same pipeline file/.test(waiting.output()), 'the warning', 8_000)
      .catch((err: Error) => assert.fail(`${err.message}: ${waiting.output()}`));
    assert.ok(Date.now() - saidAt < 8_000);
    waiting.child.kill('SIGINT');
    assert.equal((await waiting.done).code, 130);
    assert.doesNotMatch(w.output(), /▶ a/, 'the other project\'s worker took nothing');
  });

  it('a worker in a checkout that names no project refuses to start, saying what to do', async () => {
    const p = project({ 'dvc.yaml': SWEEP });
    const started = worker(p, '.');
    // A worker that started would run until stopped: give up after 15 s rather than hang.
    const r = await Promise.race([started.done, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running: ${started.output()}`)), 15_000))]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /this checkout does not say which project it is: "pw-test-\w+" is only its folder's name/);
    assert.match(r.stderr, /add `name: pw-test-\w+` to pipewright.config.yaml/);
  });

  it('the first distributed use writes name: into pipewright.config.yaml, keeping its comments and keys; workers then find the jobs', async () => {
    const base = project({ 'mlproj/dvc.yaml': SWEEP });
    // The copy elsewhere gets its files through a folder remote.
    const config = `# shared settings\nstages:\n  a:\n    retries: 1 # flaky download\nremotes:\n  shared:\n    url: ${base.path('remote')}\ndefault_remote: shared\n`;
    base.write({ 'mlproj/pipewright.config.yaml': config.replace('1 #', '1   #') });
    const first = await base.run('run', '-C', 'mlproj', '--executor', 'bullmq', '--redis', redisUrl(), '--worker-wait', '1s', 'a');
    assert.equal(first.code, 1, first.stdout + first.stderr);
    assert.match(first.stdout, /wrote name: mlproj into pipewright.config.yaml: the project's identity on Redis, so that workers in any folder find its jobs; commit the file/);
    assert.equal(base.read('mlproj/pipewright.config.yaml'), `name: mlproj\n${config}`, 'comments and keys kept');

    // A copy elsewhere with the committed config serves it.
    cpSync(base.path('mlproj'), base.path('container-app'), { recursive: true, filter: (src) => !src.includes('.pipewright') });
    const w = worker(base, 'container-app');
    await ready(w);
    const second = await base.run('run', '-C', 'mlproj', '--executor', 'bullmq', '--redis', redisUrl(), 'a');
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.equal(base.read('mlproj/a.txt'), 'a\n');
    assert.doesNotMatch(second.stdout, /wrote name:/, 'written once');
    assert.deepEqual(jobs(w), ['a']);

    // compile names its image after the same identity, and writes it where there is none.
    const other = project({ 'kfp-proj/pipewright.yaml': SWEEP });
    const compiled = await other.run('compile', '-C', 'kfp-proj', '--target', 'argo', '-o', '-');
    assert.equal(compiled.code, 0, compiled.stderr);
    assert.match(compiled.stderr, /note: wrote name: kfp-proj into pipewright.config.yaml/);
    assert.match(compiled.stdout, /image: kfp-proj:latest/);
    assert.equal(readFileSync(other.path('kfp-proj/pipewright.config.yaml'), 'utf8'), 'name: kfp-proj\n');
    const named = project({ 'elsewhere/pipewright.yaml': `name: spam\n${SWEEP}` });
    const again = await named.run('compile', '-C', 'elsewhere', '--target', 'argo', '-o', '-');
    assert.match(again.stdout, /image: spam:latest/);
    assert.equal(named.exists('elsewhere/pipewright.config.yaml'), false, 'a declared name is the identity: nothing written');
  });
});
