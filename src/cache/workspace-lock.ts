/**
 * One writer per workspace: `run` holds `.pipewright/run.lock` (pid, host, start) while it works.
 * A second run is refused with a message naming the holder; a lock left by a process that is no
 * longer running is taken over, with a message.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { PipelineError } from '../errors.js';
import { isAlive } from '../process-alive.js';

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
  readonly command: string;
}

export interface WorkspaceLock {
  release(): void;
}

export function acquireWorkspaceLock(file: string, command: string, notice: (message: string) => void): WorkspaceLock {
  mkdirSync(dirname(file), { recursive: true });
  const me: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 10; attempt++) {
    // Written aside, then linked into place: the lock appears with its owner in it, never empty.
    // (Created empty and then written, another process could read it between the two, take it
    // for an unreadable lock, remove it and take it too: two writers; seen with compiled tasks.)
    const aside = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
    writeFileSync(aside, JSON.stringify(me));
    try {
      createWith(aside, file, me);
      return { release: () => releaseIfMine(file) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(aside, { force: true });
    }
    const seen = readLock(file);
    if (!seen) continue; // released between our try and our look: try again
    const { owner, ino, ageMs } = seen;
    if (owner && owner.host !== me.host) {
      throw new PipelineError('locked', `the workspace is locked by pipewright on host ${owner.host} (pid ${owner.pid}, since ${owner.started})`,
        { file }, `if that run is gone, delete ${file}`);
    }
    if ((owner && isAlive(owner.pid)) || (!owner && ageMs < FRESH_MS)) {
      throw new PipelineError('locked', owner ? `another pipewright run is working in this folder (pid ${owner.pid}, \`${owner.command}\`, since ${owner.started})`
        : 'another pipewright run is taking the workspace lock', undefined, 'wait for it to finish, or stop it; two runs at once would overwrite each other\'s outs');
    }
    // Taken over by moving it aside first: only the file judged stale is removed, never one that
    // another process has put there since.
    const tomb = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      renameSync(file, tomb);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    if (statSync(tomb).ino !== ino) {
      // Another taker replaced it meanwhile with a live lock: give that back.
      try {
        linkSync(tomb, file);
      } catch {
        // Yet another lock is there now; that one stands.
      }
      rmSync(tomb, { force: true });
      continue;
    }
    rmSync(tomb, { force: true });
    notice(owner ? `taking over the lock of pipewright run pid ${owner.pid}, which is no longer running` : 'removing an unreadable workspace lock');
  }
  throw new PipelineError('locked', 'could not take the workspace lock: another run took it at the same moment', undefined, 'try again');
}

/** Creates `file` holding what `aside` holds, or fails with EEXIST; by a hard link where the file system has them. */
function createWith(aside: string, file: string, me: LockOwner): void {
  try {
    linkSync(aside, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
    const fd = openSync(file, 'wx');
    writeSync(fd, JSON.stringify(me));
    closeSync(fd);
  }
}

/** An unreadable lock younger than this may be one being written (a file system without hard links). */
const FRESH_MS = 5000;

/** The lock as it is now: its owner (undefined if unreadable), inode and age; undefined if it is gone. */
function readLock(file: string): { owner: LockOwner | undefined; ino: number; ageMs: number } | undefined {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return undefined;
  return { owner: readOwner(file), ino: stat.ino, ageMs: Date.now() - stat.mtimeMs };
}

function readOwner(file: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/** Whether a process of this host is still there (EPERM: it is, but another user's). */
function releaseIfMine(file: string): void {
  if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
}
