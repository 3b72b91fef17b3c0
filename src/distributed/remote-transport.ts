/**
 * Files between a coordinator and workers in separate checkouts, through the project's remote
 * (the shared content-addressed cache): the coordinator sends up the inputs a job needs and brings
 * down its outs; a worker brings down the inputs it lacks and sends up its outs and its run-cache
 * entry. Every object is hashed on the way in and out (src/remote/transfer.ts).
 */
import { join } from 'node:path';
import type { ContentHash } from '../cache/hash.js';
import type { LockEntry, LockedOut } from '../cache/lockfile.js';
import { ObjectStore } from '../cache/object-store.js';
import { StateDb } from '../cache/state.js';
import { WorkspaceHasher } from '../cache/workspace-hash.js';
import { layout } from '../layout.js';
import { openBackend, type RemoteBackend } from '../remote/backend.js';
import { chooseRemote, listRemotes } from '../remote/config.js';
import { silentProgress } from '../remote/progress.js';
import { appendRunCache } from '../remote/run-cache-pack.js';
import { download, upload } from '../remote/transfer.js';
import type { HashedInput, OutsTransport } from './transport.js';

/** The project's remote as a transport, when it has one (`remote add`); undefined otherwise. */
export async function remoteTransportIfAny(root: string, warn: (message: string) => void): Promise<OutsTransport | undefined> {
  if (listRemotes(root).length === 0) return undefined;
  const backend = await openBackend(chooseRemote(root, undefined).location);
  return new RemoteTransport(root, backend, warn);
}

class RemoteTransport implements OutsTransport {
  readonly describe = 'remote' as const;
  private readonly store: ObjectStore;
  private readonly hasher: WorkspaceHasher;
  private readonly state: StateDb;

  constructor(private readonly root: string, private readonly backend: RemoteBackend, warn: (message: string) => void) {
    this.store = new ObjectStore(layout(root).cache);
    this.state = StateDb.open(layout(root).stateDb, warn);
    this.hasher = new WorkspaceHasher(root, this.state);
  }

  /** Inputs not yet in the local cache (source files, say) are stored first, as they are now. */
  async pushInputs(inputs: readonly HashedInput[]): Promise<void> {
    for (const input of inputs) {
      if (this.store.has(input.hash as ContentHash)) continue;
      const hashed = await this.hasher.hash(input.path);
      if (hashed?.hash !== input.hash) throw new Error(`input ${input.path} changed since it was planned`);
      await this.store.save(join(this.root, input.path), hashed);
    }
    this.ensure(await upload(this.store, this.backend, inputs.map((i) => i.hash as ContentHash), silentProgress), 'send up');
  }

  async pullOuts(outs: readonly LockedOut[]): Promise<void> {
    await this.bringDown(outs.filter((o) => o.cache).map((o) => ({ path: o.path, hash: o.hash })));
  }

  async fetchInputs(inputs: readonly HashedInput[]): Promise<void> {
    await this.bringDown(inputs);
  }

  async publishOuts(outs: readonly LockedOut[]): Promise<void> {
    this.ensure(await upload(this.store, this.backend, outs.filter((o) => o.cache).map((o) => o.hash), silentProgress), 'send up');
  }

  async publishEntry(stage: string, entry: LockEntry): Promise<void> {
    await appendRunCache(this.backend, [{ stage, entry }]);
  }

  /** Puts each file or folder in the workspace unless it is already there with that hash. */
  private async bringDown(files: readonly HashedInput[]): Promise<void> {
    const wanted: HashedInput[] = [];
    for (const file of files) {
      this.hasher.forget(file.path);
      if ((await this.hasher.hash(file.path))?.hash !== file.hash) wanted.push(file);
    }
    if (wanted.length === 0) return;
    this.ensure(await download(this.store, this.backend, wanted.map((f) => ({ hash: f.hash as ContentHash })), silentProgress), 'bring down');
    for (const file of wanted) {
      this.hasher.forget(file.path);
      await this.store.checkout(file.hash as ContentHash, join(this.root, file.path));
    }
  }

  private ensure(result: Awaited<ReturnType<typeof upload>>, verb: string): void {
    if (result.missing.length || result.corrupt.length) {
      const names = [...result.missing, ...result.corrupt.map((c) => c.hash)];
      throw new Error(`could not ${verb} ${names.length} object${names.length === 1 ? '' : 's'} through the remote (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`);
    }
  }

  close(): void {
    this.state.close();
    this.backend.close();
  }
}
