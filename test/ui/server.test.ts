import { strict as assert } from 'node:assert';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { useProjects, type TestProject } from '../helpers/project.js';
import { FILES, rawGet, recordTwoRuns, signIn, startUi, type RunningUi } from './helpers.js';

const project = useProjects();

describe('pipewright ui: the server', () => {
  let p: TestProject;
  let ui: RunningUi;
  let cookie: string;
  const get = (target: string, headers: Record<string, string> = {}) => rawGet(ui.port, target, { cookie, ...headers });

  before(async () => {
    p = project(FILES);
    await recordTwoRuns(p);
    // A secret next to the workspace, and a symlink inside it pointing there.
    const outside = join(tmpdir(), `pw-ui-secret-${process.pid}`);
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET');
    symlinkSync(join(outside, 'secret.txt'), p.path('leak.txt'));
    symlinkSync(outside, p.path('leakdir'));
    // A sibling whose name starts like the workspace's: what a startsWith check lets through.
    mkdirSync(`${p.dir}-evil`, { recursive: true });
    writeFileSync(`${p.dir}-evil/x.txt`, 'TOP SECRET');
    ui = await startUi(p);
    cookie = await signIn(ui);
  });
  after(async () => {
    await ui?.stop();
  });

  it('binds 127.0.0.1 and prints a URL with a token', () => {
    assert.match(ui.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('trades the token for an HttpOnly, SameSite=Strict cookie and drops the token from the address', async () => {
    const target = new URL(ui.url);
    const reply = await rawGet(ui.port, target.pathname + target.search);
    assert.equal(reply.status, 303);
    assert.equal(reply.headers.location, '/');
    const set = ([] as string[]).concat(reply.headers['set-cookie'] ?? [])[0]!;
    assert.match(set, /HttpOnly/);
    assert.match(set, /SameSite=Strict/);
    // Never an open redirect: a browser reads `/\host` as `//host`.
    const away = await rawGet(ui.port, `/\\evil.example${target.search}`);
    assert.equal(away.headers.location, '/');
  });

  it('answers 401 to every request without the cookie, or with a wrong token or cookie', async () => {
    for (const target of ['/', '/api/runs', '/api/runs/1', '/assets/ui-client.js', '/files/params.yaml', '/nothing']) {
      assert.equal((await rawGet(ui.port, target)).status, 401, target);
    }
    assert.equal((await rawGet(ui.port, '/?token=wrong')).status, 401);
    assert.equal((await rawGet(ui.port, '/api/runs', { cookie: `pipewright-ui-${ui.port}=forged` })).status, 401);
  });

  it('refuses a Host header that is not the bound address (DNS rebinding), even with the cookie', async () => {
    assert.equal((await get('/api/runs', { host: `evil.example:${ui.port}` })).status, 403);
    assert.equal((await get('/api/runs', { host: '127.0.0.1:1' })).status, 403);
    assert.equal((await get('/api/runs', { host: `localhost:${ui.port}` })).status, 200);
  });

  it('sends the security headers: a CSP without inline script, nosniff, no framing', async () => {
    for (const reply of [await get('/'), await rawGet(ui.port, '/api/runs')]) {
      const csp = String(reply.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(reply.headers['x-content-type-options'], 'nosniff');
    }
    const page = await get('/');
    assert.doesNotMatch(page.body, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in the page');
  });

  it('is read-only: anything but GET and HEAD is refused', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) assert.equal((await rawGet(ui.port, '/api/runs/1', { cookie }, method)).status, 405, method);
  });

  it('lists runs a page at a time, newest first, with the params that differ and the metrics as columns', async () => {
    const page = JSON.parse((await get('/api/runs')).body);
    assert.equal(page.total, 2);
    assert.deepEqual(page.rows.map((r: { name: string }) => r.name), ['second', 'first']);
    assert.deepEqual(page.paramKeys, ['evaluate.evaluate.lr']);
    assert.deepEqual(page.metricKeys, ['evaluate.acc', 'evaluate.loss']);
    assert.equal(page.rows[0].metrics['evaluate.loss'], 0.3);
    const one = JSON.parse((await get('/api/runs?limit=1&offset=1')).body);
    assert.equal(one.total, 2);
    assert.deepEqual(one.rows.map((r: { name: string }) => r.name), ['first']);
  });

  it('sorts by a metric, filters by text and by status, and says what is wrong with a bad query', async () => {
    const names = async (query: string) => JSON.parse((await get(`/api/runs?${query}`)).body).rows.map((r: { name: string }) => r.name);
    assert.deepEqual(await names('sort=metrics.evaluate.loss'), ['first', 'second']);
    assert.deepEqual(await names('sort=-metrics.evaluate.loss'), ['second', 'first']);
    assert.deepEqual(await names('sort=name'), ['first', 'second']);
    assert.deepEqual(await names('q=seco'), ['second']);
    assert.deepEqual(await names('q=%25'), [], 'a % in the query is a character, not a wildcard');
    assert.deepEqual(await names('status=failed'), []);
    assert.deepEqual(await names('status=succeeded'), ['second', 'first']);
    for (const sort of ['bogus', 'metrics.evaluate', 'metrics.evaluate.a%22b', 'params.x..y']) {
      const bad = await get(`/api/runs?sort=${sort}`);
      assert.equal(bad.status, 400, sort);
      assert.match(bad.body, /cannot sort/);
    }
    assert.equal((await get('/api/runs?status=bogus')).status, 400);
    assert.equal((await get('/api/runs?limit=-1')).status, 400);
  });

  it('shows a run with its instances, and 404 for an unknown one', async () => {
    const detail = JSON.parse((await get('/api/runs/2')).body);
    assert.equal(detail.run.name, 'second');
    assert.deepEqual(detail.instances.map((i: { name: string; status: string }) => [i.name, i.status]), [['evaluate', 'ran']]);
    assert.equal(detail.instances[0].log, '.pipewright/runs/2/logs/evaluate.log', "the run's own copy of the log");
    assert.equal(detail.instances[0].logPath, undefined, 'no absolute paths of this machine');
    assert.equal((await get('/api/runs/99')).status, 404);
  });

  it('serves a log in byte ranges (the tail by default)', async () => {
    const tail = JSON.parse((await get('/api/runs/2/instances/evaluate/log')).body);
    assert.match(tail.text, /evaluating at lr 0\.3/);
    assert.equal(tail.to, tail.size);
    const head = JSON.parse((await get('/api/runs/2/instances/evaluate/log?from=0&to=10')).body);
    assert.equal(head.text, 'evaluating');
    assert.equal((await get('/api/runs/2/instances/nope/log')).status, 404);
    // Each run keeps its own log: the second run of the stage did not write over the first's.
    assert.match(JSON.parse((await get('/api/runs/1/instances/evaluate/log')).body).text, /evaluating at lr 0\.1/);
  });

  it("streams a finished run's events as Server-Sent Events, then ends", async () => {
    const reply = await get('/api/runs/2/events');
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers['content-type']), /^text\/event-stream/);
    const batches = [...reply.body.matchAll(/^data: (\[.*\])$/gm)].flatMap((m) => JSON.parse(m[1]!) as { type: string; stage?: string; graph?: unknown }[]);
    assert.deepEqual(batches.map((e) => e.type), ['run-started', 'queued', 'started', 'output-file', 'succeeded', 'run-finished']);
    assert.deepEqual(batches[0]!.graph, [{ stage: 'evaluate', upstream: [] }]);
    assert.match(reply.body, /^event: end$/m);
    assert.equal((await get('/api/runs/99/events')).status, 404);
  });

  it('serves a file inside the workspace', async () => {
    const reply = await get('/files/.pipewright/logs/evaluate.log');
    assert.equal(reply.status, 200);
    assert.match(reply.body, /evaluating at lr/);
    assert.match(String(reply.headers['content-security-policy']), /sandbox/);
    assert.equal((await get('/files/params.yaml')).status, 200);
  });

  it('refuses every way out of the workspace: .., backslashes, encodings, #, ?, absolute paths, symlinks', async () => {
    const evil = p.dir.split('/').pop()! + '-evil';
    const attempts = [
      '/files/../../../../etc/passwd',
      '/files/.pipewright/../../../etc/passwd',
      '/files/..%2f..%2f..%2fetc%2fpasswd',
      '/files/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/files/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/files/%252e%252e%252f%252e%252e%252fetc%252fpasswd',
      '/files/..\\..\\..\\etc\\passwd',
      '/files/..%5c..%5c..%5cetc%5cpasswd',
      '/files//etc/passwd',
      '/files/%2fetc%2fpasswd',
      '/files/./../../etc/passwd',
      '/files/params.yaml/../../../etc/passwd',
      '/files/..%00/etc/passwd',
      '/files/x/..#/../../../../etc/passwd',
      '/files/x/..?/../../../../etc/passwd',
      '/files/%2e%2e%23/etc/passwd',
      `/files/../${evil}/x.txt`,
      `/files/..%2f${evil}%2fx.txt`,
      '/files/leak.txt',
      '/files/leakdir/secret.txt',
      '/files/C:/Windows/win.ini',
      `/files/${encodeURIComponent(p.dir)}/params.yaml`,
    ];
    for (const target of attempts) {
      const reply = await get(target);
      assert.ok([400, 403, 404].includes(reply.status), `${target}: ${reply.status}`);
      assert.doesNotMatch(reply.body, /root:|TOP SECRET/, target);
    }
  });
});

describe('pipewright ui on a non-loopback address', () => {
  it('warns, still requires the token, and still checks the Host header', async () => {
    const p = project(FILES);
    const ui = await startUi(p, '--host', '0.0.0.0');
    try {
      assert.equal((await rawGet(ui.port, '/api/runs')).status, 401);
      assert.equal((await rawGet(ui.port, '/api/runs', { host: `evil.example:${ui.port}` })).status, 403);
      const cookie = await signIn(ui);
      const page = JSON.parse((await rawGet(ui.port, '/api/runs', { cookie })).body);
      assert.equal(page.total, 0, 'no runs yet: an empty table, not an error');
    } finally {
      await ui.stop();
    }
    assert.match(ui.output(), /warning: --host 0\.0\.0\.0 is not loopback/);
  });
});
