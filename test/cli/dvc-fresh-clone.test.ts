/**
 * A DVC project as a user meets it: fresh from git, its data still in a DVC remote (missing deps
 * are blocked, never a refusal of the whole pipeline), then with DVC's local cache and dvc.lock
 * beside it (what DVC computed is restored, not recomputed). DVC-shaped caches and locks are built
 * by hand here, md5s computed by the test itself, in both of DVC's layouts.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DVC_CORPUS } from '../helpers/fixtures.js';
import { REPO, useProjects, type TestProject } from '../helpers/project.js';

const project = useProjects();
const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');
/** DVC 2's md5 of a text file: CRLF read as LF. */
const md5Dos2Unix = (text: string) => md5(text.replaceAll('\r\n', '\n'));

/** Puts bytes in DVC's cache under their md5: `files/md5/ab/…` (DVC 3) or `ab/…` (DVC 2). */
function cacheObject(p: TestProject, data: string, name: string, layout: 3 | 2): void {
  const dir = layout === 3 ? '.dvc/cache/files/md5' : '.dvc/cache';
  p.write({ [`${dir}/${name.slice(0, 2)}/${name.slice(2)}`]: data });
}

/** A folder's manifest as DVC writes it (Python's json.dumps, sorted by relpath), and its md5 + `.dir`. */
function dirManifest(files: Record<string, string>, hashOf: (text: string) => string): { text: string; md5: string } {
  const entries = Object.keys(files).sort().map((relpath) => `{"md5": "${hashOf(files[relpath]!)}", "relpath": "${relpath}"}`);
  const text = `[${entries.join(', ')}]`;
  return { text, md5: `${md5(text)}.dir` };
}

