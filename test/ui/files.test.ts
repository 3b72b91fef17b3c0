/**
 * Which workspace files `/files/` serves (src/ui/contain.ts), over HTTP against the real CLI: the
 * status and the reason for each way a path may try to climb out (403) or name nothing (404), and
 * the files inside that are served, symlinks followed. Written from the survivors of `npm run
 * mutate -- src/ui/contain.ts` (see docs/mutation-testing.md).
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { useProjects, type TestProject } from '../helpers/project.js';
import { FILES, rawGet, signIn, startUi, type RunningUi } from './helpers.js';

const project = useProjects();

describe('pipewright ui: /files/ and the workspace boundary', () => {
  let p: TestProject;
  let ui: RunningUi;
  let cookie: string;
  const outside = join(tmpdir(), `pw-ui-files-${process.pid}`);
  const get = (target: string) => rawGet(ui.port, target, { cookie });

  before(async () => {
    p = project({ ...FILES, 'notes/a.txt': 'note A', 'notes/run:10.txt': 'a colon is a name here', 'C:/win.ini': 'not a drive', 'a\\b.txt': 'a backslash in a name', '%2e.txt': 'a percent in a name' });
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET');
    // A sibling whose name starts like the workspace's: a startsWith check would take it for inside.
    mkdirSync(`${p.dir}-evil`, { recursive: true });
    writeFileSync(`${p.dir}-evil/x.txt`, 'TOP SECRET');
    symlinkSync(join(outside, 'secret.txt'), p.path('out.txt'));
    symlinkSync(`${p.dir}-evil/x.txt`, p.path('sibling.txt'));
    symlinkSync(p.path('notes/a.txt'), p.path('in.txt'));
    symlinkSync(p.path('notes'), p.path('notes-link'));
    symlinkSync(p.path('nothing-here.txt'), p.path('dangling.txt'));
    symlinkSync(p.dir, p.path('workspace-link'));
    ui = await startUi(p);
    cookie = await signIn(ui);
  });
  after(async () => {
    await ui?.stop();
    rmSync(outside, { recursive: true, force: true });
    rmSync(`${p.dir}-evil`, { recursive: true, force: true });
  });

  it('serves a file inside, with its size, also through a symlink that stays inside', async () => {
    for (const target of ['/files/notes/a.txt', '/files/in.txt', '/files/notes-link/a.txt']) {
      const reply = await get(target);
      assert.equal(reply.status, 200, target);
      assert.equal(reply.body, 'note A', target);
      assert.equal(reply.headers['content-length'], '6', target);
    }
    assert.equal((await get('/files/notes/run:10.txt')).body, 'a colon is a name here', 'a colon past the first component is a name');
    assert.equal((await get('/files/%252e.txt')).body, 'a percent in a name', 'decoded once: %252e is the name %2e');
  });

  it('refuses with 403, saying why, every path that could climb out, even one that would land inside', async () => {
    const refused: [string, RegExp][] = [
      ['/files/notes/../params.yaml', /"\.\." path component/],
      ['/files/notes/%2e%2e/params.yaml', /"\.\." path component/],
      ['/files/%2e%2e/%2e%2e/etc/passwd', /"\.\." path component/],
      ['/files/./params.yaml', /"\." path component/],
      ['/files/notes//a.txt', /"\(empty\)" path component/],
      ['/files/notes/', /"\(empty\)" path component/],
      ['/files//etc/passwd', /an absolute path/],
      ['/files/%2fetc%2fpasswd', /an absolute path/],
      ['/files/C:/win.ini', /an absolute path/],
      ['/files/c:%5cwin.ini', /a backslash/],
      ['/files/a%5cb.txt', /a backslash/],
      ['/files/..%5cparams.yaml', /a backslash/],
      ['/files/params.yaml%00', /a NUL byte/],
      ['/files/%00', /a NUL byte/],
      ['/files/out.txt', /leads outside the workspace/],
      ['/files/sibling.txt', /leads outside the workspace/],
    ];
    for (const [target, reason] of refused) {
      const reply = await get(target);
      assert.equal(reply.status, 403, `${target}: ${reply.status} ${reply.body}`);
      assert.match(reply.body, reason, target);
      assert.doesNotMatch(reply.body, /TOP SECRET|root:/, target);
    }
  });

  it('answers 404 for what is not a file: nothing there, a folder, a dangling symlink, a symlink to the workspace itself', async () => {
    const missing: [string, RegExp][] = [
      ['/files/nothing.txt', /no such file/],
      ['/files/dangling.txt', /no such file/],
      ['/files/%252e%252e/params.yaml', /no such file/],
      ['/files/notes', /not a file/],
      ['/files/notes-link', /not a file/],
      ['/files/workspace-link', /not a file/],
    ];
    for (const [target, reason] of missing) {
      const reply = await get(target);
      assert.equal(reply.status, 404, `${target}: ${reply.status} ${reply.body}`);
      assert.match(reply.body, reason, target);
    }
  });
});

describe('pipewright ui: the log of a run started through a symlink to the workspace', () => {
  it('is found in the workspace (by its real path) and served', async () => {
    const p = project(FILES);
    const via = `${p.dir}-via`;
    symlinkSync(p.dir, via);
    try {
      const result = await p.run('run', '--name', 'via', '--cwd', via);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      const ui = await startUi(p);
      try {
        const cookie = await signIn(ui);
        const detail = JSON.parse((await rawGet(ui.port, '/api/runs/1', { cookie })).body);
        assert.equal(detail.instances[0].log, '.pipewright/runs/1/logs/evaluate.log');
        const log = await rawGet(ui.port, '/api/runs/1/instances/evaluate/log', { cookie });
        assert.equal(log.status, 200, log.body);
        assert.match(JSON.parse(log.body).text, /evaluating at lr 0\.1/);
      } finally {
        await ui.stop();
      }
    } finally {
      rmSync(via, { force: true });
    }
  });
});
