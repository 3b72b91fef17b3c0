import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  execInstance,
  prepareOuts,
  readMetrics,
  removePath
} from "./chunk-234SUH7X.js";
import "./chunk-XYXI5FZ7.js";
import "./chunk-VYRBVQGQ.js";
import "./chunk-R2X5HZB5.js";
import "./chunk-DD6A6ORU.js";
import "./chunk-VRTVQOPA.js";
import "./chunk-VYRDMYYG.js";
import "./chunk-PI66XGHR.js";
import "./chunk-72MSOLL7.js";
export {
  execInstance,
  prepareOuts,
  readMetrics,
  removePath
};
//# sourceMappingURL=exec-instance-ATEWFMZ4.js.map
