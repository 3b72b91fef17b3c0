import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  RunRecorder
} from "./chunk-KJCKBIH3.js";
import "./chunk-72MSOLL7.js";
export {
  RunRecorder
};
//# sourceMappingURL=recorder-RGKXKKGJ.js.map
