/**
 * The `pipewright ui` server, on node:http: a handful of read-only GET routes need no framework,
 * and seeing the raw request target (before any router decodes or normalises it) is what the
 * path checks of contain.ts rely on. Every request passes, in order: the Host check (DNS
 * rebinding), the token/cookie gate, GET/HEAD only, then a route.
 */
import { closeSync, createReadStream, openSync, readSync, realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, extname, join } from 'node:path';
import { hasSession, hostAllowed, makeGate, sameSecret, sessionCookie, type Gate } from './auth.js';
import { containedFile, workspaceRelative } from './contain.js';
import { secure } from './headers.js';
import { compareRoutes } from './api-compare.js';
import { loadAssets } from './assets.js';
import { HttpError } from './http-error.js';
import { isPipelineError } from '../errors.js';
import { BadQuery, MAX_LIMIT } from './runs-query.js';
import { StoreHandle } from './store-handle.js';
import { streamRunEvents } from './event-stream.js';
import { flowsNow } from './flows.js';
import { IMAGE_TYPES, TEXT_TYPES } from './media-types.js';
import { layout, runFilesDir } from '../layout.js';
import { EVENTS_FILE } from '../store/run-files.js';
import { LogWhereabouts } from './log-whereabouts.js';

export interface UiOptions {
  /** The workspace's real path: files are served from inside it only. */
  readonly root: string;
  /** Where the client bundle (ui-client.js, ui-client.css) is. */
  readonly assets: string;
  readonly host: string;
  readonly port: number;
}

