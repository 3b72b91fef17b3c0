/**
 * The cache as the scheduler and `status` see it (cache/stage-cache.ts), on real projects in temp
 * folders, with the commands' work done by the test (outs written as a run would) and recorded with
 * `commit`: what a plan decides and why (run, skip, restore from the lockfile, the run-cache, DVC's
 * cache or a shared remote, fail), what `restore` puts back, what the lockfile and the store hold,
 * and that a damaged object is never restored.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hashBytes, type ContentHash } from '../../src/cache/hash.js';
import { readLockfile } from '../../src/cache/lockfile.js';
import { StageCache, storeOuts, type Plan } from '../../src/cache/stage-cache.js';
import { RemoteCacheTier } from '../../src/remote/cache-tier.js';
import { forgetPipeline } from '../../src/define/load.js';
import { openProject } from '../../src/run/project.js';
import { REPO } from '../helpers/project.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const PIPELINE = `stages:
  prep:
    cmd: node prep.js
    deps: [input.txt]
    params: [scale]
    outs: [data]
  train:
    cmd: node train.js
    deps: [data]
    outs: [model.bin, {log.txt: {cache: false}}]
    metrics: [{metrics.json: {cache: false}}]
  report:
    cmd: node report.js
    deps: [model.bin]
    outs: [report.txt]
  always:
    cmd: date > now.txt
    always_changed: true
    outs: [now.txt]
  ext:
    cmd: node ext.js
    deps: [s3://bucket/data.csv, b.txt, a.txt]
    outs: [ext.txt]
  pair:
    cmd: node pair.js
    outs: [x.txt, y.txt]
  frozen:
    cmd: node frozen.js
    frozen: true
    outs: [frozen.txt]
`;

class Workspace {
  readonly root: string;
  cache!: StageCache;
  warnings: string[] = [];
  private project: Awaited<ReturnType<typeof openProject>> | undefined;

  constructor(files: Record<string, string> = {}, root?: string) {
    this.root = root ?? mkdtempSync(join(tmpdir(), 'pw-stage-cache-'));
    if (!root) dirs.push(this.root);
    this.write({ 'pipewright.yaml': PIPELINE, 'params.yaml': 'scale: 2\n', 'input.txt': 'input\n', ...files });
  }

  write(files: Record<string, string>): void {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(this.root, path)), { recursive: true });
      writeFileSync(join(this.root, path), text);
    }
  }
  read = (path: string) => readFileSync(join(this.root, path), 'utf8');
  exists = (path: string) => existsSync(join(this.root, path));

  private options: ConstructorParameters<typeof StageCache>[1] = {};
  private open_ = false;

  async open(options: ConstructorParameters<typeof StageCache>[1] = {}): Promise<this> {
    this.options = options;
    // As a new command: the pipeline and its params files read again.
    if (this.project) forgetPipeline(this.project.declaration.file);
    this.project = await openProject(this.root);
    this.cache = new StageCache(this.project.declaration, { links: ['copy'], warn: (m) => this.warnings.push(m), ...options });
    this.open_ = true;
    return this;
  }
  stage = (name: string) => this.project!.graph.nodes.get(name)!;
  /** A plan as a new command makes it (`status`, `run`): hashes taken afresh, the lockfile read again. */
  async reopen(): Promise<void> {
    this.close();
    await this.open(this.options);
  }

  async plan(name: string, options?: Parameters<StageCache['plan']>[1]): Promise<Plan> {
    await this.reopen();
    return this.cache.plan(this.stage(name), options);
  }

  /** What running the stage does: its outs written (by the test), then recorded. */
  async run(name: string, outs: Record<string, string>, returned?: Record<string, unknown>) {
    const plan = await this.plan(name);
    this.cache.forgetOuts(this.stage(name));
    this.write(outs);
    return { plan, entry: await this.cache.commit(this.stage(name), plan, returned) };
  }

  close(): void {
    if (this.open_) this.cache.close();
    this.open_ = false;
  }
}

