/**
 * One bad byte in a state file must not stop work: the state database (a cache) is moved aside
 * and rebuilt; a damaged run store (history) never stops a run, is named by the commands that read
 * it, and `runs --repair` keeps what SQLite can still read. Files are damaged for real, by bytes.
 */
import { strict as assert } from 'node:assert';
import { closeSync, cpSync, existsSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openSqlite } from '../../src/native.js';
import { useProjects, waitFor, type CliResult, type TestProject } from '../helpers/project.js';

const project = useProjects();

const PIPELINE = {
  'pipewright.yaml': `stages:
  a:
    cmd: echo a > a.txt
    outs: [a.txt]
  b:
    cmd: cat a.txt > b.txt
    deps: [a.txt]
    outs: [b.txt]
`,
};

/** Overwrites `length` bytes at `offset` of a file. */
function damage(file: string, offset: number, length: number): void {
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(length, 0x41), 0, length, offset);
  closeSync(fd);
}

const asideFiles = (p: TestProject, name: string) => readdirSync(p.path('.pipewright')).filter((f) => f.startsWith(`${name}.damaged-`) && !/-(wal|shm)$/.test(f));

describe('damaged state files', () => {
  it('a damaged state.db is moved aside with one warning and rebuilt; nothing reruns', async () => {
    const p = project(PIPELINE);
    assert.equal((await p.run('run')).code, 0);
    damage(p.path('.pipewright/state.db'), 0, 100);
    // A changed command takes the long way (a no-op is answered without the state database).
    p.write({ 'pipewright.yaml': PIPELINE['pipewright.yaml'].replace('cat a.txt > b.txt', 'cat a.txt a.txt > b.txt') });
    const r = await p.run('run');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const warnings = (r.stdout + r.stderr).match(/state\.db was damaged/g) ?? [];
    assert.equal(warnings.length, 1, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /state\.db was damaged \(file is not a database\); moved to state\.db\.damaged-\S+ and rebuilt/);
    assert.match(r.stdout, /= a up to date/, 'its out is hashed again, and still matches');
    assert.match(r.stdout, /▶ b \(command changed\)/);
    assert.equal(asideFiles(p, 'state.db').length, 1, 'kept aside, not deleted');
    const again = await p.run('status');
    assert.equal(again.code, 0);
    assert.doesNotMatch(again.stdout + again.stderr, /damaged/);
    assert.match(again.stdout, /Everything is up to date/);
  });

  it('runs.db that is not a database: run still runs (unrecorded, with a warning); runs, show, diff and ui name the damage and the fix; --repair starts a clean store', { timeout: 120_000 }, async () => {
    const p = project(PIPELINE);
    assert.equal((await p.run('run')).code, 0);
    damage(p.path('.pipewright/runs.db'), 0, 100);
    const r = await p.run('run', '-f');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /runs\.db is damaged \(file is not a database\): this run is not recorded\. `pipewright runs --repair`/);
    assert.match(r.stdout, /2 ran/);
    // `ui` too: it fails at start with the fix, rather than answering 500 to every page.
    for (const command of [['runs'], ['show'], ['diff'], ['metrics', 'show'], ['ui', '--port', '0']]) {
      const read = await p.run(...command);
      assert.equal(read.code, 2, `${command.join(' ')}: ${read.stdout}${read.stderr}`);
      assert.match(read.stderr, /\.pipewright\/runs\.db \(the run history\) is damaged: file is not a database[\s\S]*hint: `pipewright runs --repair` keeps every run SQLite can still read/, command.join(' '));
      assert.doesNotMatch(read.stderr, /\n\s+at /);
    }
    const repaired = await p.run('runs', '--repair');
    assert.equal(repaired.code, 0, repaired.stdout + repaired.stderr);
    assert.match(repaired.stdout, /kept 0 runs, 0 instances and 0 queue entries; the runs table could not be read at all/);
    assert.match(repaired.stdout, /the damaged file is kept as \.pipewright\/runs\.db\.damaged-/);
    assert.equal(asideFiles(p, 'runs.db').length, 1);
    assert.equal((await p.run('run', '-f')).code, 0);
    const runs = await p.run('runs', '--json');
    assert.equal(runs.code, 0, runs.stderr);
    assert.equal((JSON.parse(runs.stdout) as unknown[]).length, 1, 'recording works again');
  });

  it('runs.db with a damaged page: --repair keeps every run it can read, with their ids', async () => {
    const p = project(PIPELINE);
    for (let i = 0; i < 12; i++) assert.equal((await p.run('run', '-f', '-n', `run-${i}`)).code, 0);
    const file = p.path('.pipewright/runs.db');
    assert.equal(existsSync(`${file}-wal`) && readFileSync(`${file}-wal`).length > 0, false, 'everything is in the main file');
    // The instances table's root page: every run keeps its row, its instances are lost.
    const db = openSqlite(file);
    const { rootpage } = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'instances'").get() as { rootpage: number };
    const pageSize = (db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
    db.close();
    damage(file, (rootpage - 1) * pageSize, pageSize);
    const listed = await p.run('runs');
    assert.equal(listed.code, 2, listed.stdout + listed.stderr);
    assert.match(listed.stderr, /runs\.db \(the run history\) is damaged/);
    const run = await p.run('run');
    assert.equal(run.code, 0, 'a run is never stopped by the history');
    const repaired = await p.run('runs', '--repair');
    assert.equal(repaired.code, 0, repaired.stdout + repaired.stderr);
    assert.match(repaired.stdout, /kept 1[23] runs, \d+ instances/);
    const runs = JSON.parse((await p.run('runs', '--json')).stdout) as { id: number; name: string }[];
    assert.deepEqual(runs.filter((r) => r.name.startsWith('run-')).map((r) => [r.id, r.name]).reverse(),
      Array.from({ length: 12 }, (_, i) => [i + 1, `run-${i}`]));
  });
});