export interface UiServer {
  /** The URL to open, with the token. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

/** Largest log range one request returns; the viewer asks for more. */
export const MAX_LOG_RANGE = 1024 * 1024;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pipewright</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/ui-client.css">
<script type="module" src="/assets/ui-client.js"></script>
</head>
<body><header><a href="#/">pipewright</a><nav><a href="#/">runs</a><a href="#/flows">flows</a></nav></header><main id="app">loading…</main></body>
</html>
`;


/** The request target split by hand: everything from the first `?` or `#` on is not the path. */
function splitTarget(target: string): { path: string; query: URLSearchParams } {
  const cut = target.search(/[?#]/);
  const path = cut < 0 ? target : target.slice(0, cut);
  const query = cut >= 0 && target[cut] === '?' ? new URLSearchParams(target.slice(cut + 1).split('#')[0]) : new URLSearchParams();
  return { path, query };
}

function intParam(query: URLSearchParams, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new HttpError(400, `${name} must be a whole number (0 or more), got "${raw}"`);
  return Math.min(n, max);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(value));
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.statusCode = status;
  response.setHeader('Content-Type', 'text/plain; charset=utf-8');
  response.end(text + '\n');
}

export async function startUi(options: UiOptions): Promise<UiServer> {
  const store = new StoreHandle(options.root);
  // A damaged store fails the command now, with its repair hint, rather than every request later.
  store.get();
  let gate: Gate | undefined;
  const assets = loadAssets(options.assets);
  const compare = compareRoutes(options.root, store);

  const server = createServer((request, response) => {
    secure(response);
    try {
      // The gate needs the port, known once listening; nothing connects before that.
      if (!gate) throw new HttpError(503, 'starting up');
      handle(gate, request, response);
    } catch (err) {
      fail(response, err);
    }
  });

  function fail(response: ServerResponse, err: unknown): void {
    if (err instanceof HttpError) sendText(response, err.status, err.message);
    else if (err instanceof BadQuery) sendText(response, 400, err.message);
    else if (isPipelineError(err)) sendText(response, 500, err.hint ? `${err.message}\n${err.hint}` : err.message);
    else {
      process.stderr.write(`pipewright ui: ${(err as Error).stack ?? String(err)}\n`);
      if (!response.headersSent) sendText(response, 500, 'internal error (see the terminal running pipewright ui)');
      else response.destroy();
    }
  }

  function handle(gate: Gate, request: IncomingMessage, response: ServerResponse): void {
    if (!hostAllowed(gate, request)) throw new HttpError(403, `Host "${request.headers.host ?? ''}" is not this server's address`);
    const { path, query } = splitTarget(request.url ?? '/');
    const token = query.get('token');
    if (token !== null) {
      if (!sameSecret(token, gate.token)) throw new HttpError(401, 'wrong token: open the URL that `pipewright ui` printed');
      // Trade the token for the cookie, and drop it from the address bar and history.
      response.statusCode = 303;
      response.setHeader('Set-Cookie', sessionCookie(gate));
      // Always to the page itself: echoing the path back would let `/\evil.example` redirect away.
      response.setHeader('Location', '/');
      response.end();
      return;
    }
    if (!hasSession(gate, request)) throw new HttpError(401, 'not signed in: open the URL with the token that `pipewright ui` printed');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      throw new HttpError(405, 'the UI is read-only: GET and HEAD only');
    }
    route(path, query, response);
  }

  function route(path: string, query: URLSearchParams, response: ServerResponse): void {
    if (path === '/') {
      response.setHeader('Content-Type', 'text/html; charset=utf-8');
      response.end(PAGE);
      return;
    }
    if (path.startsWith('/assets/')) {
      const asset = assets.get(path.slice('/assets/'.length));
      if (!asset) throw new HttpError(404, 'no such asset');
      response.setHeader('Content-Type', asset.type);
      response.end(asset.body);
      return;
    }
    if (path === '/api/runs') return sendJson(response, 200, runsPage(query));
    if (path === '/api/flows') return void flowsNow(layout(options.root).served).then((flows) => sendJson(response, 200, flows), (err: unknown) => fail(response, err));
    const answer = compare(path, query);
    if (answer) return void answer.then((value) => sendJson(response, 200, value), (err: unknown) => fail(response, err));
    let match = /^\/api\/runs\/(\d+)$/.exec(path);
    if (match) return sendJson(response, 200, runDetail(Number(match[1])));
    match = /^\/api\/runs\/(\d+)\/events$/.exec(path);
    if (match) return followRun(Number(match[1]), response);
    match = /^\/api\/runs\/(\d+)\/instances\/([^/]+)\/log$/.exec(path);
    if (match) return sendJson(response, 200, logRange(Number(match[1]), decodeOnce(match[2]!), query));
    if (path.startsWith('/files/')) return sendFile(decodeOnce(path.slice('/files/'.length)), response);
    throw new HttpError(404, `no page ${path}`);
  }

  function runsPage(query: URLSearchParams) {
    const page = {
      offset: intParam(query, 'offset', 0),
      limit: Math.max(1, intParam(query, 'limit', 50, MAX_LIMIT)),
      sort: query.get('sort') || '-id',
      ...(query.get('q') ? { q: query.get('q')! } : {}),
      ...(query.get('status') ? { status: query.get('status')! } : {}),
    };
    const opened = store.get();
    if (!opened) return { total: 0, offset: page.offset, limit: page.limit, sort: page.sort, rows: [], paramKeys: [], metricKeys: [] };
    return opened.queries.page(page);
  }

  function runOf(id: number) {
    const opened = store.get();
    const run = opened?.store.run(id);
    if (!opened || !run) throw new HttpError(404, `no run #${id}`);
    return { run, store: opened.store };
  }

  function runDetail(id: number) {
    const { run, store: runs } = runOf(id);
    const instances = runs.instances(id).map(({ logPath, ...instance }) => {
      const log = logPath === undefined ? undefined : logInWorkspace(options.root, logPath);
      return { ...instance, ...(log === undefined ? {} : { log }) };
    });
    return { run, instances };
  }

  function followRun(id: number, response: ServerResponse): void {
    runOf(id);
    const file = join(runFilesDir(layout(options.root).state, id), EVENTS_FILE);
    streamRunEvents(response, { file, running: () => store.get()?.store.run(id)?.status === 'running' });
  }

  /**
   * Where an instance's log is: recorded once it finished; while it runs, the file its output is
   * going to (a pooled shell's scratch file, or the log itself), as its events said.
   */
  function logPathOf(id: number, name: string): { logPath?: string; live: boolean } {
    const { run, store: runs } = runOf(id);
    const recorded = runs.instance(id, name);
    if (recorded) return { ...(recorded.logPath === undefined ? {} : { logPath: recorded.logPath }), live: false };
    const where = whereabouts(id);
    const started = where.logOf.get(name);
    if (started === undefined) throw new HttpError(404, `run #${id} has no instance "${name}"`);
    const ended = where.ended.has(name);
    // A run that stopped without a word on this instance (killed) is not followed any more; what
    // its command wrote is still where it was writing.
    const live = run.status === 'running' && !ended;
    const going = where.writingTo.get(name);
    return { logPath: !ended && going !== undefined ? going : started, live };
  }

  /** Each run's log whereabouts, read on as its events grow; the few runs looked at lately. */
  const known = new Map<number, LogWhereabouts>();
  function whereabouts(id: number): LogWhereabouts {
    let where = known.get(id);
    if (!where) {
      if (known.size >= 16) known.delete(known.keys().next().value!);
      where = new LogWhereabouts(join(runFilesDir(layout(options.root).state, id), EVENTS_FILE));
      known.set(id, where);
    }
    return where.refresh();
  }

  function logRange(id: number, name: string, query: URLSearchParams) {
    const { logPath, live } = logPathOf(id, name);
    const rel = logPath === undefined ? undefined : logInWorkspace(options.root, logPath);
    if (rel === undefined) throw new HttpError(404, `"${name}" has no log in this workspace`);
    const found = containedFile(options.root, rel);
    // A running stage that has printed nothing yet: an empty log, to be asked again.
    if (!found.ok && found.status === 404 && live) return { instance: name, path: rel, size: 0, from: 0, to: 0, text: '' };
    if (!found.ok) throw new HttpError(found.status, `log of "${name}": ${found.reason}`);
    // Without a range, the tail: what a reader of a log wants first.
    const to = Math.min(intParam(query, 'to', found.size), found.size);
    const from = Math.min(intParam(query, 'from', Math.max(0, to - 64 * 1024)), to);
    const length = Math.min(to - from, MAX_LOG_RANGE);
    const bytes = Buffer.alloc(length);
    const fd = openSync(found.file, 'r');
    try {
      readSync(fd, bytes, 0, length, from);
    } finally {
      closeSync(fd);
    }
    // Whole characters only: a range asked for byte by byte may cut one, and a file being written
    // may end inside one; the range answered says where it really starts and ends.
    const { start, end } = wholeCharacters(bytes, from > 0);
    return { instance: name, path: rel, size: found.size, from: from + start, to: from + end, text: bytes.subarray(start, end).toString('utf8') };
  }

  function sendFile(path: string, response: ServerResponse): void {
    const found = containedFile(options.root, path);
    if (!found.ok) throw new HttpError(found.status, found.reason);
    const ext = extname(found.file).toLowerCase();
    response.setHeader('Content-Type', TEXT_TYPES.has(ext) ? 'text/plain; charset=utf-8' : IMAGE_TYPES[ext] ?? 'application/octet-stream');
    // A served file is data, never a page that runs script with the UI's cookie.
    secure(response, '; sandbox');
    response.setHeader('Content-Length', found.size);
    createReadStream(found.file).on('error', () => response.destroy()).pipe(response);
  }

  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host, () => ready());
  });
  const port = (server.address() as AddressInfo).port;
  gate = makeGate(options.host, port);
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostPart}:${port}/?token=${gate.token}`,
    port,
    server,
    close: () => new Promise<void>((done) => {
      store.close();
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}

/**
 * A recorded log path relative to the workspace: the run recorded it under the path it was
 * started in, which may reach the workspace through a symlink (its real path is the root here).
 */
function logInWorkspace(root: string, logPath: string): string | undefined {
  const direct = workspaceRelative(root, logPath);
  if (direct !== undefined) return direct;
  try {
    return workspaceRelative(root, join(realpathSync(dirname(logPath)), basename(logPath)));
  } catch {
    return undefined;
  }
}

/** One percent-decoding, no more: `%252e` must stay the name `%2e`, not become `.`. */
function decodeOnce(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HttpError(400, 'a malformed %-escape in the path');
  }
}

/**
 * The part of `bytes` that holds whole UTF-8 characters: continuation bytes at the start (when the
 * range starts inside the file) and an unfinished character at the end are left out.
 */
export function wholeCharacters(bytes: Buffer, cutStart: boolean): { start: number; end: number } {
  const continuation = (b: number) => (b & 0xc0) === 0x80;
  let start = 0;
  while (cutStart && start < Math.min(3, bytes.length) && continuation(bytes[start]!)) start++;
  let end = bytes.length;
  let back = end - 1;
  while (back > start && end - back < 4 && continuation(bytes[back]!)) back--;
  const lead = bytes[back];
  if (back >= start && lead !== undefined && lead >= 0xc0) {
    const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (end - back < length) end = back;
  }
  return { start, end };
}
