import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  PipelineError
} from "./chunk-VYRDMYYG.js";

// src/define/load.ts
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
var PIPELINE_FILES = ["pipewright.ts", "pipewright.yaml", "pipewright.yml", "dvc.yaml"];
function findPipelineFile(dir) {
  for (const name of PIPELINE_FILES) {
    const file = join(dir, name);
    if (existsSync(file)) return resolve(file);
  }
  throw new PipelineError(
    "pipeline-not-found",
    `no pipeline file in ${dir}`,
    void 0,
    `create ${PIPELINE_FILES.slice(0, 2).join(" or ")} (or bring a dvc.yaml), or point at a project with -C DIR`
  );
}
var loaded = /* @__PURE__ */ new Map();
function loadPipeline(file) {
  let declaration = loaded.get(file);
  if (!declaration) {
    declaration = file.endsWith(".ts") ? import("./ts-pipeline-DV7N47LB.js").then(({ loadTsPipeline }) => loadTsPipeline(file)) : file.endsWith("dvc.yaml") ? import("./dvc-pipeline-QNYIWSM4.js").then(({ loadDvcPipeline }) => loadDvcPipeline(file)) : import("./yaml-pipeline-4AYZ4T4V.js").then(({ loadYamlPipeline }) => loadYamlPipeline(file));
    loaded.set(file, declaration);
    declaration.catch(() => loaded.delete(file));
  }
  return declaration;
}

export {
  findPipelineFile,
  loadPipeline
};
//# sourceMappingURL=chunk-XYXI5FZ7.js.map