/** Every file under a folder with its bytes' md5: to prove a command wrote nothing there. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = rel ? `${rel}/${name}` : name;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else out[path] = md5(readFileSync(join(dir, path)));
    }
  };
  if (existsSync(dir)) walk('');
  return out;
}

const GET_STARTED = `stages:
  prepare:
    cmd: mkdir -p data/prepared && wc -l < data/data.xml > data/prepared/lines.txt
    deps:
      - data/data.xml
    outs:
      - data/prepared
  report:
    cmd: cat data/prepared/lines.txt > report.txt
    deps:
      - data/prepared
    outs:
      - report.txt
  notes:
    cmd: echo notes > notes.txt
    outs:
      - notes.txt
`;
const DATA = 'a\nb\nc\n';
const dvcFile = (hash: string, extra = 'hash: md5\n  ') => `outs:\n- md5: ${hash}\n  size: 6\n  ${extra}path: data.xml\n`;

describe('a DVC project fresh from git, its data not pulled yet', () => {
  it('list, dag and status work; status names the missing dep, the .dvc file and the dvc pull that fetches it', async () => {
    const p = project({ 'dvc.yaml': GET_STARTED, 'data/data.xml.dvc': dvcFile(md5(DATA)) });
    mkdirSync(p.path('.dvc'));
    for (const command of [['list'], ['dag'], ['list', '--json']]) {
      const r = await p.run(...command);
      assert.equal(r.code, 0, `${command.join(' ')}: ${r.stderr}`);
    }
    const status = await p.run('status');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /prepare +blocked: dep data\/data\.xml missing: data\/data\.xml is tracked by data\/data\.xml\.dvc; `dvc pull data\/data\.xml\.dvc` fetches it/);
    assert.match(status.stdout, /report +blocked: upstream prepare is blocked/);
    assert.match(status.stdout, /notes +will run: never run/);
    const json = JSON.parse((await p.run('status', '--json')).stdout) as { stage: string; state: string; reasons: { kind: string; path?: string; stage?: string }[] }[];
    assert.deepEqual(json.map((s) => [s.stage, s.state, s.reasons[0]!.kind, s.reasons[0]!.path ?? s.reasons[0]!.stage]), [
      ['prepare', 'blocked', 'dep-missing', 'data/data.xml'],
      ['report', 'blocked', 'upstream-blocked', 'prepare'],
      ['notes', 'will-run', 'never-run', undefined],
    ]);
  });

  it('run runs what it can, reports the blocked stage and how to get its dep, and exits 1', async () => {
    const p = project({ 'dvc.yaml': GET_STARTED, 'data/data.xml.dvc': dvcFile(md5(DATA)) });
    const r = await p.run('run', '-j', '1');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /prepare blocked: cannot start\n {2}dep data\/data\.xml missing: data\/data\.xml is tracked by data\/data\.xml\.dvc; `dvc pull data\/data\.xml\.dvc` fetches it/);
    assert.match(r.stdout, /report skipped: upstream stage prepare is blocked/);
    assert.match(r.stdout, /1 ran, 1 blocked \(missing deps\), 1 skipped/);
    assert.equal(p.read('notes.txt'), 'notes\n');
  });

  it('a stage named on the command line that needs a missing dep is refused before anything runs, with file:line', async () => {
    const p = project({ 'dvc.yaml': GET_STARTED, 'data/data.xml.dvc': dvcFile(md5(DATA)) });
    const r = await p.run('run', 'report');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /dvc\.yaml:5:9: stage "prepare" \(needed by report\) cannot run: dep data\/data\.xml is missing[\s\S]*hint: data\/data\.xml is tracked by data\/data\.xml\.dvc/);
    assert.equal(p.exists('.pipewright/logs'), false, 'nothing ran');
    assert.equal(p.exists('notes.txt'), false);
  });

  it('a dep inside a folder tracked by a .dvc file of the folder names that file', async () => {
    const p = project({ 'dvc.yaml': GET_STARTED.replace('data/data.xml', 'raw/data.xml').replace('data/data.xml', 'raw/data.xml'),
      'raw.dvc': 'outs:\n- md5: 0123456789abcdef0123456789abcdef.dir\n  size: 6\n  nfiles: 1\n  hash: md5\n  path: raw\n' });
    const r = await p.run('status');
    assert.match(r.stdout, /dep raw\/data\.xml missing: raw\/data\.xml is tracked by raw\.dvc; `dvc pull raw\.dvc` fetches it/);
  });

  it('a malformed .dvc file is an error with its file and line (exit 2), never a crash', async () => {
    const p = project({ 'dvc.yaml': GET_STARTED, 'data/data.xml.dvc': 'outs:\n- md5: abc\n  size: lots\n  path: data.xml\n' });
    const r = await p.run('status');
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /data\/data\.xml\.dvc:3:9: data\/data\.xml\.dvc: outs\[0\]\.size must be a whole number/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const notYaml = project({ 'dvc.yaml': GET_STARTED, 'data/data.xml.dvc': 'outs: [\n' });
    const r2 = await notYaml.run('run');
    assert.equal(r2.code, 2, r2.stdout + r2.stderr);
    assert.match(r2.stderr, /data\/data\.xml\.dvc:\d+:\d+: invalid YAML/);
  });
});

describe("DVC's local cache and dvc.lock: what DVC computed is reused", () => {
  it('checkout links a .dvc-tracked file in from the DVC 3 cache, md5 checked; a damaged object is refused', async () => {
    const p = project({ 'dvc.yaml': GET_STARTED, 'data/data.xml.dvc': dvcFile(md5(DATA)) });
    cacheObject(p, DATA, md5(DATA), 3);
    const r = await p.run('checkout');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /data\/data\.xml from DVC's cache \(data\/data\.xml\.dvc\)/);
    assert.equal(p.read('data/data.xml'), DATA);

    const damaged = project({ 'dvc.yaml': GET_STARTED, 'data/data.xml.dvc': dvcFile(md5(DATA)) });
    cacheObject(damaged, 'not the data\n', md5(DATA), 3);
    const bad = await damaged.run('checkout');
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    assert.match(bad.stderr, /data\/data\.xml: DVC's cache object [0-9a-f]{32} is damaged/);
    assert.equal(damaged.exists('data/data.xml'), false, 'damaged bytes are never linked in');
  });

  it('status: a .dvc-tracked dep only in the DVC 3 cache is not blocked: the stage will run, its dep linked from there; status writes nothing; run does as said', async () => {
    const p = project({ 'dvc.yaml': GET_STARTED, 'data/data.xml.dvc': dvcFile(md5(DATA)) });
    cacheObject(p, DATA, md5(DATA), 3);
    // The project's files and .dvc/ (pipewright's own .pipewright/ and the test's node_modules link aside).
    const workspace = () => Object.fromEntries(Object.entries(snapshot(p.dir)).filter(([path]) => !/^(\.pipewright|node_modules)\//.test(path)));
    const before = workspace();
    const status = await p.run('status');
    const asJson = await p.run('status', '--json');
    assert.deepEqual(workspace(), before, 'status linked nothing and wrote nothing, in the workspace or in .dvc/');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /prepare +will run: dep data\/data\.xml will be linked from DVC's cache \(tracked by data\/data\.xml\.dvc\); never run/);
    assert.match(status.stdout, /report +will run: upstream prepare will run/);
    assert.doesNotMatch(status.stdout, /blocked|dvc pull/);
    const json = JSON.parse(asJson.stdout) as { stage: string; state: string; reasons: { kind: string; path?: string; dvcFile?: string }[] }[];
    assert.equal(json[0]!.state, 'will-run');
    assert.deepEqual(json[0]!.reasons.map((r) => [r.kind, r.path, r.dvcFile]), [['dep-from-dvc-cache', 'data/data.xml', 'data/data.xml.dvc'], ['never-run', undefined, undefined]]);

    const r = await p.run('run', '-j', '1');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /data\/data\.xml: linked in from DVC's cache \(data\/data\.xml\.dvc\)/);
    assert.match(r.stdout, /\n3 ran\n/);
    assert.equal(p.read('data/data.xml'), DATA);
    assert.equal(p.read('report.txt').trim(), '3');
  });

  it('status: a dep DVC ran from, only in its cache, is judged as once linked: dvc.lock\'s stages will be restored, as run then does', async () => {
    const p = ranByDvc(3);
    const status = await p.run('status');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /prepare +will restore: dep data\/data\.xml will be linked from DVC's cache \(tracked by data\/data\.xml\.dvc\); as dvc\.lock records it/);
    assert.match(status.stdout, /report +will restore: as dvc\.lock records it/);
    assert.equal(p.exists('data/data.xml'), false, 'status linked nothing');
    const r = await p.run('run', '-j', '1');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\n1 ran, 2 restored\n/);
  });

  it('status: a dep in a .dvc-tracked folder, only in the cache, is judged as once linked: up to date when pipewright.lock says so', async () => {
    const files = { 'a.txt': 'one\n', 'sub/b.txt': 'two\n' };
    const manifest = dirManifest(files, md5);
    const p = project({
      'dvc.yaml': 'stages:\n  count:\n    cmd: cat raw/sub/b.txt | wc -l > count.txt\n    deps:\n      - raw/sub\n    outs:\n      - count.txt\n',
      'raw.dvc': `outs:\n- md5: ${manifest.md5}\n  size: 8\n  nfiles: 2\n  hash: md5\n  path: raw\n`,
    });
    cacheObject(p, manifest.text, manifest.md5, 3);
    for (const text of Object.values(files)) cacheObject(p, text, md5(text), 3);
    assert.match((await p.run('status')).stdout, /count +will run: dep raw\/sub will be linked from DVC's cache \(tracked by raw\.dvc\); never run/);
    assert.equal((await p.run('run')).code, 0);
    // A fresh clone again: pipewright.lock and count.txt kept, the data gone from the workspace.
    rmSync(p.path('raw'), { recursive: true });
    const status = await p.run('status');
    assert.match(status.stdout, /count +up to date: dep raw\/sub will be linked from DVC's cache/);
    assert.match((await p.run('run')).stdout, /0 ran, 1 up to date/);
  });

  it('status: a dep whose object in DVC\'s cache is damaged is blocked, as run leaves it, and says so', async () => {
    const p = project({ 'dvc.yaml': GET_STARTED, 'data/data.xml.dvc': dvcFile(md5(DATA)) });
    cacheObject(p, 'not the data\n', md5(DATA), 3);
    const status = await p.run('status');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /prepare +blocked: dep data\/data\.xml missing: data\/data\.xml is tracked by data\/data\.xml\.dvc, but DVC's cache holds it damaged \(DVC's cache object [0-9a-f]{32} is damaged \(its md5 is [0-9a-f]{32}\)\): remove that object from DVC's cache, then `dvc pull data\/data\.xml\.dvc`/);
    assert.match(status.stdout, /report +blocked: upstream prepare is blocked/);
    const r = await p.run('run', '-j', '1');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /not taken from DVC's cache: DVC's cache object [0-9a-f]{32} is damaged/);
    assert.match(r.stdout, /prepare blocked: cannot start\n {2}dep data\/data\.xml missing: .*holds it damaged/);
    assert.equal(p.exists('data/data.xml'), false);
  });

  it('run links a .dvc-tracked folder in from the DVC 2 cache (its .dir manifest) before it starts', async () => {
    const files = { 'a.txt': 'one\r\ntwo\r\n', 'sub/b.txt': 'three\n' };
    const manifest = dirManifest(files, md5Dos2Unix);
    const p = project({
      'dvc.yaml': 'stages:\n  count:\n    cmd: cat raw/a.txt raw/sub/b.txt | wc -l > count.txt\n    deps:\n      - raw\n    outs:\n      - count.txt\n',
      // DVC 2 wrote no `hash:` field: its md5 reads CRLF as LF in text files.
      'raw.dvc': `outs:\n- md5: ${manifest.md5}\n  size: 16\n  nfiles: 2\n  path: raw\n`,
    });
    cacheObject(p, manifest.text, manifest.md5, 2);
    for (const [path, text] of Object.entries(files)) cacheObject(p, text, md5Dos2Unix(text), 2);
    const r = await p.run('run');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /raw: linked in from DVC's cache \(raw\.dvc\)/);
    assert.equal(p.read('raw/a.txt'), files['a.txt'], 'the bytes as stored, CRLF kept');
    assert.equal(p.read('count.txt').trim(), '3');
  });

  /** DVC ran `prepare` (a folder out) and `report` (a file out) and recorded both in dvc.lock. */
  function ranByDvc(layout: 3 | 2): TestProject {
    const hashOf = layout === 3 ? md5 : md5Dos2Unix;
    const prepared = { 'lines.txt': '3\n' };
    const manifest = dirManifest(prepared, hashOf);
    const report = '3\n';
    const hashField = layout === 3 ? '\n      hash: md5' : '';
    const p = project({
      'dvc.yaml': GET_STARTED,
      'data/data.xml.dvc': dvcFile(md5(DATA), layout === 3 ? 'hash: md5\n  ' : ''),
      'dvc.lock': `schema: '2.0'
stages:
  prepare:
    cmd: mkdir -p data/prepared && wc -l < data/data.xml > data/prepared/lines.txt
    deps:
    - path: data/data.xml${hashField}
      md5: ${hashOf(DATA)}
      size: 6
    outs:
    - path: data/prepared${hashField}
      md5: ${manifest.md5}
      size: 2
      nfiles: 1
  report:
    cmd: cat data/prepared/lines.txt > report.txt
    deps:
    - path: data/prepared${hashField}
      md5: ${manifest.md5}
      size: 2
      nfiles: 1
    outs:
    - path: report.txt${hashField}
      md5: ${hashOf(report)}
      size: 2
`,
    });
    cacheObject(p, DATA, hashOf(DATA), layout);
    cacheObject(p, manifest.text, manifest.md5, layout);
    cacheObject(p, prepared['lines.txt'], hashOf(prepared['lines.txt']), layout);
    cacheObject(p, report, hashOf(report), layout);
    return p;
  }

  for (const layout of [3, 2] as const) {
    it(`dvc.lock's stages are restored from DVC ${layout}'s cache, not run, and the next run is a no-op; DVC's files are untouched`, async () => {
      const p = ranByDvc(layout);
      const before = { dvc: snapshot(p.path('.dvc')), lock: p.read('dvc.lock'), yaml: p.read('dvc.yaml') };
      const r = await p.run('run', '-j', '1');
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /prepare restored from DVC's outs \(dvc\.lock records this run\)/);
      assert.match(r.stdout, /report restored from DVC's outs/);
      assert.match(r.stdout, /\n1 ran, 2 restored\n/, 'only notes, which dvc.lock does not know, ran');
      assert.equal(p.exists('.pipewright/logs/prepare.log'), false);
      assert.equal(p.read('data/prepared/lines.txt'), '3\n');
      assert.equal(p.read('report.txt'), '3\n');
      assert.match(p.read('pipewright.lock'), /prepare:/, 'recorded as ours');
      const again = await p.run('run');
      assert.match(again.stdout, /0 ran, 3 up to date/);
      assert.deepEqual({ dvc: snapshot(p.path('.dvc')), lock: p.read('dvc.lock'), yaml: p.read('dvc.yaml') }, before, 'nothing written into .dvc/, dvc.lock or dvc.yaml');
    });
  }

  it('outs already in the workspace as dvc.lock records them (after `dvc pull`) are taken as they are', async () => {
    const p = ranByDvc(3);
    p.write({ 'data/data.xml': DATA, 'data/prepared/lines.txt': '3\n', 'report.txt': '3\n' });
    // No DVC cache at all: `dvc pull` put the data in place with a cache elsewhere.
    rmSync(p.path('.dvc/cache'), { recursive: true });
    const r = await p.run('status');
    assert.match(r.stdout, /prepare +will restore: as dvc\.lock records it/);
    assert.match(r.stdout, /report +will restore: as dvc\.lock records it/);
    const run = await p.run('run', '-j', '1');
    assert.match(run.stdout, /\n1 ran, 2 restored\n/);
    assert.equal(p.read('report.txt'), '3\n');
  });

  it('a dep changed since DVC ran it: the stage runs, and what follows it too', async () => {
    const p = ranByDvc(3);
    p.write({ 'data/data.xml': 'a\nb\nc\nd\n' });
    const r = await p.run('run', '-j', '1');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /▶ prepare/);
    assert.match(r.stdout, /▶ report/);
    assert.equal(p.read('report.txt').trim(), '4');
  });

  it('a command changed since DVC ran it: the stage runs', async () => {
    const p = ranByDvc(3);
    p.write({ 'dvc.yaml': GET_STARTED.replace('> report.txt', '> report.txt && echo >> report.txt') });
    const r = await p.run('run', '-j', '1');
    assert.match(r.stdout, /prepare restored from DVC's outs/);
    assert.match(r.stdout, /▶ report/);
  });
});

