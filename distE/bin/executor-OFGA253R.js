import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  CANCEL_GRACE_MS,
  addressOf
} from "./chunk-R2X5HZB5.js";
import "./chunk-72MSOLL7.js";
export {
  CANCEL_GRACE_MS,
  addressOf
};
//# sourceMappingURL=executor-OFGA253R.js.map
