/**
 * The threads executor (executors/threads.ts) on the real CLI: a stage's worker thread turns its
 * event loop between tasks, so what a stage left pending (a callback, the closing of its task's
 * message port) happens before the next task on that thread, not never.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';

const project = useProjects();

describe('threads executor', () => {
  it('lets a worker thread run what a finished stage left pending before it takes the next stage', async () => {
    const p = project({
      'pipewright.ts': `
import { existsSync, writeFileSync } from 'node:fs';
import { pipeline, stage } from 'pipewright';
const first = stage('first', {
  outs: { out: 'first.txt' },
  run: ({ root, outs }) => {
    writeFileSync(outs.out, 'done');
    // Not awaited: runs when the thread's event loop next turns.
    setImmediate(() => writeFileSync(root + '/pending.txt', 'ran'));
  },
});
const second = stage('second', {
  deps: ['first.txt'],
  outs: { out: 'second.txt' },
  run: ({ root, outs }) => writeFileSync(outs.out, existsSync(root + '/pending.txt') ? 'ran before me' : 'still pending'),
});
export default pipeline('pending', [first, second]);
`,
    });
    const result = await p.run('run', '-j', '1');
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(p.read('second.txt'), 'ran before me');
  });
});