const PREP = { 'data/a.txt': 'a2\n', 'data/sub/b.txt': 'b2\n' };
const TRAIN = { 'model.bin': 'model\n', 'log.txt': 'log\n', 'metrics.json': '{"acc": 0.9}\n' };

describe('StageCache: plans', () => {
  it('never run: run; run and recorded: skip, with nothing to say', async () => {
    const w = await new Workspace().open();
    const first = await w.plan('prep');
    assert.equal(first.decision.action, 'run');
    assert.deepEqual(first.decision.reasons, [{ kind: 'never-run' }]);
    assert.deepEqual(first.parts.deps, { 'input.txt': hashBytes('input\n') });
    assert.deepEqual(first.parts.params, { scale: 2 });
    assert.deepEqual(first.parts.outs, ['data']);
    const { entry } = await w.run('prep', PREP);
    assert.equal(entry.fingerprint, first.fingerprint);
    assert.deepEqual(entry.deps, [{ path: 'input.txt', hash: hashBytes('input\n') }]);
    assert.equal(entry.outs.length, 1);
    assert.equal(entry.outs[0]!.path, 'data');
    assert.equal(entry.outs[0]!.files, 2);
    assert.equal(entry.outs[0]!.size, 6);
    assert.ok(entry.outs[0]!.hash.endsWith('.dir'));
    assert.ok(w.cache.store.has(entry.outs[0]!.hash));
    const again = await w.plan('prep');
    assert.deepEqual(again.decision, { action: 'skip', entry, reasons: [] });
    assert.equal(again.fingerprint, first.fingerprint);
    w.close();
    // The lockfile holds it once closed.
    assert.equal(readLockfile(w.root, () => {})['prep']?.fingerprint, first.fingerprint);
  });

  it('the fingerprint changes with a dep, a param, the command; not with an unrelated file', async () => {
    const w = await new Workspace().open();
    const base = (await w.plan('prep')).fingerprint;
    w.write({ 'unrelated.txt': 'x' });
    assert.equal((await w.plan('prep')).fingerprint, base);
    w.write({ 'input.txt': 'changed\n' });
    const dep = (await w.plan('prep')).fingerprint;
    assert.notEqual(dep, base);
    w.write({ 'input.txt': 'input\n', 'params.yaml': 'scale: 3\n' });
    w.close();
    await w.open();
    const param = (await w.plan('prep')).fingerprint;
    assert.notEqual(param, base);
    assert.notEqual(param, dep);
    w.close();
  });

  it('an out deleted or edited: restored from the lockfile\'s record, bytes back, reasons said', async () => {
    const w = await new Workspace().open();
    await w.run('prep', PREP);
    rmSync(join(w.root, 'data/sub'), { recursive: true });
    const missing = await w.plan('prep');
    assert.equal(missing.decision.action, 'restore');
    assert.deepEqual(missing.decision.reasons, [{ kind: 'out-modified', path: 'data' }]);
    rmSync(join(w.root, 'data'), { recursive: true });
    const gone = await w.plan('prep');
    assert.deepEqual(gone.decision.reasons, [{ kind: 'out-missing', path: 'data' }]);
    assert.equal(gone.decision.action === 'restore' && gone.decision.from, 'lock');
    await w.cache.restore(w.stage('prep'), gone as Plan & { decision: { action: 'restore' } });
    assert.equal(w.read('data/a.txt'), 'a2\n');
    assert.equal(w.read('data/sub/b.txt'), 'b2\n');
    assert.equal((await w.plan('prep')).decision.action, 'skip');
    w.close();
  });

  it('restore leaves outs that are already right alone, and puts back the others', async () => {
    const w = await new Workspace().open();
    await w.run('pair', { 'x.txt': 'x\n', 'y.txt': 'y\n' });
    rmSync(join(w.root, 'x.txt'));
    const inode = statSync(join(w.root, 'y.txt')).ino;
    const plan = await w.plan('pair');
    assert.equal(plan.decision.action, 'restore');
    assert.deepEqual(plan.decision.reasons, [{ kind: 'out-missing', path: 'x.txt' }]);
    await w.cache.restore(w.stage('pair'), plan as Plan & { decision: { action: 'restore' } });
    assert.equal(w.read('x.txt'), 'x\n');
    assert.equal(statSync(join(w.root, 'y.txt')).ino, inode);
    w.write({ 'y.txt': 'edited\n' });
    const both = await w.plan('pair');
    assert.deepEqual(both.decision.reasons, [{ kind: 'out-modified', path: 'y.txt' }]);
    await w.cache.restore(w.stage('pair'), both as Plan & { decision: { action: 'restore' } });
    assert.equal(w.read('y.txt'), 'y\n');
    assert.equal((await w.plan('pair')).decision.action, 'skip');
    w.close();
  });

  it('a stage with an uncached out is never restored: a lost cached out means a run', async () => {
    const w = await new Workspace().open();
    await w.run('prep', PREP);
    await w.run('train', TRAIN);
    rmSync(join(w.root, 'model.bin'));
    assert.deepEqual((await w.plan('train')).decision, { action: 'run', reasons: [{ kind: 'out-missing', path: 'model.bin' }] });
    w.close();
  });

  it('an uncached out lost: the stage runs (nothing to restore it from)', async () => {
    const w = await new Workspace().open();
    await w.run('prep', PREP);
    await w.run('train', TRAIN);
    rmSync(join(w.root, 'log.txt'));
    const plan = await w.plan('train');
    assert.deepEqual(plan.decision, { action: 'run', reasons: [{ kind: 'out-missing', path: 'log.txt' }] });
    w.close();
  });

  it('a dep changed and changed back: run, then restored from the run-cache', async () => {
    const w = await new Workspace().open();
    const first = await w.run('prep', PREP);
    w.write({ 'input.txt': 'other\n' });
    const changed = await w.plan('prep');
    assert.deepEqual(changed.decision, { action: 'run', reasons: [{ kind: 'dep-changed', path: 'input.txt', change: 'modified' }] });
    await w.run('prep', { 'data/a.txt': 'other\n', 'data/sub/b.txt': 'other b\n' });
    w.write({ 'input.txt': 'input\n' });
    const back = await w.plan('prep');
    assert.equal(back.decision.action, 'restore');
    assert.equal(back.decision.action === 'restore' && back.decision.from, 'run-cache');
    assert.deepEqual(back.decision.reasons, [{ kind: 'dep-changed', path: 'input.txt', change: 'modified' }]);
    const restored = await w.cache.restore(w.stage('prep'), back as Plan & { decision: { action: 'restore' } });
    assert.equal(w.read('data/a.txt'), 'a2\n');
    assert.equal(restored.fingerprint, first.entry.fingerprint);
    assert.deepEqual(restored.deps, [{ path: 'input.txt', hash: hashBytes('input\n') }]);
    assert.equal(w.cache.lock.get('prep')?.fingerprint, first.entry.fingerprint);
    assert.equal((await w.plan('prep')).decision.action, 'skip');
    w.close();
  });

  it('a run-cache hit whose object was damaged in place: a warning, the object removed, the stage runs', async () => {
    const w = await new Workspace().open();
    w.write({ 'model.bin': 'm1' });
    const { entry } = await w.run('report', { 'report.txt': 'r1\n' });
    w.write({ 'model.bin': 'm2' });
    await w.run('report', { 'report.txt': 'r2\n' });
    w.write({ 'model.bin': 'm1' });
    const object = w.cache.store.pathOf(hashBytes('r1\n'));
    rmSync(object);
    writeFileSync(object, 'damaged\n');
    // The first run's entry is in the run-cache; its report object is damaged.
    const plan = await w.plan('report');
    assert.equal(plan.fingerprint, entry.fingerprint);
    assert.deepEqual(plan.decision, { action: 'run', reasons: [{ kind: 'dep-changed', path: 'model.bin', change: 'modified' }] });
    assert.deepEqual(w.warnings, [`cache object ${hashBytes('r1\n')} is corrupt (its content changed); removed`]);
    assert.equal(existsSync(object), false);
    // Intact, it is restored from there.
    w.write({ 'model.bin': 'm2' });
    w.close();
    const other = await new Workspace().open();
    other.write({ 'model.bin': 'm2' });
    await other.run('report', { 'report.txt': 'r2\n' });
    other.write({ 'model.bin': 'm3' });
    await other.run('report', { 'report.txt': 'r3\n' });
    other.write({ 'model.bin': 'm2' });
    const hit = await other.plan('report');
    assert.equal(hit.decision.action === 'restore' && hit.decision.from, 'run-cache');
    assert.deepEqual(other.warnings, []);
    other.close();
  });

  it('a folder out\'s file damaged in the store: the folder is not intact', async () => {
    const w = await new Workspace().open();
    const { entry } = await w.run('prep', PREP);
    const out = entry.outs[0]!;
    assert.equal(await w.cache.intact(entry.outs), true);
    const fileHash = w.cache.store.readManifest(out.hash as never)!.find((e) => e.path === 'sub/b.txt')!.hash;
    rmSync(w.cache.store.pathOf(fileHash));
    writeFileSync(w.cache.store.pathOf(fileHash), 'bad');
    await w.reopen();
    assert.equal(await w.cache.intact(entry.outs), false);
    assert.equal(w.warnings.length, 1);
    assert.equal(w.cache.store.has(out.hash), false);
    assert.equal(await w.cache.intact(entry.outs), false);
    rmSync(join(w.root, 'data'), { recursive: true });
    assert.deepEqual((await w.plan('prep')).decision, { action: 'run', reasons: [{ kind: 'out-missing', path: 'data' }] });
    w.close();
  });

  it('--force runs; always_changed runs every time', async () => {
    const w = await new Workspace().open();
    await w.run('prep', PREP);
    assert.deepEqual((await w.plan('prep', { force: true })).decision, { action: 'run', reasons: [{ kind: 'forced' }] });
    await w.run('always', { 'now.txt': 'now' });
    assert.deepEqual((await w.plan('always')).decision, { action: 'run', reasons: [{ kind: 'always-changed' }] });
    w.close();
  });

  it('a dep that is not there: run, saying so', async () => {
    const w = await new Workspace().open();
    await w.run('prep', PREP);
    rmSync(join(w.root, 'input.txt'));
    const plan = await w.plan('prep');
    assert.deepEqual(plan.decision, { action: 'run', reasons: [{ kind: 'dep-changed', path: 'input.txt', change: 'missing' }] });
    assert.equal(plan.parts.deps['input.txt'], 'missing');
    w.close();
  });

  it('the hashes upstream restores will give are used for deps (status acts on nothing)', async () => {
    const w = await new Workspace().open();
    await w.run('prep', PREP);
    const { entry } = await w.run('train', TRAIN);
    const dataHash = entry.deps[0]!.hash;
    w.write({ 'data/a.txt': 'edited\n' });
    assert.equal((await w.plan('train')).decision.action, 'run');
    const expected = new Map<string, ContentHash>([['data', dataHash]]);
    assert.equal((await w.plan('train', { expected })).decision.action, 'skip');
    rmSync(join(w.root, 'data'), { recursive: true });
    assert.equal((await w.plan('train', { expected })).decision.action, 'skip');
    w.close();
  });

  it('metrics a run returns are recorded when the stage has no metrics file', async () => {
    const w = await new Workspace().open();
    const { entry } = await w.run('prep', PREP, { acc: 0.5 });
    assert.deepEqual(entry.metrics, { acc: 0.5 });
    const withFile = await w.run('train', TRAIN, { acc: 0.5 });
    assert.equal(withFile.entry.metrics, undefined);
    const none = await w.run('report', { 'report.txt': 'r' });
    assert.equal('metrics' in none.entry, false);
    w.close();
  });

  it('commit records cached and uncached outs, stores only the cached', async () => {
    const w = await new Workspace().open();
    const { entry } = await w.run('train', TRAIN);
    assert.deepEqual(entry.outs.map((o) => [o.path, o.cache, o.hash, o.size]), [
      ['model.bin', true, hashBytes('model\n'), 6],
      ['log.txt', false, hashBytes('log\n'), 4],
      ['metrics.json', false, hashBytes('{"acc": 0.9}\n'), 13],
    ]);
    assert.equal(entry.outs.some((o) => 'files' in o), false);
    assert.ok(w.cache.store.has(hashBytes('model\n')));
    assert.equal(w.cache.store.has(hashBytes('log\n')), false);
    assert.equal(w.cache.store.has(hashBytes('{"acc": 0.9}\n')), false);
    w.close();
  });

  it('an out missing when a run is recorded: an error naming it and the stage', async () => {
    const w = await new Workspace().open();
    const plan = await w.plan('report');
    await assert.rejects(w.cache.commit(w.stage('report'), plan), { message: 'out "report.txt" of stage "report" vanished before it could be cached' });
    w.close();
  });

  it('storeOuts: hashes the outs as they are now', async () => {
    const w = await new Workspace().open();
    await w.run('report', { 'report.txt': 'one' });
    w.write({ 'report.txt': 'two' });
    const outs = await storeOuts(w.root, (w.cache as unknown as { hasher: never }).hasher, w.cache.store, w.stage('report'));
    assert.deepEqual(outs, [{ path: 'report.txt', hash: hashBytes('two'), size: 3, cache: true }]);
    w.close();
  });
});

