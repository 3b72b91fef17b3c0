/**
 * A run's event stream on its first look at the events file: what it sends at once, and whether
 * it ends there (a run's page draws the run only once the stream has ended or sent something).
 */
import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { streamRunEvents } from '../../src/ui/event-stream.js';
import { useProjects } from '../helpers/project.js';
import { FILES, rawGet, recordTwoRuns, signIn, startUi } from './helpers.js';

/** Just what streamRunEvents uses of a response, recording what is written. */
class FakeResponse extends EventEmitter {
  statusCode = 0;
  body = '';
  ended = false;
  setHeader(): void {}
  flushHeaders(): void {}
  write(text: string): boolean {
    this.body += text;
    return true;
  }
  end(): void {
    this.ended = true;
  }
}

describe('the run event stream, on its first look', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pw-event-stream-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const follow = (file: string, running: boolean) => {
    const response = new FakeResponse();
    streamRunEvents(response as unknown as ServerResponse, { file, running: () => running });
    return response;
  };

  it('ends at once for a finished run that has no events file (recorded without events)', () => {
    const response = follow(join(dir, 'none.jsonl'), false);
    assert.equal(response.ended, true);
    assert.equal(response.body, 'event: end\ndata: {}\n\n');
  });

  it('sends a finished run\'s events, then ends', () => {
    const file = join(dir, 'finished.jsonl');
    writeFileSync(file, '{"type":"run-started"}\n{"type":"run-finished"}\n');
    const response = follow(file, false);
    assert.equal(response.ended, true);
    assert.equal(response.body, 'data: [{"type":"run-started"},{"type":"run-finished"}]\n\nevent: end\ndata: {}\n\n');
  });

  it('keeps following a running run whose events file is not there yet', () => {
    const response = follow(join(dir, 'later.jsonl'), true);
    assert.equal(response.ended, false);
    assert.equal(response.body, '');
    response.emit('close');
  });
});

describe('the run event stream over HTTP, on a large events file', () => {
  const project = useProjects();

  it('sends every event of a file larger than one read, multi-byte characters intact', async () => {
    const p = project(FILES);
    await recordTwoRuns(p);
    // 20,000 events of ~300 bytes (~6 MB, more than one 4 MiB read), each with characters of two
    // and three bytes that a cut in the middle would garble.
    const events = Array.from({ length: 20_000 }, (_, n) => ({ type: 'queued', stage: `évaluer-${n}`, of: 'évaluer', params: { note: `ünïcødé — ${'€'.repeat(60)} ${n}` } }));
    writeFileSync(join(p.dir, '.pipewright/runs/1/events.jsonl'), [...events, { type: 'run-finished' }].map((e) => JSON.stringify(e)).join('\n') + '\n');
    const ui = await startUi(p);
    try {
      const reply = await rawGet(ui.port, '/api/runs/1/events', { cookie: await signIn(ui) });
      const batches = [...reply.body.matchAll(/^data: (\[.*\])$/gm)].map((m) => JSON.parse(m[1]!) as { type: string; stage?: string; params?: { note: string } }[]);
      assert.ok(batches.length >= 2, `sent in parts, not one ${reply.body.length}-byte message`);
      const got = batches.flat();
      assert.equal(got.length, 20_001);
      assert.deepEqual(got.slice(0, -1), events);
      assert.match(reply.body, /^event: end$/m);
    } finally {
      await ui.stop();
    }
  });
});
