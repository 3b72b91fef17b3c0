/**
 * `pipewright.lock`: what was observed when each stage instance last ran — its fingerprint and
 * the parts it was made from, and the hashes of its outs. YAML with sorted keys, meant to be
 * committed; written aside and renamed after every finished instance.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { stringify } from 'yaml';
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

export function readLockfile(root: string, warn: LockWarning): Record<string, LockEntry> {
  const file = join(root, LOCKFILE);
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
        text = stringify({ [name]: this.entries[name] }, { sortMapEntries: true, lineWidth: 0 }).replace(/^(?=.)/gm, '  ');
        this.texts.set(name, text);
      }
      return text;
    });
    writeFileSync(tmp, `version: 1\nstages:${names.length ? '\n' + body.join('') : ' {}\n'}`);
    renameSync(tmp, file);
  }
}
