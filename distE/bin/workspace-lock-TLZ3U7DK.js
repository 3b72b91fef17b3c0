import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  acquireWorkspaceLock,
  isAlive
} from "./chunk-AKNRMNR7.js";
import "./chunk-VYRDMYYG.js";
import "./chunk-72MSOLL7.js";
export {
  acquireWorkspaceLock,
  isAlive
};
//# sourceMappingURL=workspace-lock-TLZ3U7DK.js.map