const CORPUS = DVC_CORPUS;
/** Corpus files that cannot load here, and why (the loader's own test checks each reason). */
const UNLOADABLE: Record<string, string> = {
  '06-rmnldwg__lynference': 'its vars file lies outside the corpus folder',
  '23-ignatl__ds_template': 'its params file lies outside the corpus folder',
};
/** Loadable projects with no stage blocked in a fresh clone: their deps are all written by their own stages, or they have none. */
const NOTHING_MISSING = new Set(['03-dfsnow__opentimes', '04-mitchellhenke__lodes', '28-113578__ableton-live-rag']);
const corpus = readdirSync(CORPUS).filter((d) => existsSync(join(CORPUS, d, 'dvc.yaml'))).sort();

describe('the real dvc.yaml corpus, as fresh clones (no data)', () => {
  it('list, dag and status answer (exit 0) on every project that loads; missing deps are blocked stages', async () => {
    const blocked: string[] = [];
    const loadable = corpus.filter((d) => !UNLOADABLE[d]);
    for (const dir of Object.keys(UNLOADABLE)) assert.ok(corpus.includes(dir), `${dir} is not in the corpus`);
    assert.ok(loadable.length > 0, `no projects in ${CORPUS}`);
    for (const dir of loadable) {
      const p = project();
      cpSync(join(CORPUS, dir), p.dir, { recursive: true });
      for (const command of ['list', 'dag']) {
        const r = await p.run(command);
        assert.equal(r.code, 0, `${dir} ${command}: ${r.stderr}`);
      }
      const r = await p.run('status', '--json');
      assert.equal(r.code, 0, `${dir} status: ${r.stderr}`);
      const states = JSON.parse(r.stdout) as { state: string; reasons: { kind: string }[] }[];
      assert.ok(states.every((s) => ['blocked', 'will-run', 'frozen', 'error', 'up-to-date'].includes(s.state)), dir);
      if (states.some((s) => s.state === 'blocked' && s.reasons.some((x) => x.kind === 'dep-missing'))) blocked.push(dir);
    }
    for (const dir of NOTHING_MISSING) assert.ok(loadable.includes(dir), `${dir} is not in the corpus`);
    assert.deepEqual(blocked, loadable.filter((d) => !NOTHING_MISSING.has(d)), 'the projects with a stage blocked on a missing dep');
    assert.ok(blocked.length > 0);
  });
});
