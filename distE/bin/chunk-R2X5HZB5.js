import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);

// src/executors/executor.ts
function addressOf(pipelineFile, node, collected) {
  return {
    pipelineFile,
    stage: node.of,
    params: node.params,
    ...node.name !== node.of ? { instance: { name: node.name, values: node.values } } : {},
    ...collected && Object.keys(node.collects).length ? { collected } : {}
  };
}
var CANCEL_GRACE_MS = 2e3;

export {
  addressOf,
  CANCEL_GRACE_MS
};
//# sourceMappingURL=chunk-R2X5HZB5.js.map
