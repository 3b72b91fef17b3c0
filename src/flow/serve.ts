/**
 * Serving a flow over HTTP with Fastify. Every request's item goes into one shared run, so items
 * from many clients travel together (a batching cell batches across requests). A full flow
 * answers 503 at once instead of queueing without limit; an item's failure answers 422 and the
 * flow goes on; `close()` stops accepting, lets the requests in flight finish, then stops the
 * clones.
 */
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { PipelineError } from '../errors.js';
import { encodeOutput } from './encode-output.js';
import type { FlowDefinition } from './flow.js';
import { prometheusText } from './metrics.js';
import type { FlowRun, ItemOutcome } from './run.js';

export interface ServeOptions {
  readonly port?: number;
  readonly host?: string;
  /** Largest request body; default 10 MiB. */
  readonly bodyLimit?: number;
}

export interface FlowServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly run: FlowRun;
  /** Stops accepting, finishes the requests in flight, stops the clones. */
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

export async function serveFlow(definition: FlowDefinition, options: ServeOptions = {}): Promise<FlowServer> {
  const { graph } = definition;
  if (graph.sources.length) {
    throw new PipelineError('usage', `flow "${definition.name}" pulls its items from source "${graph.sources[0]}": a served flow takes its items from requests`,
      undefined, 'run it with `pipewright stream FILE`, or serve a flow without a source');
  }
  const run = definition.start({ failStopsFlow: false });
  let draining = false;
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 10 * 1024 * 1024, return503OnClosing: true });
  // Any content type is read as JSON: `curl -d '{"text": "hi"}'` sends form-encoded by default.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (!text.trim()) return done(new HttpError(400, 'the body is empty: send one JSON item'), undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(new HttpError(400, `malformed JSON: ${(err as Error).message}`), undefined);
    }
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, _request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    void reply.code(status).type('application/json').send(JSON.stringify({ error: { message: err.message } }));
  });

  // While draining, each answer closes its connection: a kept-alive socket would hold the
  // shutdown open for Fastify's 72 s keep-alive timeout.
  app.addHook('onSend', async (_request, reply) => {
    if (draining) void reply.header('connection', 'close');
  });

  const sendJson = (reply: FastifyReply, status: number, value: unknown) => reply.code(status).type('application/json').send(JSON.stringify(value ?? null));
  const overloaded = (reply: FastifyReply) => {
    void reply.header('retry-after', '1');
    return sendJson(reply, 503, { error: { message: draining ? 'the server is shutting down' : `the flow is full (${run.metrics().inFlight} items in flight): retry later` } });
  };
  const unavailable = () => draining || run.stoppedBy !== undefined;

  app.post('/', (request, reply) => {
    if (request.body === undefined) throw new HttpError(400, 'send one JSON item');
    if (unavailable()) return overloaded(reply);
    return new Promise<FastifyReply>((resolve) => {
      const seq = run.offer(request.body, (outcome, index) => {
        // Called from inside the flow: whatever goes wrong answers this request, never the flow.
        try {
          resolve(answer(reply, outcome, index));
        } catch (err) {
          resolve(sendJson(reply, 500, { error: { message: `cannot answer: ${(err as Error).message}` } }));
        }
      });
      if (seq === undefined) resolve(overloaded(reply));
    });
  });

  app.post('/batch', async (request, reply) => {
    const items = request.body;
    if (!Array.isArray(items)) throw new HttpError(400, 'send a JSON array of items');
    if (unavailable() || (items.length && !run.hasRoom)) return overloaded(reply);
    // Once the first item is in, the rest wait for room: a batch is not cut in half by a 503.
    const outcomes = await Promise.all(items.map((item) => new Promise<{ o: ItemOutcome; index: number }>((resolve) => {
      run.push(item, (o, index) => resolve({ o, index })).catch((err: Error) => resolve({ o: { kind: 'aborted', error: err }, index: -1 }));
    })));
    if (outcomes.some(({ o }) => o.kind === 'aborted')) return overloaded(reply);
    // Each output encoded on its own: one that cannot be is an error record in its place.
    const parts = outcomes.map(({ o, index }) => {
      if (o.kind !== 'value') return JSON.stringify({ error: (o as Extract<ItemOutcome, { failure: unknown }>).failure });
      const encoded = encodeOutput(graph, index, o.value);
      return encoded.ok ? encoded.text : JSON.stringify({ error: encoded.failure });
    });
    return reply.code(200).type('application/json').send(`[${parts.join(',')}]`);
  });

  app.get('/health', async (_request, reply) => sendJson(reply, draining ? 503 : 200, { status: draining ? 'draining' : 'ok', flow: definition.name, inFlight: run.metrics().inFlight }));

  app.get('/metrics', async (_request, reply) => reply.type('text/plain; version=0.0.4').send(prometheusText(run.metrics())));
  // The same counters as JSON, for `pipewright ui`'s flows page.
  app.get('/metrics.json', async (_request, reply) => sendJson(reply, 200, run.metrics()));

  function answer(reply: FastifyReply, outcome: ItemOutcome, index: number): FastifyReply {
    if (outcome.kind === 'value') {
      const encoded = encodeOutput(graph, index, outcome.value);
      return encoded.ok ? reply.code(200).type('application/json').send(encoded.text) : sendJson(reply, 500, { error: encoded.failure });
    }
    if (outcome.kind === 'aborted') return overloaded(reply);
    return sendJson(reply, 422, { error: { ...outcome.failure, skipped: outcome.kind === 'skipped' || undefined } });
  }

  const address = await app.listen({ port: options.port ?? 8080, host: options.host ?? '127.0.0.1' });
  return {
    url: address,
    app,
    run,
    async close() {
      draining = true;
      await app.close();
      await run.close();
    },
  };
}
