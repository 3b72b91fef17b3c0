import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  buildGraph,
  parseOverrides
} from "./chunk-AA3TFWUP.js";
import {
  findPipelineFile,
  loadPipeline
} from "./chunk-XYXI5FZ7.js";
import {
  PipelineError,
  closestName
} from "./chunk-VYRDMYYG.js";

// src/run/project.ts
import { resolve } from "node:path";
async function openProject(dir, overrideSpecs = [], versions = [], graphOptions = {}) {
  const file = findPipelineFile(resolve(dir));
  const declaration = await loadPipeline(file);
  const specs = [...versions.flatMap((v) => versionSpecs(declaration, v)), ...overrideSpecs];
  const graph = buildGraph(declaration, parseOverrides(specs, declaration), graphOptions);
  return { root: declaration.root, declaration, graph };
}
function versionSpecs(declaration, version) {
  const overrides = version === DEV_VERSION ? declaration.dev : declaration.versions[version];
  if (!overrides) {
    const names = Object.keys(declaration.versions);
    const guess = closestName(version, names);
    throw new PipelineError(
      "usage",
      `no version "${version}" in ${declaration.file}`,
      void 0,
      guess ? `did you mean "${guess}"?` : names.length ? `versions: ${names.join(", ")}` : "declare named overrides under `versions:` in the pipeline file"
    );
  }
  return Object.entries(overrides).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
}
var DEV_VERSION = "(dev)";

export {
  openProject,
  versionSpecs,
  DEV_VERSION
};
//# sourceMappingURL=chunk-F3YWF7DN.js.map
