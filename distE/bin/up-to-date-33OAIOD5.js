import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  checkUpToDate,
  forgetUpToDate,
  keepCertificate,
  keptStages,
  recordUpToDate
} from "./chunk-RIBXOF6W.js";
import "./chunk-PI66XGHR.js";
import "./chunk-72MSOLL7.js";
export {
  checkUpToDate,
  forgetUpToDate,
  keepCertificate,
  keptStages,
  recordUpToDate
};
//# sourceMappingURL=up-to-date-33OAIOD5.js.map
