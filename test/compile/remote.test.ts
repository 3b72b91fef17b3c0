/**
 * Compiled tasks without a shared volume: outs travel through the project's remote (a folder, and
 * S3 served by s3rver on 127.0.0.1). Every task of the compiled YAML runs in its own fresh copy of
 * the project, as pods of the image would, and together they make what `pipewright run` makes.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IMAGE_PROJECT } from '../../src/compile/tasks.js';
import { useProjects, type TestProject } from '../helpers/project.js';
import { remoteConfig } from '../remote/fixture.js';
import { S3TestServer, closedPort } from '../remote/s3-server.js';
import { SWEEP_PROJECT, TARGETS, assertSameAsRun, check, compile, exceptStatus, listing } from './compiled.js';
import { argoContainers, kfpContainers, runContainers, type ContainerResult } from './local-runner.js';

const project = useProjects();
const REMOTE = 'shared';
/** The cluster's Secret the S3 credentials come from: only the runner knows the values. */
const CREDENTIALS = { 's3-creds/AWS_ACCESS_KEY_ID': 'S3RVER', 's3-creds/AWS_SECRET_ACCESS_KEY': 'S3RVER' };
const KINDS = ['folder', 's3'] as const;
type Kind = (typeof KINDS)[number];

let server: S3TestServer;
const folders: string[] = [];
before(async () => {
  server = await S3TestServer.start();
});
after(async () => {
  await server.stop();
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

/** SWEEP_PROJECT with a default remote of this kind, empty. */
function remoteProject(kind: Kind, label: string): Record<string, string> {
  let config: string;
  if (kind === 'folder') {
    const folder = mkdtempSync(join(tmpdir(), 'pw-compile-remote-'));
    folders.push(folder);
    config = remoteConfig(REMOTE, folder);
  } else {
    config = remoteConfig(REMOTE, `s3://${server.bucket}/${label}`, server.endpoint);
  }
  return { ...SWEEP_PROJECT, 'pipewright.config.yaml': config };
}

/** Runs every container of the compiled YAML in a fresh copy of the project of its own. */
async function runEachInAFreshCopy(files: Record<string, string>, containers: Parameters<typeof runContainers>[0]): Promise<{ results: ContainerResult[]; copyOf: (instance: string) => TestProject }> {
  const copies = new Map<string, TestProject>();
  const results = await runContainers(containers, {
    mountPath: IMAGE_PROJECT,
    dir: () => {
      const copy = project(files);
      copies.set(copy.dir, copy);
      return copy.dir;
    },
    secrets: CREDENTIALS,
  });
  assert.equal(new Set(results.map((r) => r.dir)).size, containers.length, 'no two tasks share a folder');
  const byInstance = new Map(results.map((r) => [r.instance, copies.get(r.dir)!]));
  return { results, copyOf: (instance) => byInstance.get(instance)! };
}

describe('pipewright compile with a remote: no shared volume', () => {
  for (const target of TARGETS) {
    for (const kind of KINDS) {
      it(`${target}, ${kind} remote: each task in its own fresh copy makes run's outs and lockfile entries; a second execution restores every instance`, async () => {
        const files = remoteProject(kind, `${target}-${kind}`);
        const { text, documents } = await compile(project(files), target, '--volume', 'none', ...(kind === 's3' ? ['--remote-secret', 's3-creds'] : []));
        check(target, documents);
        assert.doesNotMatch(text, /persistentVolumeClaim|pvcMount|volumeMounts/, 'no volume');
        assert.doesNotMatch(text, /S3RVER/, 'no credential in the YAML');
        const containers = target === 'kfp' ? kfpContainers(documents) : argoContainers(documents[0]!);
        for (const c of containers) {
          assert.deepEqual(c.args.slice(0, 4), ['exec', '--cached', '--remote', REMOTE], c.task);
          assert.deepEqual(c.args.slice(5, 7), ['-C', IMAGE_PROJECT], c.task);
          assert.deepEqual(c.secrets, kind === 's3' ? { AWS_ACCESS_KEY_ID: 's3-creds/AWS_ACCESS_KEY_ID', AWS_SECRET_ACCESS_KEY: 's3-creds/AWS_SECRET_ACCESS_KEY' } : {}, c.task);
        }

        const requestsBefore = server.requests.length;
        const first = await runEachInAFreshCopy(files, containers);
        if (kind === 's3') {
          const puts = server.since(requestsBefore).filter((r) => r.method === 'PUT' && r.url.startsWith(`/${server.bucket}/${target}-${kind}/`));
          assert.ok(puts.some((r) => r.url.includes('/run-cache/')) && puts.some((r) => r.url.includes('/objects/')), 'outs and run-cache entries went to s3rver');
        }
        for (const r of first.results) assert.match(r.stderr, new RegExp(`: ran; outs and run-cache entry on remote ${REMOTE}\\n`), `${r.instance}, first execution`);
        const collector = first.results.find((r) => r.instance === 'results')!;
        for (const upstream of ['prepare', 'train@lr=0.1,depth=2', 'train@lr=0.01,depth=4']) {
          assert.ok(collector.stderr.includes(`${upstream}: brought down from remote ${REMOTE} (upstream)\n`), `results brought ${upstream} down:\n${collector.stderr}`);
        }

        const local = project(SWEEP_PROJECT);
        const ran = await local.run('run', '-j', '2');
        assert.equal(ran.code, 0, ran.stdout + ran.stderr);
        const instances = await listing(local);
        assert.equal(containers.length, instances.length, 'one container per instance');
        assertSameAsRun(target, instances, first.copyOf, local, { 'results/train.csv': exceptStatus });
        assert.equal(first.copyOf('results').read('results/train.csv').trim().split('\n').length, 5, 'the collector saw the four instances');

        // Submitted again, in new pods: nothing runs, every instance is restored from the remote.
        const second = await runEachInAFreshCopy(files, containers);
        for (const r of second.results) {
          assert.match(r.stderr, new RegExp(`${r.instance.replace(/[.@=,]/g, '\\$&')}: restored from the cache \\(a run on remote ${REMOTE}\\)\\n`), `${r.instance}, second execution`);
          assert.doesNotMatch(r.stderr, /: ran/, `${r.instance}, second execution`);
        }
        assertSameAsRun(target, instances, second.copyOf, local, { 'results/train.csv': exceptStatus });
      });
    }
  }

  it('a wrong remote is exit 2 naming the configured ones; an unreachable one is exit 2; an upstream never pushed fails the task naming it', async () => {
    const files = remoteProject('folder', 'errors');
    const p = project({ ...files, 'pipewright.config.yaml': `${files['pipewright.config.yaml']!.replace('remotes:\n', `remotes:\n  team:\n    url: s3://${server.bucket}/team\n    endpoint: ${server.endpoint}\n`)}` });
    for (const args of [['compile', '--target', 'kfp', '-o', '-', '--remote', 'sharde'], ['exec', '--cached', '--remote', 'sharde', 'prepare']]) {
      const wrong = await p.run(...args);
      assert.equal(wrong.code, 2, `${args[0]}: ${wrong.stderr}`);
      assert.match(wrong.stderr, /error: no remote named "sharde" in pipewright\.config\.yaml\n {2}hint: did you mean "shared"\? configured: team, shared\n/, args[0]);
    }
    const noWay = await p.run('compile', '--target', 'argo', '-o', '-', '--no-remote', '--volume', 'none');
    assert.equal(noWay.code, 2);
    assert.match(noWay.stderr, /--volume none: outs need a way from task to task; name a remote/);
    const noRemote = await p.run('exec', '--remote', REMOTE, 'prepare');
    assert.equal(noRemote.code, 2);
    assert.match(noRemote.stderr, /--remote works with --cached/);

    const port = await closedPort();
    const unreachable = project({ ...SWEEP_PROJECT, 'pipewright.config.yaml': remoteConfig('far', `s3://${server.bucket}/x`, `http://127.0.0.1:${port}`) });
    const far = await unreachable.runWithEnv(server.env, 'exec', '--cached', '--remote', 'far', 'prepare');
    assert.equal(far.code, 2, far.stderr);
    assert.match(far.stderr, /error: cannot reach s3:\/\/pipewright-test\/x at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    assert.ok(!unreachable.exists('data.txt'), 'nothing ran');

    const early = await p.run('exec', '--cached', '--remote', REMOTE, 'results');
    assert.equal(early.code, 1, early.stderr);
    assert.match(early.stderr, /error: stage "results" failed: upstream instance "prepare" has no recorded run on remote shared \(.*\) that matches this copy/);
  });
});
