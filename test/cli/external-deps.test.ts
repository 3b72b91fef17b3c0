/**
 * Deps and outs that are URLs, as DVC has them: never joined to the stage's folder, never a
 * missing dep; an http(s) dep is fingerprinted by a HEAD request (a real server on 127.0.0.1 here),
 * other schemes are listed and said to be unchecked.
 */
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';

const project = useProjects();

describe('external deps and outs (URLs)', () => {
  let server: Server;
  let base = '';
  let etag = '"v1"';
  let heads = 0;
  before(async () => {
    server = createServer((req, res) => {
      if (req.method === 'HEAD') heads++;
      if (req.url === '/data.csv') {
        res.writeHead(200, { etag, 'content-length': '4' });
        res.end(req.method === 'HEAD' ? undefined : 'a,b\n');
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const dvcYaml = (url: string) => `stages:
  fetch:
    wdir: sub
    cmd: echo fetched > got.txt
    deps:
      - ${url}
      - s3://bucket/raw/table.parquet
    outs:
      - got.txt
      - s3://bucket/published/got.txt
`;

  it('are never joined to wdir nor missing; an http dep reruns its stage when its ETag changes', async () => {
    const p = project({ 'dvc.yaml': dvcYaml(`${base}/data.csv`), 'sub/.keep': '' });
    const list = JSON.parse((await p.run('list', '--json')).stdout) as { deps: string[]; outs: string[] }[];
    assert.deepEqual(list[0]!.deps, [`${base}/data.csv`, 's3://bucket/raw/table.parquet']);
    assert.ok(list[0]!.outs.includes('sub/got.txt'));
    assert.ok(list[0]!.outs.includes('s3://bucket/published/got.txt'), JSON.stringify(list[0]!.outs));

    const status = await p.run('status');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /fetch +will run: never run; dep s3:\/\/bucket\/raw\/table\.parquet is external, not checked: no s3:\/\/ client is configured/);
    assert.doesNotMatch(status.stdout, /blocked|missing/);

    const first = await p.run('run');
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(p.read('sub/got.txt'), 'fetched\n');
    const headsBefore = heads;
    const again = await p.run('run');
    assert.match(again.stdout, /0 ran, 1 up to date/);
    assert.ok(heads > headsBefore, 'a HEAD request checked the dep (no fast-path no-op over an external dep)');

    etag = '"v2"';
    const changed = await p.run('run');
    assert.match(changed.stdout, /▶ fetch \(dep http:\/\/127\.0\.0\.1:\d+\/data\.csv modified\)/);
  });

  it('an http dep that cannot be reached fails its stage with a clear message, not a stack trace', async () => {
    const p = project({ 'dvc.yaml': dvcYaml(`${base}/gone.csv`), 'sub/.keep': '' });
    const r = await p.run('run');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /fetch failed: external dep http:\/\/127\.0\.0\.1:\d+\/gone\.csv answered HTTP 404/);
    const status = await p.run('status');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /fetch +error: external dep .*gone\.csv answered HTTP 404/);
    // A port nothing listens on: taken, then given back.
    const spare = createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const port = (spare.address() as AddressInfo).port;
    await new Promise<void>((resolve) => spare.close(() => resolve()));
    const closed = project({ 'dvc.yaml': dvcYaml(`http://127.0.0.1:${port}/nothing-listens-here`), 'sub/.keep': '' });
    const offline = await closed.run('run');
    assert.equal(offline.code, 1);
    assert.match(offline.stdout, /cannot be reached \(ECONNREFUSED\)/);
    assert.doesNotMatch(offline.stdout + offline.stderr, /\n\s+at /);
  });
});
