/**
 * How an instance's files travel between the coordinator's workspace and a worker's checkout.
 * On one machine, or with the workspace on a shared folder (NFS), nothing needs to move. With a
 * remote (the shared content-addressed cache), inputs go up before a job and outs come back after.
 */
import type { LockEntry, LockedOut } from '../cache/lockfile.js';

export interface HashedInput {
  readonly path: string;
  readonly hash: string;
}

export interface OutsTransport {
  /** Coordinator: what a worker must have to run the job (deps and inputs with their planned hashes). */
  readonly describe: 'shared-workspace' | 'remote';
  /** Coordinator: makes the inputs available to workers. */
  pushInputs(inputs: readonly HashedInput[]): Promise<void>;
  /** Coordinator: brings a finished job's outs into the workspace. */
  pullOuts(outs: readonly LockedOut[]): Promise<void>;
  /** Worker: puts the job's inputs into its checkout, verified against their hashes. */
  fetchInputs(inputs: readonly HashedInput[]): Promise<void>;
  /** Worker: makes a finished job's outs available to the coordinator. */
  publishOuts(outs: readonly LockedOut[]): Promise<void>;
  /** Worker: makes its record of the job available to any machine's next run (the run-cache). */
  publishEntry(stage: string, entry: LockEntry): Promise<void>;
  close(): void;
}

/** Coordinator and workers see one workspace (one machine, or a shared folder): nothing moves. */
export const sharedWorkspace: OutsTransport = {
  describe: 'shared-workspace',
  pushInputs: async () => {},
  pullOuts: async () => {},
  fetchInputs: async () => {},
  publishOuts: async () => {},
  // The worker's run-cache is the coordinator's own state database: nothing to send.
  publishEntry: async () => {},
  close: () => {},
};
