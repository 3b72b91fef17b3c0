/**
 * Which flows are being served from a project: `pipewright serve` leaves a small file in
 * `.pipewright/served/` while it listens (removed when it stops; a killed server's file is
 * ignored once its process is gone), and `pipewright ui` lists them and asks each for its
 * metrics. Only loopback addresses are written or read: the UI never fetches from elsewhere.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from '../process-alive.js';

export interface ServedFlow {
  readonly flow: string;
  /** Where its /metrics.json is, always on a loopback address. */
  readonly url: string;
  readonly file: string;
  readonly pid: number;
  readonly startedAt: number;
}

const LOOPBACK_URL = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+$/;

/** The address a server listening on `host:port` is reached at from this machine. */
export function loopbackUrl(host: string, port: number): string {
  return host === '::1' ? `http://[::1]:${port}` : `http://127.0.0.1:${port}`;
}

/** Registers a served flow; the returned function unregisters it. */
export function registerServed(dir: string, served: ServedFlow): () => void {
  const file = join(dir, `${served.pid}.json`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(served) + '\n');
  } catch {
    // Not being listed by the UI never stops a server.
    return () => {};
  }
  return () => rmSync(file, { force: true });
}

/** The flows served now, by processes that are still there. */
export function listServed(dir: string): ServedFlow[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^\d+\.json$/.test(n));
  } catch {
    return [];
  }
  const found: ServedFlow[] = [];
  for (const name of names) {
    try {
      const served = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Partial<ServedFlow>;
      if (typeof served.flow === 'string' && typeof served.file === 'string' && typeof served.startedAt === 'number' && typeof served.url === 'string'
        && LOOPBACK_URL.test(served.url) && Number.isInteger(served.pid) && `${served.pid}.json` === name && isAlive(served.pid!)) found.push(served as ServedFlow);
    } catch {
      // Half-written or not ours: skipped.
    }
  }
  return found.sort((a, b) => a.startedAt - b.startedAt);
}
