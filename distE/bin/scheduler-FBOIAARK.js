import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  logFileName,
  runStages
} from "./chunk-OK2J2WJH.js";
import "./chunk-BBX3X4MH.js";
import "./chunk-AA3TFWUP.js";
import "./chunk-234SUH7X.js";
import "./chunk-XYXI5FZ7.js";
import "./chunk-VYRBVQGQ.js";
import "./chunk-R2X5HZB5.js";
import "./chunk-74SOYECD.js";
import "./chunk-DJMCM54O.js";
import "./chunk-DD6A6ORU.js";
import "./chunk-VRTVQOPA.js";
import "./chunk-VYRDMYYG.js";
import "./chunk-PI66XGHR.js";
import "./chunk-72MSOLL7.js";
export {
  logFileName,
  runStages
};
//# sourceMappingURL=scheduler-FBOIAARK.js.map