describe('StageCache: more plans', () => {
  it('deps are recorded sorted by path; an external dep by what it looks like, not as a missing file', async () => {
    const w = await new Workspace({ 'a.txt': 'a', 'b.txt': 'b' }).open();
    const { plan, entry } = await w.run('ext', { 'ext.txt': 'e' });
    assert.deepEqual(entry.deps.map((d) => d.path), ['a.txt', 'b.txt', 's3://bucket/data.csv']);
    assert.equal(plan.parts.deps['s3://bucket/data.csv'], 'external:s3://bucket/data.csv');
    assert.deepEqual((await w.plan('ext')).decision, { action: 'skip', entry, reasons: [] });
    w.close();
  });

  it('a dep missing runs the stage, even when a run with that dep missing is recorded', async () => {
    const w = await new Workspace().open();
    rmSync(join(w.root, 'input.txt'));
    await w.run('prep', PREP);
    w.write({ 'input.txt': 'input\n' });
    await w.run('prep', { 'data/a.txt': 'other\n' });
    rmSync(join(w.root, 'input.txt'));
    assert.deepEqual((await w.plan('prep')).decision, { action: 'run', reasons: [{ kind: 'dep-changed', path: 'input.txt', change: 'missing' }] });
    w.close();
  });

  it('an uncached out is never taken from the store, even when a cached out with the same bytes put them there', async () => {
    const w = await new Workspace().open();
    await w.run('prep', PREP);
    await w.run('train', { 'model.bin': '{}', 'log.txt': '{}', 'metrics.json': '{}' });
    rmSync(join(w.root, 'model.bin'));
    assert.deepEqual((await w.plan('train')).decision, { action: 'run', reasons: [{ kind: 'out-missing', path: 'model.bin' }] });
    w.close();
  });

  it('outs about to be rewritten are hashed again afterwards in the same process (a run that failed midway, then a plan)', async () => {
    const w = await new Workspace().open();
    const { entry } = await w.run('pair', { 'x.txt': 'x\n', 'y.txt': 'y\n' });
    await w.reopen();
    assert.equal((await w.cache.plan(w.stage('pair'))).decision.action, 'skip');
    w.cache.forgetOuts(w.stage('pair'));
    w.write({ 'y.txt': 'half written' });
    assert.deepEqual((await w.cache.plan(w.stage('pair'))).decision, { action: 'restore', from: 'lock', entry, reasons: [{ kind: 'out-modified', path: 'y.txt' }] });
    w.close();
  });
});

