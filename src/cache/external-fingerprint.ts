/**
 * What an external dep looks like now, in place of a content hash: an http(s) resource by its
 * ETag, or Last-Modified and Content-Length (a HEAD request, as DVC checks an http dep). Schemes
 * with no client here (s3, gs, ssh, …) are not checked: their fingerprint never changes, and
 * `status` says so.
 */
import { schemeOf } from '../define/external.js';
import type { ContentHash } from './hash.js';

/** How long a HEAD request may take before the dep counts as unreachable. */
const TIMEOUT_MS = 10_000;

export type ExternalState =
  | { readonly checked: true; readonly hash: ContentHash }
  | { readonly checked: false; readonly hash: ContentHash; readonly why: string };

export async function externalFingerprint(url: string): Promise<ExternalState> {
  const scheme = schemeOf(url);
  if (scheme !== 'http' && scheme !== 'https') {
    return { checked: false, hash: `external:${url}` as ContentHash, why: `no ${scheme}:// client is configured, so it is not checked` };
  }
  let response: Response;
  try {
    response = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new ExternalDepError(`external dep ${url} cannot be reached (${cause?.code ?? cause?.message ?? (err as Error).message}): check the network, or the URL`);
  }
  if (!response.ok) throw new ExternalDepError(`external dep ${url} answered HTTP ${response.status} ${response.statusText}`);
  const etag = response.headers.get('etag');
  const modified = response.headers.get('last-modified');
  const length = response.headers.get('content-length');
  if (!etag && !modified && !length) {
    throw new ExternalDepError(`external dep ${url} gives no ETag, Last-Modified or Content-Length, so a change to it cannot be seen: download it in a stage of its own instead`);
  }
  return { checked: true, hash: `http:${etag ? `etag=${etag}` : `modified=${modified ?? ''};length=${length ?? ''}`}` as ContentHash };
}

/** An external dep whose state cannot be known now: its stage cannot be judged (the rest can). */
export class ExternalDepError extends Error {
  override readonly name = 'ExternalDepError';
}
