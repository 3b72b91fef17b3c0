import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  DEV_VERSION,
  openProject,
  versionSpecs
} from "./chunk-F3YWF7DN.js";
import "./chunk-AA3TFWUP.js";
import "./chunk-XYXI5FZ7.js";
import "./chunk-VYRBVQGQ.js";
import "./chunk-74SOYECD.js";
import "./chunk-DJMCM54O.js";
import "./chunk-DD6A6ORU.js";
import "./chunk-VRTVQOPA.js";
import "./chunk-VYRDMYYG.js";
import "./chunk-72MSOLL7.js";
export {
  DEV_VERSION,
  openProject,
  versionSpecs
};
//# sourceMappingURL=project-QPXB63KP.js.map
