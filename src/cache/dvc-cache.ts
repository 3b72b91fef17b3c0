/**
 * DVC's local cache as a read-only source of objects: `.dvc/cache/files/md5/ab/cdef…` (DVC 3) and
 * `.dvc/cache/ab/cdef…` (DVC 2), a folder as its `.dir` manifest (a JSON list of md5 + relpath).
 * An object is checked against its md5 before it is linked into the workspace, so a damaged cache
 * never passes for good data. Nothing is ever written here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDirOf } from '../define/dvc-config.js';
import type { DvcHashKind } from '../define/dvc-files.js';
import { dvcFileMd5, manifestMd5, type DvcManifestEntry } from './dvc-md5.js';
import type { ObjectStore } from './object-store.js';

export interface DvcObject {
  readonly md5: string;
  readonly kind: DvcHashKind;
}

export class DvcCache {
  readonly dir: string;

  /** The cache of the repository whose `.dvc/` folder this is: `.dvc/cache` unless `.dvc/config` moves it. */
  constructor(dvcDir: string) {
    this.dir = cacheDirOf(dvcDir);
  }

  /** Where an object is, in either layout (DVC 3's first for its own hashes), if it is there at all. */
  pathOf(md5: string, kind: DvcHashKind): string | undefined {
    const name = [md5.slice(0, 2), md5.slice(2)];
    const v3 = join(this.dir, 'files', 'md5', ...name);
    const v2 = join(this.dir, ...name);
    for (const path of kind === 'md5' ? [v3, v2] : [v2, v3]) if (existsSync(path)) return path;
    return undefined;
  }

  /** True when the object, and for a folder every file its manifest lists, is in the cache (not yet checked). */
  has(object: DvcObject): boolean {
    if (!object.md5.endsWith('.dir')) return this.pathOf(object.md5, object.kind) !== undefined;
    const manifest = this.manifest(object);
    return manifest !== undefined && manifest.every((e) => this.pathOf(e.md5, object.kind) !== undefined);
  }

  /** A folder's manifest, if it is in the cache and hashes to its name. */
  manifest(object: DvcObject): DvcManifestEntry[] | undefined {
    const path = this.pathOf(object.md5, object.kind);
    if (!path) return undefined;
    try {
      const entries = JSON.parse(readFileSync(path, 'utf8')) as DvcManifestEntry[];
      if (!Array.isArray(entries) || !entries.every((e) => typeof e?.md5 === 'string' && typeof e.relpath === 'string')) return undefined;
      return manifestMd5(entries) === object.md5 ? entries.map(({ md5, relpath }) => ({ md5, relpath })) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The files `checkout` links for this object (one, at path '', for a file; a folder's by its
   * manifest), each read and checked against its md5. Throws when one is missing or damaged.
   * Reads every byte; writes nothing: `status` asks it too, so that it agrees with `checkout`.
   */
  verifiedFiles(object: DvcObject): { path: string; from: string; md5: string }[] {
    if (!object.md5.endsWith('.dir')) return [{ path: '', from: this.verified(object.md5, object.kind), md5: object.md5 }];
    const manifest = this.manifest(object);
    if (!manifest) throw new Error(`DVC's cache has no intact manifest ${object.md5}`);
    return manifest.map((e) => ({ path: e.relpath, from: this.verified(e.md5, object.kind), md5: e.md5 }));
  }

  /**
   * Links the object into the workspace at `abs` (by `store`'s link order), each file checked
   * against its md5 first. Throws, leaving the workspace as it was, when one is missing or damaged.
   */
  async checkout(object: DvcObject, abs: string, store: ObjectStore): Promise<void> {
    const files = this.verifiedFiles(object);
    if (!object.md5.endsWith('.dir')) return store.placeAt(files[0]!.from, abs);
    await store.placeFolderAt(files, abs);
  }

  private verified(md5: string, kind: DvcHashKind): string {
    const path = this.pathOf(md5, kind);
    if (!path) throw new Error(`DVC's cache has no object ${md5}`);
    const actual = dvcFileMd5(path, kind);
    if (actual !== md5) throw new Error(`DVC's cache object ${md5} is damaged (its md5 is ${actual})`);
    return path;
  }
}
