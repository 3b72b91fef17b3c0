import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  createExecutorSet
} from "./chunk-EKY7EWVM.js";
import "./chunk-234SUH7X.js";
import "./chunk-XYXI5FZ7.js";
import "./chunk-VYRBVQGQ.js";
import "./chunk-R2X5HZB5.js";
import "./chunk-DD6A6ORU.js";
import "./chunk-VRTVQOPA.js";
import "./chunk-VYRDMYYG.js";
import "./chunk-PI66XGHR.js";
import "./chunk-72MSOLL7.js";
export {
  createExecutorSet
};
//# sourceMappingURL=executor-set-ES5BQGIO.js.map