describe('StageCache: frozen stages', () => {
  it('never run: fails, saying why', async () => {
    const w = await new Workspace().open();
    assert.deepEqual((await w.plan('frozen')).decision, { action: 'fail', message: 'stage "frozen" is frozen but has never run, so it has no outs to keep', reasons: [{ kind: 'frozen' }] });
    w.close();
  });

  it('outs intact: skipped whatever changed; damaged: restored; damaged and not in the cache: fails', async () => {
    const w = await new Workspace().open();
    const { entry } = await w.run('frozen', { 'frozen.txt': 'kept\n' });
    w.write({ 'frozen.js': 'changed' });
    assert.deepEqual((await w.plan('frozen')).decision, { action: 'skip', entry, reasons: [{ kind: 'frozen' }] });
    assert.deepEqual((await w.plan('frozen', { force: true })).decision, { action: 'skip', entry, reasons: [{ kind: 'frozen' }] });
    w.write({ 'frozen.txt': 'edited\n' });
    const damaged = await w.plan('frozen');
    assert.deepEqual(damaged.decision, { action: 'restore', from: 'lock', entry, reasons: [{ kind: 'frozen' }, { kind: 'out-modified', path: 'frozen.txt' }] });
    await w.cache.restore(w.stage('frozen'), damaged as Plan & { decision: { action: 'restore' } });
    assert.equal(w.read('frozen.txt'), 'kept\n');
    await w.cache.store.remove(hashBytes('kept\n'));
    rmSync(join(w.root, 'frozen.txt'));
    assert.deepEqual((await w.plan('frozen')).decision, { action: 'fail', message: 'stage "frozen" is frozen and its outs are damaged and not in the cache', reasons: [{ kind: 'out-missing', path: 'frozen.txt' }] });
    // An object gone (gc) is a miss, not damage: no warning.
    assert.deepEqual(w.warnings, []);
    w.close();
  });
});

