/**
 * Where a remote is: a folder (a path, or a file:// URL; the NFS case) or an S3 bucket and prefix
 * (s3://bucket/prefix, with an endpoint for MinIO and other S3-compatible stores). Parsed once
 * here, so that `remote add` refuses what no command could later use.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipelineError } from '../errors.js';

export type RemoteLocation =
  | { readonly kind: 'folder'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string; readonly endpoint?: string; readonly region?: string };

/** A remote as the config file declares it. */
export interface RemoteSpec {
  readonly url: string;
  readonly endpoint?: string;
  readonly region?: string;
}

export const REMOTE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const KINDS = 'a folder path (/mnt/shared/cache, ../cache), a file:// URL, or s3://bucket/prefix';

/**
 * The location a spec names. Relative folder paths are relative to the project root (where the
 * config file is), as DVC reads relative paths in .dvc/config.
 */
export function locate(spec: RemoteSpec, root: string): RemoteLocation {
  const problem = checkSpec(spec);
  if (problem) throw new PipelineError('remote', problem.message, undefined, problem.hint);
  const { url } = spec;
  if (url.startsWith('s3://')) {
    const rest = url.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    const prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
    return { kind: 's3', bucket, prefix, ...(spec.endpoint ? { endpoint: spec.endpoint } : {}), ...(spec.region ? { region: spec.region } : {}) };
  }
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return { kind: 'folder', path: isAbsolute(path) ? path : resolve(root, path) };
}

/** What is wrong with a spec, if anything: for `remote add` and for the config file's schema. */
export function checkSpec(spec: RemoteSpec): { message: string; hint: string } | undefined {
  const { url, endpoint } = spec;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (url.trim() === '') return { message: 'the remote URL is empty', hint: `give ${KINDS}` };
  if (scheme === 's3') {
    const bucket = url.slice('s3://'.length).split('/')[0]!;
    // S3's bucket naming rules: 3–63 lower-case letters, digits, dots and hyphens.
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      return { message: `"${url}" names no valid S3 bucket${bucket ? ` ("${bucket}")` : ''}`, hint: 'write s3://bucket/prefix; a bucket name is 3 to 63 lower-case letters, digits, dots and hyphens' };
    }
    if (url.startsWith('S3://')) return { message: `"${url}": write the scheme in lower case (s3://)`, hint: `give ${KINDS}` };
  } else if (scheme === 'file') {
    try {
      fileURLToPath(url);
    } catch (err) {
      return { message: `"${url}" is not a usable file:// URL (${(err as Error).message})`, hint: 'write file:///absolute/path' };
    }
  } else if (scheme !== undefined) {
    return { message: `remotes of kind "${scheme}://" are not supported ("${url}")`, hint: `give ${KINDS}` };
  }
  if (endpoint !== undefined) {
    if (scheme !== 's3') return { message: `--endpoint is for s3:// remotes only, not "${url}"`, hint: 'remove the endpoint, or give an s3:// URL' };
    let parsed: URL | undefined;
    try {
      parsed = new URL(endpoint);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      return { message: `endpoint "${endpoint}" is not an http:// or https:// URL`, hint: 'e.g. --endpoint http://minio.internal:9000' };
    }
  }
  return undefined;
}

/** How a location is shown to a person. */
export function describeLocation(location: RemoteLocation): string {
  if (location.kind === 'folder') return location.path;
  const base = `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ''}`;
  return location.endpoint ? `${base} at ${location.endpoint}` : base;
}
