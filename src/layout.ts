/** Where pipewright keeps its own files inside a project. One place, so every module agrees. */
import { join } from 'node:path';

export const STATE_DIR = '.pipewright';

/** The lockfile, beside the pipeline file: meant to be committed. */
export const LOCKFILE = 'pipewright.lock';

/** How cached outs are put into the workspace, tried in the order given. */
export type LinkKind = 'reflink' | 'hardlink' | 'copy';
export const LINK_KINDS: readonly LinkKind[] = ['reflink', 'hardlink', 'copy'];

export const RUNS_JOURNAL = 'runs.pending.jsonl';

export const layout = (root: string) => ({
  state: join(root, STATE_DIR),
  logs: join(root, STATE_DIR, 'logs'),
  cache: join(root, STATE_DIR, 'cache'),
  tmp: join(root, STATE_DIR, 'tmp'),
  stateDb: join(root, STATE_DIR, 'state.db'),
  workspaceLock: join(root, STATE_DIR, 'run.lock'),
  lockSnapshot: join(root, STATE_DIR, 'lock.json'),
  lockJournal: join(root, STATE_DIR, 'lock.journal'),
  upToDate: join(root, STATE_DIR, 'up-to-date.json'),
  runsDb: join(root, STATE_DIR, 'runs.db'),
  /** No-op runs recorded cheaply, taken into runs.db when it is next opened. */
  runsJournal: join(root, STATE_DIR, RUNS_JOURNAL),
  plots: join(root, STATE_DIR, 'plots'),
  /** Each recorded run's own files: its events and its logs (see store/run-files.ts). */
  runs: join(root, STATE_DIR, RUN_FILES),
  /** Flows being served from this folder (see flow/served.ts), for `pipewright ui`. */
  served: join(root, STATE_DIR, 'served'),
});

export const RUN_FILES = 'runs';

/** One run's folder under a state folder (`.pipewright`): the store knows only its own file's folder. */
export const runFilesDir = (stateDir: string, runId: number) => join(stateDir, RUN_FILES, String(runId));
