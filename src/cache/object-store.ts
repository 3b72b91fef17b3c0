/**
 * The content-addressed store under `.pipewright/cache/objects/`: a file's bytes under its hash, a
 * folder as a manifest (`<hash>.dir`) of file hashes. Objects are written aside and renamed into
 * place, and made read-only, so a half-written or edited object never passes for a good one.
 * Outs are linked back into the workspace by reflink, hardlink or copy, the first that works.
 */
import { chmodSync, constants, existsSync, linkSync, mkdirSync, readFileSync } from 'node:fs';
import { chmod, copyFile, link, mkdir, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isDirHash, type ContentHash, type DirHash, type FileHash } from './hash.js';
import { LINK_KINDS, type LinkKind } from '../layout.js';
import type { HashedPath, ManifestEntry } from './workspace-hash.js';


export class ObjectStore {
  readonly objectsDir: string;
  /** Whether reflinks work here; unknown until tried. */
  private reflinks: boolean | undefined;
  /** Why they do not: the error of the one try, given again when reflink is the only kind left. */
  private reflinkError: unknown;

  constructor(cacheDir: string, private readonly links: readonly LinkKind[] = LINK_KINDS) {
    this.objectsDir = join(cacheDir, 'objects');
  }

  pathOf(hash: ContentHash): string {
    return join(this.objectsDir, hash.slice(0, 2), hash.slice(2));
  }

  /** True when the object and, for a folder, every file it lists are in the store. */
  has(hash: ContentHash): boolean {
    if (!existsSync(this.pathOf(hash))) return false;
    if (!isDirHash(hash)) return true;
    const manifest = this.readManifest(hash);
    return manifest !== undefined && manifest.every((e) => existsSync(this.pathOf(e.hash)));
  }

  readManifest(hash: DirHash): ManifestEntry[] | undefined {
    try {
      return JSON.parse(readFileSync(this.pathOf(hash), 'utf8')) as ManifestEntry[];
    } catch {
      return undefined;
    }
  }

  /** Stores a workspace path that was just hashed. */
  async save(abs: string, hashed: HashedPath): Promise<void> {
    if (!isDirHash(hashed.hash)) {
      await this.saveFile(abs, hashed.hash as FileHash);
      return;
    }
    for (const entry of hashed.manifest ?? []) await this.saveFile(join(abs, entry.path), entry.hash);
    const target = this.pathOf(hashed.hash);
    if (!existsSync(target)) await this.writeAside(target, (tmp) => writeFile(tmp, JSON.stringify(hashed.manifest)));
  }

  /** Puts an object at a workspace path, replacing whatever is there. */
  async checkout(hash: ContentHash, abs: string): Promise<void> {
    if (!isDirHash(hash)) return this.placeAt(this.pathOf(hash), abs);
    const manifest = this.readManifest(hash);
    if (!manifest) throw new Error(`cache object ${hash} is missing or corrupt`);
    await this.placeFolderAt(manifest.map((e) => ({ from: this.pathOf(e.hash), path: e.path })), abs);
  }

  /** Puts a file from anywhere (our objects, DVC's cache) at a workspace path, linked as our own objects are. */
  async placeAt(from: string, abs: string): Promise<void> {
    await mkdir(dirname(abs), { recursive: true });
    const tmp = asideOf(abs);
    await this.place(from, tmp);
    await rm(abs, { recursive: true, force: true });
    await rename(tmp, abs);
  }

  /** Makes a folder of these files at a workspace path: built aside, then moved into place whole. */
  async placeFolderAt(files: readonly { from: string; path: string }[], abs: string): Promise<void> {
    await mkdir(dirname(abs), { recursive: true });
    const tmpDir = asideOf(abs);
    for (const file of files) {
      const dest = join(tmpDir, file.path);
      await mkdir(dirname(dest), { recursive: true });
      await this.place(file.from, dest);
    }
    if (files.length === 0) await mkdir(tmpDir, { recursive: true });
    await rm(abs, { recursive: true, force: true });
    await rename(tmpDir, abs);
  }

