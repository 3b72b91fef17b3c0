/**
 * One writer per workspace: `run` holds `.pipewright/run.lock` (pid, host, start) while it works.
 * A second run is refused with a message naming the holder; a lock left by a process that is no
 * longer running is taken over, with a message.
 */
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
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
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return { release: () => releaseIfMine(file) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(file);
    if (owner && owner.host !== me.host) {
      throw new PipelineError('locked', `the workspace is locked by pipewright on host ${owner.host} (pid ${owner.pid}, since ${owner.started})`,
        { file }, `if that run is gone, delete ${file}`);
    }
    if (owner && isAlive(owner.pid)) {
      throw new PipelineError('locked', `another pipewright run is working in this folder (pid ${owner.pid}, \`${owner.command}\`, since ${owner.started})`,
        undefined, 'wait for it to finish, or stop it; two runs at once would overwrite each other\'s outs');
    }
    notice(owner ? `taking over the lock of pipewright run pid ${owner.pid}, which is no longer running` : 'removing an unreadable workspace lock');
    rmSync(file, { force: true });
  }
  throw new PipelineError('locked', 'could not take the workspace lock: another run took it at the same moment', undefined, 'try again');
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
