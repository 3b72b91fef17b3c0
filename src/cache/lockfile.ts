/**
 * `pipewright.lock`: what was observed when each stage instance last ran — its fingerprint and
 * the parts it was made from, and the hashes of its outs. YAML with sorted keys, meant to be
 * committed; written aside and renamed after every finished instance.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import jsYaml from 'js-yaml';
import { layout } from '../layout.js';
import type { Params } from '../define/declaration.js';
import type { ContentHash, FileHash, ValueHash } from './hash.js';

export const LOCKFILE = 'pipewright.lock';

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
 * Keeps the lockfile's entries and writes the whole file, atomically, on every change. Each
 * entry's YAML is made once and kept, so rewriting a lockfile of 1,000 stages after each one
 * finishes is string joining, not 1,000 serializations.
 */
export class LockfileWriter {
  private readonly texts = new Map<string, string>();
  private dirty = false;

  constructor(private readonly root: string, private readonly entries: Record<string, LockEntry>) {}

  get(stage: string): LockEntry | undefined {
    return this.entries[stage];
  }

  set(stage: string, entry: LockEntry): void {
    this.entries[stage] = entry;
    this.texts.delete(stage);
    this.write();
  }

  all(): Readonly<Record<string, LockEntry>> {
    return this.entries;
  }

  private write(): void {
    const file = join(this.root, LOCKFILE);
    const tmp = `${file}.tmp-${process.pid}`;
    const names = Object.keys(this.entries).sort();
    const body = names.map((name) => {
      let text = this.texts.get(name);
      if (text === undefined) {
        text = jsYaml.dump({ [name]: this.entries[name] }, { sortKeys: true, lineWidth: -1, noRefs: true }).replace(/^(?=.)/gm, '  ');
        this.texts.set(name, text);
      }
      return text;
    });
    writeFileSync(tmp, `version: 1\nstages:${names.length ? '\n' + body.join('') : ' {}\n'}`);
    renameSync(tmp, file);
    this.dirty = true;
  }

  /** Leaves a JSON snapshot of what was written, for the next run to read fast. */
  snapshot(): void {
    if (!this.dirty) return;
    const target = layout(this.root).lockSnapshot;
    const stamp = stampOf(join(this.root, LOCKFILE));
    if (stamp === undefined) return;
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ stamp, stages: this.entries } satisfies LockSnapshot));
    renameSync(tmp, target);
    this.dirty = false;
  }
}
