/**
 * The `[parsing]` section of a DVC project's config (`.dvc/config`, then `.dvc/config.local`,
 * which wins): how a mapping put into `cmd` writes booleans and lists. Only read, never written.
 *
 * DVC reads its config with configobj. A small reader of its rules is kept here rather than the
 * `ini` package: configobj takes only `#` as a comment (ini also `;`, which would accept a value
 * DVC refuses), a comma makes a list, and section and key names are case-insensitive as DVC
 * lower-cases them. The other sections are skipped unread.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PipelineError, type SourcePosition } from '../errors.js';
import { displayPath } from './yaml-source.js';

export interface ParsingOptions {
  readonly bool: 'store_true' | 'boolean_optional';
  readonly list: 'nargs' | 'append';
}

const CHOICES = { bool: ['store_true', 'boolean_optional'], list: ['nargs', 'append'] } as const;

export const DEFAULT_PARSING: ParsingOptions = { bool: 'store_true', list: 'nargs' };

/** The options for a dvc.yaml in `dir`, from the nearest `.dvc/` at or above it, and the files read. */
export function parsingOptionsFor(dir: string): { options: ParsingOptions; files: string[] } {
  const dvcDir = findDvcDir(dir);
  const options: Record<string, string> = { ...DEFAULT_PARSING };
  const files = dvcDir ? ['config', 'config.local'].map((name) => join(dvcDir, name)).filter((file) => existsSync(file)) : [];
  for (const file of files) Object.assign(options, readParsingSection(file));
  return { options: options as unknown as ParsingOptions, files };
}

/** The `.dvc` folder of the DVC repository holding `dir`: the nearest at or above it. */
export function findDvcDir(dir: string): string | undefined {
  for (let cur = dir; ; cur = dirname(cur)) {
    const candidate = join(cur, '.dvc');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    if (dirname(cur) === cur) return undefined;
  }
}

/** DVC's cache folder: `[cache] dir` (relative to `.dvc/`; config.local wins), else `.dvc/cache`. */
export function cacheDirOf(dvcDir: string): string {
  let dir = 'cache';
  for (const file of ['config', 'config.local'].map((name) => join(dvcDir, name)).filter((f) => existsSync(f))) {
    for (const entry of sectionEntries(file, 'cache')) if (entry.key === 'dir' && entry.value !== undefined) dir = entry.value;
  }
  return join(dvcDir, dir);
}

export function readParsingSection(file: string): Partial<ParsingOptions> {
  const found: Record<string, string> = {};
  for (const { key, value, where } of sectionEntries(file, 'parsing')) {
    if (!(key in CHOICES)) {
      throw new PipelineError('pipeline-load', `DVC's config has no option parsing.${key}`, where, 'the [parsing] options are bool and list');
    }
    const choices = CHOICES[key as keyof typeof CHOICES] as readonly string[];
    const lower = value?.toLowerCase();
    if (lower === undefined || !choices.includes(lower)) {
      throw new PipelineError('pipeline-load', `parsing.${key} is ${value === undefined ? 'a list' : `"${value}"`}; DVC accepts ${choices.join(' or ')}`, where);
    }
    found[key] = lower;
  }
  return found as Partial<ParsingOptions>;
}

/** The `key = value` lines of one section, keys lower-cased as DVC has them; the other sections are skipped unread. */
function sectionEntries(file: string, wanted: string): { key: string; value: string | undefined; where: SourcePosition }[] {
  const entries: { key: string; value: string | undefined; where: SourcePosition }[] = [];
  let section = '';
  readFileSync(file, 'utf8').split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = { file: displayPath(file), line: i + 1, col: raw.length - raw.trimStart().length + 1 };
    const header = /^(\[+)\s*(.*?)\s*(\]+)\s*(#.*)?$/.exec(line);
    if (header) {
      // A subsection (`[[x]]`) belongs to its parent.
      section = header[1]!.length === 1 ? unquote(header[2]!).toLowerCase() : `${section}/`;
      return;
    }
    if (section !== wanted) return;
    const pair = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (!pair) throw new PipelineError('pipeline-load', `cannot read this line of DVC's config`, where, 'write `key = value`');
    entries.push({ key: unquote(pair[1]!).toLowerCase(), value: configValue(pair[2]!), where });
  });
  return entries;
}

/** A configobj value: quoted, or bare up to a `#` comment. A bare comma makes a list (undefined here). */
function configValue(text: string): string | undefined {
  const quoted = /^(["'])(.*?)\1\s*(#.*)?$/.exec(text);
  if (quoted) return quoted[2]!;
  const bare = text.replace(/\s*#.*$/, '').trim();
  return bare.includes(',') ? undefined : bare;
}

function unquote(text: string): string {
  return /^(["']).*\1$/.test(text) ? text.slice(1, -1) : text;
}
