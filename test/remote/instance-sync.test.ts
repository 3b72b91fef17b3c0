/**
 * What a worker does with the remote, through the module: push one instance's outs and run-cache
 * entry; on another machine, fetch that entry's outs, after which `run` restores the instance.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FolderBackend } from '../../src/remote/folder.js';
import { LocalCache } from '../../src/remote/local.js';
import { readRunCache } from '../../src/remote/run-cache-pack.js';
import { fetchEntry, pushInstance } from '../../src/remote/sync.js';
import { useProjects } from '../helpers/project.js';
import { checkoutFiles, executions, pipelineFiles, remoteConfig } from './fixture.js';

const project = useProjects();
const dir = mkdtempSync(join(tmpdir(), 'pw-instance-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('one instance at a time (the worker\'s way)', () => {
  it('pushInstance sends outs then the entry (one write); fetchEntry brings them back verified; run restores', async () => {
    const remote = new FolderBackend({ kind: 'folder', path: join(dir, 'cache') });
    const a = project({ ...pipelineFiles({ points: 2 }), 'pipewright.config.yaml': remoteConfig('shared', join(dir, 'cache')) });
    assert.equal((await a.run('run')).code, 0);
    await remote.check('write');
    const warn = (m: string) => assert.fail(m);
    const here = new LocalCache(a.dir, warn);
    try {
      for (const [stage, entry] of Object.entries(here.lock)) {
        const before = { ...remote.requests };
        assert.equal(await pushInstance(here.store, remote, stage, entry), true, stage);
        assert.equal((remote.requests['write'] ?? 0) - (before['write'] ?? 0), 1, 'the entry is one write');
        assert.equal(remote.requests['list'] ?? 0, 0, 'and no listing');
      }
    } finally {
      here.close();
    }
    const onRemote = await readRunCache(remote);
    assert.equal(onRemote.entries.size, 4);

    const b = project(checkoutFiles(a, false));
    const there = new LocalCache(b.dir, warn);
    try {
      for (const e of onRemote.entries.values()) {
        assert.equal(await fetchEntry(there.store, remote, e.entry), true);
        there.runCache.put(e.stage, e.entry);
      }
    } finally {
      there.close();
    }
    const run = await b.run('run');
    assert.match(run.stdout, /0 ran, 4 restored/);
    assert.deepEqual(executions(b), []);
  });
});
