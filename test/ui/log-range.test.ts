/**
 * A log read in byte ranges never cuts a character: whatever range is asked for, the answer starts
 * and ends on whole UTF-8 characters and says so, so ranges read one after another (following a
 * running stage, or loading earlier parts) put the log back together exactly.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';
import { wholeCharacters } from '../../src/ui/server.js';
import { rawGet, signIn, startUi } from './helpers.js';

const project = useProjects();
const LOG = 'café ☕ 😀 naïve\n'.repeat(40);

describe('a log in byte ranges', () => {
  it('leaves out a cut character at either end', () => {
    const bytes = Buffer.from('é☕😀');
    assert.deepEqual(wholeCharacters(bytes, false), { start: 0, end: bytes.length });
    assert.deepEqual(wholeCharacters(bytes.subarray(1), true), { start: 1, end: bytes.length - 1 });
    assert.deepEqual(wholeCharacters(bytes.subarray(0, bytes.length - 1), false), { start: 0, end: 5 });
    assert.deepEqual(wholeCharacters(bytes.subarray(0, 1), false), { start: 0, end: 0 });
    assert.deepEqual(wholeCharacters(Buffer.from('ascii'), true), { start: 0, end: 5 });
  });

  it('answers every range on character boundaries, and ranges read in turn give the log back', async () => {
    const p = project({
      'say.cjs': `process.stdout.write(${JSON.stringify(LOG)});`,
      'pipewright.yaml': 'stages:\n  say:\n    cmd: node say.cjs\n    deps: [say.cjs]\n',
    });
    assert.equal((await p.run('run')).code, 0);
    const ui = await startUi(p);
    try {
      const cookie = await signIn(ui);
      const range = async (query: string) => JSON.parse((await rawGet(ui.port, `/api/runs/1/instances/say/log?${query}`, { cookie })).body) as { from: number; to: number; size: number; text: string };
      const size = Buffer.byteLength(LOG);
      for (let from = 0; from < 24; from++) {
        const got = await range(`from=${from}&to=${from + 7}`);
        assert.ok(!got.text.includes('\ufffd'), `from ${from}: ${JSON.stringify(got)}`);
        assert.equal(Buffer.byteLength(got.text), got.to - got.from);
      }
      // Read on from where each answer ended, 5 bytes asked at a time: the log comes back whole.
      let text = '';
      for (let at = 0; at < size;) {
        const got = await range(`from=${at}&to=${Math.min(size, at + 5)}`);
        text += got.text;
        at = got.to > at ? got.to : at + 5;
      }
      assert.equal(text, LOG);
    } finally {
      await ui.stop();
    }
  });
});
