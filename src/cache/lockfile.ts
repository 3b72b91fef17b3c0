/**
 * `pipewright.lock`: what was observed when each stage instance last ran — its fingerprint and
 * the parts it was made from, and the hashes of its outs. YAML with sorted keys, meant to be
 * committed; written aside and renamed after every finished instance.
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import jsYaml from 'js-yaml';
import { LOCKFILE, layout } from '../layout.js';
import type { Params } from '../define/declaration.js';
import type { ContentHash, FileHash, ValueHash } from './hash.js';
import { setOwn } from '../define/interpolate.js';


export interface LockedPath {
  readonly path: string;
  readonly hash: ContentHash;
}

export interface LockedOut extends LockedPath {
  readonly size: number;
  /** Files in a folder out; absent for a file. */
  readonly files?: number;
  /** False for `cache: false` outs: tracked, not stored. */
  readonly cache: boolean;
}

/** What a stage's code was: its command, or its TS source files. */
export type CodeIdentity =
  | { readonly cmd: string; readonly template: string }
  | { readonly fn: FileHash; readonly files: Readonly<Record<string, FileHash>> };

export interface LockEntry {
  readonly fingerprint: ValueHash;
  readonly code: CodeIdentity;
  readonly params: Params;
  /** Deps and inputs, by path. */
  readonly deps: readonly LockedPath[];
  readonly outs: readonly LockedOut[];
  /** Metrics a TS stage returned without a metrics file to keep them in: remembered here. */
  readonly metrics?: Readonly<Record<string, unknown>>;
}

export interface Lockfile {
  readonly version: 1;
  readonly stages: Readonly<Record<string, LockEntry>>;
}

export type LockWarning = (message: string) => void;

/**
 * A JSON copy of the lockfile's entries beside the state, tagged with the lockfile's size, mtime
 * and inode: reading it is a fraction of parsing the YAML, and it is used only while it matches.
 */
interface LockSnapshot {
  readonly stamp: string;
  readonly stages: Record<string, LockEntry>;
}

