/**
 * How a push to S3 asks which objects the remote has (remote/transfer.ts's existence check),
 * against a real S3-protocol server counting requests: one check each below 64 objects, one listing
 * of a sparse remote above, checks again when the remote is so large that listing costs more.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hashBytes, type ContentHash } from '../../src/cache/hash.js';
import { manifestHash } from '../../src/cache/workspace-hash.js';
import { ObjectStore } from '../../src/cache/object-store.js';
import { S3Backend } from '../../src/remote/s3.js';
import { forEach, upload } from '../../src/remote/transfer.js';
import { silentProgress } from '../../src/remote/progress.js';
import { S3TestServer } from './s3-server.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'pw-transfer-s3-'));
  dirs.push(root);
  return { store: new ObjectStore(join(root, 'cache'), ['copy']) };
}

function putObject(store: ObjectStore, bytes: string): ContentHash {
  const hash = hashBytes(bytes);
  mkdirSync(dirname(store.pathOf(hash)), { recursive: true });
  writeFileSync(store.pathOf(hash), bytes);
  return hash;
}
const recording = () => silentProgress;

describe('upload to S3: existence checks or a listing', () => {
  let server: S3TestServer;
  const saved: NodeJS.ProcessEnv = {};
  before(async () => {
    server = await S3TestServer.start();
    for (const [k, v] of Object.entries(server.env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await server?.stop();
  });
  const backend = (prefix: string) => new S3Backend({ kind: 's3', bucket: server.bucket, prefix, endpoint: server.endpoint });
  const manyObjects = (store: ObjectStore, n: number, tag: string) => Array.from({ length: n }, (_, i) => putObject(store, `${tag}-${i}`));

  it('fewer than 64 objects: one existence check each, no listing', async () => {
    const s = setup();
    const remote = backend('few');
    const outs = manyObjects(s.store, 63, 'few');
    const r = await upload(s.store, remote, outs, recording());
    assert.equal(r.copied, 63);
    assert.equal(remote.requests.head, 63);
    assert.equal(remote.requests.list, undefined);
    remote.close();
  });

  it('64 objects or more on a sparse remote: one listing answers for all, and a second push sends nothing', async () => {
    const s = setup();
    const remote = backend('many');
    const outs = manyObjects(s.store, 64, 'many');
    const r = await upload(s.store, remote, outs, recording());
    assert.equal(r.copied, 64);
    assert.equal(remote.requests.head, undefined);
    assert.equal(remote.requests.list, 2);
    const again = await upload(s.store, remote, outs, recording());
    assert.equal(again.already, 64);
    assert.equal(again.copied, 0);
    assert.equal(remote.requests.put, 64);
    assert.equal(remote.requests.head, undefined);
    assert.equal(remote.requests.list, 4);
    remote.close();
  });

  it('a remote so large that listing it costs more requests than checking each: existence checks', async () => {
    const s = setup();
    const remote = backend('large');
    // 250 keys under objects/00/: the remote is estimated at 250 × 256 keys, 64 pages of 1,000.
    await forEach(Array.from({ length: 250 }, (_, i) => i), (i) => remote.write(`objects/00/${String(i).padStart(14, '0')}`, Buffer.from('x')));
    const outs = manyObjects(s.store, 64, 'large');
    const r = await upload(s.store, remote, outs, recording());
    assert.equal(r.copied, 64);
    assert.equal(remote.requests.head, 64);
    assert.equal(remote.requests.list, 1);
    remote.close();
  });

  it('a folder counts with its files: 63 files and their folder are 64 objects, one listing', async () => {
    const s = setup();
    const remote = backend('folder');
    const entries = Array.from({ length: 63 }, (_, i) => `folder-${i}`).map((text, i) => ({ path: `f${i}.txt`, hash: putObject(s.store, text) as never, size: text.length }));
    const name = manifestHash(entries);
    mkdirSync(dirname(s.store.pathOf(name)), { recursive: true });
    writeFileSync(s.store.pathOf(name), JSON.stringify(entries));
    const r = await upload(s.store, remote, [name], recording());
    assert.equal(r.copied, 64);
    assert.equal(remote.requests.head, undefined);
    assert.equal(remote.requests.list, 2);
    remote.close();
  });

  it('the remote\'s size is estimated from one prefix of 256 (objects/00/), whatever lies under the others', async () => {
    const s = setup();
    const remote = backend('estimate');
    // 10 keys under 00/ (an estimate of 2,560 keys: 3 pages) and 300 under ab/: listing is cheaper than 64 checks.
    await forEach(Array.from({ length: 10 }, (_, i) => i), (i) => remote.write(`objects/00/${String(i).padStart(14, '0')}`, Buffer.from('x')));
    await forEach(Array.from({ length: 300 }, (_, i) => i), (i) => remote.write(`objects/ab/${String(i).padStart(14, '0')}`, Buffer.from('x')));
    const outs = manyObjects(s.store, 64, 'estimate');
    const r = await upload(s.store, remote, outs, recording());
    assert.equal(r.copied, 64);
    assert.equal(remote.requests.head, undefined);
    assert.equal(remote.requests.list, 2);
    remote.close();
  });
});
