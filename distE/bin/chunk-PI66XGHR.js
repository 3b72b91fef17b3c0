import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);

// src/layout.ts
import { join } from "node:path";
var STATE_DIR = ".pipewright";
var LOCKFILE = "pipewright.lock";
var LINK_KINDS = ["reflink", "hardlink", "copy"];
var RUNS_JOURNAL = "runs.pending.jsonl";
var layout = (root) => ({
  state: join(root, STATE_DIR),
  logs: join(root, STATE_DIR, "logs"),
  cache: join(root, STATE_DIR, "cache"),
  tmp: join(root, STATE_DIR, "tmp"),
  stateDb: join(root, STATE_DIR, "state.db"),
  workspaceLock: join(root, STATE_DIR, "run.lock"),
  lockSnapshot: join(root, STATE_DIR, "lock.json"),
  lockJournal: join(root, STATE_DIR, "lock.journal"),
  upToDate: join(root, STATE_DIR, "up-to-date.json"),
  runsDb: join(root, STATE_DIR, "runs.db"),
  /** No-op runs recorded cheaply, taken into runs.db when it is next opened. */
  runsJournal: join(root, STATE_DIR, RUNS_JOURNAL),
  plots: join(root, STATE_DIR, "plots")
});

export {
  STATE_DIR,
  LOCKFILE,
  LINK_KINDS,
  RUNS_JOURNAL,
  layout
};
//# sourceMappingURL=chunk-PI66XGHR.js.map