function stampOf(file: string): string | undefined {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.size}:${s.mtimeNs}:${s.ino}`;
  } catch {
    return undefined;
  }
}

export function readLockfile(root: string, warn: LockWarning): Record<string, LockEntry> {
  return readLockfileForWriting(root, warn).entries;
}

/**
 * What the lockfile says, and, when it was read from its JSON snapshot, where its own text can be
 * reused: `pipewright.lock` as it is on disk holds, for every entry not in the journal, the very
 * text the writer would produce for it again.
 */
export interface ReadLock {
  readonly entries: Record<string, LockEntry>;
  readonly reusable?: ReusableText;
}

/** The lockfile's stamp when read, and the entries whose text it holds as written. */
interface ReusableText {
  readonly stamp: string;
  readonly names: ReadonlySet<string>;
}

export function readLockfileForWriting(root: string, warn: LockWarning): ReadLock {
  const itself = readLockfileItself(root, warn);
  const journal = readJournal(root);
  const entries = { ...itself.entries, ...journal };
  if (!itself.stamp) return { entries };
  const names = new Set(Object.keys(itself.entries));
  for (const name of Object.keys(journal)) names.delete(name);
  return { entries, reusable: { stamp: itself.stamp, names } };
}

/** `stamp` when the entries came from the snapshot of the lockfile with that stamp. */
function readLockfileItself(root: string, warn: LockWarning): { entries: Record<string, LockEntry>; stamp?: string } {
  const file = join(root, LOCKFILE);
  const stamp = stampOf(file);
  if (stamp === undefined) return { entries: {} };
  try {
    const snapshot = JSON.parse(readFileSync(layout(root).lockSnapshot, 'utf8')) as LockSnapshot;
    if (snapshot.stamp === stamp) return { entries: snapshot.stages, stamp };
  } catch {
    // no snapshot, or a stale one: read the lockfile itself
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { entries: {} };
  }
  try {
    const data = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA }) as Partial<Lockfile> | null;
    if (!data || data.version !== 1 || typeof data.stages !== 'object' || data.stages === null) throw new Error('not a version 1 lockfile');
    return { entries: { ...data.stages } };
  } catch (err) {
    // A corrupt lockfile is a miss for every stage, never a reason to trust anything.
    warn(`${LOCKFILE} is unreadable (${(err as Error).message.split('\n')[0]}); every stage is treated as never run`);
    return { entries: {} };
  }
}

/**
 * Each entry's text in a lockfile this writer wrote (`version: 1`, `stages:`, then every entry as
 * a block whose first line alone is indented by exactly two spaces), by stage name. Only an entry
 * whose block opens with its own name, unquoted, is taken: anything else is dumped afresh.
 */
export function entryTexts(text: string, names: ReadonlySet<string>): Map<string, string> {
  const texts = new Map<string, string>();
  const header = 'version: 1\nstages:\n';
  if (!text.startsWith(header)) return texts;
  let start = header.length;
  while (start < text.length) {
    let end = text.indexOf('\n  ', start);
    while (end !== -1 && text.charCodeAt(end + 3) === 32) end = text.indexOf('\n  ', end + 1);
    end = end === -1 ? text.length : end + 1;
    const block = text.slice(start, end);
    const colon = block.indexOf(':');
    const name = block.slice(2, colon);
    if (colon > 2 && names.has(name) && block.charCodeAt(colon + 1) === 10 && /^[\w@=.,/+-]+$/.test(name)) texts.set(name, block);
    start = end;
  }
  return texts;
}

/**
 * Entries a run recorded after the lockfile was last rewritten (a run that was killed). A line
 * cut short by the kill does not parse and is ignored: that instance simply runs again.
 */
function readJournal(root: string): Record<string, LockEntry> {
  let text: string;
  try {
    text = readFileSync(layout(root).lockJournal, 'utf8');
  } catch {
    return {};
  }
  const entries: Record<string, LockEntry> = {};
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const { stage, entry } = JSON.parse(line) as { stage: string; entry: LockEntry };
      setOwn(entries, stage, entry);
    } catch {
      // the torn last line of a killed run
    }
  }
  return entries;
}

/**
 * Keeps the lockfile's entries. Every finished instance is appended to a journal at once (one
 * small write, so a kill loses nothing finished); `pipewright.lock` itself is rewritten,
 * atomically, at most every `REWRITE_INTERVAL_MS` (and never taking more than a
 * `1 / REWRITE_SHARE` of the run's time: a rewrite costs in proportion to the whole lockfile, so a
 * fixed interval made a 100,000-instance sweep quadratic), and when the run ends. Rewriting a
 * 1,000-stage lockfile after each of 1,000 stages would cost more than the stages.
 *
 * Each entry's YAML is made once and kept; an entry the lockfile on disk already holds as written
 * (read through its snapshot) keeps that text, so a run that changes a few entries of a thousand
 * dumps only those (a thousand dumps took ~60 ms).
 */
export class LockfileWriter {
  /** A Map: defining the thousandth own property of an object copies its shape each time (3% of a 1,000-stage run). */
  private readonly entries: Map<string, LockEntry>;
  private readonly texts = new Map<string, string>();
  /** The lockfile on disk as read, whose texts are taken at the first rewrite. */
  private reusable: { stamp: string; names: Set<string> } | undefined;
  private journal: number | undefined;
  private pending = false;
  private lastWrite = 0;
  private interval = REWRITE_INTERVAL_MS;
  private timer: NodeJS.Timeout | undefined;
  /** The lockfile was rewritten since its snapshot was. */
  private snapshotStale = false;

  constructor(private readonly root: string, read: ReadLock) {
    this.entries = new Map(Object.entries(read.entries));
    this.reusable = read.reusable ? { stamp: read.reusable.stamp, names: new Set(read.reusable.names) } : undefined;
  }

  /** A stage named `constructor` or `toString` has no entry until it has one of its own. */
  get(stage: string): LockEntry | undefined {
    return this.entries.get(stage);
  }

  set(stage: string, entry: LockEntry): void {
    this.entries.set(stage, entry);
    this.texts.delete(stage);
    this.reusable?.names.delete(stage);
    if (this.journal === undefined) {
      mkdirSync(dirname(layout(this.root).lockJournal), { recursive: true });
      this.journal = openSync(layout(this.root).lockJournal, 'a');
    }
    writeSync(this.journal, JSON.stringify({ stage, entry }) + '\n');
    this.pending = true;
    const wait = this.lastWrite + this.interval - Date.now();
    if (wait <= 0) this.flush(false);
    else this.timer ??= setTimeout(() => this.flush(false), wait).unref();
  }

  all(): ReadonlyMap<string, LockEntry> {
    return this.entries;
  }

  /**
   * Rewrites pipewright.lock now, then empties the journal; with `snapshot` (at the end of the
   * run) its JSON snapshot too. A rewrite in between leaves the snapshot stale, which its stamp
   * tells: a run killed after it reads the YAML once.
   */
  flush(snapshot = true): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const file = join(this.root, LOCKFILE);
    if (!this.pending) {
      if (snapshot && this.snapshotStale) this.writeSnapshot(file);
      return;
    }
    const t0 = Date.now();
    this.pending = false;
    this.takeReusableTexts(file);
    const names = [...this.entries.keys()].sort();
    const texts = this.texts;
    const entries = this.entries;
    // Written in parts: the whole of a 100,000-entry lockfile as one string (and once more with
    // its header) was 50 MB more at the peak of a sweep's last rewrite.
    writeAside(file, (function* () {
      yield names.length ? 'version: 1\nstages:\n' : 'version: 1\nstages: {}\n';
      for (const name of names) {
        let text = texts.get(name);
        if (text === undefined) {
          text = dumpEntry(name, entries.get(name)!);
          texts.set(name, text);
        }
        yield text;
      }
    })());
    this.snapshotStale = true;
    if (snapshot) this.writeSnapshot(file);
    // Only now is everything in the journal also in the lockfile.
    if (this.journal !== undefined) ftruncateSync(this.journal, 0);
    this.lastWrite = Date.now();
    this.interval = Math.max(REWRITE_INTERVAL_MS, (this.lastWrite - t0) * REWRITE_SHARE);
  }

  /** The JSON of a LockSnapshot, an entry at a time. */
  private writeSnapshot(file: string): void {
    const entries = this.entries;
    const stamp = stampOf(file)!;
    writeAside(layout(this.root).lockSnapshot, (function* () {
      yield `{"stamp":${JSON.stringify(stamp)},"stages":{`;
      let first = true;
      for (const [name, entry] of entries) {
        yield `${first ? '' : ','}${JSON.stringify(name)}:${JSON.stringify(entry)}`;
        first = false;
      }
      yield '}}';
    })());
    this.snapshotStale = false;
  }

  /** The texts of entries unchanged since the lockfile was read, from the file itself, if it is still the one read. */
  private takeReusableTexts(file: string): void {
    const reusable = this.reusable;
    this.reusable = undefined;
    if (!reusable || reusable.names.size === 0) return;
    let text: string;
    try {
      if (stampOf(file) !== reusable.stamp) return;
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    for (const [name, block] of entryTexts(text, reusable.names)) if (!this.texts.has(name)) this.texts.set(name, block);
  }

  close(): void {
    this.flush();
    if (this.journal !== undefined) closeSync(this.journal);
    this.journal = undefined;
  }
}

/** One entry as the lockfile holds it: `name:` indented by two spaces, its fields below. */
export function dumpEntry(name: string, entry: LockEntry): string {
  const text = jsYaml.dump({ [name]: entry }, { sortKeys: true, lineWidth: -1, noRefs: true }).replace(/^(?=.)/gm, '  ');
  // Kept for the rest of the run, so made one flat string (a regular expression's match flattens
  // its subject in V8): as the dump and the replace left it, 100,000 entries' texts held 136 MiB
  // of string pieces, flat 32 MiB.
  ANY.test(text);
  return text;
}

const ANY = /./;

/** A lockfile rewrite may take at most this share's inverse of the run's time. */
const REWRITE_SHARE = 20;
const REWRITE_INTERVAL_MS = 500;

/** Writes `parts` to a file beside `file`, then renames it into place: never half a file. */
function writeAside(file: string, parts: Iterable<string>): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    let chunk = '';
    for (const part of parts) {
      chunk += part;
      if (chunk.length >= WRITE_CHUNK) {
        writeAll(fd, chunk);
        chunk = '';
      }
    }
    writeAll(fd, chunk);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
}

/** Characters gathered before a write: few calls, no string the size of the file. */
const WRITE_CHUNK = 1 << 18;
