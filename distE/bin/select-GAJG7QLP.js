import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  selectStages
} from "./chunk-TNFJNIBH.js";
import "./chunk-VYRDMYYG.js";
import "./chunk-72MSOLL7.js";
export {
  selectStages
};
//# sourceMappingURL=select-GAJG7QLP.js.map
