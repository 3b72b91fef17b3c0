/**
 * Which workspace files the UI may serve. A requested path is taken apart into components and
 * refused when any of them could climb out (`..`, `.`, empty, a backslash, NUL, a drive letter);
 * then the file's real path (symlinks followed) must lie inside the workspace's real path, checked
 * component by component with `relative` — never with `startsWith`, which takes `/work/ws-evil`
 * for a child of `/work/ws`. The same path is never decoded twice, so `%252e` stays a name.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

export type Contained = { readonly ok: true; readonly file: string; readonly size: number } | { readonly ok: false; readonly status: 403 | 404; readonly reason: string };

/** Splits a workspace-relative path (already decoded once) into safe components, or says why not. */
export function safeComponents(path: string): string[] | string {
  if (path.includes('\0')) return 'a NUL byte in the path';
  if (path.includes('\\')) return 'a backslash in the path';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'an absolute path';
  const parts = path.split('/');
  for (const part of parts) {
    if (part === '' || part === '.' || part === '..') return `a "${part || '(empty)'}" path component`;
  }
  return parts;
}

/** True when `child` is `root` or below it; both real, absolute paths. */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  if (rel === '') return true;
  if (isAbsolute(rel)) return false; // another drive on Windows
  return rel.split(sep).every((part) => part !== '..');
}

/**
 * The real path of a regular file at `path` inside `realRoot` (the workspace's real path), or
 * the status to refuse with: 403 for a path that tries to leave, 404 for one that is not there.
 */
export function containedFile(realRoot: string, path: string): Contained {
  const parts = safeComponents(path);
  if (typeof parts === 'string') return { ok: false, status: 403, reason: parts };
  let real: string;
  try {
    real = realpathSync(join(realRoot, ...parts));
  } catch {
    return { ok: false, status: 404, reason: 'no such file' };
  }
  if (!isInside(realRoot, real)) return { ok: false, status: 403, reason: 'the path leads outside the workspace' };
  const stat = statSync(real, { throwIfNoEntry: false });
  if (!stat?.isFile()) return { ok: false, status: 404, reason: 'not a file' };
  return { ok: true, file: real, size: stat.size };
}

/** An absolute path recorded in the store (a log), as a path relative to the workspace, if it is in it. */
export function workspaceRelative(root: string, absolute: string): string | undefined {
  const rel = relative(root, absolute);
  if (rel === '' || isAbsolute(rel) || rel.split(sep).some((p) => p === '..')) return undefined;
  return rel.split(sep).join('/');
}
