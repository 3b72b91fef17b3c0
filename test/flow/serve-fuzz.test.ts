/**
 * Nothing a client sends stops `pipewright serve`: a property test (fast-check, fixed seed) sends random JSON,
 * wrong types, outputs that cannot be encoded, truncated and huge bodies, odd content types, odd methods and
 * paths, slow uploads and uploads cut off half-way, several at once, to a served flow on 127.0.0.1. Every
 * request that was sent whole gets an HTTP answer with a JSON body, the process is alive at the end, and the
 * flow's counters add up with what the clients saw.
 */
import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { useProjects, waitFor } from '../helpers/project.js';

const project = useProjects();

const FLOW = `import { cell, flow } from 'pipewright';
const measure = cell('measure', { run: (x: { text: string }) => {
  if (typeof x?.text !== 'string') throw new Error('send { "text": string }');
  return x.text === 'big' ? { n: BigInt(x.text.length) } : { n: x.text.length };
} });
const double = cell('double', { scale: 2, executor: 'threads', run: (m: { n: number | bigint }) => (typeof m.n === 'bigint' ? m : { n: m.n * 2 }) });
export default flow('fuzzed', [measure, double]);
`;

type Shot =
  | { kind: 'item'; body: string; contentType: string | undefined; path: '/' | '/batch' }
  | { kind: 'slow'; body: string; chunks: number }
  | { kind: 'huge' }
  | { kind: 'method'; method: 'GET' | 'PUT' | 'DELETE' | 'PATCH'; path: string }
  | { kind: 'cut' };

interface Answer {
  readonly status: number;
  readonly body: string;
}

const item = fc.oneof(
  fc.record({ text: fc.string({ maxLength: 40 }) }),
  fc.constant({ text: 'big' }),
  fc.jsonValue({ maxDepth: 3 }),
);
const bodies = fc.oneof(
  { weight: 5, arbitrary: item.map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.array(item, { maxLength: 6 }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: item.map((v) => JSON.stringify(v)).chain((t) => fc.nat({ max: Math.max(0, t.length - 1) }).map((n) => t.slice(0, n))) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b).toString('latin1')) },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', 'null', '[]', '{}', '"\\ud800"', '1e999', '{"__proto__": {"text": "x"}}', '['.repeat(5000)) },
);
const shots: fc.Arbitrary<Shot> = fc.oneof(
  { weight: 12, arbitrary: fc.record({
    kind: fc.constant('item' as const), body: bodies,
    contentType: fc.constantFrom(undefined, 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'image/png'),
    path: fc.constantFrom('/' as const, '/batch' as const),
  }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('slow' as const), body: item.map((v) => JSON.stringify(v)), chunks: fc.integer({ min: 2, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('method' as const), method: fc.constantFrom('GET' as const, 'PUT' as const, 'DELETE' as const, 'PATCH' as const), path: fc.constantFrom('/', '/batch', '/nope', '/health/../metrics', '/%zz') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const) }) },
);

const HUGE = Buffer.alloc(11 * 1024 * 1024, 'a');

function send(url: URL, method: string, path: string, headers: Record<string, string>, parts: readonly (string | Buffer)[], gapMs = 0): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (t: string) => (body += t)).on('end', () => resolve({ status: res.statusCode!, body }));
    });
    // A huge body may be answered (413) before it is all sent: the reset that follows is not a missing answer.
    req.on('error', reject);
    void (async () => {
      for (const part of parts) {
        if (req.destroyed) return;
        req.write(part);
        if (gapMs) await sleep(gapMs);
      }
      req.end();
    })();
  });
}

/** Headers that announce more body than is sent, then the client hangs up: there is no one to answer. */
function cut(url: URL): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`POST / HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"text": "half`);
      setTimeout(() => socket.destroy(), 20);
    });
    socket.on('close', () => resolve()).on('error', () => resolve());
  });
}

