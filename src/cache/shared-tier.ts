/**
 * A cache tier beyond this machine: the run-cache of the project's remote, shared by laptops,
 * workers and cluster tasks. The plan consults it for an instance the local cache cannot satisfy,
 * before the instance runs, so that nothing computed anywhere is computed again. This folder knows
 * only its shape; the remote implements it (src/remote/cache-tier.ts).
 */
import type { ValueHash } from './hash.js';
import type { LockEntry } from './lockfile.js';

export interface SharedTier {
  /** Named in messages: `restored from remote NAME`. */
  readonly name: string;
  /** The run of this fingerprint it records, without bringing anything here (for `status`). */
  recorded(fingerprint: ValueHash): Promise<LockEntry | undefined>;
  /**
   * The run of this fingerprint with every out brought into the local store, each hashed on the
   * way; undefined when it records no such run or cannot deliver all of its outs intact.
   */
  bringDown(fingerprint: ValueHash): Promise<{ readonly stage: string; readonly entry: LockEntry } | undefined>;
}
