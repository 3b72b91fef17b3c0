/**
 * dvc.lock as a source of results DVC computed (cache/dvc-lock.ts), on real DVC projects in temp
 * folders: a stage whose command, params and deps are as dvc.lock records them, and whose outs are
 * in the workspace as recorded or in DVC's cache, is offered for restore; anything else differing
 * (or an entry of a shape DVC never writes) means the stage runs. md5s are computed by the test.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DvcLock } from '../../src/cache/dvc-lock.js';
import { isPipelineError } from '../../src/errors.js';
import { openProject } from '../../src/run/project.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const md5 = (data: string) => createHash('md5').update(data).digest('hex');

const PIPELINE = `stages:
  prepare:
    cmd: python prepare.py
    params: [prepare.seed, prepare.split]
    deps: [data/raw.txt, prepare.py]
    outs: [data/prepared.txt]
  report:
    cmd: python report.py
    wdir: sub
    deps: [../data/prepared.txt]
    outs: [report.txt]
    metrics: [{metrics.json: {cache: false}}]
`;
const PARAMS = 'prepare:\n  seed: 7\n  split: 0.2\n';
const FILES: Record<string, string> = {
  'data/raw.txt': 'raw\r\ndata\r\n',
  'prepare.py': 'print(1)\n',
  'data/prepared.txt': 'prepared\n',
  'sub/report.txt': 'report\n',
  'sub/metrics.json': '{"acc": 1}\n',
};

/** dvc.lock as DVC 3 writes it for FILES (raw.txt by DVC 2's md5, as an old record would have it). */
function lockText(over: { cmd?: string; seed?: number; prepared?: string; extraDep?: boolean } = {}): string {
  return `schema: '2.0'
stages:
  prepare:
    cmd: ${over.cmd ?? 'python prepare.py'}
    deps:
    - path: data/raw.txt
      md5: ${md5('raw\ndata\n')}
      size: 10
    - path: prepare.py
      hash: md5
      md5: ${md5(FILES['prepare.py']!)}
${over.extraDep ? `    - path: other.txt\n      hash: md5\n      md5: ${md5('other')}\n` : ''}    params:
      params.yaml:
        prepare.seed: ${over.seed ?? 7}
        prepare.split: 0.2
    outs:
    - path: data/prepared.txt
      hash: md5
      md5: ${md5(over.prepared ?? FILES['data/prepared.txt']!)}
  report:
    cmd:
    - python report.py
    deps:
    - path: ../data/prepared.txt
      hash: md5
      md5: ${md5(FILES['data/prepared.txt']!)}
    outs:
    - path: report.txt/
      hash: md5
      md5: ${md5(FILES['sub/report.txt']!)}
    - path: metrics.json
      hash: md5
      md5: ${md5(FILES['sub/metrics.json']!)}
      cache: false
`;
}

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pw-dvc-lock-'));
  dirs.push(root);
  for (const [path, text] of Object.entries({ 'dvc.yaml': PIPELINE, 'params.yaml': PARAMS, ...FILES, ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function open(root: string) {
  const p = await openProject(root);
  const lock = DvcLock.open(root, p.declaration.file);
  const stage = (name: string) => p.graph.nodes.get(name)!;
  return { lock, stage, root, p };
}

describe('DvcLock.open', () => {
  it('only beside a dvc.yaml, only when dvc.lock is there', async () => {
    const root = project({});
    assert.equal(DvcLock.open(root, join(root, 'dvc.yaml')), undefined);
    writeFileSync(join(root, 'dvc.lock'), lockText());
    assert.ok(DvcLock.open(root, join(root, 'dvc.yaml')));
    assert.ok(DvcLock.open(root, 'dvc.yaml'));
    assert.ok(DvcLock.open(root, 'sub\\dvc.yaml'));
    assert.equal(DvcLock.open(root, join(root, 'pipewright.yaml')), undefined);
    assert.equal(DvcLock.open(root, join(root, 'my-dvc.yaml')), undefined);
  });

  it('a dvc.lock that is not YAML is an error naming it', () => {
    const root = project({ 'dvc.lock': 'stages: [unclosed\n' });
    assert.throws(() => DvcLock.open(root, join(root, 'dvc.yaml')), (err: unknown) => isPipelineError(err) && /dvc\.lock/.test(JSON.stringify(err.where) + err.message));
  });

  it('an empty dvc.lock, or one without stages, records nothing', async () => {
    for (const text of ['', 'schema: "2.0"\n', 'stages: 5\n', 'stages:\n', '[1, 2]\n']) {
      const { lock, stage } = await open(project({ 'dvc.lock': text }));
      assert.ok(lock, text);
      assert.equal(lock.match(stage('prepare')), undefined, text);
    }
  });

  it('DVC\'s cache is the one of the nearest .dvc folder, if any', async () => {
    const none = await open(project({ 'dvc.lock': lockText() }));
    assert.equal(none.lock!.cache, undefined);
    const root = project({ 'dvc.lock': lockText(), '.dvc/config': '' });
    assert.equal((await open(root)).lock!.cache!.dir, join(root, '.dvc/cache'));
  });
});

describe('DvcLock.match: what DVC recorded still holds', () => {
  it('command, params and deps as recorded, outs in the workspace: restored in place', async () => {
    const { lock, stage } = await open(project({ 'dvc.lock': lockText() }));
    assert.deepEqual(lock!.match(stage('prepare')), [{ path: 'data/prepared.txt', md5: md5('prepared\n'), kind: 'md5', cache: true, inWorkspace: true }]);
  });

  it('paths are relative to the stage\'s wdir, a trailing / dropped, a list of commands joined, cache: false kept', async () => {
    const { lock, stage } = await open(project({ 'dvc.lock': lockText() }));
    assert.deepEqual(lock!.match(stage('report')), [
      { path: 'sub/report.txt', md5: md5('report\n'), kind: 'md5', cache: true, inWorkspace: true },
      { path: 'sub/metrics.json', md5: md5('{"acc": 1}\n'), kind: 'md5', cache: false, inWorkspace: true },
    ]);
  });

  it('an out missing from the workspace but in DVC\'s cache is restored from there', async () => {
    const root = project({ 'dvc.lock': lockText(), '.dvc/config': '' });
    rmSync(join(root, 'data/prepared.txt'));
    const name = md5('prepared\n');
    mkdirSync(join(root, '.dvc/cache/files/md5', name.slice(0, 2)), { recursive: true });
    writeFileSync(join(root, '.dvc/cache/files/md5', name.slice(0, 2), name.slice(2)), 'prepared\n');
    const { lock, stage } = await open(root);
    assert.deepEqual(lock!.match(stage('prepare')), [{ path: 'data/prepared.txt', md5: name, kind: 'md5', cache: true, inWorkspace: false }]);
  });

  it('DVC\'s cache is asked first: an out edited in the workspace but in the cache is restored from the cache', async () => {
    const root = project({ 'dvc.lock': lockText(), '.dvc/config': '' });
    writeFileSync(join(root, 'data/prepared.txt'), 'edited\n');
    const name = md5('prepared\n');
    mkdirSync(join(root, '.dvc/cache/files/md5', name.slice(0, 2)), { recursive: true });
    writeFileSync(join(root, '.dvc/cache/files/md5', name.slice(0, 2), name.slice(2)), 'prepared\n');
    const { lock, stage } = await open(root);
    assert.equal(lock!.match(stage('prepare'))![0]!.inWorkspace, false);
  });

  it('an uncached out (cache: false) is never taken from DVC\'s cache', async () => {
    const root = project({ 'dvc.lock': lockText(), '.dvc/config': '' });
    rmSync(join(root, 'sub/metrics.json'));
    const name = md5('{"acc": 1}\n');
    mkdirSync(join(root, '.dvc/cache/files/md5', name.slice(0, 2)), { recursive: true });
    writeFileSync(join(root, '.dvc/cache/files/md5', name.slice(0, 2), name.slice(2)), '{"acc": 1}\n');
    const { lock, stage } = await open(root);
    assert.equal(lock!.match(stage('report')), undefined);
  });

  it('an out neither in the workspace as recorded nor in a cache: the stage runs', async () => {
    const edited = project({ 'dvc.lock': lockText(), 'data/prepared.txt': 'other\n' });
    assert.equal((await open(edited)).lock!.match((await open(edited)).stage('prepare')), undefined);
    const gone = project({ 'dvc.lock': lockText(), '.dvc/config': '' });
    rmSync(join(gone, 'data/prepared.txt'));
    const o = await open(gone);
    assert.equal(o.lock!.match(o.stage('prepare')), undefined);
  });

  it('another command, another param value, a dep changed: the stage runs', async () => {
    for (const over of [{ cmd: 'python prepare.py --fast' }, { seed: 8 }]) {
      const o = await open(project({ 'dvc.lock': lockText(over) }));
      assert.equal(o.lock!.match(o.stage('prepare')), undefined, JSON.stringify(over));
    }
    const o = await open(project({ 'dvc.lock': lockText(), 'prepare.py': 'print(2)\n' }));
    assert.equal(o.lock!.match(o.stage('prepare')), undefined);
  });

  it('a param the stage reads that dvc.lock does not record, or one it records that the stage does not read: the stage runs', async () => {
    const fewer = await open(project({ 'dvc.lock': lockText().replace('        prepare.split: 0.2\n', '') }));
    assert.equal(fewer.lock!.match(fewer.stage('prepare')), undefined);
    const more = await open(project({ 'dvc.lock': lockText().replace('        prepare.split: 0.2\n', '        prepare.split: 0.2\n        prepare.extra: 1\n') }));
    assert.equal(more.lock!.match(more.stage('prepare')), undefined);
  });

  it('params recorded across several files, in any order, are one tree', async () => {
    const text = lockText().replace('        prepare.seed: 7\n        prepare.split: 0.2\n', '        prepare.split: 0.2\n      other.yaml:\n        prepare.seed: 7\n      empty.yaml:\n');
    const o = await open(project({ 'dvc.lock': text }));
    assert.ok(o.lock!.match(o.stage('prepare')));
  });

  it('a dep recorded that the stage does not have, or one it has that is not recorded: the stage runs', async () => {
    const more = await open(project({ 'dvc.lock': lockText({ extraDep: true }), 'other.txt': 'other' }));
    assert.equal(more.lock!.match(more.stage('prepare')), undefined);
    const fewer = await open(project({ 'dvc.lock': lockText().replace(/    - path: prepare\.py\n.*\n.*\n/, '') }));
    assert.equal(fewer.lock!.match(fewer.stage('prepare')), undefined);
    const renamed = await open(project({ 'dvc.lock': lockText().replace('- path: prepare.py', '- path: prepare2.py'), 'prepare2.py': FILES['prepare.py']! }));
    assert.equal(renamed.lock!.match(renamed.stage('prepare')), undefined);
  });

  it('an out recorded that the stage does not write, or one it writes that is not recorded: the stage runs', async () => {
    const fewer = await open(project({ 'dvc.lock': lockText().replace(/    - path: metrics\.json\n(.*\n){3}/, '') }));
    assert.equal(fewer.lock!.match(fewer.stage('report')), undefined);
    const renamed = await open(project({ 'dvc.lock': lockText().replace('- path: metrics.json', '- path: metrics2.json'), 'sub/metrics2.json': FILES['sub/metrics.json']! }));
    assert.equal(renamed.lock!.match(renamed.stage('report')), undefined);
  });

  it('a dep hashed by DVC 2 reads CRLF as LF; one recorded with hash: md5 does not', async () => {
    const raw = md5('raw\r\ndata\r\n');
    const dos = md5('raw\ndata\n');
    const asMd5 = await open(project({ 'dvc.lock': lockText().replace(`      md5: ${dos}\n      size: 10\n`, `      hash: md5\n      md5: ${dos}\n`) }));
    assert.equal(asMd5.lock!.match(asMd5.stage('prepare')), undefined);
    const rawMd5 = await open(project({ 'dvc.lock': lockText().replace(`      md5: ${dos}\n      size: 10\n`, `      hash: md5\n      md5: ${raw}\n`) }));
    assert.ok(rawMd5.lock!.match(rawMd5.stage('prepare')));
  });

  it('the md5 a dep will have once upstream restores are done is taken over the workspace\'s', async () => {
    const root = project({ 'dvc.lock': lockText() });
    rmSync(join(root, 'data/prepared.txt'));
    const o = await open(root);
    assert.equal(o.lock!.match(o.stage('report')), undefined);
    writeFileSync(join(root, 'data/prepared.txt'), 'changed\n');
    assert.ok(o.lock!.match(o.stage('report'), new Map([['data/prepared.txt', md5('prepared\n')]])));
    assert.equal(o.lock!.match(o.stage('report'), new Map([['data/prepared.txt', md5('other\n')]])), undefined);
  });

  it('a stage dvc.lock does not record runs', async () => {
    const o = await open(project({ 'dvc.lock': lockText().replace('  report:', '  reported:') }));
    assert.equal(o.lock!.match(o.stage('report')), undefined);
  });

  it('entries of a shape DVC never writes are left out; the others still match', async () => {
    const bad = [
      '  report: null\n',
      '  report: just text\n',
      '  report:\n    deps: []\n',
      '  report:\n    cmd: 5\n',
      '  report:\n    cmd: python report.py\n    deps: {path: x}\n',
      '  report:\n    cmd: python report.py\n    outs: x\n',
      '  report:\n    cmd: python report.py\n    deps:\n    - path: ../data/prepared.txt\n',
      '  report:\n    cmd: python report.py\n    deps:\n    - md5: abc\n',
      '  report:\n    cmd: python report.py\n    deps:\n    - null\n',
      '  report:\n    cmd: python report.py\n    deps:\n    - path: 5\n      md5: abc\n',
    ];
    for (const entry of bad) {
      const text = lockText().replace(/  report:\n[\s\S]*$/, entry);
      const o = await open(project({ 'dvc.lock': text }));
      assert.equal(o.lock!.match(o.stage('report')), undefined, entry);
      assert.ok(o.lock!.match(o.stage('prepare')), entry);
    }
  });

  it('a stage recorded with no deps and no outs matches one that has none', async () => {
    const root = project({
      'dvc.yaml': 'stages:\n  hello:\n    cmd: echo hi\n',
      'dvc.lock': "schema: '2.0'\nstages:\n  hello:\n    cmd: echo hi\n",
    });
    const o = await open(root);
    assert.deepEqual(o.lock!.match(o.stage('hello')), []);
  });

  it('params written with odd values are compared as the stage reads them', async () => {
    const root = project({
      'dvc.yaml': 'stages:\n  hello:\n    cmd: echo hi\n    params: [a, b.c]\n',
      'params.yaml': 'a: 1\nb:\n  c: [1, 2]\n',
      'dvc.lock': "schema: '2.0'\nstages:\n  hello:\n    cmd: echo hi\n    params:\n      params.yaml:\n        b.c: [1, 2]\n        a: 1\n      notes: 7\n",
    });
    const o = await open(root);
    assert.deepEqual(o.lock!.match(o.stage('hello')), []);
  });

  it('a command recorded as a list is its commands joined with &&, as dvc.yaml\'s list is run', async () => {
    const o = await open(project({
      'dvc.yaml': 'stages:\n  two:\n    cmd:\n    - echo a\n    - echo b\n',
      'dvc.lock': "schema: '2.0'\nstages:\n  two:\n    cmd:\n    - echo a\n    - echo b\n",
    }));
    assert.deepEqual(o.lock!.match(o.stage('two')), []);
  });

  it('a list with one entry of a bad shape among good ones leaves the stage out, without failing', async () => {
    const text = lockText().replace('    deps:\n    - path: ../data/prepared.txt', '    deps:\n    - path: ../data/other.txt\n    - path: ../data/prepared.txt');
    const o = await open(project({ 'dvc.lock': text, '.dvc/config': '' }));
    assert.equal(o.lock!.match(o.stage('report')), undefined);
    assert.ok(o.lock!.match(o.stage('prepare')));
    const outs = lockText().replace('    outs:\n    - path: report.txt/', '    outs:\n    - 5\n    - path: report.txt/');
    const p = await open(project({ 'dvc.lock': outs, '.dvc/config': '' }));
    assert.equal(p.lock!.match(p.stage('report')), undefined);
  });

  it('an out recorded without an md5 is left out, DVC\'s cache or not', async () => {
    const text = lockText().replace(/(    - path: report\.txt\/\n      hash: md5\n)      md5: .*\n/, '$1');
    for (const files of [{}, { '.dvc/config': '' }] as Record<string, string>[]) {
      const o = await open(project({ 'dvc.lock': text, ...files }));
      assert.equal(o.lock!.match(o.stage('report')), undefined);
      assert.ok(o.lock!.match(o.stage('prepare')));
    }
  });

  it('params: left empty, or a params file recorded as a plain value, records no params', async () => {
    const root = project({
      'dvc.yaml': 'stages:\n  hello:\n    cmd: echo hi\n',
      'dvc.lock': "schema: '2.0'\nstages:\n  hello:\n    cmd: echo hi\n    params:\n",
    });
    const o = await open(root);
    assert.deepEqual(o.lock!.match(o.stage('hello')), []);
    const text = await open(project({
      'dvc.yaml': 'stages:\n  hello:\n    cmd: echo hi\n',
      'dvc.lock': "schema: '2.0'\nstages:\n  hello:\n    cmd: echo hi\n    params:\n      notes.txt: some text\n",
    }));
    assert.deepEqual(text.lock!.match(text.stage('hello')), []);
  });
});