describe('pipewright serve under random requests', { timeout: 240_000 }, () => {
  it('answers every whole request, stays up, and its counters add up with the answers', async () => {
    const p = project({ 'fuzzed.flow.ts': FLOW });
    const server = p.start(['serve', 'fuzzed.flow.ts', '--port', '0']);
    await waitFor(() => /serving flow .* on http:\/\/127\.0\.0\.1:\d+/.test(server.output()), 'the server to listen');
    const url = new URL(/(http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())![1]!);
    let admitted = 0;
    let requests = 0;
    const statuses = new Map<number, number>();
    try {
      await fc.assert(fc.asyncProperty(fc.array(shots, { minLength: 1, maxLength: 8 }), async (volley) => {
        const answers = await Promise.all(volley.map(async (shot): Promise<[Shot, Answer | undefined]> => {
          switch (shot.kind) {
            case 'item': {
              const headers: Record<string, string> = shot.contentType ? { 'content-type': shot.contentType } : {};
              return [shot, await send(url, 'POST', shot.path, headers, [shot.body])];
            }
            case 'slow': {
              const size = Math.ceil(shot.body.length / shot.chunks) || 1;
              const parts = Array.from({ length: shot.chunks }, (_, i) => shot.body.slice(i * size, (i + 1) * size));
              return [shot, await send(url, 'POST', '/', { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(shot.body)) }, parts, 30)];
            }
            case 'huge':
              return [shot, await send(url, 'POST', '/', { 'content-type': 'application/json' }, [HUGE]).catch(() => ({ status: 413, body: '{}' }))];
            case 'method':
              return [shot, await send(url, shot.method, shot.path, {}, [])];
            case 'cut':
              await cut(url);
              return [shot, undefined];
          }
        }));
        for (const [shot, answer] of answers) {
          if (!answer) continue;
          requests++;
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          assert.ok(answer.status >= 200 && answer.status < 600, `an HTTP status: ${answer.status}`);
          assert.notEqual(answer.status, 503, 'a handful of requests at a time never fills the flow');
          if (shot.kind === 'item' || shot.kind === 'slow') {
            const parsed = JSON.parse(answer.body) as unknown;
            // What each status means, and the items it put through the flow.
            if (answer.status === 200) admitted += shot.kind === 'item' && shot.path === '/batch' ? (parsed as unknown[]).length : 1;
            else if (answer.status === 422) admitted++;
            else if (answer.status === 500) {
              assert.equal((parsed as { error: { output?: string } }).error.output, 'out', `a 500 is an output that cannot be encoded: ${answer.body}`);
              admitted++;
            } else assert.ok([400, 413, 415].includes(answer.status), `a refusal of the request itself: ${answer.status} ${answer.body}`);
          }
        }
        assert.equal(server.child.exitCode, null, 'the server is still running');
      }), { seed: 20261207, numRuns: 40 });

      assert.equal(server.child.exitCode, null, 'the server is still running');
      const health = await send(url, 'GET', '/health', {}, []);
      assert.equal(health.status, 200);
      const metrics = JSON.parse((await send(url, 'GET', '/metrics.json', {}, [])).body) as { itemsIn: number; itemsOut: number; cells: { cell: string; items: number; errors: number }[] };
      assert.equal(metrics.itemsIn, admitted, `items in: the flow's count against the answers (${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')})`);
      assert.equal(metrics.itemsOut, metrics.itemsIn, 'every item came out');
      const measure = metrics.cells.find((c) => c.cell === 'measure')!;
      assert.equal(measure.items + measure.errors, metrics.itemsIn, 'the first cell ran or failed each item once');
      assert.ok(requests >= 100, `${requests} requests answered`);
      for (const status of [200, 400, 404, 413, 422, 500]) assert.ok(statuses.get(status)! > 0, `some answers were ${status}: the volleys reached the parser, the flow, its cells and the encoder (${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')})`);
    } finally {
      server.child.kill('SIGTERM');
      assert.equal((await server.done).code, 0, 'and it stops cleanly');
    }
  });
});