/**
 * Damage past the header: each table's and index's root page (`sqlite_schema.rootpage`) of each
 * file overwritten in turn, then every command a user would try. Whatever statement meets the
 * damage (a read while planning, a batched write's flush), state.db is moved aside with one warning
 * and rebuilt, and the run goes on; runs.db never stops a run and is named, with its fix, by the
 * commands that read it. No stack trace, ever; the object cache is never touched.
 */
describe('damage at any page of a state file', () => {
  const CHANGED = PIPELINE['pipewright.yaml'].replace('cat a.txt > b.txt', 'cat a.txt a.txt > b.txt');
  const STACK = /\n\s+at /;

  /** Every table and index of a file, with the offset of its root page. */
  function rootPages(file: string): { name: string; offset: number; length: number }[] {
    assert.equal(existsSync(`${file}-wal`) && readFileSync(`${file}-wal`).length > 0, false, `${file}: everything is in the main file`);
    const db = openSqlite(file);
    const pageSize = (db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
    const roots = db.prepare('SELECT name, rootpage FROM sqlite_schema WHERE rootpage > 0 ORDER BY rootpage').all() as { name: string; rootpage: number }[];
    db.close();
    return roots.map(({ name, rootpage }) => ({ name, offset: (rootpage - 1) * pageSize, length: pageSize }));
  }

  /** Every file of the object cache and its bytes. */
  function cacheFiles(p: TestProject): Map<string, string> {
    const found = new Map<string, string>();
    const walk = (dir: string, rel: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(dir, entry.name), `${rel}${entry.name}/`);
        else found.set(rel + entry.name, readFileSync(join(dir, entry.name)).toString('base64'));
      }
    };
    walk(p.path('.pipewright/cache'), '');
    return found;
  }

  /** A copy of `base` (its outs, lockfile and `.pipewright`) with `file`'s bytes at `offset` overwritten. */
  function damagedCopy(base: TestProject, file: string, offset: number, length: number): TestProject {
    const p = project({});
    for (const entry of readdirSync(base.dir)) {
      if (entry !== 'node_modules') cpSync(base.path(entry), p.path(entry), { recursive: true });
    }
    damage(p.path(`.pipewright/${file}`), offset, length);
    return p;
  }

  /** `ui` on port 0: its exit code and output, stopped with SIGTERM once it serves. */
  async function ui(p: TestProject): Promise<CliResult> {
    const started = p.start(['ui', '--port', '0']);
    const exited = started.done.then(() => true);
    await Promise.race([exited, waitFor(() => /pipewright ui: http/.test(started.output()), 'the ui to serve', 30_000)]);
    if (started.child.exitCode === null) started.child.kill('SIGTERM');
    return started.done;
  }

  async function setUp(): Promise<{ base: TestProject; cache: Map<string, string> }> {
    const base = project(PIPELINE);
    assert.equal((await base.run('run')).code, 0);
    assert.equal((await base.run('run', '-f')).code, 0);
    return { base, cache: cacheFiles(base) };
  }

  function assertCacheKept(p: TestProject, before: Map<string, string>, what: string): void {
    const after = cacheFiles(p);
    for (const [path, bytes] of before) assert.equal(after.get(path), bytes, `${what}: cache object ${path} kept as it was`);
  }

  it('state.db: run, run -f and status warn once, rebuild it and go on; runs and ui never notice', { timeout: 300_000 }, async () => {
    const { base, cache } = await setUp();
    const pages = rootPages(base.path('.pipewright/state.db'));
    assert.deepEqual(pages.map((p) => p.name).sort(), ['files', 'runs', 'sqlite_autoindex_files_1', 'sqlite_autoindex_runs_1']);
    const warning = /warning: \.pipewright\/state\.db was damaged \([^)\n]+\); moved to state\.db\.damaged-\S+ and rebuilt: file hashes and the run-cache are recomputed as needed\n/g;
    for (const { name, offset, length } of pages) {
      const what = (command: string) => `state.db, root page of ${name}, ${command}`;
      for (const force of [false, true]) {
        const p = damagedCopy(base, 'state.db', offset, length);
        if (!force) p.write({ 'pipewright.yaml': CHANGED });
        const r = force ? await p.run('run', '-f') : await p.run('run');
        const out = r.stdout + r.stderr;
        assert.equal(r.code, 0, `${what(force ? 'run -f' : 'run')}: ${out}`);
        assert.doesNotMatch(out, STACK, what('run'));
        assert.equal(out.match(warning)?.length, 1, `${what(force ? 'run -f' : 'run')}: one warning\n${out}`);
        assert.equal(asideFiles(p, 'state.db').length, 1, 'moved aside, not deleted');
        if (force) assert.match(r.stdout, /2 ran/);
        else assert.match(r.stdout, /= a up to date[\s\S]*▶ b \(command changed\)/, what('run'));
        assert.equal(p.read('a.txt'), 'a\n');
        assert.equal(p.read('b.txt'), force ? 'a\n' : 'a\na\n', what('run'));
        assertCacheKept(p, cache, what('run'));
        const after = await p.run('status');
        assert.equal(after.code, 0, after.stdout + after.stderr);
        assert.doesNotMatch(after.stdout + after.stderr, /damaged/, `${what('run')}: the rebuilt file is whole`);
        assert.match(after.stdout, /Everything is up to date/);
      }
      const p = damagedCopy(base, 'state.db', offset, length);
      const status = await p.run('status');
      assert.equal(status.code, 0, `${what('status')}: ${status.stdout}${status.stderr}`);
      assert.doesNotMatch(status.stdout + status.stderr, STACK, what('status'));
      assert.ok((status.stderr.match(warning)?.length ?? 0) <= 1, what('status'));
      assert.match(status.stdout, /Everything is up to date/, what('status'));
      const runs = await p.run('runs');
      assert.equal(runs.code, 0, `${what('runs')}: ${runs.stdout}${runs.stderr}`);
      assert.equal(runs.stdout.split('\n').filter((l) => /succeeded/.test(l)).length, 2, `${what('runs')}: ${runs.stdout}`);
      const served = await ui(p);
      assert.equal(served.code, 0, `${what('ui')}: ${served.stdout}${served.stderr}`);
      assert.match(served.stdout, /pipewright ui: http/);
      assertCacheKept(p, cache, what('status'));
    }
  });

  it('runs.db: run and run -f go on unrecorded, naming `runs --repair`; runs and ui stop with exit 2 and the fix', { timeout: 300_000 }, async () => {
    const { base, cache } = await setUp();
    const pages = rootPages(base.path('.pipewright/runs.db'));
    assert.ok(pages.length >= 7, pages.map((p) => p.name).join(', '));
    const notRecorded = /warning: \.pipewright\/runs\.db is damaged \([^)\n]+\): (this|the rest of this) run is not recorded\. `pipewright runs --repair`/g;
    const named = /error: \.pipewright\/runs\.db \(the run history\) is damaged: [^\n]+\n\s*hint: `pipewright runs --repair` keeps every run SQLite can still read/;
    for (const { name, offset, length } of pages) {
      const what = (command: string) => `runs.db, root page of ${name}, ${command}`;
      for (const force of [false, true]) {
        const p = damagedCopy(base, 'runs.db', offset, length);
        if (!force) p.write({ 'pipewright.yaml': CHANGED });
        const r = force ? await p.run('run', '-f') : await p.run('run');
        const out = r.stdout + r.stderr;
        assert.equal(r.code, 0, `${what(force ? 'run -f' : 'run')}: ${out}`);
        assert.doesNotMatch(out, STACK, what('run'));
        // A run never reads the queue; every other table it writes.
        assert.equal(out.match(notRecorded)?.length ?? 0, name === 'queue' ? 0 : 1, `${what(force ? 'run -f' : 'run')}: ${out}`);
        assert.equal(p.read('b.txt'), force ? 'a\n' : 'a\na\n', what('run'));
        assertCacheKept(p, cache, what('run'));
      }
      const p = damagedCopy(base, 'runs.db', offset, length);
      const status = await p.run('status');
      assert.equal(status.code, 0, `${what('status')}: ${status.stdout}${status.stderr}`);
      assert.match(status.stdout, /Everything is up to date/);
      for (const [command, result] of [['runs', await p.run('runs')], ['ui', await ui(p)]] as const) {
        assert.equal(result.code, 2, `${what(command)}: ${result.stdout}${result.stderr}`);
        assert.match(result.stderr, named, what(command));
        assert.doesNotMatch(result.stdout + result.stderr, STACK, what(command));
      }
      assertCacheKept(p, cache, what('status'));
    }
  });
});