describe('StageCache: results DVC computed', () => {
  const md5 = (data: string) => createHash('md5').update(data).digest('hex');
  const DVC = {
    'dvc.yaml': 'stages:\n  make:\n    cmd: node make.js\n    deps: [in.txt]\n    outs: [out.txt]\n  next:\n    cmd: node next.js\n    deps: [out.txt]\n    outs: [next.txt]\n',
    'in.txt': 'in\n',
    'dvc.lock': `schema: '2.0'\nstages:\n  make:\n    cmd: node make.js\n    deps:\n    - path: in.txt\n      hash: md5\n      md5: ${md5('in\n')}\n    outs:\n    - path: out.txt\n      hash: md5\n      md5: ${md5('made\n')}\n  next:\n    cmd: node next.js\n    deps:\n    - path: out.txt\n      hash: md5\n      md5: ${md5('made\n')}\n    outs:\n    - path: next.txt\n      hash: md5\n      md5: ${md5('next\n')}\n`,
    '.dvc/config': '',
  };

  function dvcProject() {
    const root = mkdtempSync(join(tmpdir(), 'pw-stage-cache-dvc-'));
    dirs.push(root);
    for (const [path, text] of Object.entries({ ...DVC, [`.dvc/cache/files/md5/${md5('made\n').slice(0, 2)}/${md5('made\n').slice(2)}`]: 'made\n' })) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  it('a stage never run here that dvc.lock records: restored from DVC\'s cache, then recorded as ours', async () => {
    const root = dvcProject();
    const w = new Workspace({}, root);
    rmSync(join(root, 'pipewright.yaml'));
    await w.open();
    const plan = await w.plan('make');
    assert.equal(plan.decision.action, 'restore');
    assert.equal(plan.decision.action === 'restore' && plan.decision.from, 'dvc');
    assert.deepEqual(plan.decision.reasons, [{ kind: 'dvc-lock' }]);
    const entry = await w.cache.restore(w.stage('make'), plan as Plan & { decision: { action: 'restore' } });
    assert.equal(w.read('out.txt'), 'made\n');
    assert.deepEqual(entry.outs.map((o) => [o.path, o.hash]), [['out.txt', hashBytes('made\n')]]);
    assert.ok(w.cache.store.has(hashBytes('made\n')));
    assert.deepEqual((await w.plan('make')).decision, { action: 'skip', entry, reasons: [] });
    w.close();
  });

  it('an out already in the workspace as recorded is left there; a dep that upstream will restore counts as restored', async () => {
    const root = dvcProject();
    const w = new Workspace({}, root);
    rmSync(join(root, 'pipewright.yaml'));
    await w.open();
    // next's dep out.txt is not there yet: as status sees it, upstream will restore it.
    assert.equal((await w.plan('next')).decision.action, 'run');
    const expectedMd5 = new Map([['out.txt', md5('made\n')]]);
    w.write({ 'next.txt': 'next\n' });
    const plan = await w.plan('next', { expectedMd5 });
    assert.deepEqual(plan.decision.action === 'restore' && plan.decision.from === 'dvc' && plan.decision.dvc.map((d) => [d.path, d.inWorkspace]), [['next.txt', true]]);
    const inode = statSync(join(root, 'next.txt')).ino;
    await w.cache.restore(w.stage('next'), plan as Plan & { decision: { action: 'restore' } });
    assert.equal(statSync(join(root, 'next.txt')).ino, inode);
    w.close();
  });

  it('a stage run here once is ours: dvc.lock is not asked again', async () => {
    const root = dvcProject();
    const w = new Workspace({}, root);
    rmSync(join(root, 'pipewright.yaml'));
    await w.open();
    await w.run('make', { 'out.txt': 'ours\n' });
    w.write({ 'in.txt': 'other\n' });
    assert.equal((await w.plan('make')).decision.action, 'run');
    w.write({ 'in.txt': 'in\n' });
    rmSync(join(root, 'in.txt'));
    assert.equal((await w.plan('make')).decision.action, 'run');
    w.close();
  });

  it('a dep missing here that dvc.lock records with outs in DVC\'s cache: restored from DVC', async () => {
    const root = dvcProject();
    const w = new Workspace({}, root);
    rmSync(join(root, 'pipewright.yaml'));
    rmSync(join(root, 'in.txt'));
    await w.open();
    const plan = await w.plan('make', { expectedMd5: new Map([['in.txt', md5('in\n')]]) });
    assert.equal(plan.decision.action === 'restore' && plan.decision.from, 'dvc');
    w.close();
  });
});

describe('StageCache: a shared remote', () => {
  it('a run recorded on the remote by another checkout: looked at (status), then brought down and restored', async () => {
    const remote = mkdtempSync(join(tmpdir(), 'pw-stage-cache-remote-'));
    dirs.push(remote);
    const config = { 'pipewright.config.yaml': `remotes:\n  team:\n    url: ${remote}\ndefault_remote: team\n` };
    const a = await new Workspace(config).open();
    const { entry } = await a.run('prep', PREP);
    const tierA = (await RemoteCacheTier.forRun(a.root, undefined, () => {}))!;
    await tierA.publish('prep', entry);
    tierA.close();
    a.close();

    const bRoot = mkdtempSync(join(tmpdir(), 'pw-stage-cache-b-'));
    dirs.push(bRoot);
    const b = new Workspace(config, bRoot);
    const noTier = await b.open();
    assert.equal(noTier.cache.consultsShared, false);
    assert.equal((await b.plan('prep')).decision.action, 'run');
    b.close();
    const tier = (await RemoteCacheTier.forRun(bRoot, undefined, () => {}))!;
    await b.open({ shared: tier });
    assert.equal(b.cache.consultsShared, true);
    const look = await b.plan('prep', { lookOnly: true });
    assert.deepEqual(look.decision, { action: 'restore', from: 'remote', remote: 'team', entry, reasons: [{ kind: 'never-run' }] });
    assert.equal(b.exists('.pipewright/cache/objects'), false);
    const plan = await b.plan('prep');
    assert.deepEqual(plan.decision, { action: 'restore', from: 'remote', remote: 'team', entry, reasons: [{ kind: 'never-run' }] });
    await b.cache.restore(b.stage('prep'), plan as Plan & { decision: { action: 'restore' } });
    assert.equal(b.read('data/sub/b.txt'), 'b2\n');
    // Now in the local run-cache too.
    rmSync(join(bRoot, 'data'), { recursive: true });
    b.cache.lock.set('prep', { ...entry, fingerprint: 'other' as never });
    b.close();
    await b.open({});
    assert.equal(((await b.plan('prep')).decision as { from?: string }).from, 'run-cache');
    tier.close();
    b.close();
  });

  it('a run whose objects are gone from the remote is not restored; a stage the remote does not record is not reported', async () => {
    const remote = mkdtempSync(join(tmpdir(), 'pw-stage-cache-remote-'));
    dirs.push(remote);
    const config = { 'pipewright.config.yaml': `remotes:\n  team:\n    url: ${remote}\ndefault_remote: team\n` };
    const a = await new Workspace(config).open();
    const { entry } = await a.run('prep', PREP);
    const tierA = (await RemoteCacheTier.forRun(a.root, undefined, () => {}))!;
    await tierA.publish('prep', entry);
    tierA.close();
    a.close();
    rmSync(join(remote, 'objects'), { recursive: true });
    const b = new Workspace({ ...config }, undefined);
    const tier = (await RemoteCacheTier.forRun(b.root, undefined, () => {}))!;
    await b.open({ shared: tier });
    assert.deepEqual((await b.plan('prep')).decision, { action: 'run', reasons: [{ kind: 'never-run' }] });
    // A stage the remote does not record at all: nothing to report either.
    assert.deepEqual((await b.plan('pair', { lookOnly: true })).decision, { action: 'run', reasons: [{ kind: 'never-run' }] });
    tier.close();
    b.close();
  });
});

describe('StageCache: a TypeScript stage\'s inputs', () => {
  it('an input (another stage\'s out) is a dep: its content is in the fingerprint and the lockfile', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pw-stage-cache-ts-'));
    dirs.push(root);
    mkdirSync(join(root, 'node_modules'));
    symlinkSync(REPO, join(root, 'node_modules/pipewright'));
    symlinkSync(join(REPO, 'node_modules/zod'), join(root, 'node_modules/zod'));
    const w = new Workspace({
      'pipewright.ts': `import { writeFile } from 'node:fs/promises';
import { pipeline, stage } from 'pipewright';
export const make = stage('make', { outs: { data: 'made.txt' }, run: async ({ outs }) => { await writeFile(outs.data, 'made'); } });
export const use = stage('use', { inputs: { data: make.outs.data }, outs: { result: 'used.txt' }, run: async ({ outs }) => { await writeFile(outs.result, 'used'); } });
export default pipeline('ts-inputs', [make, use]);
`,
    }, root);
    rmSync(join(root, 'pipewright.yaml'));
    await w.open();
    w.write({ 'made.txt': 'made' });
    const { plan, entry } = await w.run('use', { 'used.txt': 'used' });
    assert.deepEqual(plan.parts.deps, { 'made.txt': hashBytes('made') });
    assert.deepEqual(entry.deps, [{ path: 'made.txt', hash: hashBytes('made') }]);
    assert.equal((await w.plan('use')).decision.action, 'skip');
    w.write({ 'made.txt': 'made again' });
    assert.deepEqual((await w.plan('use')).decision, { action: 'run', reasons: [{ kind: 'dep-changed', path: 'made.txt', change: 'modified' }] });
    w.close();
  });
});
