/**
 * A run's event stream on its first look at the events file: what it sends at once, and whether
 * it ends there (a run's page draws the run only once the stream has ended or sent something).
 */
import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { streamRunEvents } from '../../src/ui/event-stream.js';
import { useProjects, waitFor } from '../helpers/project.js';
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

describe('the run event stream to a client that stops reading', { timeout: 120_000 }, () => {
  const project = useProjects();
  /** Resident memory of a process, from /proc (Linux). */
  const rss = (pid: number) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

  it('the server reads no further than the client takes: its memory stays flat while the client is stalled, and everything comes once it reads', async () => {
    const p = project(FILES);
    await recordTwoRuns(p);
    // ~90 MB of events: 22 reads of 4 MiB, sent every 200 ms by a server that does not wait for
    // the client to take them.
    const line = (n: number) => JSON.stringify({ type: 'queued', stage: `s-${n}`, params: { note: `${'x'.repeat(940)} ${n}` } });
    const count = 96_000;
    const lines: string[] = [];
    for (let n = 0; n < count; n++) lines.push(line(n));
    lines.push('{"type":"run-finished"}');
    writeFileSync(join(p.dir, '.pipewright/runs/1/events.jsonl'), lines.join('\n') + '\n');
    lines.length = 0;
    const server = p.start(['ui', '--port', '0']);
    try {
      await waitFor(() => /pipewright ui: http/.test(server.output()), 'the UI to print its URL');
      const url = new URL(/pipewright ui: (\S+)/.exec(server.output())![1]!);
      const ui = { url: url.href, base: url.origin, port: Number(url.port), output: server.output, stop: async () => {} };
      const cookie = await signIn(ui);
      const pid = server.child.pid!;
      const before = rss(pid);
      // A raw socket: the headers are read, then nothing more until the test says so.
      const socket = connect(ui.port, '127.0.0.1');
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      socket.setNoDelay(true);
      const chunks: Buffer[] = [];
      let tail = '';
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        tail = (tail + chunk.toString('latin1')).slice(-200);
      });
      const received = () => Buffer.concat(chunks);
      socket.write(`GET /api/runs/1/events HTTP/1.1\r\nHost: 127.0.0.1:${ui.port}\r\nCookie: ${cookie}\r\n\r\n`);
      await waitFor(() => received().includes('\r\n\r\n'), 'the response headers', 10_000);
      assert.match(received().toString('latin1', 0, received().indexOf('\r\n\r\n')), /^HTTP\/1\.1 200[\s\S]*text\/event-stream/i);
      socket.pause();
      // Stalled for long enough that a server sending regardless would have read the whole file.
      let peak = before;
      for (let i = 0; i < 30; i++) {
        await new Promise((r) => setTimeout(r, 200));
        peak = Math.max(peak, rss(pid));
      }
      // Waiting for 'drain', the server holds one read (4 MiB, as bytes and as text) and what V8
      // has not collected yet: ~26 MB on Node 20; sending regardless, it held ~138 MB.
      assert.ok(peak - before < 60 * 2 ** 20,
        `the server's memory grew ${mb(peak - before)} MB (from ${mb(before)} MB) while one client did not read a ~${mb(count * 960)} MB event stream`);
      // And once the client reads, everything comes, then the end.
      socket.resume();
      await waitFor(() => tail.includes('event: end\ndata: {}\n\n'), 'the whole stream', 60_000);
      socket.destroy();
      const text = received().toString('utf8');
      assert.equal((text.match(/"type":"queued"/g) ?? []).length, count);
    } finally {
      server.child.kill('SIGTERM');
      await server.done;
    }
  });
});
