/**
 * What a coordinator and its workers agree on without Redis (distributed/protocol.ts): which queue
 * a stage's jobs go to and which queues a worker listens to, whether a worker can ever run a job of
 * this size, whether a checkout is the job's revision (with the message a user sees), and which
 * Redis a project uses. Pure functions and real files and git repositories in temp folders.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hashBytes } from '../../src/cache/hash.js';
import {
  ALL_WORKERS, WORKER_TTL_S, queueName, redisClient, redisUrl, relativeAddress, revisionDifference, revisionMismatch, revisionOf, routeOf, routesServed, unfit,
} from '../../src/distributed/protocol.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'pw-protocol-'));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const GiB = 2 ** 30;
const MiB = 2 ** 20;

describe('unfit: a job a worker can never take, and why', () => {
  const offer = { cpus: 4, gpus: 1, memoryBytes: 8 * GiB };

  it('no resources asked fits any worker', () => {
    assert.equal(unfit(undefined, { cpus: 0, gpus: 0 }), undefined);
  });

  it('asking exactly what the worker has fits', () => {
    assert.equal(unfit({ cpus: 4, gpus: 1, memoryBytes: 8 * GiB }, offer), undefined);
    assert.equal(unfit({ cpus: 1, gpus: 0 }, offer), undefined);
  });

  it('more cpus, more GPUs or more memory than offered is refused with the numbers', () => {
    assert.equal(unfit({ cpus: 5, gpus: 0 }, offer), 'it needs 5 cpus, the worker has 4');
    assert.equal(unfit({ cpus: 1, gpus: 2 }, offer), 'it needs 2 GPUs, the worker has 1');
    assert.equal(unfit({ cpus: 1, gpus: 1.5 }, offer), 'it needs 1.5 GPUs, the worker has 1');
    assert.equal(unfit({ cpus: 1, gpus: 0, memoryBytes: 8 * GiB + 1 }, offer), 'it needs 8.0 GiB of memory, the worker offers 8.0 GiB');
    assert.equal(unfit({ cpus: 1, gpus: 0, memoryBytes: 12 * GiB }, offer), 'it needs 12.0 GiB of memory, the worker offers 8.0 GiB');
  });

  it('cpus are judged before GPUs, GPUs before memory', () => {
    assert.match(unfit({ cpus: 9, gpus: 9, memoryBytes: 99 * GiB }, offer)!, /cpus/);
    assert.match(unfit({ cpus: 1, gpus: 9, memoryBytes: 99 * GiB }, offer)!, /GPUs/);
  });

  it('memory below a GiB is said in MiB, rounded; a GiB exactly in GiB', () => {
    assert.equal(unfit({ cpus: 1, gpus: 0, memoryBytes: 600 * MiB }, { cpus: 1, gpus: 0, memoryBytes: 512 * MiB }),
      'it needs 600 MiB of memory, the worker offers 512 MiB');
    assert.equal(unfit({ cpus: 1, gpus: 0, memoryBytes: GiB }, { cpus: 1, gpus: 0, memoryBytes: GiB - 1 }),
      'it needs 1.0 GiB of memory, the worker offers 1024 MiB');
    assert.equal(unfit({ cpus: 1, gpus: 0, memoryBytes: 1.5 * MiB }, { cpus: 1, gpus: 0, memoryBytes: MiB }),
      'it needs 2 MiB of memory, the worker offers 1 MiB');
  });

  it('memory is not judged when the job or the worker says none', () => {
    assert.equal(unfit({ cpus: 1, gpus: 0, memoryBytes: 99 * GiB }, { cpus: 1, gpus: 0 }), undefined);
    assert.equal(unfit({ cpus: 1, gpus: 0 }, { cpus: 1, gpus: 0, memoryBytes: 1 }), undefined);
  });
});

describe('routes: the queue a stage goes to, the queues a worker serves', () => {
  it('a stage with no labels goes to "any"; labels are sorted and joined with +', () => {
    assert.equal(routeOf(undefined), 'any');
    assert.equal(routeOf({}), 'any');
    assert.equal(routeOf({ labels: [] }), 'any');
    assert.equal(routeOf({ labels: ['zeta', 'alpha', 'alpha'] }), 'alpha+zeta');
    assert.equal(queueName(routeOf({ labels: ['big'] })), 'jobs-big');
  });

  it('asking for GPUs adds the gpu label; asking none does not', () => {
    assert.equal(routeOf({ resources: { cpus: 1, gpus: 0.5 } }), 'gpu');
    assert.equal(routeOf({ resources: { cpus: 1, gpus: 0 } }), 'any');
    assert.equal(routeOf({ labels: ['x'], resources: { cpus: 1, gpus: 1 } }), 'gpu+x');
    assert.equal(routeOf({ labels: ['gpu'], resources: { cpus: 1, gpus: 1 } }), 'gpu');
  });

  it('a worker serves every subset of its labels, "any" included, once each', () => {
    assert.deepEqual(routesServed([]), ['any']);
    assert.deepEqual(routesServed(['b', 'a', 'b']), ['any', 'a', 'b', 'a+b']);
    const three = routesServed(['gpu', 'big', 'eu']);
    assert.equal(three.length, 8);
    assert.deepEqual([...three].sort(), ['any', 'big', 'big+eu', 'big+eu+gpu', 'big+gpu', 'eu', 'eu+gpu', 'gpu']);
    // Every route a stage with some of these labels goes to is served.
    assert.ok(three.includes(routeOf({ labels: ['eu'], resources: { cpus: 1, gpus: 1 } })));
  });

  it('registry names are fixed', () => {
    assert.equal(ALL_WORKERS, 'pw:workers:');
    assert.equal(WORKER_TTL_S, 10);
  });
});

describe('revisions: the worker runs only the job\'s revision', () => {
  const a = 'a'.repeat(16);
  const b = 'b'.repeat(16);
  const c1 = '1234567890abcdef1234567890abcdef12345678';
  const c2 = 'fedcba0987654321fedcba0987654321fedcba09';

  it('the same pipeline file and commit match', () => {
    assert.equal(revisionMismatch({ pipelineHash: a, gitCommit: c1 }, { pipelineHash: a, gitCommit: c1 }), undefined);
    assert.equal(revisionDifference({ pipelineHash: a, gitCommit: c1 }, { pipelineHash: a, gitCommit: c1 }), undefined);
  });

  it('another pipeline file is refused, naming both hashes', () => {
    assert.equal(revisionMismatch({ pipelineHash: a }, { pipelineHash: b }), `the pipeline file differs (job ${a}, this checkout ${b})`);
    assert.equal(revisionDifference({ pipelineHash: a + 'ffff' }, { pipelineHash: b + 'eeee' }), `its pipeline file differs (there ${b.slice(0, 12)}, here ${a.slice(0, 12)})`);
  });

  it('another commit is refused, naming both, cut to 12 characters', () => {
    assert.equal(revisionMismatch({ pipelineHash: a, gitCommit: c1 }, { pipelineHash: a, gitCommit: c2 }),
      'the git commit differs (job 1234567890ab, this checkout fedcba098765)');
    assert.equal(revisionDifference({ pipelineHash: a, gitCommit: c1 }, { pipelineHash: a, gitCommit: c2 }),
      'its git commit differs (there fedcba098765, here 1234567890ab)');
  });

  it('a side without git is judged by the pipeline file alone', () => {
    assert.equal(revisionMismatch({ pipelineHash: a, gitCommit: c1 }, { pipelineHash: a }), undefined);
    assert.equal(revisionMismatch({ pipelineHash: a }, { pipelineHash: a, gitCommit: c2 }), undefined);
    assert.equal(revisionDifference({ pipelineHash: a, gitCommit: c1 }, { pipelineHash: a }), undefined);
    assert.equal(revisionDifference({ pipelineHash: a }, { pipelineHash: a, gitCommit: c2 }), undefined);
  });

  it('revisionOf: the pipeline file\'s hash, and no commit outside git', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pipewright.yaml'), 'stages: {}\n');
    assert.deepEqual(revisionOf(join(dir, 'pipewright.yaml')), { pipelineHash: hashBytes(Buffer.from('stages: {}\n')) });
  });

  it('revisionOf: HEAD\'s commit in a git checkout, found from a subfolder', () => {
    const dir = tempDir();
    const git = (...args: string[]) => {
      const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trim();
    };
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub/pipewright.yaml'), 'stages: {}\n');
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'one');
    const head = git('rev-parse', 'HEAD');
    assert.deepEqual(revisionOf(join(dir, 'sub/pipewright.yaml')), { pipelineHash: hashBytes(Buffer.from('stages: {}\n')), gitCommit: head });
  });

  it('revisionOf: a .git folder with no commit yet gives no commit', () => {
    const dir = tempDir();
    spawnSync('git', ['init', '-q'], { cwd: dir });
    writeFileSync(join(dir, 'pipewright.yaml'), 'x');
    assert.deepEqual(revisionOf(join(dir, 'pipewright.yaml')), { pipelineHash: hashBytes(Buffer.from('x')) });
  });
});

describe('redisUrl: flag, then PIPEWRIGHT_REDIS, then the config file, then the local default', () => {
  const saved = process.env.PIPEWRIGHT_REDIS;
  after(() => {
    if (saved === undefined) delete process.env.PIPEWRIGHT_REDIS;
    else process.env.PIPEWRIGHT_REDIS = saved;
  });

  it('in that order', () => {
    const dir = tempDir();
    delete process.env.PIPEWRIGHT_REDIS;
    assert.equal(redisUrl(dir), 'redis://127.0.0.1:6379');
    writeFileSync(join(dir, 'pipewright.config.yaml'), 'redis: redis://config:1\n');
    assert.equal(redisUrl(dir), 'redis://config:1');
    process.env.PIPEWRIGHT_REDIS = 'redis://env:2';
    assert.equal(redisUrl(dir), 'redis://env:2');
    assert.equal(redisUrl(dir, 'redis://flag:3'), 'redis://flag:3');
    delete process.env.PIPEWRIGHT_REDIS;
    assert.equal(redisUrl(dir, 'redis://flag:3'), 'redis://flag:3');
  });

  it('a config file without redis: (or not a string there) leaves the default', () => {
    const dir = tempDir();
    delete process.env.PIPEWRIGHT_REDIS;
    writeFileSync(join(dir, 'pipewright.config.yaml'), 'name: proj\n');
    assert.equal(redisUrl(dir), 'redis://127.0.0.1:6379');
  });
});

describe('job data', () => {
  it('the pipeline file travels relative to the project root, the rest unchanged', () => {
    const address = { pipelineFile: '/home/me/proj/sub/pipewright.yaml', stage: 'train', params: { lr: 0.1 }, instance: { name: 'train@lr=0.1' } };
    assert.deepEqual(relativeAddress('/home/me/proj', address), { ...address, pipelineFile: 'sub/pipewright.yaml' });
  });

  it('redisClient gives ioredis\'s client class', async () => {
    const Redis = await redisClient();
    assert.equal(typeof Redis, 'function');
    const client = new Redis('redis://127.0.0.1:1', { lazyConnect: true });
    assert.equal(client.status, 'wait');
    client.disconnect();
  });
});
