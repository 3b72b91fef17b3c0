/**
 * One writer per workspace: `run` holds `.pipewright/run.lock` (pid, host, start, lease) while it
 * works. A second run is refused with a message naming the holder; a lock left by a process that
 * is no longer running is taken over, with a message.
 *
 * The lock is a lease. Its holder renews it (rewrites it in place, which moves its mtime) every
 * lease/6 while alive. A lock of this host is judged by its pid, at once; a lock of another host
 * (a compiled task's pod on a shared volume) cannot be, so it is taken over once it has gone a
 * whole lease without renewal: a killed pod stalls the others for a lease, not for good.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { PipelineError } from '../errors.js';
import { isAlive } from '../process-alive.js';

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
  readonly command: string;
  /** How long the holder may go without renewing before another host takes the lock (absent in locks of older versions). */
  readonly leaseMs?: number;
  /** Random: tells this holder's lock from a later one of the same pid (pods of a cluster all have small pids). */
  readonly token?: string;
}

export interface WorkspaceLock {
  release(): void;
}

/**
 * 60 s: a crashed pod's lock holds the other tasks back for about a minute; a live holder renews
 * six times per lease, so it would have to miss five renewals in a row (a stalled network file
 * system) to lose it.
 */
export const DEFAULT_LEASE_MS = 60_000;
const RENEWALS_PER_LEASE = 6;
export const LEASE_ENV = 'PIPEWRIGHT_LOCK_LEASE_MS';

/**
 * Takes the workspace lock for `command`, or throws (exit 2) naming its live holder. `onLost` is
 * called once if the lock is taken over or removed while held: a run stops then, rather than write
 * beside another.
 */
export function acquireWorkspaceLock(file: string, command: string, notice: (message: string) => void, onLost?: () => void): WorkspaceLock {
  mkdirSync(dirname(file), { recursive: true });
  const lease = leaseFromEnv();
  const me: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command, leaseMs: lease, token: randomBytes(8).toString('hex') };
  const text = JSON.stringify(me);
  for (let attempt = 0; attempt < 10; attempt++) {
    // Written aside, then linked into place: the lock appears with its owner in it, never empty.
    // (Created empty and then written, another process could read it between the two, take it
    // for an unreadable lock, remove it and take it too: two writers; seen with compiled tasks.)
    const aside = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
    writeFileSync(aside, text);
    // The file system's clock, not ours: the lock's mtime was set by it too (on NFS, by the
    // server), so a host whose clock is off neither steals a live lock nor keeps a dead one.
    const now = statSync(aside).mtimeMs;
    try {
      createWith(aside, file, text);
      return holdLease(file, text, lease, notice, onLost);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(aside, { force: true });
    }
    const seen = readLock(file);
    if (!seen) continue; // released between our try and our look: try again
    const takeover = judge(seen, me, now, lease, file);
    if (!moveAside(file, seen)) continue;
    notice(takeover);
  }
  throw new PipelineError('locked', 'could not take the workspace lock: another run took it at the same moment', undefined, 'try again');
}

/** The lease length: PIPEWRIGHT_LOCK_LEASE_MS (milliseconds) or 60 s. */
function leaseFromEnv(): number {
  const value = process.env[LEASE_ENV];
  if (value === undefined || value === '') return DEFAULT_LEASE_MS;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) throw new PipelineError('usage', `${LEASE_ENV} must be a whole number of milliseconds above 0, got "${value}"`);
  return ms;
}

/** Creates `file` holding `text` (what `aside` holds), or fails with EEXIST; by a hard link where the file system has them. */
function createWith(aside: string, file: string, text: string): void {
  try {
    linkSync(aside, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
    const fd = openSync(file, 'wx');
    writeSync(fd, text);
    closeSync(fd);
  }
}

/** An unreadable lock younger than this may be one being written (a file system without hard links). */
const FRESH_MS = 5000;

interface SeenLock {
  readonly text: string;
  /** Undefined if unreadable. */
  readonly owner: LockOwner | undefined;
  readonly ino: number;
  /** When it was last renewed (or written), by the file system's clock. */
  readonly mtimeMs: number;
}

/**
 * The lock as it is now, or undefined if it is gone. Read through one open file: its text and
 * times belong together, and opening it asks an NFS server afresh (close-to-open), where a plain
 * stat may answer from attributes cached for up to a minute.
 */
function readLock(file: string): SeenLock | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const text = readFileSync(fd, 'utf8');
    const stat = fstatSync(fd);
    return { text, owner: parseOwner(text), ino: stat.ino, mtimeMs: stat.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    return JSON.parse(text) as LockOwner;
  } catch {
    return undefined;
  }
}

