/**
 * Who the UI lets in (src/ui/auth.ts), over HTTP against the real CLI: which Host names a server
 * accepts for each kind of address it is bound to, the session cookie's exact shape, and the
 * cookie found among a browser's other cookies. Written from the survivors of `npm run mutate --
 * src/ui/auth.ts` (see docs/mutation-testing.md).
 */
import { strict as assert } from 'node:assert';
import { connect } from 'node:net';
import { request } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { isLoopback } from '../../src/ui/auth.js';
import { useProjects, type TestProject } from '../helpers/project.js';
import { FILES, rawGet, startUi, type Reply, type RunningUi } from './helpers.js';

const project = useProjects();

/** A GET sent to `address` (what the client connects to) with `host` as the Host header. */
function ask(address: string, port: number, target: string, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: address, port, path: target, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (t: string) => (body += t)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Signs in at `address`, then answers the status of /api/runs for each Host header. */
async function statusByHost(ui: RunningUi, address: string, hosts: string[]): Promise<Record<string, number>> {
  const url = new URL(ui.url);
  const signIn = await ask(address, ui.port, url.pathname + url.search, { host: url.host });
  assert.equal(signIn.status, 303, `sign-in at ${url.host}`);
  const cookie = ([] as string[]).concat(signIn.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
  const out: Record<string, number> = {};
  for (const host of hosts) out[host] = (await ask(address, ui.port, '/api/runs', { host, cookie })).status;
  return out;
}

const external = Object.values(networkInterfaces()).flatMap((l) => l ?? []).filter((i) => !i.internal);
const lanV4 = external.find((i) => i.family === 'IPv4')?.address;
const lanV6 = external.find((i) => i.family === 'IPv6' && !i.address.startsWith('fe80'))?.address;
const warning = /warning: --host \S+ is not loopback/;

describe('pipewright ui: the session cookie', () => {
  let p: TestProject;
  let ui: RunningUi;
  before(async () => {
    p = project(FILES);
    ui = await startUi(p);
  });
  after(async () => {
    await ui?.stop();
  });

  it('is named for the port and set HttpOnly, SameSite=Strict, for the whole site (Path=/)', async () => {
    const url = new URL(ui.url);
    const reply = await rawGet(ui.port, url.pathname + url.search);
    const set = ([] as string[]).concat(reply.headers['set-cookie'] ?? []);
    assert.equal(set.length, 1);
    assert.match(set[0]!, new RegExp(`^pipewright-ui-${ui.port}=[A-Za-z0-9_-]{32}; HttpOnly; SameSite=Strict; Path=/$`));
  });

  it("is found among the browser's other cookies, and only under its own name", async () => {
    const url = new URL(ui.url);
    const pair = ([] as string[]).concat((await rawGet(ui.port, url.pathname + url.search)).headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
    const session = pair.slice(pair.indexOf('=') + 1);
    const status = async (cookie: string) => (await rawGet(ui.port, '/api/runs', { cookie })).status;
    assert.equal(await status(`theme=dark; ${pair}; lang=en`), 200, 'between two others');
    assert.equal(await status(`theme=dark; ${pair}`), 200, 'after another');
    assert.equal(await status(`${pair}; lang=en`), 200, 'before another');
    assert.equal(await status(`theme=${session}; lang=en`), 401, 'the session under another name');
    assert.equal(await status(`pipewright-ui-1=${session}`), 401, "the session under another UI's name");
    assert.equal(await status(`${pair}x`), 401, 'a longer session');
    assert.equal(await status(pair.slice(0, -1)), 401, 'a shorter session');
    assert.equal(await status(`${pair.slice(0, -1)}${pair.endsWith('A') ? 'B' : 'A'}`), 401, 'one character off');
  });

  it('refuses a request with no Host header at all (HTTP/1.0), before the cookie is looked at', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(ui.port, '127.0.0.1', () => socket.end('GET /api/runs HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8').on('data', (t: string) => (text += t)).on('end', () => resolve(text)).on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.[01] 403 /);
  });
});

describe('pipewright ui: which Host names it accepts, by the address it is bound to', () => {
  it('a loopback name (localhost) is also reached as 127.0.0.1 and [::1], with no warning', async () => {
    const ui = await startUi(project(FILES), '--host', 'localhost');
    try {
      assert.match(ui.url, /^http:\/\/localhost:\d+\/\?token=/);
      const port = ui.port;
      assert.deepEqual(await statusByHost(ui, 'localhost', [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `evil.example:${port}`]), {
        [`localhost:${port}`]: 200, [`127.0.0.1:${port}`]: 200, [`[::1]:${port}`]: 200, [`evil.example:${port}`]: 403,
      });
    } finally {
      await ui.stop();
    }
    assert.doesNotMatch(ui.output(), warning);
  });

  it('IPv6 loopback (::1): a bracketed URL, also reached as localhost, with no warning', async () => {
    const ui = await startUi(project(FILES), '--host', '::1');
    try {
      assert.match(ui.url, /^http:\/\/\[::1\]:\d+\/\?token=/);
      const port = ui.port;
      assert.deepEqual(await statusByHost(ui, '::1', [`[::1]:${port}`, `localhost:${port}`, `::1:${port}`]), {
        [`[::1]:${port}`]: 200, [`localhost:${port}`]: 200, [`::1:${port}`]: 403,
      });
    } finally {
      await ui.stop();
    }
    assert.doesNotMatch(ui.output(), warning);
  });

  it('any 127.x.y.z address is loopback: no warning, reached as localhost too', async () => {
    const ui = await startUi(project(FILES), '--host', '127.10.20.30');
    try {
      const port = ui.port;
      assert.deepEqual(await statusByHost(ui, '127.10.20.30', [`127.10.20.30:${port}`, `localhost:${port}`]), {
        [`127.10.20.30:${port}`]: 200, [`localhost:${port}`]: 200,
      });
    } finally {
      await ui.stop();
    }
    assert.doesNotMatch(ui.output(), warning);
  });

  it('a name that only looks like a loopback address is not one', () => {
    for (const host of ['127.0.0.1.evil.example', 'evil127.0.0.1', '127.a.b.c', '128.0.0.1', 'localhost.evil.example']) assert.equal(isLoopback(host), false, host);
    for (const host of ['127.0.0.1', '127.255.10.200', 'localhost', '::1']) assert.equal(isLoopback(host), true, host);
  });

  it("one of this machine's own addresses: that address only, and a warning", { skip: lanV4 === undefined && 'no non-loopback IPv4 address' }, async () => {
    const ui = await startUi(project(FILES), '--host', lanV4!);
    try {
      const port = ui.port;
      assert.deepEqual(await statusByHost(ui, lanV4!, [`${lanV4}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[${lanV4}]:${port}`]), {
        [`${lanV4}:${port}`]: 200, [`localhost:${port}`]: 403, [`127.0.0.1:${port}`]: 403, [`[${lanV4}]:${port}`]: 403,
      });
    } finally {
      await ui.stop();
    }
    assert.match(ui.output(), warning);
  });

  it("one of this machine's own IPv6 addresses: bracketed, that address only", { skip: lanV6 === undefined && 'no global IPv6 address' }, async () => {
    const ui = await startUi(project(FILES), '--host', lanV6!);
    try {
      const port = ui.port;
      assert.equal(ui.url, `http://[${lanV6}]:${port}/?token=${new URL(ui.url).searchParams.get('token')}`);
      assert.deepEqual(await statusByHost(ui, lanV6!, [`[${lanV6}]:${port}`, `localhost:${port}`]), {
        [`[${lanV6}]:${port}`]: 200, [`localhost:${port}`]: 403,
      });
    } finally {
      await ui.stop();
    }
    assert.match(ui.output(), warning);
  });

  it("every address (::): any of this machine's names and addresses, IPv6 ones bracketed, and no other name", async () => {
    const ui = await startUi(project(FILES), '--host', '::');
    try {
      const port = ui.port;
      const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `0.0.0.0:${port}`, `[::]:${port}`, `${hostname()}:${port}`, `::1:${port}`, `evil.example:${port}`];
      const expected = Object.fromEntries(hosts.map((h) => [h, h.startsWith('::1') || h.startsWith('evil') ? 403 : 200]));
      assert.deepEqual(await statusByHost(ui, '127.0.0.1', hosts), expected);
    } finally {
      await ui.stop();
    }
    assert.match(ui.output(), /warning: --host :: is not loopback/);
  });
});
