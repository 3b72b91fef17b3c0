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
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [...entries],
      absWorkingDir: this.root,
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'silent',
      outdir: 'out',
    });
    const files: Record<string, FileHash> = {};
    for (const input of Object.keys(result.metafile.inputs).sort()) {
      if (input.includes(':')) continue; // esbuild's virtual modules
      const abs = resolve(this.root, input);
      files[relative(this.root, abs)] = hashBytes(readFileSync(abs));
    }
    return files;
  }
}
