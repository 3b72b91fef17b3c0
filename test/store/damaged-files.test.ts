/**
 * One bad byte in a state file must not stop work: the state database (a cache) is moved aside
 * and rebuilt; a damaged run store (history) never stops a run, is named by the commands that read
 * it, and `runs --repair` keeps what SQLite can still read. Files are damaged for real, by bytes.
 */
import { strict as assert } from 'node:assert';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { describe, it } from 'node:test';
import { openSqlite } from '../../src/native.js';
import { useProjects, type TestProject } from '../helpers/project.js';

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
