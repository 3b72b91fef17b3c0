/**
 * Who may talk to the UI (Jupyter's model): a random token printed once in the URL is exchanged
 * for an HttpOnly, SameSite=Strict session cookie; anything without the cookie gets 401. The Host
 * header must name the address the server is bound to, so a page on another site that rebinds its
 * DNS name to 127.0.0.1 (DNS rebinding) is refused before the cookie is even looked at.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';

export interface Gate {
  readonly token: string;
  /** The cookie's name: cookies are not scoped by port, so two UIs on one host must not share one. */
  readonly cookieName: string;
  readonly session: string;
  readonly allowedHosts: ReadonlySet<string>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

const WILDCARD = new Set(['0.0.0.0', '::']);

function machineNames(): string[] {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => list ?? []).map((i) => (i.family === 'IPv6' ? `[${i.address}]` : i.address));
  return ['localhost', hostname(), '0.0.0.0', '[::]', ...addresses];
}

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function makeGate(host: string, port: number): Gate {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const allowed = new Set([`${hostPart}:${port}`]);
  // A loopback address is also reached as localhost (what a browser user types); a wildcard
  // address (0.0.0.0, ::) as any of this machine's own names and addresses, and no other name.
  const names = isLoopback(host) ? ['127.0.0.1', 'localhost', '[::1]'] : WILDCARD.has(host) ? machineNames() : [];
  for (const name of names) allowed.add(`${name.toLowerCase()}:${port}`);
  return {
    token: randomBytes(24).toString('base64url'),
    cookieName: `pipewright-ui-${port}`,
    session: randomBytes(24).toString('base64url'),
    allowedHosts: allowed,
  };
}

export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function hostAllowed(gate: Gate, request: IncomingMessage): boolean {
  const host = request.headers.host;
  return host !== undefined && gate.allowedHosts.has(host.toLowerCase());
}

export function cookieOf(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function hasSession(gate: Gate, request: IncomingMessage): boolean {
  return sameSecret(cookieOf(request, gate.cookieName), gate.session);
}

export function sessionCookie(gate: Gate): string {
  return `${gate.cookieName}=${gate.session}; HttpOnly; SameSite=Strict; Path=/`;
}
