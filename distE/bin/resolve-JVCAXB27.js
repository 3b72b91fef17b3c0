import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  normalizePath,
  resolveStage,
  writtenPaths
} from "./chunk-VYRBVQGQ.js";
import "./chunk-VRTVQOPA.js";
import "./chunk-VYRDMYYG.js";
import "./chunk-72MSOLL7.js";
export {
  normalizePath,
  resolveStage,
  writtenPaths
};
//# sourceMappingURL=resolve-JVCAXB27.js.map