/** Throws the refusal if the lock stands; else returns the notice of taking it over. */
function judge(seen: SeenLock, me: LockOwner, now: number, lease: number, file: string): string {
  const { owner } = seen;
  const age = Math.max(0, now - seen.mtimeMs);
  if (!owner) {
    if (age < FRESH_MS) throw new PipelineError('locked', 'another pipewright run is taking the workspace lock', undefined, WAIT_HINT);
    return 'removing an unreadable workspace lock';
  }
  if (owner.host === me.host) {
    // Same host: the pid answers at once, whatever the lease says.
    if (isAlive(owner.pid)) {
      throw new PipelineError('locked', `another pipewright run is working in this folder (pid ${owner.pid}, \`${owner.command}\`, since ${owner.started})`, undefined, WAIT_HINT);
    }
    return `taking over the lock of pipewright run pid ${owner.pid}, which is no longer running`;
  }
  // The holder's own lease: it promised to renew within it, whatever ours is.
  const ownerLease = validLease(owner.leaseMs) ?? lease;
  if (age <= ownerLease) {
    throw new PipelineError('locked', `the workspace is locked by pipewright on host ${owner.host} (pid ${owner.pid}, \`${owner.command}\`, since ${owner.started}), `
      + `last renewed ${duration(age)} ago; it is taken over if not renewed in the next ${duration(ownerLease - age)}`,
      { file }, `wait for it to finish; if that run was killed, its lock is taken over once it goes ${duration(ownerLease)} without renewal`);
  }
  return `taking over the workspace lock of pipewright on host ${owner.host} (pid ${owner.pid}, \`${owner.command}\`), `
    + `last renewed ${duration(age)} ago, longer than its lease of ${duration(ownerLease)}, so taken for a run that is gone`;
}

const WAIT_HINT = 'wait for it to finish, or stop it; two runs at once would overwrite each other\'s outs';

function validLease(ms: unknown): number | undefined {
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

function duration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/**
 * Removes the lock judged stale, by moving it aside first: only that file is removed, never one
 * that another process has put there since, nor the judged one if its holder renewed it meanwhile.
 * False when it was not ours to remove (gone, replaced or renewed): look again.
 */
function moveAside(file: string, judged: SeenLock): boolean {
  const tomb = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(file, tomb);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  const moved = readLock(tomb);
  const same = moved !== undefined && moved.ino === judged.ino && moved.text === judged.text && moved.mtimeMs === judged.mtimeMs;
  if (!same) {
    // Another taker's lock, or the holder renewed it after all: give it back.
    try {
      linkSync(tomb, file);
    } catch {
      // Yet another lock is there now; that one stands.
    }
  }
  rmSync(tomb, { force: true });
  return same;
}

/**
 * Holds the lock: renews it every lease/6 until released. A holder whose lock was taken over (it
 * went a lease without renewal: a stalled volume) or removed by hand says so once and stops
 * renewing; it never writes or removes the lock that is there now.
 */
function holdLease(file: string, text: string, lease: number, notice: (message: string) => void, onLost?: () => void): WorkspaceLock {
  let lost = false;
  let failing = false;
  const loseIt = (now: LockOwner | undefined, whileHeld: boolean) => {
    lost = true;
    clearInterval(timer);
    const consequence = whileHeld && onLost ? 'this run stops, as another may be writing in this workspace' : 'another may be writing in this workspace';
    notice(now ? `the workspace lock was taken over by pipewright on host ${now.host} (pid ${now.pid}, \`${now.command}\`) after this run went ${duration(lease)} without renewing it; `
      + `this run no longer holds it: ${consequence}`
      : `the workspace lock was removed while this run held it: ${consequence}`);
    if (whileHeld) onLost?.();
  };
  const timer = setInterval(() => {
    try {
      const other = renew(file, text);
      if (other !== 'renewed') loseIt(other.owner, true);
      failing = false;
    } catch (err) {
      // A passing file system error: tried again at the next renewal, said once.
      if (!failing) notice(`could not renew the workspace lock (${(err as Error).message}); trying again`);
      failing = true;
    }
  }, lease / RENEWALS_PER_LEASE);
  timer.unref(); // a renewal never keeps a finished process alive
  return {
    release: () => {
      clearInterval(timer);
      if (lost) return;
      const now = readLock(file);
      if (now?.text === text) rmSync(file, { force: true });
      else loseIt(now?.owner, false);
    },
  };
}

/**
 * Rewrites the lock in place with the same bytes, if it is still ours: its mtime moves and its
 * text never changes, so a reader never sees it empty or half written. Else what is there now.
 */
function renew(file: string, text: string): 'renewed' | { owner: LockOwner | undefined } {
  let fd: number;
  try {
    fd = openSync(file, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { owner: undefined };
    throw err;
  }
  try {
    const there = readFileSync(fd, 'utf8');
    if (there !== text) return { owner: parseOwner(there) };
    const bytes = Buffer.from(text);
    writeSync(fd, bytes, 0, bytes.length, 0);
    return 'renewed';
  } finally {
    closeSync(fd);
  }
}
