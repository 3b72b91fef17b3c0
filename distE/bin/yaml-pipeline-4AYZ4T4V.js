import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  DEFAULT_PARAMS_FILE,
  ParamFiles,
  loadYamlPipeline,
  readParamsData,
  stageSchema,
  yamlStage
} from "./chunk-SLV4ANF7.js";
import "./chunk-WLUU6SAW.js";
import "./chunk-QD3IAF33.js";
import "./chunk-DD6A6ORU.js";
import "./chunk-VRTVQOPA.js";
import "./chunk-VYRDMYYG.js";
import "./chunk-72MSOLL7.js";
export {
  DEFAULT_PARAMS_FILE,
  ParamFiles,
  loadYamlPipeline,
  readParamsData,
  stageSchema,
  yamlStage
};
//# sourceMappingURL=yaml-pipeline-4AYZ4T4V.js.map
