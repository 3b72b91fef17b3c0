/**
 * What a stage's code is, for its fingerprint. A cmd stage: the command after interpolation. A TS
 * stage: the source of the modules where it was defined and of every local module they import,
 * found by esbuild's resolver (so a change to a helper the stage calls invalidates it), plus the
 * text of its `run` function.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { StageDeclaration } from '../define/declaration.js';
import { hashBytes, type FileHash } from './hash.js';
import type { CodeIdentity } from './lockfile.js';

export class CodeIdentities {
  private readonly closures = new Map<string, Promise<Record<string, FileHash>>>();

  constructor(private readonly root: string) {}

  async of(stage: StageDeclaration, command: string | undefined): Promise<CodeIdentity> {
    if (command !== undefined) return { cmd: command, template: stage.commandTemplate ?? command };
    if (stage.builtin) return { fn: hashBytes(stage.builtin), files: {} };
    const entries = [...stage.codeFiles].sort();
    const key = entries.join('\n');
    let files = this.closures.get(key);
    if (!files) {
      files = this.sourceClosure(entries);
      this.closures.set(key, files);
    }
    return { fn: hashBytes(String(stage.run)), files: await files };
  }

  /** Every local source file the entries import, transitively, with its hash (root-relative paths). */
  private async sourceClosure(entries: readonly string[]): Promise<Record<string, FileHash>> {
    const files: Record<string, FileHash> = {};
    const defining = new Set(entries.map((e) => resolve(this.root, e)));
    for (const abs of (await localImports(this.root, entries)).sort()) {
      files[relative(this.root, abs)] = defining.has(abs) ? hashBytes(withoutSweeps(readFileSync(abs, 'utf8'))) : hashBytes(readFileSync(abs));
    }
    return files;
  }
}

/**
 * Every local source file the entries import, transitively (themselves included), as absolute
 * paths: esbuild's resolver follows TS paths and extensions the way the loader does.
 */
export async function localImports(root: string, entries: readonly string[]): Promise<string[]> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [...new Set(entries)],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
    outdir: 'out',
  });
  // Inputs named `ns:path` are esbuild's virtual modules, not files.
  return Object.keys(result.metafile.inputs).filter((input) => !input.includes(':')).map((input) => resolve(root, input));
}

/**
 * The source with every `sweep: { … }` literal emptied. A sweep says which instances exist, not
 * what one computes (its params are in its fingerprint already), so growing a sweep from 10
 * samples to 20 must not make the first 10 look like changed code.
 */
export function withoutSweeps(source: string): string {
  let out = '';
  let from = 0;
  const start = /\bsweep\s*:\s*\{/g;
  for (let match = start.exec(source); match; match = start.exec(source)) {
    const open = match.index + match[0].length - 1;
    const close = matchingBrace(source, open);
    if (close < 0) break;
    out += source.slice(from, open) + '{}';
    from = close + 1;
    start.lastIndex = from;
  }
  return out + source.slice(from);
}

/**
 * The index of the brace closing the one at `open`, skipping strings and comments; -1 if none or
 * if the text holds what a scan without a parser could misread (a template literal, a regex or a
 * division): then nothing is left out of the hash, which can only cost a rerun, never a false skip.
 */
function matchingBrace(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '"' || c === "'") {
      for (i++; i < source.length && source[i] !== c; i++) {
        if (source[i] === '\\') i++;
        else if (source[i] === '\n') return -1;
      }
    } else if (c === '`') {
      return -1;
    } else if (c === '/' && source[i + 1] === '/') {
      i = source.indexOf('\n', i);
      if (i < 0) return -1;
    } else if (c === '/' && source[i + 1] === '*') {
      i = source.indexOf('*/', i + 2) + 1;
      if (i <= 0) return -1;
    } else if (c === '/') {
      return -1;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}
