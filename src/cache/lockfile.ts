/**
 * `pipewright.lock`: what was observed when each stage instance last ran — its fingerprint and
 * the parts it was made from, and the hashes of its outs. YAML with sorted keys, meant to be
 * committed; written aside and renamed after every finished instance.
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
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
  return { ...readLockfileItself(root, warn), ...readJournal(root) };
}

function readLockfileItself(root: string, warn: LockWarning): Record<string, LockEntry> {
  const file = join(root, LOCKFILE);
  const stamp = stampOf(file);
  if (stamp === undefined) return {};
  try {
    const snapshot = JSON.parse(readFileSync(layout(root).lockSnapshot, 'utf8')) as LockSnapshot;
    if (snapshot.stamp === stamp) return snapshot.stages;
  } catch {
    // no snapshot, or a stale one: read the lockfile itself
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const data = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA }) as Partial<Lockfile> | null;
    if (!data || data.version !== 1 || typeof data.stages !== 'object' || data.stages === null) throw new Error('not a version 1 lockfile');
    return { ...data.stages };
  } catch (err) {
    // A corrupt lockfile is a miss for every stage, never a reason to trust anything.
    warn(`${LOCKFILE} is unreadable (${(err as Error).message.split('\n')[0]}); every stage is treated as never run`);
    return {};
  }
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
 * atomically, at most every `REWRITE_INTERVAL_MS` and when the run ends. Rewriting a 1,000-stage
 * lockfile after each of 1,000 stages would cost more than the stages.
 */
export class LockfileWriter {
  private readonly texts = new Map<string, string>();
  private journal: number | undefined;
  private pending = false;
  private lastWrite = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly root: string, private readonly entries: Record<string, LockEntry>) {}

  /** A stage named `constructor` or `toString` has no entry until it has one of its own. */
  get(stage: string): LockEntry | undefined {
    return Object.hasOwn(this.entries, stage) ? this.entries[stage] : undefined;
  }

  set(stage: string, entry: LockEntry): void {
    setOwn(this.entries, stage, entry);
    this.texts.delete(stage);
    if (this.journal === undefined) {
      mkdirSync(dirname(layout(this.root).lockJournal), { recursive: true });
      this.journal = openSync(layout(this.root).lockJournal, 'a');
    }
    writeSync(this.journal, JSON.stringify({ stage, entry }) + '\n');
    this.pending = true;
    const wait = this.lastWrite + REWRITE_INTERVAL_MS - Date.now();
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait).unref();
  }

  all(): Readonly<Record<string, LockEntry>> {
    return this.entries;
  }

  /** Rewrites pipewright.lock and its JSON snapshot now, then empties the journal. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    this.pending = false;
    this.lastWrite = Date.now();
    const file = join(this.root, LOCKFILE);
    const names = Object.keys(this.entries).sort();
    const body = names.map((name) => {
      let text = this.texts.get(name);
      if (text === undefined) {
        text = jsYaml.dump({ [name]: this.entries[name] }, { sortKeys: true, lineWidth: -1, noRefs: true }).replace(/^(?=.)/gm, '  ');
        this.texts.set(name, text);
      }
      return text;
    });
    writeAside(file, `version: 1\nstages:${names.length ? '\n' + body.join('') : ' {}\n'}`);
    const paths = layout(this.root);
    writeAside(paths.lockSnapshot, JSON.stringify({ stamp: stampOf(file)!, stages: this.entries } satisfies LockSnapshot));
    // Only now is everything in the journal also in the lockfile.
    if (this.journal !== undefined) ftruncateSync(this.journal, 0);
  }

  close(): void {
    this.flush();
    if (this.journal !== undefined) closeSync(this.journal);
    this.journal = undefined;
  }
}

const REWRITE_INTERVAL_MS = 500;

function writeAside(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
