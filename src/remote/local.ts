/**
 * The local side of a transfer: the object store, the run-cache, the lockfile's entries and a
 * hasher for the workspace, opened without the scheduler's StageCache (nothing here plans or
 * records a run).
 */
import { readLockfile, type LockEntry, type LockWarning } from '../cache/lockfile.js';
import { ObjectStore } from '../cache/object-store.js';
import { RunCache } from '../cache/run-cache.js';
import { StateDb } from '../cache/state.js';
import { WorkspaceHasher } from '../cache/workspace-hash.js';
import { layout, type LinkKind } from '../layout.js';

export class LocalCache {
  readonly store: ObjectStore;
  readonly runCache: RunCache;
  readonly hasher: WorkspaceHasher;
  /** pipewright.lock's entries (with the journal of a killed run), by instance name. */
  readonly lock: Readonly<Record<string, LockEntry>>;
  private readonly state: StateDb;

  constructor(readonly root: string, warn: LockWarning, links?: readonly LinkKind[]) {
    const paths = layout(root);
    this.state = StateDb.open(paths.stateDb, warn);
    this.store = new ObjectStore(paths.cache, links);
    this.runCache = new RunCache(this.state, warn);
    this.hasher = new WorkspaceHasher(root, this.state);
    this.lock = readLockfile(root, warn);
  }

  close(): void {
    this.runCache.flush();
    this.state.close();
  }
}
