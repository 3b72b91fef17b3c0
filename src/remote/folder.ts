/**
 * A folder remote: a path on a shared file system (NFS, SMB, a mounted disk). Keys are relative
 * paths. Writes go to a temporary name beside the target and are renamed into place, which is
 * atomic on one file system (NFS included): two machines pushing the same object each rename a
 * complete copy of the same bytes, and a reader sees one of them whole.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PipelineError } from '../errors.js';
import type { RemoteBackend } from './backend.js';
import type { RemoteLocation } from './url.js';

type FolderLocation = Extract<RemoteLocation, { kind: 'folder' }>;

export class FolderBackend implements RemoteBackend {
  readonly requests: Record<string, number> = {};
  private readonly madeDirs = new Set<string>();
  /** The remote folder's permission bits, given to every folder made in it (see writeAside). */
  private rootMode: number | undefined;

  constructor(readonly location: FolderLocation) {}

  async check(purpose: 'read' | 'write'): Promise<void> {
    const root = this.location.path;
    const found = await stat(root).catch(() => undefined);
    if (found?.isDirectory()) {
      this.rootMode = found.mode & 0o7777;
      return;
    }
    if (found) throw new PipelineError('remote', `remote folder ${root} is a file, not a folder`, undefined, 'point the remote at a folder: pipewright remote add NAME PATH --force');
    if (purpose === 'write') {
      // Only the remote's own folder is made, never its parents: a share that is not mounted must
      // fail here rather than fill the empty mount point on this machine.
      try {
        await mkdir(root).catch(async (err: NodeJS.ErrnoException) => {
          // Another push made it between our stat and mkdir: a folder made by anyone will do.
          if (err.code !== 'EEXIST' || !(await stat(root)).isDirectory()) throw err;
        });
        this.rootMode = (await stat(root)).mode & 0o7777;
        return;
      } catch (err) {
        throw new PipelineError('remote', `cannot create remote folder ${root}: ${(err as Error).message}`, undefined,
          (err as NodeJS.ErrnoException).code === 'ENOENT' ? `its parent ${dirname(root)} does not exist: is the share mounted?` : undefined);
      }
    }
    throw new PipelineError('remote', `remote folder ${root} does not exist`, undefined, 'is the share mounted? Nothing has been pushed there yet otherwise');
  }

  async exists(key: string): Promise<boolean> {
    this.count('stat');
    return (await stat(this.pathOf(key)).catch(() => undefined)) !== undefined;
  }

  async list(prefix: string): Promise<string[]> {
    this.count('list');
    const names = await readdir(this.pathOf(prefix)).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    return names.filter((n) => !n.includes('.tmp-')).map((n) => prefix + n);
  }

  async upload(key: string, file: string): Promise<void> {
    this.count('upload');
    await this.writeAside(key, (tmp) => copyFile(file, tmp, constants.COPYFILE_FICLONE));
  }

  async write(key: string, bytes: Uint8Array): Promise<void> {
    this.count('write');
    await this.writeAside(key, (tmp) => writeFile(tmp, bytes));
  }

  async download(key: string, to: string): Promise<boolean> {
    this.count('download');
    try {
      await copyFile(this.pathOf(key), to, constants.COPYFILE_FICLONE);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  async read(key: string): Promise<Buffer | undefined> {
    this.count('read');
    try {
      return await readFile(this.pathOf(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async remove(keys: readonly string[]): Promise<void> {
    this.count('remove');
    await Promise.all(keys.map((key) => unlink(this.pathOf(key)).catch(() => {})));
  }

  close(): void {}

  private pathOf(key: string): string {
    return join(this.location.path, key);
  }

  private count(kind: string): void {
    this.requests[kind] = (this.requests[kind] ?? 0) + 1;
  }

  private async writeAside(key: string, write: (tmp: string) => Promise<void>): Promise<void> {
    const target = this.pathOf(key);
    const dir = dirname(target);
    if (!this.madeDirs.has(dir)) {
      const first = await mkdir(dir, { recursive: true });
      // A team's shared folder is often group-writable (setgid, 2775) so that every member can add
      // objects: folders made here get the same bits, whatever this user's umask.
      if (first !== undefined && this.rootMode !== undefined) {
        for (let made = dir; made.length >= first.length; made = dirname(made)) await chmod(made, this.rootMode).catch(() => {});
      }
      this.madeDirs.add(dir);
    }
    const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await write(tmp);
      // Read-only, as in the local cache: an object is never edited in place.
      await chmod(tmp, 0o444);
      await rename(tmp, target);
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw err;
    }
  }
}
