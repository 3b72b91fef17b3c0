/**
 * `pipewright ui` stopped the moment it prints its URL (as a supervisor or a test does) exits 0,
 * cleanly: it listens for SIGTERM before the URL is out. (Printed first, a SIGTERM that came
 * before the listener ended it at the kernel's default, killed by the signal: 9 of 30 starts on a
 * loaded machine.) A race, so tried many times; it cannot pass by luck once the order is wrong on
 * a busy machine, but may on a quiet one.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useProjects, waitFor } from '../helpers/project.js';

const project = useProjects();

describe('stopping pipewright ui', () => {
  it('SIGTERM as soon as the URL is printed: exit 0, every time (20 starts)', async () => {
    const p = project({ 'pipewright.yaml': 'stages:\n  a:\n    cmd: echo a > a.txt\n    outs: [a.txt]\n' });
    for (let i = 0; i < 20; i++) {
      const started = p.start(['ui', '--port', '0']);
      // Stopped the instant the line arrives, not at the next poll.
      started.child.stdout!.on('data', () => {
        if (/pipewright ui: http/.test(started.output())) started.child.kill('SIGTERM');
      });
      await waitFor(() => /pipewright ui: http/.test(started.output()), 'the ui to serve', 30_000);
      const done = await started.done;
      assert.deepEqual([done.code, done.signal], [0, null], `start ${i + 1}: ${done.stdout}${done.stderr}`);
    }
  });
});
