/** The headers every UI response carries: no inline script, no framing, no sniffing, no caching. */
import type { ServerResponse } from 'node:http';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

export function secure(response: ServerResponse, extraPolicy = ''): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY + extraPolicy);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  // Runs change while the page is open, and the token must not sit in a shared cache.
  response.setHeader('Cache-Control', 'no-store');
}
