/**
 * The S3 remote against a real S3-protocol server (s3rver) started on 127.0.0.1 by the test: no
 * client mocks. Requests are counted at the server.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { S3Backend } from '../../src/remote/s3.js';
import { COMPACT_FROM } from '../../src/remote/run-cache-pack.js';
import { useProjects, type TestProject } from '../helpers/project.js';
import { checkoutFiles, executions, pipelineFiles, remoteConfig } from './fixture.js';
import { S3TestServer, closedPort } from './s3-server.js';

const project = useProjects();
let server: S3TestServer;
before(async () => {
  server = await S3TestServer.start();
  Object.assign(process.env, server.env);
});
after(() => server.stop());

const s3Project = (prefix: string, files: Record<string, string>) =>
  project({ ...files, 'pipewright.config.yaml': remoteConfig('team', `s3://${server.bucket}/${prefix}`, server.endpoint) });
const cli = (p: TestProject, ...args: string[]) => p.runWithEnv(server.env, ...args);
const lockHash = (p: TestProject, stage: string) => new RegExp(`${stage}:[\\s\\S]*?outs:\\n\\s+- cache: true\\n\\s+hash: ([0-9a-f]{16})`).exec(p.read('pipewright.lock'))![1]!;

describe('S3 remote', () => {
  it('a second copy runs 0 stages after pull --run-cache, and listing the run-cache is one request', async () => {
    const a = s3Project('sweep', pipelineFiles({ points: 30 }));
    assert.equal((await cli(a, 'run')).code, 0);
    const pushed = await cli(a, 'push', '--run-cache');
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stdout, /run-cache: 32 entries added, 32 on the remote/);

    const b = project(checkoutFiles(a, false));
    const from = server.requests.length;
    const pulled = await cli(b, 'pull', '--run-cache');
    assert.equal(pulled.code, 0, pulled.stderr);
    const runCacheRequests = server.since(from).filter((r) => r.url.includes('run-cache'));
    const listings = runCacheRequests.filter((r) => r.method === 'GET' && r.url.includes('list-type=2'));
    assert.equal(listings.length, 1, 'one listing for 32 entries');
    assert.ok(runCacheRequests.length <= 1 + COMPACT_FROM, `${runCacheRequests.length} run-cache requests for 32 entries: ${runCacheRequests.map((r) => r.url).join(', ')}`);
    const run = await cli(b, 'run');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /0 ran, 32 restored/);
    assert.deepEqual(executions(b), []);
  });

  it('a push of many objects asks with a listing, not one HEAD per object', async () => {
    const a = s3Project('many', pipelineFiles({ points: 1, files: 150, fileKiB: 1 }));
    assert.equal((await cli(a, 'run')).code, 0);
    const from = server.requests.length;
    const first = await cli(a, 'push');
    assert.equal(first.code, 0, first.stderr);
    const heads = (since: number) => server.since(since).filter((r) => r.method === 'HEAD' && r.url !== `/${server.bucket}/`);
    assert.deepEqual(heads(from), []);
    const again = server.requests.length;
    const second = await cli(a, 'push');
    assert.match(second.stdout, /0 objects uploaded \(0 B\), 15\d already there/);
    assert.deepEqual(heads(again), []);
    assert.ok(server.since(again).length <= 4, `${server.since(again).length} requests to find 150 objects there`);
  });

  it('a corrupted object on the remote is refused on download', async () => {
    const a = s3Project('rot', pipelineFiles({ points: 1 }));
    assert.equal((await cli(a, 'run')).code, 0);
    assert.equal((await cli(a, 'push')).code, 0);
    const hash = lockHash(a, 'sum');
    const backend = new S3Backend({ kind: 's3', bucket: server.bucket, prefix: 'rot', endpoint: server.endpoint });
    await backend.write(`objects/${hash.slice(0, 2)}/${hash.slice(2)}`, Buffer.from('bit rot\n'));
    backend.close();

    const b = project(checkoutFiles(a, true));
    const pulled = await cli(b, 'pull');
    assert.equal(pulled.code, 1, pulled.stdout + pulled.stderr);
    assert.match(pulled.stderr, new RegExp(`refused: object ${hash} on team is corrupt`));
    assert.ok(!b.exists(`.pipewright/cache/objects/${hash.slice(0, 2)}/${hash.slice(2)}`));
    assert.ok(!b.exists('sum.txt'));
    assert.ok(b.exists('data/part-0.bin'));
  });

  it('two concurrent pushes of the same objects leave the remote intact', async () => {
    const files = pipelineFiles({ points: 3, files: 16, fileKiB: 256 });
    const a = s3Project('race', files);
    const b = s3Project('race', files);
    await Promise.all([cli(a, 'run'), cli(b, 'run')]);
    const [pa, pb] = await Promise.all([cli(a, 'push', '--run-cache'), cli(b, 'push', '--run-cache')]);
    assert.equal(pa.code, 0, pa.stderr);
    assert.equal(pb.code, 0, pb.stderr);
    // Every object is verified on its way down: a clean pull proves the remote whole.
    const c = project(checkoutFiles(a, false));
    const pulled = await cli(c, 'pull', '--run-cache');
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.doesNotMatch(pulled.stderr, /refused|damaged/);
    const run = await cli(c, 'run');
    assert.match(run.stdout, /0 ran, 5 restored/);
  });

  it('a large file goes up in parts and comes back whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-s3-big-'));
    try {
      const backend = new S3Backend({ kind: 's3', bucket: server.bucket, prefix: 'big', endpoint: server.endpoint }, { multipartFrom: 6 << 20, partSize: 5 << 20 });
      const bytes = randomBytes((11 << 20) + 123);
      writeFileSync(join(dir, 'in'), bytes);
      const from = server.requests.length;
      await backend.upload('objects/big', join(dir, 'in'), bytes.length);
      assert.equal(server.since(from).filter((r) => r.url.includes('partNumber=')).length, 3, 'three parts');
      assert.equal(await backend.download('objects/big', join(dir, 'out')), true);
      assert.ok(readFileSync(join(dir, 'out')).equals(bytes));
      assert.equal(await backend.download('objects/none', join(dir, 'none')), false);
      backend.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing bucket or an endpoint nobody answers is exit 2 with a clear message', async () => {
    const p = project({ ...pipelineFiles({ points: 1 }), 'pipewright.config.yaml': remoteConfig('team', 's3://no-such-bucket/x', server.endpoint) });
    assert.equal((await cli(p, 'run')).code, 0);
    const noBucket = await cli(p, 'push');
    assert.equal(noBucket.code, 2, noBucket.stderr);
    assert.match(noBucket.stderr, /error: S3 bucket "no-such-bucket" does not exist/);

    const port = await closedPort();
    p.write({ 'pipewright.config.yaml': remoteConfig('team', `s3://${server.bucket}/x`, `http://127.0.0.1:${port}`) });
    const nobody = await cli(p, 'pull');
    assert.equal(nobody.code, 2, nobody.stderr);
    assert.match(nobody.stderr, /error: cannot reach s3:\/\/pipewright-test\/x at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    assert.ok(p.exists('sum.txt'), 'nothing lost');
  });
});
