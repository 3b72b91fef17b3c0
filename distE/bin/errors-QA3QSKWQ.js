import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  CancelledError,
  PipelineError,
  StageFailure,
  closestName,
  isPipelineError
} from "./chunk-VYRDMYYG.js";
import "./chunk-72MSOLL7.js";
export {
  CancelledError,
  PipelineError,
  StageFailure,
  closestName,
  isPipelineError
};
//# sourceMappingURL=errors-QA3QSKWQ.js.map