  /** Every object in the store with its size, for gc. */
  async list(): Promise<{ hash: ContentHash; size: number }[]> {
    const found: { hash: ContentHash; size: number }[] = [];
    let prefixes: string[];
    try {
      prefixes = await readdir(this.objectsDir);
    } catch {
      return found;
    }
    for (const prefix of prefixes) {
      for (const rest of await readdir(join(this.objectsDir, prefix))) {
        if (rest.includes('.tmp-')) continue;
        const size = (await stat(join(this.objectsDir, prefix, rest))).size;
        found.push({ hash: (prefix + rest) as ContentHash, size });
      }
    }
    return found;
  }

  /**
   * A temporary path beside where `hash` belongs, on the same file system, for an object that
   * arrives from elsewhere (a remote): checked there, then moved in by `adopt`, so that nothing
   * unverified ever sits under an object's name.
   */
  async asideFor(hash: ContentHash): Promise<string> {
    const target = this.pathOf(hash);
    await this.makeDir(dirname(target));
    return asideOf(target);
  }

  /** Moves a verified file from `asideFor(hash)` into the store, read-only as every object is. */
  async adopt(hash: ContentHash, tmp: string): Promise<void> {
    await chmod(tmp, 0o444);
    await rename(tmp, this.pathOf(hash));
  }

  async remove(hash: ContentHash): Promise<void> {
    await unlink(this.pathOf(hash)).catch(() => {});
  }

  private async saveFile(abs: string, hash: FileHash): Promise<void> {
    const target = this.pathOf(hash);
    if (existsSync(target)) return;
    if (this.links[0] === 'hardlink' || (this.links[0] === 'reflink' && this.links[1] === 'hardlink' && this.reflinks === false)) {
      // A hard link to a finished file is complete the moment it exists: no need to write aside.
      // Synchronous: three metadata calls take microseconds, and a round trip through the thread
      // pool each cost more CPU than the link itself (measured on a 1,000-stage run).
      try {
        this.makeDirSync(dirname(target));
        linkSync(abs, target);
        chmodSync(target, 0o444);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
      }
    }
    await this.writeAside(target, (tmp) => this.place(abs, tmp));
  }

  private readonly madeDirs = new Set<string>();

  private async makeDir(dir: string): Promise<void> {
    if (this.madeDirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.madeDirs.add(dir);
  }

  private makeDirSync(dir: string): void {
    if (this.madeDirs.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.madeDirs.add(dir);
  }

  private async writeAside(target: string, write: (tmp: string) => Promise<void>): Promise<void> {
    await this.makeDir(dirname(target));
    const tmp = asideOf(target);
    await write(tmp);
    await chmod(tmp, 0o444);
    await rename(tmp, target);
  }

  /** Links or copies `from` to the new path `to`, by the first link kind that works here. */
  private async place(from: string, to: string): Promise<void> {
    let lastError: unknown;
    for (const kind of this.links) {
      try {
        if (kind === 'reflink') {
          if (this.reflinks === false) {
            lastError = this.reflinkError;
            continue;
          }
          await copyFile(from, to, constants.COPYFILE_FICLONE_FORCE).catch((err: unknown) => {
            // One failure tells that this file system cannot: do not ask again for every file.
            this.reflinks = false;
            this.reflinkError = err;
            throw err;
          });
          this.reflinks = true;
          // A clone shares no bytes a write could change: the user's own file, writable as a copy is
          // (FICLONE keeps the source's mode, and an object's is read-only).
          await chmod(to, 0o644);
        }
        else if (kind === 'hardlink') await link(from, to);
        else {
          await copyFile(from, to);
          await chmod(to, 0o644);
        }
        return;
      } catch (err) {
        lastError = err;
      }
    }
    throw lastError ?? new Error('no link kind configured');
  }
}

function asideOf(path: string): string {
  return `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}
