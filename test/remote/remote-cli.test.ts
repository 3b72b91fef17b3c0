/**
 * `pipewright remote add|list|remove` and what push, pull and fetch say when the remote is wrong:
 * the config file keeps its comments and other sections, a mistake changes nothing and exits 2.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';
import { progressLine } from '../../src/remote/progress.js';
import { pipelineFiles } from './fixture.js';

const project = useProjects();
const remoteDir = mkdtempSync(join(tmpdir(), 'pw-remote-cli-'));
after(() => rmSync(remoteDir, { recursive: true, force: true }));

const CONFIG = `# Team settings: reviewed in PRs
stages:
  prep:
    retries: 2 # the disk is flaky
`;

describe('pipewright remote', () => {
  it('add, list and remove keep comments and the stages section; the first --default is the default', async () => {
    const p = project({ ...pipelineFiles(), 'pipewright.config.yaml': CONFIG });
    const added = await p.run('remote', 'add', 'nfs', '/mnt/shared/cache', '--default');
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.stdout, 'added remote nfs: /mnt/shared/cache (default)\n');
    assert.equal((await p.run('remote', 'add', 'minio', 's3://ml-team/cache', '--endpoint', 'http://minio.internal:9000')).code, 0);
    assert.equal(p.read('pipewright.config.yaml'), `# Team settings: reviewed in PRs
stages:
  prep:
    retries: 2 # the disk is flaky
remotes:
  nfs:
    url: /mnt/shared/cache
  minio:
    url: s3://ml-team/cache
    endpoint: http://minio.internal:9000
default_remote: nfs
`);
    const list = await p.run('remote', 'list');
    assert.equal(list.stdout, 'nfs\t/mnt/shared/cache\t(default)\nminio\ts3://ml-team/cache (endpoint http://minio.internal:9000)\n');
    const json = JSON.parse((await p.run('remote', 'list', '--json')).stdout) as unknown[];
    assert.deepEqual(json, [{ name: 'nfs', url: '/mnt/shared/cache', default: true }, { name: 'minio', url: 's3://ml-team/cache', endpoint: 'http://minio.internal:9000', default: false }]);
    // The stages section still works.
    assert.match((await p.run('list', '--json')).stdout, /"retries"|"limit": 2/);

    assert.equal((await p.run('remote', 'remove', 'nfs')).code, 0);
    assert.equal(p.read('pipewright.config.yaml'), `# Team settings: reviewed in PRs
stages:
  prep:
    retries: 2 # the disk is flaky
remotes:
  minio:
    url: s3://ml-team/cache
    endpoint: http://minio.internal:9000
`);
    assert.equal((await p.run('remote', 'remove', 'minio')).code, 0);
    assert.equal(p.read('pipewright.config.yaml'), CONFIG);
    assert.equal((await p.run('remote', 'list')).stdout, 'No remotes. `pipewright remote add NAME URL` adds one.\n');
  });

  it('a bad URL, name or endpoint, a duplicate or an unknown name: exit 2, a clear message, the file unchanged', async () => {
    const p = project({ ...pipelineFiles(), 'pipewright.config.yaml': CONFIG });
    assert.equal((await p.run('remote', 'add', 'shared', remoteDir)).code, 0);
    const before = p.read('pipewright.config.yaml');
    const cases: [string[], RegExp][] = [
      [['remote', 'add', 'x', 'ssh://host/cache'], /error: remotes of kind "ssh:\/\/" are not supported \("ssh:\/\/host\/cache"\)\n {2}hint: give a folder path/],
      [['remote', 'add', 'x', 's3://'], /error: "s3:\/\/" names no valid S3 bucket/],
      [['remote', 'add', 'x', 's3://Bad_Bucket/p'], /names no valid S3 bucket \("Bad_Bucket"\)/],
      [['remote', 'add', 'x', 's3://b-1/p', '--endpoint', 'minio:9000'], /error: endpoint "minio:9000" is not an http:\/\/ or https:\/\/ URL/],
      [['remote', 'add', 'x', '/data', '--endpoint', 'http://a:1'], /error: --endpoint is for s3:\/\/ remotes only/],
      [['remote', 'add', 'bad name', '/data'], /error: "bad name" is not a usable remote name/],
      [['remote', 'add', 'shared', '/elsewhere'], /error: a remote named "shared" already exists \(.*\)\n {2}hint: add --force to replace it/],
      [['remote', 'remove', 'shard'], /error: no remote named "shard" in pipewright\.config\.yaml\n {2}hint: did you mean "shared"\? configured: shared/],
      [['push', '-r', 'shard'], /error: no remote named "shard" in pipewright\.config\.yaml\n {2}hint: did you mean "shared"\? configured: shared/],
      [['pull', '-r', 'nope'], /error: no remote named "nope"/],
      [['fetch', 'nosuchstage'], /error: .*pipewright\.yaml: no stage named "nosuchstage"/],
    ];
    for (const [args, message] of cases) {
      const r = await p.run(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(p.read('pipewright.config.yaml'), before, `${args.join(' ')} changed nothing`);
    }
    // --force replaces; the earlier value is gone only then.
    assert.equal((await p.run('remote', 'add', 'shared', '/elsewhere', '--force')).code, 0);
    assert.match(p.read('pipewright.config.yaml'), /url: \/elsewhere/);
  });

  it('a remote written wrongly by hand is named with its line; no remote at all, or a missing folder, is exit 2', async () => {
    const p = project({ ...pipelineFiles(), 'pipewright.config.yaml': 'remotes:\n  shared:\n    url: gs://bucket/x\n' });
    const bad = await p.run('push');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /error: pipewright\.config\.yaml:3:10: remotes\.shared: remotes of kind "gs:\/\/" are not supported \("gs:\/\/bucket\/x"\)\n {2}3 \| +url: gs:\/\/bucket\/x\n/);
    p.write({ 'pipewright.config.yaml': 'remotes:\n  shared:\n    url: /x\n    token: abc\n' });
    assert.match((await p.run('pull')).stderr, /remotes\.shared: unknown key "token"/);
    p.write({ 'pipewright.config.yaml': 'remotes:\n  shared:\n    url: /x\ndefault_remote: shraed\n' });
    assert.match((await p.run('pull')).stderr, /error: pipewright\.config\.yaml:4:17: default_remote "shraed" names no remote in remotes\n[\s\S]*\n {2}hint: did you mean "shared"\?/);

    p.write({ 'pipewright.config.yaml': '# nothing yet\n' });
    const none = await p.run('push');
    assert.equal(none.code, 2);
    assert.match(none.stderr, /error: no remote is configured in pipewright\.config\.yaml\n {2}hint: `pipewright remote add NAME URL` adds one/);

    p.write({ 'pipewright.config.yaml': `remotes:\n  a:\n    url: ${remoteDir}/a\n  b:\n    url: ${remoteDir}/b\n` });
    assert.match((await p.run('push')).stderr, /error: 2 remotes are configured and none is the default\n {2}hint: name one with -r \(a, b\)/);
    const missing = await p.run('pull', '-r', 'a');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /error: remote folder .*\/a does not exist\n {2}hint: is the share mounted\?/);
    p.write({ 'pipewright.config.yaml': `remotes:\n  a:\n    url: ${remoteDir}/not/mounted/cache\n` });
    const unmounted = await p.run('push');
    assert.equal(unmounted.code, 2);
    assert.match(unmounted.stderr, /error: cannot create remote folder .*not\/mounted\/cache: .*\n {2}hint: its parent .*not\/mounted does not exist: is the share mounted\?/);
  });

  it('--help on each command', async () => {
    const p = project(pipelineFiles());
    for (const command of [['remote'], ['remote', 'add'], ['remote', 'list'], ['remote', 'remove'], ['push'], ['pull'], ['fetch']]) {
      const r = await p.run(...command, '--help');
      assert.equal(r.code, 0, command.join(' '));
      assert.match(r.stdout, new RegExp(`^Usage: pipewright ${command.join(' ')} `, 'm'));
    }
    const push = (await p.run('push', '--help')).stdout;
    for (const option of ['-r, --remote <name>', '--run-cache', '-C, --cwd <dir>']) assert.ok(push.includes(option), option);
    assert.ok((await p.run('pull', '--help')).stdout.includes('-f, --force'));
    assert.ok((await p.run('remote', 'add', '--help')).stdout.includes('--endpoint <url>'));
  });
});

describe('transfer progress', () => {
  const sink = () => {
    let text = '';
    return { stream: { write: (t: string) => ((text += t), true), isTTY: false } as unknown as NodeJS.WriteStream, text: () => text };
  };

  it('on a terminal: one line rewritten in place with counts and bytes', () => {
    const out = sink();
    const progress = progressLine('uploading', out.stream, true);
    progress.start(2, 3 * 1024 * 1024);
    progress.advance(1024 * 1024);
    progress.advance(2 * 1024 * 1024);
    progress.finish();
    assert.match(out.text(), /\r\x1b\[2Kuploading 1\/2 objects, 1\.0 MiB\/3\.0 MiB/);
    assert.match(out.text(), /\r\x1b\[2Kuploading 2\/2 objects, 3\.0 MiB\/3\.0 MiB\r\x1b\[2K$/);
    assert.ok(!out.text().includes('\n'));
  });

  it('elsewhere: plain lines at each quarter of a large transfer, none for a small one', () => {
    const out = sink();
    const progress = progressLine('downloading', out.stream, false);
    progress.start(40, 40 * 100);
    for (let i = 0; i < 40; i++) progress.advance(100);
    progress.finish();
    assert.equal(out.text(), 'downloading 10/40 objects, 1000 B/3.9 KiB\ndownloading 20/40 objects, 2.0 KiB/3.9 KiB\ndownloading 30/40 objects, 2.9 KiB/3.9 KiB\n');
    const small = sink();
    const quiet = progressLine('downloading', small.stream, false);
    quiet.start(3, 30);
    for (let i = 0; i < 3; i++) quiet.advance(10);
    assert.equal(small.text(), '');
  });
});
