import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  LINK_KINDS,
  LOCKFILE,
  RUNS_JOURNAL,
  STATE_DIR,
  layout
} from "./chunk-PI66XGHR.js";
import "./chunk-72MSOLL7.js";
export {
  LINK_KINDS,
  LOCKFILE,
  RUNS_JOURNAL,
  STATE_DIR,
  layout
};
//# sourceMappingURL=layout-UPQALZIG.js.map
